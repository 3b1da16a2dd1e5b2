"""The person's control over what is remembered: forget by voice, and on disabling."""
from __future__ import annotations

import logging

from ask_sdk_model import Response

from .. import metrics
from ..dialogue import Event
from .base import RequestTypeHandler
from .turn import Turn

log = logging.getLogger("skill")


def forget(turn: Turn) -> Event:
    """Delete the stored record; the table says whether it worked (kept for another try)."""
    try:
        if turn.memory is not None:
            turn.input.attributes_manager.delete_persistent_attributes()
    except Exception as error:  # noqa: BLE001 - a failing store must not silence the skill
        log.warning("memory delete failed: %s", type(error).__name__)
        metrics.count("MemoryFailures")
        return Event("forget_failed")
    if turn.memory is not None:
        turn.memory.forget()
    return Event("forgotten")


class SkillDisabledEventHandler(RequestTypeHandler):
    """A skill event, without a session: delete the user's record, say nothing."""
    request_type = "AlexaSkillEvent.SkillDisabled"

    def respond(self, turn: Turn) -> Response:
        try:
            turn.input.attributes_manager.delete_persistent_attributes()
        except Exception as error:  # noqa: BLE001 - logged; Alexa expects no answer anyway
            log.warning("memory delete on SkillDisabled failed: %s", type(error).__name__)
            metrics.count("MemoryFailures")
        return turn.input.response_builder.response
