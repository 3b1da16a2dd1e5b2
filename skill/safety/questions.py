"""The questions of the safety check and the CLINICAL.md rows each asks about.

Every row of CLINICAL.md's sign table is asked by some question here (tests/test_safety.py
checks it). A question asks about one kind of thing, at most three items, so that a "yes"
is clear; where its items call for different levels, a follow-up asked only after a "yes"
tells them apart (both legs or one; a big accident or a small fall, then age, weak bones,
standing; a fever or a urine infection; a weak immune system or weak bones).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum


class Answer(str, Enum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class Level(IntEnum):
    """CLINICAL.md's four outcomes, ranked: the most serious sign wins."""
    HOME_CARE = 0
    PROVIDER = 1  # book a visit within a few days
    TODAY = 2  # get seen today
    EMERGENCY = 3  # call 911 now


# What "not sure" about a sign calls for (CLINICAL.md, "Doubt is never no"): doubt about an
# EMERGENCY sign means TODAY at least, about a TODAY or PROVIDER sign PROVIDER at least.
DOUBT = {Level.EMERGENCY: Level.TODAY, Level.TODAY: Level.PROVIDER,
         Level.PROVIDER: Level.PROVIDER}


@dataclass(frozen=True)
class Question:
    id: str
    rows: tuple[int, ...]  # the CLINICAL.md rows it asks about
    reach: Level  # the highest outcome a "yes" here (with its follow-ups) can call for
    block: bool = False  # the emergency block: asked before relief, in full or in one breath
    screen: bool = False  # a first question of its kind (not a follow-up)
    number: bool = False  # answered with a number (an age), not yes / no
    after: str | None = None  # the question whose "yes" (or "not sure") it follows up


AGE = "age"
QUESTIONS: tuple[Question, ...] = (
    # The emergency block: six screens, each with the follow-ups that decide its "yes".
    Question("bladder", (1, 2), Level.EMERGENCY, block=True, screen=True),
    Question("saddle", (3, 4), Level.EMERGENCY, block=True, screen=True),
    Question("legs", (5, 12, 21, 22), Level.EMERGENCY, block=True, screen=True),
    Question("both_legs", (5,), Level.EMERGENCY, block=True, after="legs"),
    Question("front", (6, 7), Level.EMERGENCY, block=True, screen=True),
    Question("injury", (8, 9, 11), Level.EMERGENCY, block=True, screen=True),
    Question("big_injury", (8,), Level.EMERGENCY, block=True, after="injury"),
    Question("fall_bones", (9,), Level.EMERGENCY, block=True, after="injury"),
    Question("cant_stand", (11,), Level.EMERGENCY, block=True, after="injury"),
    Question("infection", (10, 18), Level.EMERGENCY, block=True, screen=True),
    Question("fever", (10,), Level.EMERGENCY, block=True, after="infection"),
    # Signs to be seen today.
    Question("leg_worse", (12,), Level.TODAY, after="legs"),
    Question("immune_bones", (16, 17, 23), Level.TODAY, screen=True),
    Question("immune_drugs", (16, 17), Level.TODAY, after="immune_bones"),
    Question("cancer", (14, 15, 20), Level.TODAY, screen=True),
    Question("night", (13, 20), Level.TODAY, screen=True),
    # Age: in the fall's follow-ups (row 9), else before pregnancy and row 24.
    Question(AGE, (9, 24), Level.EMERGENCY, number=True),
    Question("pregnant", (19,), Level.TODAY, screen=True),
    # Pregnant with bleeding, leaking fluid or regular tightening: CLINICAL.md says "now" (row
    # 19), which is the EMERGENCY outcome's word ("get to an emergency room now").
    Question("labour", (19,), Level.EMERGENCY, after="pregnant"),
    # Signs to see a provider within a few days.
    Question("first_time", (24,), Level.PROVIDER, after="age"),
    Question("course", (25, 26, 27), Level.PROVIDER, screen=True),
)
QUESTION_IDS = tuple(q.id for q in QUESTIONS)
# What a finding can name: a question's sign, or one its follow-ups told apart (a smaller fall,
# a fall at 50 or over, one leg, a urine infection, weak bones, new back pain at that age).
# "infection" finds a fever or a urine infection, never itself; the age, a fall at that age.
FINDING_IDS = tuple(q.id for q in QUESTIONS if q.id not in ("age", "infection")) + (
    "one_leg", "small_fall", "fall_age", "urine", "weak_bones", "new_pain_age")
BLOCK_SCREENS = tuple(q.id for q in QUESTIONS if q.block and q.screen)
_BY_ID = {q.id: q for q in QUESTIONS}

# Ages (CLINICAL.md rows 9 and 24), and who is asked about pregnancy (row 19: "you" and "she",
# not "he"). "They" is asked too: a caregiver's neutral word says nothing about sex.
FALL_AGE = 50
FIRST_PAIN_AGES = (20, 50)  # a first bad back pain under 20 or at 50 and over
NEW_PAIN_AGE = 70  # any new back pain at 70 or over ("over 70": the safer reading takes 70 in)
# Nobody is asked about pregnancy under 12 or from 60 on: the question would only confuse.
PREGNANCY_AGES = range(12, 60)
CAN_BE_PREGNANT = ("you", "she", "they")
OLDEST = 120


def question(question_id: str) -> Question:
    return _BY_ID[question_id]


def age_of(value: str | None) -> int | None:
    """An age answer as a number; None when unknown or not a plausible age."""
    if value is None or not value.isdigit():
        return None
    age = int(value)
    return age if 0 < age <= OLDEST else None
