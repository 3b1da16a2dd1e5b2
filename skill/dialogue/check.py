"""The safety check's moves: begin, resume, answer, the one-breath screen, outcome, stop.

The emergency block (the questions whose "yes" means 911) always comes before relief: in
full, or as one question that names every sign at once ("quick screen") when the person asks
for relief. A "no" to that question answers the block; "not sure" walks the block one
question at a time; a "yes" is an emergency. Doubt is never a "no" (skill/triage.py).
"""
from __future__ import annotations

from .. import triage
from ..state import ConversationState, Pending
from .reply import Decision, Ref, RefList, Reply

EMERGENCY_IDS = tuple(q.id for q in triage.QUESTIONS if q.severity is triage.Outcome.EMERGENCY)


def answers(state: ConversationState) -> dict[str, triage.Answer]:
    return {k: triage.Answer(v) for k, v in state.answers.items()}


def emergency_unasked(state: ConversationState) -> list[str]:
    """The emergency questions not yet answered, in the order they are asked."""
    return [qid for qid in EMERGENCY_IDS if qid not in state.answers]


def emergency_block_open(state: ConversationState) -> bool:
    """Whether relief must wait for (the one-breath form of) the emergency block."""
    return bool(emergency_unasked(state)) and \
        triage.assess(answers(state)).outcome is not triage.Outcome.EMERGENCY


def asking(state: ConversationState) -> bool:
    return state.pending in (Pending.TRIAGE, Pending.QUICK_SCREEN)


def begin(reply: Reply, *lead: str) -> Decision:
    reply.state.start_check()
    for key in lead:
        reply.say(key)
    reply.say("triage.intro")
    return reply.ask()


def resume(reply: Reply) -> Decision:
    """Pick up a check left for relief or an aside, answers kept; or begin one."""
    state = reply.state
    following = triage.next_question(answers(state))
    if not state.answers or following is None:
        return begin(reply)
    state.question, state.pending, state.then_relief = following.id, Pending.TRIAGE, False
    reply.say("triage.resume")
    return reply.ask()


def carry_on(reply: Reply) -> Decision:
    """The check asked for during the check: the same question, answers kept."""
    state = reply.state
    if state.pending is Pending.QUICK_SCREEN:
        return one_by_one(reply, then_relief=False)
    reply.say("triage.carry_on")
    return reply.ask()


def quick_screen(reply: Reply) -> Decision:
    """The emergency block as one question, on the way to relief."""
    reply.state.pending, reply.state.question = Pending.QUICK_SCREEN, None
    reply.say("triage.quick.intro")
    return reply.ask()


def one_by_one(reply: Reply, then_relief: bool) -> Decision:
    state = reply.state
    state.pending, state.question = Pending.TRIAGE, emergency_unasked(state)[0]
    state.then_relief = then_relief
    reply.say("triage.quick.one_by_one")
    return reply.ask()


def answer(reply: Reply, given: triage.Answer) -> Decision | None:
    """An answer to the safety question being asked; None when none is asked."""
    if reply.state.pending is Pending.TRIAGE:
        return record(reply, given)
    if reply.state.pending is Pending.QUICK_SCREEN:
        return answer_quick(reply, given)
    return None


def answer_quick(reply: Reply, answer: triage.Answer) -> Decision:
    from .routine import start  # the routine follows the screen; it imports this module

    state = reply.state
    if answer is triage.Answer.YES:
        return emergency(reply, topic_key="triage.quick.topic")
    if answer is triage.Answer.UNSURE:
        return one_by_one(reply, then_relief=True)
    for qid in emergency_unasked(state):
        state.answers[qid] = triage.Answer.NO.value
    reply.say("acknowledge")
    return start(reply)


def record(reply: Reply, answer: triage.Answer) -> Decision:
    """An answer to the question asked; the next question, relief, or the outcome."""
    from .routine import start

    state = reply.state
    if state.question:
        state.answers[state.question] = answer.value
    following = triage.next_question(answers(state))
    result = triage.assess(answers(state))
    block_done = following is None or following.severity is not triage.Outcome.EMERGENCY
    if state.then_relief and block_done and result.outcome is not triage.Outcome.EMERGENCY:
        state.then_relief = False
        if result.outcome is triage.Outcome.PROVIDER:
            finding(reply, result)  # a doubt about a 911 sign is said before relief
        else:
            reply.say("acknowledge")
        return start(reply)
    if following is not None:
        state.question = following.id
        # A hedge counted as doubt is said so: "I think so" is not heard as a yes.
        reply.say("triage.counted_unsure" if answer is triage.Answer.UNSURE else "acknowledge")
        return reply.ask()
    return finish(reply)


def back_one(reply: Reply) -> Decision:
    """Undo the last answer and ask that question again."""
    state = reply.state
    answered = [qid for qid in triage.QUESTION_IDS if qid in state.answers]
    if answered:
        state.question = answered[-1]
        del state.answers[state.question]
    return reply.ask()


def finish(reply: Reply) -> Decision:
    state = reply.state
    result = triage.assess(answers(state))
    state.question = None
    if result.outcome is triage.Outcome.EMERGENCY:
        return emergency(reply, topic_key=topic_key(result))
    if result.outcome is triage.Outcome.PROVIDER:
        state.pending = Pending.OFFER_CARD
        finding(reply, result)
        return reply.ask()
    # Relief is offered, unless this session has been through it already.
    state.pending = Pending.OFFER_REMINDER if state.relieved else Pending.OFFER_RELIEF
    reply.say("outcome.home_care")
    return reply.ask()


def emergency(reply: Reply, topic_key: str) -> Decision:
    reply.state.pending = Pending.MENU
    reply.say("outcome.emergency", topic=Ref(topic_key))
    reply.send_card("outcome.emergency.card_title", "outcome.emergency.card_text",
                    topic=Ref(topic_key))
    return reply.tell()


def finding(reply: Reply, result: triage.Assessment) -> None:
    reply.say(f"outcome.{triage.finding(result)}", topic=Ref(topic_key(result)))


def topic_key(result: triage.Assessment) -> str:
    return f"triage.questions.{result.reasons[0].question_id}.topic"


def stop_lines(reply: Reply) -> None:
    """What a person who stops mid-check still needs: the outcome so far, and the 911 signs
    not yet asked about."""
    state = reply.state
    result = triage.assess(answers(state))
    if result.outcome is triage.Outcome.PROVIDER:
        finding(reply, result)
        reply.say("clinic.number")
    unasked = emergency_unasked(state)
    if unasked:
        reply.say("outcome.stopped_early",
                  signs=RefList(tuple(f"triage.questions.{qid}.short" for qid in unasked)))
