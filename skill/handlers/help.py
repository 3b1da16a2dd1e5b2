"""Help, repeat, fallback, and whatever the skill does not know: all depend on the state."""
from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from .base import IntentHandler
from .turn import Turn

MISSES_BEFORE_MENU = 2


class HelpIntentHandler(IntentHandler):
    intent = "AMAZON.HelpIntent"

    def respond(self, turn: Turn) -> Response:
        key = f"pending.{turn.state.pending.value}.help"
        return turn.ask(turn.say(key), turn.hint())


class RepeatIntentHandler(IntentHandler):
    intent = "AMAZON.RepeatIntent"

    def respond(self, turn: Turn) -> Response:
        state = turn.state
        if not state.last_speech:
            return turn.ask(turn.hint())
        builder = turn.input.response_builder
        builder.speak(state.last_speech)
        if state.last_reprompt:
            builder.ask(state.last_reprompt)
        return builder.response


class FallbackIntentHandler(IntentHandler):
    intent = "AMAZON.FallbackIntent"

    def respond(self, turn: Turn) -> Response:
        turn.missed = True
        turn.state.misses += 1
        if turn.state.misses >= MISSES_BEFORE_MENU:
            # No "I didn't understand" loops: the second miss gets the short menu.
            return turn.ask(turn.say("fallback.menu"), turn.hint())
        return turn.ask(turn.say("fallback.missed"))


class UnknownRequestHandler(FallbackIntentHandler):
    """Last in line: an intent or request type this skill does not know.

    Events that arrive without a session (a skill being disabled, say) want no
    speech; anything from a person gets the fallback answer.
    """

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        envelope = handler_input.request_envelope
        if envelope.session is None and not is_request_type("IntentRequest")(handler_input) \
                and not is_request_type("LaunchRequest")(handler_input):
            return handler_input.response_builder.response
        return super().handle(handler_input)
