"""Whatever the skill does not know: an event without speech, or a miss for a person."""
from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ..dialogue import Event
from ..request_kinds import takes_speech
from .base import IntentHandler
from .dialogue import answer
from .turn import Turn


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
        if not takes_speech(getattr(envelope.request, "object_type", None),
                            envelope.session is not None):
            return handler_input.response_builder.response
        return super().handle(handler_input)

    def respond(self, turn: Turn) -> Response:
        return answer(turn, Event("fallback"))
