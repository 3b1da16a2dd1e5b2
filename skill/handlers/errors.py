"""The one catch-all exception handler: log it, keep the person's place, still speak."""
from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_model import Response

from .. import metrics
from ..request_kinds import NAME_FREE_QUERY, takes_speech
from ..state import ConversationState
from .name_free import cannot_fulfill
from .turn import SkillContext, Turn

log = logging.getLogger("skill")


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def __init__(self, context: SkillContext):
        self.context = context
        # Rendered now, so the last resort needs nothing that might be broken later.
        self.last_resort = context.apology()

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("unhandled %s while handling a request", type(exception).__name__,
                  exc_info=exception)
        metrics.count("ErrorsAnswered")
        try:
            return self.answer(handler_input)
        finally:
            # The response interceptors that write the request's line are skipped after an
            # error: the line is written here (once: a line already written is not again).
            self.context.recorder.end()

    def answer(self, handler_input: HandlerInput) -> Response:
        # Start clean: the failed handler may have half-built a response.
        handler_input.response_builder = ResponseFactory()
        envelope = handler_input.request_envelope
        kind = getattr(envelope.request, "object_type", None)
        if kind == NAME_FREE_QUERY:
            return cannot_fulfill()
        if not takes_speech(kind, envelope.session is not None):
            return handler_input.response_builder.response  # an event: no one is listening
        try:
            # The session attributes still hold the state from before this
            # turn, so answering from them loses nothing the person said.
            session = envelope.session
            state = ConversationState.from_attributes(session.attributes if session else None)
            turn = Turn(handler_input, self.context, state)
            turn.repeatable = False  # "repeat" says the last question again, not this
            return turn.ask(turn.say("error"))
        except Exception:  # noqa: BLE001 - the person must still hear something
            log.exception("the error answer failed too")
            handler_input.response_builder = ResponseFactory()
            return handler_input.response_builder.speak(self.last_resort).response
