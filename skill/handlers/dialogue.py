"""The handlers of everything a person says or touches: request -> Event -> decide -> response.

They hold no meaning of their own: the dialogue table (skill/dialogue) decides, the Turn
renders. What needs the outside world (deleting memory, setting a reminder) is an effect the
table asks for; its result goes back to the table as an event.
"""
from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ..dialogue import Event, decide
from ..intents import BY_NAME
from .base import IntentHandler, RequestTypeHandler
from .events import intent_event, launch_event
from .turn import Turn


def answer(turn: Turn, event: Event) -> Response:
    """Decide, carry out what the decision asks of the outside world, and render."""
    from .memory import forget  # here: effects import this module's neighbours
    from .reminders import request_reminder

    decision = decide(turn.state, event)
    if decision.effect == "forget":
        decision = decide(decision.state, forget(turn))
    elif decision.effect == "reminder":
        turn.state = decision.state
        result = request_reminder(turn)
        if not isinstance(result, Event):
            return result  # Alexa asks the person for permission: no speech of ours
        decision = decide(decision.state, result)
    return turn.render(decision)


class IntentRequestHandler(IntentHandler):
    """Every intent in the registry (skill/intents.py)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return getattr(request, "object_type", None) == "IntentRequest" and \
            getattr(getattr(request, "intent", None), "name", None) in BY_NAME

    def respond(self, turn: Turn) -> Response:
        intent = getattr(turn.input.request_envelope.request, "intent", None)
        # can_handle saw a name in BY_NAME
        return answer(turn, intent_event(turn, getattr(intent, "name", None) or ""))


class LaunchRequestHandler(RequestTypeHandler):
    request_type = "LaunchRequest"

    def respond(self, turn: Turn) -> Response:
        return answer(turn, launch_event(turn))


class SessionEndedRequestHandler(RequestTypeHandler):
    request_type = "SessionEndedRequest"

    def respond(self, turn: Turn) -> Response:
        # Alexa accepts no speech here; the reason is logged by the interceptor.
        return answer(turn, Event("session_end"))

