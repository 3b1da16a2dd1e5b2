"""A request read as an Event of the dialogue table: the intent's event, its slots made plain."""
from __future__ import annotations

import time

from ask_sdk_core.handler_input import HandlerInput

from ..dialogue import Event
from ..intents import AGE_SLOT, BY_NAME, PERSON_SLOT, STEP_SLOT
from ..numbers import parse_number
from . import slots
from .turn import Turn

# PERSON_TYPE ids in the interaction model -> the pronouns the skill uses.
SUBJECT_BY_ID = {"HE": "he", "SHE": "she", "THEY": "they"}


def subject_from_slot(handler_input: HandlerInput) -> str | None:
    """Who the caregiver asks about; an unknown relation gets the neutral "they"."""
    if slots.value(handler_input, PERSON_SLOT) is None:
        return None
    return SUBJECT_BY_ID.get(slots.resolved_id(handler_input, PERSON_SLOT) or "", "they")


def intent_event(turn: Turn, intent_name: str) -> Event:
    """The event an intent (said, or a button standing for it) is, with what the turn knows."""
    handler_input = turn.input
    memory = turn.memory.current if turn.memory else None
    session = handler_input.request_envelope.session
    return Event(
        BY_NAME[intent_name].event,
        subject=subject_from_slot(handler_input),
        number=parse_number(slots.value(handler_input, STEP_SLOT)
                            or slots.value(handler_input, AGE_SLOT)),
        returning=bool(memory is not None and memory.returning),
        new_session=bool(getattr(session, "new", False)))


def launch_event(turn: Turn) -> Event:
    memory = turn.memory.current if turn.memory else None
    return Event("launch", returning=bool(memory is not None and memory.returning),
                 resume_at=memory.resumable_step(int(time.time())) if memory else None,
                 new_session=True)
