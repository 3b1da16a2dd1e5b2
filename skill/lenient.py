"""The lenient reading, for the envelopes the strict one (skill/serializer.py) refuses only.

Its own module so that a normal request, read strictly, never loads it (skill/front_door.py
imports it on the first refused envelope).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from enum import Enum
from typing import Any

from ask_sdk_core.exceptions import SerializationException

from .serializer import _SDK_DATETIME_HOOK, _SDK_DESERIALIZE, AlexaSerializer

# The SDK's other private readers, by their mangled names, for the lenient reading below.
_SDK_MODEL = "_DefaultSerializer__deserialize_model"
_SDK_PRIMITIVE = "_DefaultSerializer__deserialize_primitive"
_EPOCH_MS_FROM = 10 ** 11  # a number past this is milliseconds (3 March 1973 in seconds)


class LenientSerializer(AlexaSerializer):
    """Reads what the strict reading refuses, for the envelopes it refused only.

    A newer Alexa sends what this SDK does not know, and devices and tools send odd forms; one
    such field must not cost the whole request. Here a field the SDK cannot read is read as
    absent: an enum value newer than the SDK, an object whose "type" is missing or unknown (a
    viewport entry, a request kind), a number or object where the JSON holds something else
    (a placeholder such as "string"); and a timestamp in epoch seconds or milliseconds is read
    as the time it names. Entries read as absent are left out of their lists. Everything else
    is read as the strict reading would.
    """

    def _read(self, payload: Any, obj_type: Any) -> Any:
        if isinstance(obj_type, str):
            if obj_type.startswith("dict(") and not isinstance(payload, dict):
                return None  # e.g. slots or session attributes sent as a string or a list
            if obj_type.startswith("list[") and not isinstance(payload, list):
                return None
        return getattr(super(), _SDK_DESERIALIZE)(payload, obj_type)

    def _read_model(self, payload: Any, obj_type: Any) -> Any:
        if isinstance(obj_type, type):
            if issubclass(obj_type, Enum):
                try:
                    return obj_type(payload)
                except ValueError:
                    return None
            if hasattr(obj_type, "deserialized_types") and not isinstance(payload, dict):
                return None
            child = getattr(obj_type, "get_real_child_model", None)
            if child is not None:
                try:
                    known = child(payload)
                except (KeyError, TypeError):
                    known = None
                if not known:
                    return None
        model = getattr(super(), _SDK_MODEL)(payload, obj_type)
        for name, value in vars(model).items() if hasattr(model, "__dict__") else ():
            if isinstance(value, list) and None in value:
                setattr(model, name, [item for item in value if item is not None])
        return model

    def _read_primitive(self, payload: Any, obj_type: Any) -> Any:
        try:
            return getattr(super(), _SDK_PRIMITIVE)(payload, obj_type)
        except SerializationException:
            return None

    def _read_datetime(self, payload: Any, obj_type: Any) -> Any:
        if isinstance(payload, (int, float)) and not isinstance(payload, bool):
            seconds = payload / 1000 if abs(payload) >= _EPOCH_MS_FROM else payload
            try:
                moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
            except (OverflowError, OSError, ValueError):
                return None
            return moment.date() if obj_type is date else moment
        try:
            return super()._read_datetime(payload, obj_type)
        except Exception:  # noqa: BLE001 - dateutil's errors vary by input; absent, not fatal
            return None


setattr(LenientSerializer, _SDK_DESERIALIZE, LenientSerializer._read)
setattr(LenientSerializer, _SDK_MODEL, LenientSerializer._read_model)
setattr(LenientSerializer, _SDK_PRIMITIVE, LenientSerializer._read_primitive)
setattr(LenientSerializer, _SDK_DATETIME_HOOK, LenientSerializer._read_datetime)
