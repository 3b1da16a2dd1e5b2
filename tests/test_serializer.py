"""skill/serializer.py: the SDK's serializer, reading the same envelopes the same way, faster."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from devkit import envelopes
from skill.lenient import LenientSerializer
from skill.serializer import AlexaSerializer

TIMESTAMPS = ["2026-11-25T12:43:54Z", "2019-05-13T20:12:38.123Z", "2026-11-25T07:43:54-05:00",
              "2026-11-25T12:43:54", "2026-11-25T12:43:54.000000+00:00"]


def sample_envelopes() -> list[dict]:
    session = envelopes.new_session()
    session["attributes"] = {"state": {"pending": "triage", "answers": {"fever": "no"}},
                             "memory": {"current": {"visits": 2}, "touched": ["visits"]}}
    slots = {"type": "IntentRequest", "dialogState": "STARTED",
             "intent": {"name": "ForSomeoneElseIntent", "confirmationStatus": "NONE",
                        "slots": {"person": {"name": "person", "value": "my wife",
                                             "confirmationStatus": "NONE"}}}}
    connections = {"type": "Connections.Response", "name": "AskFor", "token": "t",
                   "status": {"code": "200", "message": "OK"},
                   "payload": {"status": "ACCEPTED", "permissionScope": "x"}}
    event = {"type": "AlexaSkillEvent.SkillDisabled", "eventCreationTime": "2026-11-25T12:00:00Z",
             "body": {"userInformation": {"consent": None}}}
    return [envelopes.envelope(envelopes.launch(), envelopes.new_session()),
            envelopes.envelope(slots, session),
            envelopes.envelope(connections, session),
            envelopes.envelope(event, None),
            envelopes.envelope(envelopes.session_ended(), session)]


@pytest.mark.parametrize("stamp", TIMESTAMPS)
def test_timestamps_read_as_the_sdk_reads_them(stamp):
    event = envelopes.envelope(envelopes.launch(), envelopes.new_session())
    event["request"]["timestamp"] = stamp
    ours = AlexaSerializer().deserialize_data(event, RequestEnvelope).request.timestamp
    sdk = DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope).request.timestamp
    assert ours == sdk and ours.utcoffset() == sdk.utcoffset()
    assert isinstance(ours, datetime)


def test_dateutil_is_left_for_what_iso_8601_cannot_say(monkeypatch):
    serializer = AlexaSerializer()
    hook = getattr(serializer, "_DefaultSerializer__deserialize_datetime")
    assert hook("Wed, 25 Nov 2026 12:43:54 GMT", datetime) == \
        datetime(2026, 11, 25, 12, 43, 54, tzinfo=timezone.utc)
    assert hook("2026-11-25", date) == date(2026, 11, 25)
    import dateutil.parser

    def refuse(*args, **kwargs):
        raise AssertionError("dateutil was asked to read an ISO 8601 timestamp")

    monkeypatch.setattr(dateutil.parser, "parse", refuse)
    assert hook("2026-11-25T12:43:54Z", datetime) == \
        datetime(2026, 11, 25, 12, 43, 54, tzinfo=timezone(timedelta(0)))


@pytest.mark.parametrize("event", sample_envelopes(), ids=lambda e: e["request"]["type"])
def test_parsed_data_reads_as_its_json_text_does(event):
    ours = AlexaSerializer()
    direct = ours.deserialize_data(json.loads(json.dumps(event)), RequestEnvelope)
    via_text = DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)
    assert direct == via_text
    assert ours.serialize(direct) == DefaultSerializer().serialize(via_text)


def test_the_sdk_still_has_the_private_methods_this_relies_on():
    """If this fails, the SDK changed: the serializer still works, but slower again."""
    assert callable(getattr(DefaultSerializer, "_DefaultSerializer__deserialize", None))
    assert callable(getattr(DefaultSerializer, "_DefaultSerializer__deserialize_datetime", None))


def test_the_skill_uses_it():
    from skill import build_skill
    from skill.settings import Settings

    assert isinstance(build_skill(Settings(persistence="none")).serializer, AlexaSerializer)


# --- the lenient reading (skill/front_door.py uses it only where the strict one refuses) -------

def odd(change) -> dict:
    event = envelopes.envelope(envelopes.launch(), envelopes.new_session(),
                               interfaces=envelopes.SCREEN)
    change(event)
    return event


ODDITIES = {
    "epoch milliseconds": (lambda e: e["request"].update(timestamp=1796454125365),
                           lambda env: env.request.timestamp == datetime(
                               2026, 12, 5, 7, 2, 5, 365000, tzinfo=timezone.utc)),
    "epoch seconds": (lambda e: e["request"].update(timestamp=1796454125),
                      lambda env: env.request.timestamp.year == 2026),
    "a viewport entry without a type": (
        lambda e: e["context"].update(Viewports=[{"type": "APL", "id": "main", "dpi": 213},
                                                 {"id": "no type"}]),
        lambda env: [v.id for v in env.context.viewports] == ["main"]),
    "a cause newer than the SDK": (
        lambda e: e.update(request={"type": "SessionResumedRequest", "requestId": "r",
                                    "timestamp": "2026-12-05T07:00:00Z", "locale": "en-US",
                                    "cause": {"type": "SomethingNewer", "token": "t"}}),
        lambda env: type(env.request).__name__ == "SessionResumedRequest"
        and env.request.cause is None),
    "a shape newer than the SDK": (
        lambda e: e["context"].update(Viewport={"shape": "HEXAGON", "dpi": 160}),
        lambda env: env.context.viewport.shape is None and env.context.viewport.dpi == 160),
    "a placeholder where a number belongs": (
        lambda e: e["context"].update(Viewport={"shape": "ROUND", "dpi": "string"}),
        lambda env: env.context.viewport.dpi is None
        and env.context.viewport.shape.value == "ROUND"),
    "slots as a string": (
        lambda e: e.update(request={"type": "IntentRequest", "requestId": "r",
                                    "timestamp": "2026-12-05T07:00:00Z", "locale": "en-US",
                                    "intent": {"name": "GoToStepIntent", "slots": "3"}}),
        lambda env: env.request.intent.name == "GoToStepIntent" and env.request.intent.slots
        is None),
}


@pytest.mark.parametrize("case", list(ODDITIES))
def test_the_lenient_reading_reads_an_odd_field_as_absent_and_the_rest_as_usual(case):
    change, holds = ODDITIES[case]
    event = odd(change)
    with pytest.raises(Exception):  # noqa: B017 - the strict reading refuses it, in some way
        AlexaSerializer().deserialize_data(event, RequestEnvelope)
    envelope = LenientSerializer().deserialize_data(event, RequestEnvelope)
    assert holds(envelope), case
    assert envelope.context.system.application.application_id == envelopes.SKILL_ID
