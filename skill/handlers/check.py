"""The safety-first check, caregiver mode, and the answers yes / no / not sure."""
from __future__ import annotations

from ask_sdk_model import Response

from ..relief import Move
from ..state import Pending
from ..triage import Answer
from . import flows, slots
from .base import IntentHandler
from .memory import forget
from .reminders import request_reminder
from .turn import Turn

# PERSON_TYPE ids in the interaction model -> the pronouns the skill uses.
SUBJECT_BY_ID = {"HE": "he", "SHE": "she", "THEY": "they"}


def subject_from_slot(turn: Turn) -> str | None:
    """Who the caregiver asks about; an unknown relation gets the neutral "they"."""
    if slots.value(turn.input, "person") is None:
        return None
    return SUBJECT_BY_ID.get(slots.resolved_id(turn.input, "person") or "", "they")


class StartCheckIntentHandler(IntentHandler):
    intent = "StartCheckIntent"

    def respond(self, turn: Turn) -> Response:
        turn.state.subject = subject_from_slot(turn) or turn.state.subject
        return flows.begin_check(turn)


class ForSomeoneElseIntentHandler(IntentHandler):
    intent = "ForSomeoneElseIntent"

    def respond(self, turn: Turn) -> Response:
        turn.state.subject = subject_from_slot(turn) or "they"
        noted = turn.say("caregiver.noted")
        if flows.in_relief(turn):
            return flows.show_step(turn, turn.state.step, noted)
        if turn.state.pending is Pending.TRIAGE:
            return turn.ask(noted)  # the same question, now about them
        return flows.begin_check(turn, noted)


class AnswerHandler(IntentHandler):
    """Yes, no and not sure: their meaning depends on the question last asked."""
    answer: Answer = Answer.YES

    def respond(self, turn: Turn) -> Response:
        if turn.state.pending is Pending.TRIAGE:
            return flows.record_answer(turn, self.answer)
        return self.reply_to_offer(turn)

    def reply_to_offer(self, turn: Turn) -> Response:
        # "Not sure" to an offer: explain the choice and ask again.
        return turn.ask(turn.say("pending." + turn.state.pending.value + ".help"), turn.hint())


class YesIntentHandler(AnswerHandler):
    intent = "AMAZON.YesIntent"
    answer = Answer.YES

    def reply_to_offer(self, turn: Turn) -> Response:
        pending = turn.state.pending
        if pending is Pending.START_CHECK:
            return flows.continue_check(turn)
        if pending is Pending.OFFER_CARD:
            return flows.send_clinic_card(turn)
        if pending is Pending.OFFER_RELIEF:
            return flows.show_step(turn, 0)
        if pending is Pending.RELIEF:
            return flows.move(turn, Move.NEXT)
        if pending is Pending.ANYTHING_ELSE:
            turn.state.pending = Pending.MENU
            return turn.ask(turn.hint())
        if pending is Pending.OFFER_RESUME and turn.state.step is not None:
            return flows.show_step(turn, turn.state.step)
        if pending is Pending.CONFIRM_FORGET:
            return forget(turn)
        if pending is Pending.OFFER_REMINDER:
            return request_reminder(turn)
        return turn.ask(turn.hint())  # "yes" to "what would you like?"


class NoIntentHandler(AnswerHandler):
    intent = "AMAZON.NoIntent"
    answer = Answer.NO

    def reply_to_offer(self, turn: Turn) -> Response:
        pending = turn.state.pending
        if pending is Pending.RELIEF:
            return turn.ask(turn.say("no_rush"))
        if pending in (Pending.ANYTHING_ELSE, Pending.MENU):
            return flows.goodbye(turn)
        if pending is Pending.START_CHECK:
            turn.state.pending = Pending.MENU
            return turn.ask(turn.say("acknowledge"), turn.hint())
        if pending is Pending.OFFER_RESUME:
            turn.state.step = None  # declined: the old place is forgotten
            turn.state.pending = Pending.START_CHECK
            return turn.ask(turn.say("acknowledge"))
        if pending is Pending.CONFIRM_FORGET:
            turn.state.pending = Pending.ANYTHING_ELSE
            return turn.ask(turn.say("memory.kept"))
        if pending is Pending.OFFER_RELIEF:
            turn.state.pending = flows.next_offer(turn)
            if turn.state.pending is Pending.OFFER_REMINDER:
                return turn.ask(turn.say("acknowledge"))
        turn.state.pending = Pending.ANYTHING_ELSE
        return turn.ask(turn.say("acknowledge"))


class NotSureIntentHandler(AnswerHandler):
    intent = "NotSureIntent"
    answer = Answer.UNSURE
