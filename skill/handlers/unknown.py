"""Whatever the skill does not know: an event without speech, or a miss for a person."""
from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ..dialogue import Event
from .base import IntentHandler
from .dialogue import answer
from .turn import Turn

# Requests whose response may not speak (Alexa Skills Kit request reference).
NO_SPEECH_TYPES = ("SessionEndedRequest", "System.ExceptionEncountered", "AlexaSkillEvent.",
                   "AudioPlayer.", "PlaybackController.", "Messaging.")


class UnknownRequestHandler(IntentHandler):
    """Last in line: an intent or request type this skill does not know.

    Events that arrive without a session (a skill being disabled, say) want no
    speech, nor do the request types Alexa refuses speech for, session or not;
    anything from a person gets the fallback answer.
    """

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        envelope = handler_input.request_envelope
        kind = getattr(envelope.request, "object_type", None) or ""
        from_a_person = kind in ("IntentRequest", "LaunchRequest")
        if kind.startswith(NO_SPEECH_TYPES) or (envelope.session is None and not from_a_person):
            return handler_input.response_builder.response
        return super().handle(handler_input)

    def respond(self, turn: Turn) -> Response:
        return answer(turn, Event("fallback"))
