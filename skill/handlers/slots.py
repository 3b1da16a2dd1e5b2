"""Reading slots defensively: any slot may be missing, empty or unresolved."""
from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput


def _slot(handler_input: HandlerInput, name: str):
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slots = getattr(intent, "slots", None) or {}
    return slots.get(name)


def value(handler_input: HandlerInput, name: str) -> str | None:
    slot = _slot(handler_input, name)
    text = getattr(slot, "value", None)
    return text if isinstance(text, str) and text.strip() else None


def resolved_id(handler_input: HandlerInput, name: str) -> str | None:
    """The custom-type id Alexa matched for a slot, if it matched one."""
    # Imported here, not at start-up: a launch carries no resolutions.
    from ask_sdk_model.slu.entityresolution import StatusCode

    slot = _slot(handler_input, name)
    authorities = getattr(getattr(slot, "resolutions", None), "resolutions_per_authority", None)
    for authority in authorities or ():
        status = getattr(getattr(authority, "status", None), "code", None)
        if status == StatusCode.ER_SUCCESS_MATCH and authority.values:
            matched = getattr(getattr(authority.values[0], "value", None), "id", None)
            return matched if isinstance(matched, str) else None
    return None
