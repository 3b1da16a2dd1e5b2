"""CanFulfillIntentRequest: answers whether a name-free request suits the skill, and nothing else.

Alexa asks before the person has chosen this skill, so the answer must change nothing: no
speech, no card, no session attributes, no memory read or written. The interceptors skip this
request type (skill/interceptors.py), and this handler touches only the response.
"""
from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from .. import name_free
from . import slots

REQUEST_TYPE = "CanFulfillIntentRequest"


def is_name_free_query(handler_input: HandlerInput) -> bool:
    return is_request_type(REQUEST_TYPE)(handler_input)


class CanFulfillIntentRequestHandler(AbstractRequestHandler):
    request_type = REQUEST_TYPE

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_name_free_query(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        # Imported here: only name-free queries need these models.
        from ask_sdk_model.canfulfill import (CanFulfillIntent, CanFulfillIntentValues,
                                              CanFulfillSlot, CanFulfillSlotValues,
                                              CanUnderstandSlotValues)

        intent = getattr(handler_input.request_envelope.request, "intent", None)
        name = getattr(intent, "name", None)
        raw_slots = getattr(intent, "slots", None) or {}
        heard = {slot_name: name_free.HeardSlot(
                     slots.value(handler_input, slot_name),
                     resolved=slots.resolved_id(handler_input, slot_name) is not None)
                 for slot_name in raw_slots if isinstance(slot_name, str)}
        verdict = name_free.decide(name if isinstance(name, str) else None, heard)
        if handler_input.request_envelope.session is not None:
            # No sessionAttributes in the answer: it belongs to no conversation, and echoing
            # the request's would send back whatever it carried. The SDK's setter is typed
            # Dict, but None is what it holds itself for no attributes (its getter's Optional).
            handler_input.attributes_manager.session_attributes = None  # type: ignore[assignment]
        response = handler_input.response_builder.response
        response.can_fulfill_intent = CanFulfillIntent(
            can_fulfill=CanFulfillIntentValues(verdict.can_fulfill),
            slots={slot_name: CanFulfillSlot(
                can_understand=CanUnderstandSlotValues(slot.can_understand),
                can_fulfill=CanFulfillSlotValues(slot.can_fulfill))
                for slot_name, slot in verdict.slots.items()} or None)
        return response



def cannot_fulfill() -> Response:
    """The verdict for a query that could not be read or answered: NO, and nothing else."""
    from ask_sdk_model.canfulfill import CanFulfillIntent, CanFulfillIntentValues

    return Response(can_fulfill_intent=CanFulfillIntent(
        can_fulfill=CanFulfillIntentValues.NO))
