"""The person's control over what is remembered: forget by voice, and on disabling."""
from __future__ import annotations

import logging

from ask_sdk_model import Response

from ..state import DEFAULT_RATE, Pending
from .base import IntentHandler, RequestTypeHandler
from .turn import Turn

log = logging.getLogger("skill")


class ForgetDataIntentHandler(IntentHandler):
    intent = "ForgetDataIntent"

    def respond(self, turn: Turn) -> Response:
        turn.state.pending = Pending.CONFIRM_FORGET
        return turn.ask()


def forget(turn: Turn) -> Response:
    """Delete the stored record; on failure say so plainly, and keep it for another try."""
    turn.state.pending = Pending.ANYTHING_ELSE
    try:
        if turn.memory is not None:
            turn.input.attributes_manager.delete_persistent_attributes()
    except Exception as error:  # noqa: BLE001 - a failing store must not silence the skill
        log.warning("memory delete failed: %s", type(error).__name__)
        return turn.ask(turn.say("memory.delete_failed"))
    if turn.memory is not None:
        turn.memory.forget()
    turn.state.rate = DEFAULT_RATE
    turn.state.step = None
    return turn.ask(turn.say("memory.deleted"))


class SkillDisabledEventHandler(RequestTypeHandler):
    """A skill event, without a session: delete the user's record, say nothing."""
    request_type = "AlexaSkillEvent.SkillDisabled"

    def respond(self, turn: Turn) -> Response:
        try:
            turn.input.attributes_manager.delete_persistent_attributes()
        except Exception as error:  # noqa: BLE001 - logged; Alexa expects no answer anyway
            log.warning("memory delete on SkillDisabled failed: %s", type(error).__name__)
        return turn.input.response_builder.response
