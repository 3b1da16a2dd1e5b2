"""Opening and closing: launch, stop, cancel, navigate home, session ended."""
from __future__ import annotations

import time

from ask_sdk_model import Response

from ..state import Pending
from . import flows
from .base import IntentHandler, RequestTypeHandler
from .turn import Turn


class LaunchRequestHandler(RequestTypeHandler):
    request_type = "LaunchRequest"

    def respond(self, turn: Turn) -> Response:
        memory = turn.memory.current if turn.memory else None
        if memory is not None and memory.returning:
            lead = [turn.say("launch.welcome_back")]
        else:
            # First use: the disclaimer comes first, in one sentence, before any question.
            lead = [turn.say("launch.welcome"), turn.say("launch.can_do")]
        resume_at = memory.resumable_step(int(time.time())) if memory else None
        if resume_at is not None:
            turn.state.step = resume_at
            turn.state.pending = Pending.OFFER_RESUME
        else:
            turn.state.pending = Pending.START_CHECK
        return turn.ask(*lead)


class ExitHandler(IntentHandler):
    """Stop and cancel end the session in every state; mid-check, the outcome so far is said."""

    def respond(self, turn: Turn) -> Response:
        lead = flows.stop_check(turn) if turn.state.pending is Pending.TRIAGE else []
        return flows.goodbye(turn, *lead)


class StopIntentHandler(ExitHandler):
    intent = "AMAZON.StopIntent"


class CancelIntentHandler(ExitHandler):
    intent = "AMAZON.CancelIntent"


class NavigateHomeIntentHandler(IntentHandler):
    intent = "AMAZON.NavigateHomeIntent"

    def respond(self, turn: Turn) -> Response:
        turn.state.pending = Pending.MENU
        turn.state.step = None
        return turn.ask(turn.hint())


class SessionEndedRequestHandler(RequestTypeHandler):
    request_type = "SessionEndedRequest"

    def respond(self, turn: Turn) -> Response:
        # Alexa accepts no speech here; the reason is logged by the interceptor.
        return turn.input.response_builder.response
