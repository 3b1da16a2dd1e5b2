"""Base classes that bind a handler to one intent or request type."""
from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from .turn import Turn


class IntentHandler(AbstractRequestHandler):
    """Handles exactly one intent; subclasses set `intent` and write `respond`."""
    intent: str = ""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        # Not the SDK's is_intent_name, which raises on an IntentRequest without an intent.
        request = handler_input.request_envelope.request
        return is_request_type("IntentRequest")(handler_input) and \
            getattr(getattr(request, "intent", None), "name", None) == self.intent

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.respond(Turn.of(handler_input))

    def respond(self, turn: Turn) -> Response:
        raise NotImplementedError


class RequestTypeHandler(IntentHandler):
    """Handles one request type, such as LaunchRequest."""
    request_type: str = ""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type(self.request_type)(handler_input)
