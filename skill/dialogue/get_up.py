"""Getting up from the floor, step by step (CLINICAL.md, home care and relief).

Asked for at any time ("how do I get up") and offered at the end of the in-spasm steps. It
keeps the relief routine's place and the check's answers: afterwards the relief steps go on
where they were, or what the check still needs is offered.
"""
from __future__ import annotations

from .. import relief
from ..state import ConversationState, Pending
from . import check, routine
from .reply import Decision, Reply

STEPS = relief.GET_UP_STEPS


def getting_up(state: ConversationState) -> bool:
    return state.pending is Pending.GET_UP and state.rising is not None


def request(reply: Reply) -> Decision:
    """"How do I get up": the steps from the first, or the current one again. With the 911
    signs not yet ruled out, they come first in one breath: moving may not be safe."""
    state = reply.state
    if getting_up(state):
        return show(reply, state.rising or 0)
    if check.emergency_block_open(state):
        reply.say("triage.quick.warning")
    reply.say("get_up.intro")
    return show(reply, 0)


def show(reply: Reply, index: int) -> Decision:
    state = reply.state
    state.rising, state.pending = index, Pending.GET_UP
    reply.say(f"get_up.steps.{STEPS[relief.clamp(index, STEPS)]}")
    return reply.ask()


def move(reply: Reply, step_move: relief.Move) -> Decision:
    position = relief.navigate(reply.state.rising, step_move, STEPS)
    if position.finished:
        return finish(reply)
    if position.note == "at_start":
        reply.say("relief.at_start")
    return show(reply, position.index or 0)


def finish(reply: Reply) -> Decision:
    """Up, or still down: too much pain to get up is a reason to call a provider."""
    state = reply.state
    state.rising = None
    reply.say("get_up.done")
    if state.step is not None:  # the relief steps were on the way: carry on there
        state.pending = Pending.RELIEF
        reply.say("get_up.back_to_relief")
        return reply.ask()
    state.pending = routine.next_offer(state)
    return reply.ask()
