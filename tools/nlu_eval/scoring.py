"""Both understandings on a held-out set: right or wrong per row, accuracy, and the confusions."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from devkit.model import InteractionModel
from devkit.nlu import Understanding

from .classifier import ModelClassifier
from .heldout import (DATA_DIR, LAUNCH, HeldoutError, Row, copies_of_samples, load_checked,
                      load_model)

GOALS = {"offline": 0.95, "classifier": 0.90}
NAMES = {"offline": "(a) offline chat (devkit.nlu)",
         "classifier": "(b) TF-IDF + linear SVM (sklearn)"}


@dataclass(frozen=True)
class Outcome:
    row: Row
    ok: bool
    got: str  # the intent reached (LaunchRequest for a launch)
    # What was reached, custom types as ids (None: outside the type).
    slots: Mapping[str, str | None]

    @property
    def label(self) -> str:
        """What a miss reached, at the intent level: the intent, or the right intent's slots."""
        return self.got if self.got != self.row.intent else f"{self.got} (slots wrong)"


@dataclass
class Understandings:
    """Everything built from one locale's model: the offline chat's and the classifier."""
    model: InteractionModel
    offline: Understanding
    classifier: ModelClassifier


@lru_cache(maxsize=None)
def understandings(locale: str) -> Understandings:
    """Built once a process from the model as it is on disk then (the classifier trains in a
    few seconds)."""
    model = load_model(locale)
    return Understandings(model, Understanding(model), ModelClassifier(model))


def offline_outcome(nlu: Understanding, model: InteractionModel, row: Row) -> Outcome:
    """Scored as tests/test_nlu.py's `routed`: the intent, and every expected slot by id/digits."""
    parsed = nlu.parse(row.say)
    got = LAUNCH if parsed.kind == "launch" else parsed.intent
    reached: dict[str, str | None] = {}
    for slot, said in parsed.slots.items():
        type_name = model.slot_type(got, slot) if got else None
        value: str | None = said
        if type_name and not type_name.startswith("AMAZON."):
            value = model.resolve(type_name, said or "").id
        reached[slot] = value
    ok = got == row.intent and all(reached.get(s) == str(v) for s, v in row.slots.items())
    return Outcome(row, ok, got or "", reached)


def classifier_outcome(classifier: ModelClassifier, row: Row) -> Outcome:
    predicted = classifier.predict(row.say)
    ok = predicted.intent == row.intent and all(predicted.slots.get(s) == str(v)
                                                for s, v in row.slots.items())
    return Outcome(row, ok, predicted.intent, predicted.slots)


@dataclass(frozen=True)
class Confusion:
    expected: str
    got: str
    count: int
    examples: list[Outcome]


def confusions(outcomes: list[Outcome], examples: int = 2) -> list[Confusion]:
    """The misses grouped by (expected intent, what was reached), most frequent first."""
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if not outcome.ok:
            groups[(outcome.row.intent, outcome.label)].append(outcome)
    return [Confusion(expected, got, len(found), found[:examples])
            for (expected, got), found in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0]))]


@dataclass
class LocaleReport:
    locale: str
    rows: list[Row]
    outcomes: dict[str, list[Outcome]]  # "offline" / "classifier" -> one per row
    understood: Understandings
    copies: list[tuple[Row, str, str]] = field(default_factory=list)  # rows that are samples
    left_out: list[str] = field(default_factory=list)  # rows the model cannot score (skip_unfit)

    def accuracy(self, which: str) -> float:
        outcomes = self.outcomes[which]
        return sum(o.ok for o in outcomes) / len(outcomes) if outcomes else 0.0

    def right(self, which: str) -> int:
        return sum(o.ok for o in self.outcomes[which])


def evaluate(locale: str, data_dir: Path | str = DATA_DIR,
             skip_unfit: bool = False) -> LocaleReport:
    """Score a locale's held-out set; HeldoutError when the file is missing, or has rows the
    model cannot score (an intent, slot or id it lacks) unless `skip_unfit` leaves those out."""
    understood = understandings(locale)
    rows, left_out = load_checked(locale, understood.model, data_dir, skip_unfit)
    if not rows:
        raise HeldoutError(f"no row of {locale}'s held-out set fits its model")
    outcomes = {
        "offline": [offline_outcome(understood.offline, understood.model, r) for r in rows],
        "classifier": [classifier_outcome(understood.classifier, r) for r in rows],
    }
    return LocaleReport(locale, rows, outcomes, understood,
                        copies_of_samples(rows, understood.model), left_out)
