"""The safety-first check: which question comes next, and what the answers mean.

Pure logic, no Alexa imports, so the safety rules can be tested exhaustively.
The order and severities follow the red-flag table in DESIGN.md and the clinic
article's "When Should I Be Worried" list.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Mapping


class Answer(str, Enum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class Outcome(str, Enum):
    # Declared from most to least serious; SEVERITY below ranks them.
    EMERGENCY = "emergency"
    PROVIDER = "provider"
    HOME_CARE = "home_care"


SEVERITY = {Outcome.EMERGENCY: 2, Outcome.PROVIDER: 1, Outcome.HOME_CARE: 0}


@dataclass(frozen=True)
class Question:
    id: str
    severity: Outcome  # the outcome a "yes" leads to


# Emergency questions come first so that a red flag is never hidden behind
# slower questions; the clinic's see-a-provider list follows.
QUESTIONS: tuple[Question, ...] = (
    Question("bladder_bowel", Outcome.EMERGENCY),
    Question("saddle_numbness", Outcome.EMERGENCY),
    Question("both_legs", Outcome.EMERGENCY),
    Question("chest_or_belly", Outcome.EMERGENCY),
    Question("serious_accident", Outcome.EMERGENCY),
    Question("fever", Outcome.EMERGENCY),
    Question("leg_symptoms", Outcome.PROVIDER),
    Question("minor_injury", Outcome.PROVIDER),
    Question("lasting_or_worse", Outcome.PROVIDER),
    Question("keeps_coming_back", Outcome.PROVIDER),
    Question("walk_stand_sleep", Outcome.PROVIDER),
    Question("risk_history", Outcome.PROVIDER),
)
QUESTION_IDS = tuple(q.id for q in QUESTIONS)
_BY_ID = {q.id: q for q in QUESTIONS}


@dataclass(frozen=True)
class Finding:
    """Why an outcome was reached: the question and how it was answered."""
    question_id: str
    answer: Answer


@dataclass(frozen=True)
class Assessment:
    outcome: Outcome | None  # None: stopped early with nothing flagged yet
    reasons: tuple[Finding, ...]
    complete: bool  # no more questions need asking

    @property
    def urgent(self) -> bool:
        """A doubtful emergency answer: see someone today, not 'some time'."""
        return any(r.answer is Answer.UNSURE and question(r.question_id).severity is Outcome.EMERGENCY
                   for r in self.reasons)

    @property
    def doubtful(self) -> bool:
        """Decided by "not sure" answers alone, which the outcome should say."""
        return bool(self.reasons) and all(r.answer is Answer.UNSURE for r in self.reasons)


def finding(result: Assessment) -> str | None:
    """What content calls this result: emergency, provider_urgent (a doubt about an emergency
    sign), provider_unsure (doubts alone), provider or home_care; None if nothing yet."""
    if result.outcome is Outcome.PROVIDER:
        return ("provider_urgent" if result.urgent
                else "provider_unsure" if result.doubtful else "provider")
    return result.outcome.value if result.outcome is not None else None


def question(question_id: str) -> Question:
    return _BY_ID[question_id]


def _weight(q: Question, answer: Answer) -> Outcome:
    """What one answer alone calls for."""
    if answer is Answer.YES:
        return q.severity
    if answer is Answer.UNSURE:
        # Doubt is never a "no": about an emergency sign it is a reason to be
        # checked today, about a see-a-provider sign a reason to see one.
        return Outcome.PROVIDER
    return Outcome.HOME_CARE


def assess(answers: Mapping[str, Answer]) -> Assessment:
    """The outcome the answers so far call for; the most serious flag wins."""
    answers = {k: Answer(v) for k, v in answers.items() if k in _BY_ID}
    worst = Outcome.HOME_CARE
    for q in QUESTIONS:
        if q.id in answers:
            weight = _weight(q, answers[q.id])
            if SEVERITY[weight] > SEVERITY[worst]:
                worst = weight
    reasons = tuple(
        Finding(q.id, answers[q.id]) for q in QUESTIONS
        if q.id in answers and _weight(q, answers[q.id]) is worst and worst is not Outcome.HOME_CARE
    )
    complete = next_question(answers) is None
    if not complete and worst is Outcome.HOME_CARE:
        return Assessment(None, (), False)
    return Assessment(worst, reasons, complete)


def next_question(answers: Mapping[str, Answer | str]) -> Question | None:
    """The next question worth asking, or None when the outcome is settled.

    Stops at once on an emergency "yes". Once every emergency question is
    answered and a provider-level reason exists, later provider questions
    cannot change the outcome, so a person in pain is not asked them.
    """
    worst = Outcome.HOME_CARE
    for q in QUESTIONS:
        if q.id not in answers:
            emergency_done = q.severity is not Outcome.EMERGENCY
            if emergency_done and worst is Outcome.PROVIDER:
                return None
            return q
        weight = _weight(q, Answer(answers[q.id]))
        if weight is Outcome.EMERGENCY:
            return None
        if SEVERITY[weight] > SEVERITY[worst]:
            worst = weight
    return None
