"""The safety check's moves: begin, resume, answer, the one-breath screen, outcome, stop.

The emergency block (skill/safety's six screens and their follow-ups) always comes before
relief: in full, or as one question that names every 911 sign not yet answered at once
("quick screen") when the person asks for relief. A "no" to that question lets relief go
ahead but records no answer (the breath does not name every sign; finishing the check asks
each); "yes" or "not sure" walks the block one question at a time, then relief. Doubt is
never a "no".
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import safety
from ..safety import Answer, Level
from ..state import ConversationState, Pending
from .reply import Decision, Ref, RefList, Reply

if TYPE_CHECKING:
    from ..speech import Voice


def emergency_unasked(state: ConversationState) -> list[str]:
    """The block's screens not yet answered, in the order they are asked."""
    return [qid for qid in safety.BLOCK_SCREENS if qid not in state.answers]


def quick_screen_signs(state: ConversationState) -> list[str]:
    """The signs the one-breath question names: the block's screens not yet answered, or all
    of them when each is (a follow-up is still open)."""
    return emergency_unasked(state) or list(safety.BLOCK_SCREENS)


def quick_screen_values(voice: "Voice", state: ConversationState) -> dict[str, str]:
    """The one-breath question's {Signs}, for the voice and the screen alike."""
    signs = voice.listing([voice.fill(voice.entry(f"triage.questions.{qid}.short"), {})
                           for qid in quick_screen_signs(state)])
    return {"Signs": signs[:1].upper() + signs[1:], "signs": signs}


def emergency_block_open(state: ConversationState) -> bool:
    """Whether relief must wait for (the one-breath form of) the emergency block."""
    return not state.screened and safety.block_open(state.answers, state.subject)


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
    following = safety.next_question(state.answers, state.subject)
    if not state.answers:
        return begin(reply)
    if following is None:
        return already_done(reply)
    state.question, state.pending, state.then_relief = following.id, Pending.TRIAGE, False
    reply.say("triage.resume")
    return reply.ask()


def already_done(reply: Reply) -> Decision:
    """The check asked for once it is done ("she's in bed, not on the floor" heard as a new
    request): what it found, again; never the answers wiped and the questions asked anew.
    "Start over" begins again."""
    from .routine import in_routine

    state = reply.state
    reply.say("triage.already_done")
    result = safety.assess(state.answers, state.subject)
    if result.level > Level.HOME_CARE:
        finding(reply, result)
    if in_routine(state):
        reply.say("info.back_to")
    elif state.pending not in (Pending.OFFER_CARD, Pending.OFFER_RELIEF, Pending.OFFER_REMINDER):
        state.pending = Pending.ANYTHING_ELSE
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
    following = safety.next_question(state.answers, state.subject)
    state.pending = Pending.TRIAGE
    state.question = following.id if following else emergency_unasked(state)[0]
    state.then_relief = then_relief
    reply.say("triage.quick.one_by_one")
    return reply.ask()


def answer(reply: Reply, given: Answer) -> Decision | None:
    """An answer to the safety question being asked; None when none is asked."""
    state = reply.state
    if state.asking_age and given is not Answer.UNSURE:
        return ask_age_again(reply)  # "yes" or "no" is no age
    if state.pending is Pending.TRIAGE:
        return record(reply, given.value, hedged=given is Answer.UNSURE)
    if state.pending is Pending.QUICK_SCREEN:
        return answer_quick(reply, given)
    return None


def answer_age(reply: Reply, years: int | None) -> Decision | None:
    """A number said while the age is asked; None when the age is not asked."""
    if not reply.state.asking_age:
        return None
    if years is None or safety.age_of(str(years)) is None:
        return ask_age_again(reply)
    return record(reply, str(years))


def ask_age_again(reply: Reply) -> Decision:
    reply.repeatable = False  # "repeat" says the question, not this
    reply.say("triage.questions.age.hint")
    return reply.ask()


def answer_quick(reply: Reply, given: Answer) -> Decision:
    from .routine import start  # the routine follows the screen; it imports this module

    state = reply.state
    if given is not Answer.NO:
        # A "yes" may be one of the signs that are not 911 (one leg, a small fall): asked
        # one at a time, it is told apart; then relief.
        return one_by_one(reply, then_relief=True)
    state.screened = True
    reply.say("acknowledge")
    return start(reply)


def record(reply: Reply, value: str, hedged: bool = False) -> Decision:
    """An answer to the question asked; the next question, relief, or the outcome."""
    from .routine import start

    state = reply.state
    if state.question:
        state.answers[state.question] = value
    following = safety.next_question(state.answers, state.subject)
    result = safety.assess(state.answers, state.subject)
    block_done = not safety.block_open(state.answers, state.subject)
    if state.then_relief and block_done and result.level is not Level.EMERGENCY:
        state.then_relief = False
        if result.level is Level.TODAY:  # in brief; in full, with the number, after relief
            reply.say("outcome.before_relief", topic=Ref(topic_key(result)))
        elif result.level > Level.HOME_CARE:
            finding(reply, result)
        else:
            reply.say("acknowledge")
        return start(reply)
    if following is not None:
        state.question = following.id
        # A hedge counted as doubt is said so: "I think so" is not heard as a yes.
        reply.say("triage.counted_unsure" if hedged else "acknowledge")
        return reply.ask()
    return finish(reply)


def back_one(reply: Reply) -> Decision:
    """Undo the last answer and ask that question again."""
    state = reply.state
    answered = [qid for qid in state.answers if qid in safety.QUESTION_IDS]
    if answered:
        state.question = answered[-1]  # answers are kept in the order given
        del state.answers[state.question]
    return reply.ask()


def finish(reply: Reply) -> Decision:
    state = reply.state
    result = safety.assess(state.answers, state.subject)
    state.question = None
    if result.level is Level.EMERGENCY:
        return emergency(reply, topic_key=topic_key(result))
    if result.level > Level.HOME_CARE:
        finding(reply, result)
        if clinic_fits(result):
            state.pending = Pending.OFFER_CARD
        else:
            state.pending = Pending.ANYTHING_ELSE if state.relieved else Pending.OFFER_RELIEF
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


def finding(reply: Reply, result: safety.Assessment) -> None:
    reply.say(f"outcome.{safety.outcome_key(result)}", topic=Ref(topic_key(result)))


def clinic_fits(result: safety.Assessment) -> bool:
    """Whether the clinic's card helps: not when the outcome sends to a midwife instead."""
    return safety.outcome_key(result) != "today_pregnant"


def topic_key(result: safety.Assessment) -> str:
    return f"triage.topics.{result.findings[0].id}"


def stop_lines(reply: Reply) -> None:
    """What a person who stops mid-check still needs: the outcome so far, and the 911 signs
    not yet asked about."""
    state = reply.state
    result = safety.assess(state.answers, state.subject)
    if result.level > Level.HOME_CARE:
        finding(reply, result)
        if result.level < Level.TODAY:
            reply.say("clinic.number")  # the today outcome says the number itself
    unasked = emergency_unasked(state)
    if unasked:
        reply.say("outcome.stopped_early",
                  signs=RefList(tuple(f"triage.questions.{qid}.short" for qid in unasked)))
