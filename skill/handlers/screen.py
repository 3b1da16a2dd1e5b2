"""Echo Show screens: the large-print view on every spoken response, and its buttons.

A device says it has a screen by listing Alexa.Presentation.APL in its supported
interfaces; any other device gets exactly the response it got before (cards included).
A touch on a button comes back as an Alexa.Presentation.APL.UserEvent, which the handler
of the words it stands for: the same event in the dialogue table, so a touch and a voice
go the same way.
"""
from __future__ import annotations

import logging
from typing import Any, TypeGuard

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ..intents import TOUCH_INTENTS
from .base import RequestTypeHandler
from .dialogue import answer
from .events import intent_event
from .turn import Turn

log = logging.getLogger("skill")


def apl_runtime(handler_input: HandlerInput) -> Any:
    """The device's APL interface (a screen), or None for a device without one."""
    system = getattr(handler_input.request_envelope.context, "system", None)
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    return getattr(interfaces, "alexa_presentation_apl", None)


class ShowScreen(AbstractResponseInterceptor):
    """Adds the view of the state a response leaves, on devices with a screen.

    Only to responses that speak and carry no other directive: Alexa accepts no directive
    after a session has ended, and a permission request must stand alone.
    """

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if response is None or response.output_speech is None or response.directives:
            return
        apl = apl_runtime(handler_input)
        if apl is None:
            return
        # Imported here, like the APL models below: a speaker's cold start never loads them.
        from .. import screen
        from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

        if not screen.runs_on(getattr(getattr(apl, "runtime", None), "max_version", None)):
            return
        turn = Turn.find(handler_input)
        if turn is None:
            return
        view = screen.view_of(turn.state, listening=response.should_end_session is False)
        response.directives = [RenderDocumentDirective(
            token=screen.TOKEN, document=screen.document(),
            datasources=screen.datasource(view, turn.state, turn.voice, turn.said))]


def touched_intent(handler_input: HandlerInput) -> str | None:
    """The intent a touch stands for, from the button's event (its first argument)."""
    arguments = getattr(handler_input.request_envelope.request, "arguments", None)
    if not isinstance(arguments, list) or not arguments or not isinstance(arguments[0], str):
        return None
    return TOUCH_INTENTS.get(arguments[0])


class TouchEventHandler(RequestTypeHandler):
    """A button on the screen: answered exactly as the words it stands for."""
    request_type = "Alexa.Presentation.APL.UserEvent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return super().can_handle(handler_input) and touched_intent(handler_input) is not None

    def respond(self, turn: Turn) -> Response:
        return answer(turn, intent_event(turn, touched_intent(turn.input) or ""))


class ScreenErrorHandler(RequestTypeHandler):
    """The device could not show a document: logged (the error kinds, nothing of the person)."""
    request_type = "Alexa.Presentation.APL.RuntimeError"

    def respond(self, turn: Turn) -> Response:
        errors = getattr(turn.input.request_envelope.request, "errors", None)
        # Only the kind, and only in its documented shape (LIST_ERROR): never a message
        # or anything else from the request in the log.
        kinds = sorted({kind if _error_kind(kind) else "?"
                        for kind in (getattr(e, "object_type", None) for e in errors or ())})
        log.warning("screen runtime error: %s", ", ".join(kinds) or "no details")
        return turn.input.response_builder.response


def _error_kind(kind: Any) -> TypeGuard[str]:
    """An error kind as APL names them (LIST_ERROR): capitals and underscores, short."""
    return isinstance(kind, str) and 0 < len(kind) <= 40 and \
        all("A" <= c <= "Z" or c == "_" for c in kind)
