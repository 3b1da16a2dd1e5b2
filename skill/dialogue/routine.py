"""Guided relief's moves: start (after the emergency block), show a step, move, finish."""
from __future__ import annotations

from .. import relief, safety
from ..state import ConversationState, Pending
from . import check
from .reply import Decision, Reply


def in_routine(state: ConversationState) -> bool:
    return state.pending is Pending.RELIEF and state.step is not None


def request(reply: Reply) -> Decision:
    """Relief asked for, in any words, anywhere.

    In the routine it carries on; only "start over" starts over. Otherwise the emergency
    block comes first, in its one-breath form; a person who refuses even that hears the
    signs as a warning and gets relief at once. A check left part-way is offered after.
    """
    state = reply.state
    if in_routine(state):
        return move(reply, relief.Move.NEXT)
    if state.pending is Pending.QUICK_SCREEN:
        reply.say("triage.quick.warning")
        return start(reply)
    if check.emergency_block_open(state):
        return check.quick_screen(reply)
    if state.pending is Pending.TRIAGE:
        reply.say("triage.after_relief")
    return start(reply)


def start(reply: Reply) -> Decision:
    """Relief after the emergency block: where a routine left for the check stopped, or step 1."""
    step = reply.state.step
    return show(reply, relief.FIRST if step is None else relief.clamp(step))


def show(reply: Reply, index: int) -> Decision:
    state = reply.state
    state.step, state.pending, state.then_relief = index, Pending.RELIEF, False
    if index == relief.HOME_CARE_START:
        reply.say("relief.home_care_intro")
    reply.say("relief.step_number", number=index + 1, total=len(relief.STEPS))
    step = relief.step_id(index)
    if step == "roller" and _maybe(state, "injury"):
        reply.say("relief.roller_after_fall")
    elif step == "roller" and not roller_safe(state):
        reply.say("relief.roller_not_now")
    elif step in relief.PREGNANCY_STEPS and pregnancy_possible(state):
        reply.say(f"relief.pregnancy.{step}")
    else:
        reply.say(f"relief.steps.{step}")
    return reply.ask()


def roller_safe(state: ConversationState) -> bool:
    """The foam roller only without a fall (or a doubt about one) and without a sign that
    needs a doctor today or sooner (CLINICAL.md, home care and relief)."""
    if _maybe(state, "injury"):
        return False
    return safety.assess(state.answers, state.subject).level < safety.Level.TODAY


def pregnancy_possible(state: ConversationState) -> bool:
    return _maybe(state, "pregnant")


def _maybe(state: ConversationState, question: str) -> bool:
    """A yes or a not sure: what the routine must allow for."""
    return state.answers.get(question) in (safety.Answer.YES.value, safety.Answer.UNSURE.value)


def move(reply: Reply, step_move: relief.Move) -> Decision:
    position = relief.navigate(reply.state.step, step_move)
    if position.finished:
        return finish(reply)
    if position.note == "at_start":
        reply.say("relief.at_start")
    return show(reply, position.index or relief.FIRST)


def finish(reply: Reply) -> Decision:
    state = reply.state
    state.step, state.relieved = None, True
    state.pending = next_offer(state)
    result = safety.assess(state.answers, state.subject)
    if result.complete and result.level is safety.Level.TODAY:
        # Said in brief before relief: now in full, with the number.
        reply.say("relief.finished_short")
        check.finding(reply, result)
    else:
        reply.say("relief.finished")
    return reply.ask()


def next_offer(state: ConversationState) -> Pending:
    """What to offer once relief is done or declined, by what the check found."""
    result = safety.assess(state.answers, state.subject)
    if not result.complete:
        # Relief may come first; it must never let the rest of the check be skipped.
        started = state.answers or state.screened
        return Pending.FINISH_CHECK if started else Pending.START_CHECK
    if result.level is safety.Level.HOME_CARE:
        return Pending.OFFER_REMINDER
    return Pending.OFFER_CARD if check.clinic_fits(result) else Pending.ANYTHING_ELSE
