"""Help, repeat, fallback, and whatever the skill does not know: all depend on the state."""
from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from .base import IntentHandler
from .turn import Turn

MISSES_BEFORE_MENU = 2
# Requests whose response may not speak (Alexa Skills Kit request reference).
NO_SPEECH_TYPES = ("SessionEndedRequest", "System.ExceptionEncountered", "AlexaSkillEvent.",
                   "AudioPlayer.", "PlaybackController.", "Messaging.")


class HelpIntentHandler(IntentHandler):
    intent = "AMAZON.HelpIntent"

    def respond(self, turn: Turn) -> Response:
        key = f"pending.{turn.state.pending.value}.help"
        return turn.ask(turn.say(key), turn.hint())


class RepeatIntentHandler(IntentHandler):
    intent = "AMAZON.RepeatIntent"

    def respond(self, turn: Turn) -> Response:
        state = turn.state
        if not (state.last_speech and state.last_reprompt):
            return turn.ask(turn.hint())
        builder = turn.input.response_builder
        return builder.speak(state.last_speech).ask(state.last_reprompt).response


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
