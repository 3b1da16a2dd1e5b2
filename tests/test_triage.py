"""The safety rules, tested on the pure module: exhaustively where it is small enough."""
from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from skill import triage
from skill.triage import Answer, Outcome

EMERGENCY_IDS = [q.id for q in triage.QUESTIONS if q.severity is Outcome.EMERGENCY]
PROVIDER_IDS = [q.id for q in triage.QUESTIONS if q.severity is Outcome.PROVIDER]


def run_check(answer_for: dict[str, Answer]) -> tuple[triage.Assessment, list[str]]:
    """Drive the check as the conversation does: ask next_question until it stops."""
    given_answers: dict[str, Answer] = {}
    asked = []
    while (q := triage.next_question(given_answers)) is not None:
        asked.append(q.id)
        given_answers[q.id] = answer_for.get(q.id, Answer.NO)
    return triage.assess(given_answers), asked


def test_emergency_questions_come_first():
    severities = [q.severity for q in triage.QUESTIONS]
    first_provider = severities.index(Outcome.PROVIDER)
    assert all(s is Outcome.EMERGENCY for s in severities[:first_provider])
    assert all(s is Outcome.PROVIDER for s in severities[first_provider:])


def test_all_no_gives_home_care_after_every_question():
    result, asked = run_check({})
    assert result.outcome is Outcome.HOME_CARE
    assert result.complete
    assert asked == list(triage.QUESTION_IDS)


def test_an_emergency_yes_ends_the_questions_at_once():
    for qid in EMERGENCY_IDS:
        result, asked = run_check({qid: Answer.YES})
        assert asked[-1] == qid
        assert result.outcome is Outcome.EMERGENCY
        assert result.reasons[0].question_id == qid


def test_unsure_on_an_emergency_question_is_urgent_not_home_care():
    for qid in EMERGENCY_IDS:
        result, _ = run_check({qid: Answer.UNSURE})
        assert result.outcome is Outcome.PROVIDER
        assert result.urgent


def test_provider_yes_after_emergency_questions_gives_provider():
    for qid in PROVIDER_IDS:
        result, asked = run_check({qid: Answer.YES})
        assert result.outcome is Outcome.PROVIDER
        assert not result.urgent
        assert set(EMERGENCY_IDS) <= set(asked), "every emergency question is asked first"


def test_stopping_early_with_nothing_flagged_has_no_outcome():
    result = triage.assess({EMERGENCY_IDS[0]: Answer.NO})
    assert result.outcome is None and not result.complete


ANSWERS = list(Answer)


def test_exhaustive_emergency_answers():
    """All 3^6 answer patterns to the emergency questions, with provider answers all no."""
    for combo in itertools.product(ANSWERS, repeat=len(EMERGENCY_IDS)):
        answers = dict(zip(EMERGENCY_IDS, combo, strict=True))
        result, _ = run_check(answers)
        if Answer.YES in combo:
            assert result.outcome is Outcome.EMERGENCY, answers
        elif Answer.UNSURE in combo:
            assert result.outcome is Outcome.PROVIDER and result.urgent, answers
        else:
            assert result.outcome is Outcome.HOME_CARE, answers


all_answers = st.fixed_dictionaries({qid: st.sampled_from(ANSWERS) for qid in triage.QUESTION_IDS})


@settings(max_examples=2000, deadline=None)
@given(all_answers)
def test_any_emergency_flag_gives_emergency(answers):
    """Whatever else was said, and in whatever order asked, an emergency yes wins."""
    # Assessing the full set (as if every question were answered) and the
    # conversation's path must agree.
    has_flag = any(answers[qid] is Answer.YES for qid in EMERGENCY_IDS)
    result, _ = run_check(answers)
    assert (result.outcome is Outcome.EMERGENCY) == has_flag
    assert (triage.assess(answers).outcome is Outcome.EMERGENCY) == has_flag


@settings(max_examples=2000, deadline=None)
@given(all_answers)
def test_unsure_on_emergency_never_gives_home_care(answers):
    result, _ = run_check(answers)
    if any(answers[qid] is not Answer.NO for qid in EMERGENCY_IDS):
        assert result.outcome is not Outcome.HOME_CARE
    if any(a is not Answer.NO for a in answers.values()):
        assert result.outcome is not Outcome.HOME_CARE  # doubt is never a "no"


@settings(max_examples=500, deadline=None)
@given(all_answers, st.integers(min_value=0, max_value=len(triage.QUESTIONS)))
def test_any_partial_answers_keep_the_most_serious_flag(answers, cut):
    partial = dict(list(answers.items())[:cut])
    result = triage.assess(partial)
    if any(partial.get(qid) is Answer.YES for qid in EMERGENCY_IDS):
        assert result.outcome is Outcome.EMERGENCY
    elif result.outcome is Outcome.HOME_CARE:
        assert all(a is Answer.NO for a in partial.values())
        assert len(partial) == len(triage.QUESTIONS)
