"""Guided relief: start, next, previous, start over, go to a step, slower, faster."""
from __future__ import annotations

from ask_sdk_model import Response

from .. import relief
from ..numbers import parse_number
from ..state import RATES, Pending
from . import flows, slots
from .base import IntentHandler
from .turn import Turn


class StartReliefIntentHandler(IntentHandler):
    intent = "StartReliefIntent"

    def respond(self, turn: Turn) -> Response:
        return flows.show_step(turn, relief.FIRST)


class StepMoveHandler(IntentHandler):
    """Next, previous and start over: steps in the routine, something sensible elsewhere."""
    step_move = relief.Move.NEXT

    def respond(self, turn: Turn) -> Response:
        if flows.in_relief(turn):
            return flows.move(turn, self.step_move)
        return self.outside_relief(turn)

    def outside_relief(self, turn: Turn) -> Response:
        if turn.state.pending is Pending.TRIAGE:
            return turn.ask(turn.hint())
        if turn.state.pending is Pending.OFFER_RELIEF:
            return flows.show_step(turn, relief.FIRST)
        turn.state.pending = Pending.OFFER_RELIEF
        return turn.ask(turn.say("relief.not_started"))


class NextIntentHandler(StepMoveHandler):
    intent = "AMAZON.NextIntent"
    step_move = relief.Move.NEXT


class PreviousIntentHandler(StepMoveHandler):
    intent = "AMAZON.PreviousIntent"
    step_move = relief.Move.PREVIOUS

    def outside_relief(self, turn: Turn) -> Response:
        if turn.state.pending is Pending.TRIAGE:
            return flows.back_one_question(turn)
        return super().outside_relief(turn)


class StartOverIntentHandler(StepMoveHandler):
    intent = "AMAZON.StartOverIntent"
    step_move = relief.Move.START_OVER

    def outside_relief(self, turn: Turn) -> Response:
        # Anywhere but the routine, the beginning is the safety check.
        return flows.begin_check(turn)


class GoToStepIntentHandler(IntentHandler):
    intent = "GoToStepIntent"

    def respond(self, turn: Turn) -> Response:
        index = relief.go_to(parse_number(slots.value(turn.input, "step_number")))
        if index is None:
            total = len(relief.STEPS)
            if not flows.in_relief(turn):
                turn.state.pending = Pending.OFFER_RELIEF
            return turn.ask(turn.say("relief.no_such_step", total=total))
        return flows.show_step(turn, index)


class RateHandler(IntentHandler):
    """Slower or faster: remembered for the session, and the current prompt is said again."""
    change = -1

    def respond(self, turn: Turn) -> Response:
        wanted = turn.state.rate + self.change
        if not 0 <= wanted < len(RATES):
            note = turn.say("rate.slowest" if self.change < 0 else "rate.fastest")
        else:
            turn.state.rate = wanted
            note = turn.say("rate.slower" if self.change < 0 else "rate.faster")
        if flows.in_relief(turn):
            return flows.show_step(turn, turn.state.step, note)
        return turn.ask(note)


class SlowerIntentHandler(RateHandler):
    intent = "SlowerIntent"
    change = -1


class FasterIntentHandler(RateHandler):
    intent = "FasterIntent"
    change = +1
