"""Conversation moves shared by several handlers (yes, no, next... all lead here)."""
from __future__ import annotations

from ask_sdk_model import Response

from .. import relief, triage
from ..speech import Line
from ..state import Pending
from .turn import Turn


# --- the safety check -------------------------------------------------------

def begin_check(turn: Turn, *lead: Line) -> Response:
    turn.state.start_check()
    return turn.ask(*lead, turn.say("triage.intro"))


def continue_check(turn: Turn) -> Response:
    """Pick up a check left for relief, or begin one; answers given are kept."""
    following = triage.next_question(_answers(turn))
    if not turn.state.answers or following is None:
        return begin_check(turn)
    turn.state.question = following.id
    turn.state.pending = Pending.TRIAGE
    return turn.ask(turn.say("info.back_to"))


def record_answer(turn: Turn, answer: triage.Answer) -> Response:
    state = turn.state
    if state.question:
        state.answers[state.question] = answer.value
    following = triage.next_question(_answers(turn))
    if following is not None:
        state.question = following.id
        return turn.ask(turn.say("acknowledge"))
    return finish_check(turn)


def back_one_question(turn: Turn) -> Response:
    """Undo the last answer and ask that question again."""
    state = turn.state
    answered = [qid for qid in triage.QUESTION_IDS if qid in state.answers]
    if answered:
        state.question = answered[-1]
        del state.answers[state.question]
    return turn.ask()


def finish_check(turn: Turn) -> Response:
    state = turn.state
    result = triage.assess(_answers(turn))
    state.question = None
    if result.outcome is triage.Outcome.EMERGENCY:
        return emergency(turn, result)
    if result.outcome is triage.Outcome.PROVIDER:
        state.pending = Pending.OFFER_CARD
        return turn.ask(provider_finding(turn, result))
    state.pending = Pending.OFFER_RELIEF
    return turn.ask(turn.say("outcome.home_care"))


def emergency(turn: Turn, result: triage.Assessment) -> Response:
    topic = _topic(turn, result)
    card = turn.card("outcome.emergency.card_title", "outcome.emergency.card_text", topic=topic)
    turn.state.pending = Pending.MENU
    return turn.tell(turn.say("outcome.emergency", topic=topic), card=card)


def provider_finding(turn: Turn, result: triage.Assessment) -> Line:
    return turn.say(f"outcome.{triage.finding(result)}", topic=_topic(turn, result))


def stop_check(turn: Turn) -> list[Line]:
    """What a person who stops mid-check still needs to hear: the outcome so far."""
    result = triage.assess(_answers(turn))
    if result.outcome is triage.Outcome.PROVIDER:
        return [provider_finding(turn, result), turn.say("clinic.number")]
    return [turn.say("outcome.stopped_early")]


def _answers(turn: Turn) -> dict[str, triage.Answer]:
    return {k: triage.Answer(v) for k, v in turn.state.answers.items()}


def _topic(turn: Turn, result: triage.Assessment) -> str:
    first = result.reasons[0].question_id
    return turn.voice.fill(turn.voice.entry(f"triage.questions.{first}.topic"), {})


# --- guided relief ----------------------------------------------------------

def show_step(turn: Turn, index: int, *lead: Line) -> Response:
    state = turn.state
    state.step = index
    state.pending = Pending.RELIEF
    spoken = list(lead)
    if index == relief.HOME_CARE_START:
        spoken.append(turn.say("relief.home_care_intro"))
    spoken.append(turn.say("relief.step_number", number=index + 1, total=len(relief.STEPS)))
    spoken.append(turn.say(f"relief.steps.{relief.step_id(index)}"))
    return turn.ask(*spoken)


def move(turn: Turn, step_move: relief.Move) -> Response:
    position = relief.navigate(turn.state.step, step_move)
    if position.finished:
        return finish_relief(turn)
    lead = [turn.say("relief.at_start")] if position.note == "at_start" else []
    return show_step(turn, position.index, *lead)


def finish_relief(turn: Turn) -> Response:
    state = turn.state
    state.step = None
    state.pending = next_offer(turn)
    return turn.ask(turn.say("relief.finished"))


def next_offer(turn: Turn) -> Pending:
    """What to offer once relief is done or declined, by what the check found."""
    result = triage.assess(_answers(turn))
    if not result.complete:
        return Pending.START_CHECK  # relief can start first; never let that skip the check
    if result.outcome is triage.Outcome.HOME_CARE:
        return Pending.OFFER_REMINDER
    return Pending.OFFER_CARD


def in_relief(turn: Turn) -> bool:
    return turn.state.pending is Pending.RELIEF and turn.state.step is not None


# --- after an aside -----------------------------------------------------------

def carry_on(turn: Turn, *lead: Line) -> Response:
    """After an aside (information, the number), return to the open question.

    Mid-check or mid-routine, the person keeps their place; otherwise the
    skill asks whether there is anything else.
    """
    if turn.state.pending in (Pending.TRIAGE, Pending.RELIEF):
        return turn.ask(*lead, turn.say("info.back_to"))
    if turn.state.pending is Pending.MENU:
        turn.state.pending = Pending.ANYTHING_ELSE
    return turn.ask(*lead)


def send_clinic_card(turn: Turn, *lead: Line) -> Response:
    card = turn.card("clinic.card_title", "clinic.card_text")
    if turn.state.pending is Pending.OFFER_CARD:
        turn.state.pending = Pending.ANYTHING_ELSE
    response = carry_on(turn, *lead, turn.say("clinic.card_sent"))
    response.card = card
    return response


def goodbye(turn: Turn, *lead: Line) -> Response:
    turn.state.pending = Pending.MENU
    return turn.tell(*lead, turn.say("goodbye"))
