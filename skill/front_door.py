"""Every request's way in, for the Lambda handler and the web service alike.

One reading: JSON data (as Lambda hands it over, or as the web service parsed the body once)
becomes the SDK's RequestEnvelope by the fast strict reading, or, where that refuses, by the
lenient one (skill/serializer.py: a field of an unexpected form is read as absent). Where even
that leaves no request or no context.System (which the SDK needs before any handler runs), the
raw JSON still says what kind of request it is, its locale and whether it has a session, so the
answer still fits: nothing for an event that takes no speech, NO to a name-free query, and the
apology, in the request's language, to a person.

One skill id check, from the raw JSON (context and session), so that an envelope read only in
part is judged like any other: the Lambda handler refuses with it, the web service's verifier
(webservice/verify.py) calls it.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, Callable

from ask_sdk_model import RequestEnvelope, Response, ResponseEnvelope

from .metrics import Recorder, count
from .request_kinds import NAME_FREE_QUERY, takes_speech
from .serializer import AlexaSerializer

log = logging.getLogger("skill")


@dataclass(frozen=True)
class Arrival:
    """A request as read: the SDK's envelope when it could be read, and the raw facts always."""
    raw: dict | None  # None: not a JSON object at all
    envelope: RequestEnvelope | None  # None: no request or no context.System could be read
    read_leniently: bool = False

    @property
    def request(self) -> dict:
        request = (self.raw or {}).get("request")
        return request if isinstance(request, dict) else {}

    @property
    def request_type(self) -> str | None:
        kind = self.request.get("type")
        return kind if isinstance(kind, str) and kind else None

    @property
    def locale(self) -> str | None:
        locale = self.request.get("locale")
        return locale if isinstance(locale, str) else None

    @property
    def has_session(self) -> bool:
        return isinstance((self.raw or {}).get("session"), dict)

    @property
    def is_alexa_request(self) -> bool:
        """Shaped like an Alexa request envelope at all: an object with a request object."""
        return self.raw is not None and bool(self.request)

    def application_ids(self) -> tuple[Any, Any]:
        """The skill ids the request names, in context.System and in the session (None where
        it names none; a value that is not a string names none); every one named must be this
        skill's."""
        raw = self.raw or {}
        system = _object(_object(raw.get("context")).get("System"))
        session = raw.get("session")
        return (_object(system.get("application")).get("applicationId"),
                _object(_object(session).get("application")).get("applicationId")
                if isinstance(session, dict) else None)


def _object(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


_STRICT = AlexaSerializer()


@lru_cache(maxsize=1)
def _lenient() -> Any:
    from .lenient import LenientSerializer  # only for an envelope the strict reading refused

    return LenientSerializer()


def read(data: Any) -> Arrival:
    """The request from JSON data (or its text); never raises."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except (ValueError, RecursionError):
            return Arrival(None, None)
    if not isinstance(data, dict):
        return Arrival(None, None)
    arrival = Arrival(data, None)
    if not arrival.is_alexa_request:
        return arrival
    try:
        envelope = _usable(_STRICT.deserialize_data(data, RequestEnvelope))
    except Exception:  # noqa: BLE001 - the SDK's errors vary; the lenient reading follows
        envelope = None
    if envelope is not None:
        return Arrival(data, envelope)
    try:
        envelope = _usable(_lenient().deserialize_data(_system_from_session(data),
                                                     RequestEnvelope))
    except Exception:  # noqa: BLE001 - even leniently unreadable: the raw facts remain
        envelope = None
    return Arrival(data, envelope, read_leniently=True)


def _system_from_session(data: dict) -> dict:
    """Envelopes from before context existed (and some tools') carry the skill and the user in
    the session only; the SDK needs them in context.System, so they are read from there."""
    context, session = _object(data.get("context")), _object(data.get("session"))
    if isinstance(context.get("System"), dict) or "application" not in session:
        return data
    system = {key: session[key] for key in ("application", "user") if key in session}
    return {**data, "context": {**context, "System": system}}


def _usable(envelope: Any) -> RequestEnvelope | None:
    if not isinstance(envelope, RequestEnvelope) or envelope.request is None:
        return None
    if getattr(envelope.context, "system", None) is None:
        return None  # the SDK reads context.System before any handler, and would raise
    return envelope


def skill_id_problem(arrival: Arrival, skill_id: str | None) -> str | None:
    """Why the request is not this skill's, or None when it is (or no id is set)."""
    if skill_id is None:
        return None
    named = {found for found in arrival.application_ids() if isinstance(found, str)}
    if not named:
        return "request names no skill id"
    if named != {skill_id}:
        return "request is for another skill id"
    return None


def without_envelope(arrival: Arrival, apology: str) -> Response:
    """The answer to a request the SDK could not read: what its kind allows."""
    log.warning("unreadable request envelope: %s", arrival.request_type or "no request type")
    count("ErrorsAnswered")
    if arrival.request_type == NAME_FREE_QUERY:
        from .handlers.name_free import cannot_fulfill

        return cannot_fulfill()
    if arrival.request_type is not None and \
            not takes_speech(arrival.request_type, arrival.has_session):
        return Response()  # an event of a kind that takes no speech; no kind at all is bad input
    return Response(output_speech=_plain(apology), should_end_session=True)


def _plain(text: str) -> Any:
    from ask_sdk_model.ui import SsmlOutputSpeech

    return SsmlOutputSpeech(ssml=f"<speak>{text}</speak>")


class FrontDoor:
    """Answers an arrival: through the skill when its envelope was read, else by its kind."""

    def __init__(self, skill: Any, apology_for: Callable[[str | None], str],
                 recorder: Recorder) -> None:
        self.skill = skill
        self.apology_for = apology_for  # the error sentence in a locale's words
        self.recorder = recorder

    def respond(self, arrival: Arrival, lambda_context: Any = None) -> dict:
        """The serialized response envelope."""
        serializer = self.skill.serializer
        if arrival.envelope is not None:
            return serializer.serialize(self.skill.invoke(request_envelope=arrival.envelope,
                                                          context=lambda_context))
        self.recorder.begin(arrival.request_type or "?", None, arrival.locale, new_session=False)
        try:
            response = without_envelope(arrival, self.apology_for(arrival.locale))
        finally:
            self.recorder.end()
        return serializer.serialize(ResponseEnvelope(version="1.0", response=response))


def for_verifiers(arrival: Arrival) -> SimpleNamespace:
    """What the web service's verifiers read, alike for envelopes read whole or in part: the
    request's id, timestamp and type, and the arrival itself (for skill_id_problem)."""
    # An envelope is kept only with its request (_usable): the raw request is read otherwise.
    read = arrival.envelope.request if arrival.envelope is not None else None
    if read is not None:
        timestamp = read.timestamp
    else:
        stamp = arrival.request.get("timestamp")
        timestamp = None if stamp is None else getattr(
            _lenient(), "_DefaultSerializer__deserialize_datetime")(stamp, datetime)
    request = arrival.request
    return SimpleNamespace(arrival=arrival, request=SimpleNamespace(
        request_id=request.get("requestId"), timestamp=timestamp,
        object_type=arrival.request_type))

