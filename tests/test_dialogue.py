"""The dialogue table (skill/dialogue) on its own: every reachable state x every event, fast.

States are reached by playing events through decide() from a launch (never written by hand);
each is then sent every event the table knows, for the person and for a caregiver. The rules
hold for every pair; the same sweep through the real Lambda handler is tests/test_state_sweep.py.
"""
from __future__ import annotations

import json
from collections import deque

import pytest

from skill import safety
from skill.dialogue import EVENTS, Event, decide
from skill.dialogue.check import emergency_unasked
from skill.intents import BY_NAME, INTENTS
from skill.state import ConversationState, Pending

ANSWER_EVENTS = ("yes", "no", "not_sure", "maybe", "age", "go_to_step")  # a number: an age
BLOCK = safety.BLOCK_SCREENS
# Answers that decide which follow-up comes next: kept whole in a state's key.
LEADS = frozenset(q.after for q in safety.QUESTIONS if q.after)
# Results the adapter sends back after an effect; a person cannot say them.
EFFECT_RESULTS = {"forgotten", "forget_failed", "reminder_set", "reminder_failed",
                  "permission_unsupported", "permission_denied", "permission_unanswered"}


def events() -> list[Event]:
    said = sorted(EVENTS - EFFECT_RESULTS - {"launch"})
    found = [Event(name) for name in said]
    found += [Event("for_someone", subject="she"), Event("check", subject="he"),
              Event("go_to_step", number=3), Event("go_to_step", number=12),
              Event("age", number=30), Event("age", number=72), Event("age", number=0),
              Event("reminder_set", when=(2, 8, 30)), Event("reminder_failed", auth_failed=True)]
    found += [Event(name) for name in sorted(EFFECT_RESULTS - {"reminder_set"})]
    return found


def key(state: ConversationState) -> str:
    """What makes a state different for what comes next: the answers only by what they
    decide so far, which follow-ups they lead to, and whether 911 questions are left; a
    question only while asked, a step only while in (or offered) the routine, getting up
    only by whether relief goes on after, misses only as "one before"."""
    result = safety.assess(state.answers, state.subject)
    question = state.question if state.pending is Pending.TRIAGE else None
    step = state.step if state.pending in (Pending.RELIEF, Pending.OFFER_RESUME) else \
        state.step is not None if state.pending is Pending.GET_UP else None
    return json.dumps([state.pending.value, question, step, state.rising, state.subject,
                       safety.outcome_key(result), result.complete, settled(state),
                       sorted((k, v) for k, v in state.answers.items()
                              if k in LEADS and state.pending is Pending.TRIAGE),
                       bool(emergency_unasked(state)), bool(state.answers),
                       min(state.misses, 1), state.then_relief, state.more, state.aside])


def settled(state: ConversationState) -> int:
    """The level the answers reach with follow-ups not yet asked taken as "no" (what chooses
    the next question), where assess() takes them as "not sure" (what a stop would say)."""
    return max((f.level for f in safety.check.findings(state.answers, missing="no")), default=0)


def exact(state: ConversationState) -> str:
    return json.dumps(state.to_attributes(), sort_keys=True)


def reachable(limit: int = 20000) -> list[ConversationState]:
    """Every state the table reaches from a launch (first visit, returning, resume offer)."""
    starts = [decide(ConversationState(), Event("launch")).state,
              decide(ConversationState(), Event("launch", returning=True, resume_at=2)).state]
    seen = {key(s): s for s in starts}
    queue = deque(starts)
    sent = events()
    while queue:
        state = queue.popleft()
        for event in sent:
            decision = decide(state, event)
            if decision.listen and not decision.silent and key(decision.state) not in seen:
                assert len(seen) < limit, "the state space grew past the limit"
                seen[key(decision.state)] = decision.state
                queue.append(decision.state)
    return list(seen.values())


STATES = reachable()


def test_the_sweep_reaches_every_kind_of_open_question():
    assert {s.pending for s in STATES} == set(Pending)
    asked = {s.question for s in STATES if s.pending is Pending.TRIAGE}
    assert asked == set(safety.QUESTION_IDS)
    assert {s.step for s in STATES if s.pending is Pending.RELIEF} == set(range(8))
    assert {s.subject for s in STATES} == {"you", "he", "she", "they"}
    print(f"\ndialogue table: {len(STATES)} states x {len(events())} events = "
          f"{len(STATES) * len(events())} pairs")


@pytest.mark.parametrize("event", events(),
                         ids=lambda e: f"{e.name}{e.subject or ''}{e.number or ''}")
def test_every_state_and_event(event):
    for state in STATES:
        before = state.copy()
        decision = decide(state, event)
        where = f"{state.pending.value}/{state.question or state.step} + {event.name}"
        assert exact(state) == exact(before), f"{where}: decide changed the state it was given"
        if event.name == "session_end":
            assert decision.silent, where
            continue
        assert decision.say or decision.listen or decision.effect, f"{where}: silence"
        if event.name == "stop":
            assert not decision.listen and decision.say, f"{where}: stop must end, and speak"
        # Only an answer to the question asked changes the answers (or the one-breath "no").
        answered = {k: v for k, v in decision.state.answers.items() if state.answers.get(k) != v}
        if answered:
            assert event.name in ANSWER_EVENTS, f"{where}: answers changed"
            if state.pending is Pending.TRIAGE:
                assert set(answered) == {state.question}, where
            else:
                assert state.pending is Pending.QUICK_SCREEN and set(answered) <= set(BLOCK)
        # Doubt is never a no: a hedge or "not sure" on a safety question is recorded as unsure.
        if event.name in ("maybe", "not_sure") and state.pending is Pending.TRIAGE:
            assert decision.state.answers[state.question] == safety.Answer.UNSURE.value, where
        # The age is a number or "not sure"; a yes or no to it asks again.
        if state.asking_age and event.name in ("yes", "no"):
            assert decision.state.question == safety.AGE and not answered, where
        if event.name in ("fallback", "explain", "help", "repeat") and \
                state.pending in (Pending.TRIAGE, Pending.QUICK_SCREEN):
            assert decision.state.pending is state.pending and \
                decision.state.question == state.question, f"{where}: the question was dropped"
        # Who the questions are about changes only when the person says so.
        if event.subject is None and event.name not in ("for_someone", "for_me"):
            assert decision.state.subject == state.subject, f"{where}: the person changed"
        if event.name == "fallback":
            assert decision.missed and not decision.repeatable
        # An emergency "yes" ends the conversation with the card, at once.
        result = safety.assess(decision.state.answers, decision.state.subject)
        if result.level is safety.Level.EMERGENCY:
            assert not decision.listen and decision.card is not None, where


def test_nothing_said_in_passing_loses_progress():
    """Relief, the check, information, the number and help asked mid-check or mid-routine keep
    the place; only "start over" starts over."""
    for state in STATES:
        complete = safety.assess(state.answers, state.subject).complete
        for name in ("check", "info.causes", "number", "help", "explain", "slower", "repeat"):
            after = decide(state, Event(name)).state
            if name == "check" and complete:
                continue  # a finished check asked for again begins again
            assert after.answers == state.answers, (state.pending, name)
            if state.pending is Pending.RELIEF:
                assert after.step == state.step, (state.step, name)
        if state.pending is Pending.RELIEF and state.step is not None and state.step < 7:
            assert decide(state, Event("relief")).state.step == state.step + 1
            assert decide(state, Event("next")).state.step == state.step + 1
            assert decide(state, Event("start_over")).state.step == 0


def test_every_intent_of_the_registry_is_an_event_of_the_table():
    assert {i.event for i in INTENTS} <= EVENTS
    assert BY_NAME["AMAZON.CancelIntent"].event == BY_NAME["AMAZON.StopIntent"].event


def _play(*names: str, state: ConversationState | None = None):
    decision = None
    state = state or ConversationState()
    for name in names:
        event = Event(name) if isinstance(name, str) else name
        decision = decide(state, event)
        state = decision.state
    return decision


def test_relief_from_the_welcome_after_one_breath():
    decision = _play("launch", "relief")
    assert decision.state.pending is Pending.QUICK_SCREEN
    relief = _play("launch", "relief", "no")
    assert relief.state.pending is Pending.RELIEF and relief.state.step == 0
    # The breath records no answer (it does not name every sign the questions ask); it lets
    # relief go ahead, and the check will ask each sign.
    assert relief.state.answers == {} and relief.state.screened
    assert _play("launch", "relief", "no", "relief").state.pending is not Pending.QUICK_SCREEN
    # Refusing even the one question: the signs as a warning, and relief at once.
    refused = _play("launch", "relief", "relief")
    assert "triage.quick.warning" in refused.keys and refused.state.step == 0
    assert refused.state.answers == {}
    # Not sure: the block one question at a time, then relief, then the rest is offered.
    unsure = _play("launch", "relief", "not_sure")
    assert unsure.state.pending is Pending.TRIAGE and unsure.state.then_relief
    walked = _play("launch", "relief", "not_sure", *["no"] * len(BLOCK))
    assert walked.state.pending is Pending.RELIEF and walked.state.step == 0
    done = _play("launch", "relief", "no", "go_to_step", "next", state=None)
    assert done is not None


def test_relief_mid_check_resumes_the_check_with_its_answers():
    state = _play("launch", "check", *["no"] * (len(BLOCK) + 1)).state
    assert state.pending is Pending.TRIAGE and len(state.answers) == len(BLOCK) + 1
    following = safety.next_question(state.answers, state.subject).id
    relief = decide(state, Event("relief"))
    assert "triage.after_relief" in relief.keys and relief.state.step == 0
    state = relief.state
    for _ in range(8):
        state = decide(state, Event("next")).state
    assert state.pending is Pending.FINISH_CHECK
    resumed = decide(state, Event("yes"))
    assert resumed.state.pending is Pending.TRIAGE
    assert resumed.state.question == following
    assert len(resumed.state.answers) == len(BLOCK) + 1


def test_stop_mid_check_names_the_emergency_signs_not_yet_asked():
    decision = _play("launch", "check", "no", "no", "stop")
    assert not decision.listen and "outcome.stopped_early" in decision.keys
    (line,) = [s for s in decision.say if s.key == "outcome.stopped_early"]
    (signs,) = [v for k, v in line.values if k == "signs"]
    assert signs.keys == tuple(f"triage.questions.{q}.short" for q in BLOCK[2:])


def test_the_number_again_slower():
    decision = _play("launch", "number", "slower")
    assert decision.keys[-1] == "clinic.number" and decision.state.rate == 1
    assert decision.card is None, "the card goes only on consent"
