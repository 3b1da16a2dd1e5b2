"""The SDK's serializer, minus two costs every request paid.

- DefaultSerializer reads every date in an envelope with dateutil's free-form
  parser: a tenth of a warm turn, and importing dateutil.parser (with its time
  zone module) about 10 ms of a cold start. Alexa sends ISO 8601
  ("2026-11-25T12:43:54Z", sometimes with milliseconds), which
  datetime.fromisoformat reads from Python 3.11 on, to an equal aware datetime;
  anything it cannot read still goes to dateutil.
- deserialize() takes JSON text, so a Lambda handler dumps the event Lambda has
  already parsed, for the SDK to parse it again. deserialize_data() reads the
  parsed data as it is; for JSON data the result is the same.

Both reach the SDK's private methods by their mangled names; if a future SDK
renames them, deserialize_data() falls back to the round trip and dates to
dateutil, and tests/test_serializer.py says so.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer

# DefaultSerializer's self.__deserialize_datetime and self.__deserialize, as Python names them.
_SDK_DATETIME_HOOK = "_DefaultSerializer__deserialize_datetime"
_SDK_DESERIALIZE = "_DefaultSerializer__deserialize"


class AlexaSerializer(DefaultSerializer):
    def deserialize_data(self, data: Any, obj_type: Any) -> Any:
        """deserialize() for data already parsed from JSON, such as Lambda's event."""
        read = getattr(self, _SDK_DESERIALIZE, None)
        if read is None:
            return self.deserialize(json.dumps(data), obj_type)
        return read(data, obj_type)

    def _read_datetime(self, payload: Any, obj_type: Any) -> Any:
        if isinstance(payload, str):
            try:
                parsed = datetime.fromisoformat(payload)
            except ValueError:
                pass
            else:
                return parsed.date() if obj_type is date else parsed
        return getattr(super(), _SDK_DATETIME_HOOK)(payload, obj_type)


# Bound under the SDK's private name, so its deserializer finds it on self.
setattr(AlexaSerializer, _SDK_DATETIME_HOOK, AlexaSerializer._read_datetime)
