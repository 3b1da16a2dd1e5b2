"""A held-out set as an annotation set for Amazon's NLU Evaluation Tool (SMAPI / ASK CLI).

The format is the body of SMAPI's "update annotations" call
(POST /v1/skills/{skillId}/nluAnnotationSets/{annotationId}/annotations, `ask smapi
update-annotations-for-nlu-annotation-sets`), which takes either content type:

    text/csv:
        utterance,referenceTimestamp,intent,slot[fromCity]
        i want to travel from seattle,2018-10-25T23:50:02.135Z,TravelIntent,seattle

    application/json:
        {"data": [{"inputs": {"utterance": "i want to travel from seattle",
                              "referenceTimestamp": "2018-10-25T23:50:02.135Z"},
                   "expected": [{"intent": {"name": "TravelIntent",
                                            "slots": {"fromCity": {"value": "seattle"}}}}]}]}

(the examples of SMAPI's API definition for that call; see README "Measuring understanding").

Amazon's rules for an annotation: the utterance as said after the skill is open, without the
wake word or the invocation name, so a LaunchRequest row cannot be one (left out, and counted)
and "ask back spasm helper to X" is exported as "X". Numbers may be written as digits. A slot's
expected value is the value Alexa puts in the slot, which is what was said: for a custom type the
value or synonym in the utterance that resolves to the expected id ("mom" for SHE), for
AMAZON.NUMBER the digits. A row whose utterance holds no value or synonym of the expected id
is exported without that slot, and counted.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .classifier import split_invocation, tokens
from .heldout import DATA_DIR, LAUNCH, NUMBER_TYPE, load_checked, load_model

WAKE_WORD = "alexa"


@dataclass(frozen=True)
class Annotation:
    utterance: str
    intent: str
    slots: dict[str, str] = field(default_factory=dict)  # slot name -> value as said / digits


def utterance_text(text: str) -> str:
    """Lower case, no punctuation but apostrophes, without a leading wake word."""
    text = re.sub(r"[^\w' ]+", " ", text.replace("\u2019", "'").lower())
    words = [w.strip("'") for w in text.split()]
    if words[:1] == [WAKE_WORD]:
        words = words[1:]
    return " ".join(w for w in words if w)


def heldout_annotations(locale: str, data_dir: Path | str = DATA_DIR,
                skip_unfit: bool = False) -> tuple[list[Annotation], list[str]]:
    """The held-out rows as annotations, and a note on each row left out or changed. Rows naming
    an intent, slot or id the model lacks are a HeldoutError, or left out with `skip_unfit`."""
    model = load_model(locale)
    rows, unfit = load_checked(locale, model, data_dir, skip_unfit)
    found, notes = [], [f"left out: {problem}" for problem in unfit]
    for row in rows:
        if row.intent == LAUNCH:
            notes.append(f"row {row.number}: a LaunchRequest, which an annotation cannot express: "
                         "left out")
            continue
        invoked, inner = split_invocation(row.say, model)
        utterance = utterance_text(inner if invoked else row.say)
        if invoked:
            notes.append(f"row {row.number}: the invocation name removed (Amazon: utterances "
                         "as said after the skill is open)")
        if not utterance:
            notes.append(f"row {row.number}: nothing left to say once the invocation is removed: "
                         "left out")
            continue
        slots = {}
        for slot, wanted in row.slots.items():
            type_name = model.slot_type(row.intent, slot)
            if type_name == NUMBER_TYPE:
                slots[slot] = wanted
                continue
            said = _spoken_value(utterance, model, type_name or "", wanted)
            if said is None:
                notes.append(f"row {row.number}: no value or synonym of {type_name} {wanted} in "
                             f"the utterance, so slot {slot} left out")
            else:
                slots[slot] = said
        found.append(Annotation(utterance, row.intent, slots))
    return found, notes


def _spoken_value(utterance: str, model, type_name: str, wanted: str) -> str | None:
    """The first value or synonym of the type in the utterance that resolves to `wanted` (the
    longest one where several start at the same word), as it is written in the utterance: the
    words Alexa would put in the slot ("wife" in "my wife threw her back out")."""
    words = utterance.split()
    folded = [t[0] if (t := tokens(w)) else "" for w in words]
    folded = [w[:-2] if w.endswith("'s") else w for w in folded]
    candidates = sorted({tuple(tokens(p)) for p in model.phrases(type_name)
                         if model.resolve(type_name, p).id == wanted} - {()},
                        key=lambda p: (-len(p), p))
    for i in range(len(words)):
        for phrase in candidates:
            if tuple(folded[i:i + len(phrase)]) == phrase:
                said = words[i:i + len(phrase)]
                said[-1] = said[-1][:-2] if said[-1].endswith("'s") else said[-1]
                return " ".join(said)
    return None


def slot_names(found: list[Annotation]) -> list[str]:
    return sorted({name for a in found for name in a.slots})


def write(found: list[Annotation], out: Path | str, reference_timestamp: str | None = None) -> str:
    """Write the annotations as CSV or JSON (by the file's extension); returns the content type."""
    out = Path(out)
    stamp = reference_timestamp or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        names = slot_names(found)
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["utterance", "referenceTimestamp", "intent",
                             *(f"slot[{n}]" for n in names)])
            for a in found:
                writer.writerow([a.utterance, stamp, a.intent,
                                 *(a.slots.get(n, "") for n in names)])
        return "text/csv"
    if out.suffix.lower() == ".json":
        data = []
        for a in found:
            intent: dict = {"name": a.intent}
            if a.slots:
                intent["slots"] = {n: {"value": v} for n, v in sorted(a.slots.items())}
            data.append({"inputs": {"utterance": a.utterance, "referenceTimestamp": stamp},
                         "expected": [{"intent": intent}]})
        out.write_text(json.dumps({"data": data}, ensure_ascii=False, indent=2) + "\n",
                       encoding="utf-8")
        return "application/json"
    raise ValueError(f"{out}: the annotation set is written as .csv or .json")
