"""The clinical vignettes (tests/data/vignettes.yaml) and how a person in one answers.

A vignette lists facts in a fixed vocabulary (FACTS), written from CLINICAL.md by a writer who
never saw the check, with the outcome and the rows CLINICAL.md calls for. `answer` says what
that person would answer to each question of the check: "yes" when a fact the question asks
about is true, "not sure" when the person is unsure of one, else "no"; the age as digits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

PATH = Path(__file__).resolve().parents[2] / "tests" / "data" / "vignettes.yaml"

# What each question asks about, in the vignettes' words (the question's plain text says the
# same: tests/test_safety.py checks every fact is asked somewhere).
ASKS: dict[str, tuple[str, ...]] = {
    "bladder": ("wetting_soiling", "pee_trouble"),
    "saddle": ("saddle_numbness", "sex_problems"),
    "legs": ("both_legs", "one_leg_worse", "one_leg_symptoms", "below_knee"),
    "both_legs": ("both_legs",),
    "front": ("chest_pain", "belly_pain"),
    "injury": ("serious_accident", "small_fall"),
    "big_injury": ("serious_accident",),
    "fall_bones": ("weak_bones", "long_term_steroids"),
    "cant_stand": ("cant_stand",),
    "infection": ("fever", "urine_infection"),
    "fever": ("fever",),
    "leg_worse": ("one_leg_worse",),
    "immune_bones": ("weak_immune", "injects_drugs", "weak_bones", "long_term_steroids"),
    "immune_drugs": ("weak_immune", "injects_drugs", "long_term_steroids"),
    "cancer": ("cancer_history", "weight_loss", "upper_back"),
    "night": ("night_pain", "upper_back"),
    "pregnant": ("pregnant",),
    "labour": ("labour_signs",),
    "first_time": ("first_bad_pain",),
    # "...or so hard to walk, stand or sleep that daily life stops": a person who cannot stand
    # says yes here, fall or not.
    "course": ("over_a_week", "keeps_coming_back", "daily_life_stops", "cant_stand"),
}
# Facts no question asks about: what the person says that must change nothing.
UNASKED = ("improving",)
FACTS = frozenset(f for facts in ASKS.values() for f in facts) | set(UNASKED)
OUTCOMES = ("HOME_CARE", "PROVIDER", "TODAY", "EMERGENCY")


@dataclass(frozen=True)
class Vignette:
    id: str
    who: str
    age: int | None
    has: frozenset[str]
    unsure: frozenset[str]
    outcome: str
    rows: tuple[int, ...]
    note: str = ""
    extra: dict = field(default_factory=dict)

    def answer(self, question_id: str) -> str:
        if question_id == "age":
            return str(self.age) if self.age is not None else "unsure"
        asked = ASKS[question_id]
        if self.has & set(asked):
            return "yes"
        if self.unsure & set(asked):
            return "unsure"
        return "no"


def load(path: Path = PATH) -> list[Vignette]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for raw in rows:
        age = raw.get("age")
        found.append(Vignette(
            id=str(raw["id"]), who=str(raw["who"]),
            age=None if age in (None, "unknown") else int(age),
            has=frozenset(raw.get("has") or ()), unsure=frozenset(raw.get("unsure") or ()),
            outcome=str(raw["outcome"]), rows=tuple(int(r) for r in raw.get("rows") or ()),
            note=str(raw.get("note", ""))))
    return found
