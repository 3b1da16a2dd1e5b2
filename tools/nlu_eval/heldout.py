"""The held-out sets: reading them, checking them against the model, and spotting copies of samples.

The sets are read fresh on every call and checked against the interaction model as it is now:
another engineer may be adding intents while they are written.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from devkit.model import InteractionModel
from devkit.nlu_words import language_for, number_at

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "tests" / "data"
MODELS_DIR = ROOT / "interaction_models"
# The locales with a held-out set: tests/data/heldout.<locale>.yaml.
LOCALES = tuple(sorted(p.name.split(".")[1] for p in DATA_DIR.glob("heldout.*.yaml")))
LAUNCH = "LaunchRequest"
FALLBACK = "AMAZON.FallbackIntent"
NUMBER_TYPE = "AMAZON.NUMBER"
MIN_ROWS = 150  # what a set needs to say anything at the 95% / 90% goals (tests/test_nlu_eval.py)


class HeldoutError(Exception):
    """A held-out file is missing or cannot be scored (bad shape, unknown intent or slot id)."""


@dataclass(frozen=True)
class Row:
    say: str
    intent: str
    slots: dict[str, str] = field(default_factory=dict)  # slot name -> id or digits
    number: int = 0  # 1-based position in the file, for messages


def path_for(locale: str, data_dir: Path | str = DATA_DIR) -> Path:
    return Path(data_dir) / f"heldout.{locale}.yaml"


def load_model(locale: str) -> InteractionModel:
    """The locale's interaction model, read from disk now (no copy is kept anywhere)."""
    path = MODELS_DIR / f"{locale}.json"
    if not path.is_file():
        raise HeldoutError(f"{path.relative_to(ROOT)} does not exist: no model for {locale}")
    try:
        model = InteractionModel(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as error:
        raise HeldoutError(f"{path.relative_to(ROOT)} cannot be read: {error}") from error
    model.locale = locale
    return model


def load(locale: str, data_dir: Path | str = DATA_DIR) -> list[Row]:
    """The rows of a held-out file, in order; HeldoutError when it is missing or malformed."""
    path = path_for(locale, data_dir)
    if not path.is_file():
        raise HeldoutError(f"{path} does not exist yet")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise HeldoutError(f"{path} is not valid YAML: {error}") from error
    if not isinstance(data, list) or not data:
        raise HeldoutError(f"{path} must be a non-empty YAML list of {{say, intent, slots}} rows")
    rows, bad = [], []
    for number, item in enumerate(data, 1):
        if not isinstance(item, dict) or not isinstance(item.get("say"), str) \
                or not item["say"].strip() or not isinstance(item.get("intent"), str):
            bad.append(f"row {number}: needs a non-empty `say` and an `intent`: {item!r}")
            continue
        slots = item.get("slots") or {}
        if not isinstance(slots, dict) or any(v is None for v in slots.values()):
            bad.append(f"row {number}: `slots` must map slot names to ids or numbers")
            continue
        extra = set(item) - {"say", "intent", "slots"}
        if extra:
            bad.append(f"row {number}: unknown keys {sorted(extra)}")
            continue
        rows.append(Row(item["say"], item["intent"], {str(k): str(v) for k, v in slots.items()},
                        number))
    if bad:
        raise HeldoutError(f"{path}:\n  " + "\n  ".join(bad))
    return rows


def row_problems(row: Row, model: InteractionModel) -> list[str]:
    """What in a row the model cannot score: an unknown intent, undeclared slot or unknown id."""
    if row.intent != LAUNCH and row.intent not in model.intents:
        return [f"the model has no intent {row.intent}"]
    found = []
    for slot, value in row.slots.items():
        type_name = model.slot_type(row.intent, slot) if row.intent != LAUNCH else None
        if type_name is None:
            found.append(f"{row.intent} declares no slot {slot!r}")
        elif type_name == NUMBER_TYPE:
            if not value.isdigit():
                found.append(f"{slot} is an AMAZON.NUMBER, wants digits, not {value!r}")
        elif type_name not in model.types:
            found.append(f"slot type {type_name} is not defined in the model")
        elif value not in ids(model, type_name):
            found.append(f"{value!r} is not an id of {type_name} "
                         f"({', '.join(sorted(ids(model, type_name)))})")
    return found


def problems(rows: list[Row], model: InteractionModel) -> list[str]:
    """Every problem of the rows, one line each (the rows named), like problems grouped."""
    grouped: dict[str, list[int]] = {}
    for row in rows:
        for problem in row_problems(row, model):
            grouped.setdefault(problem, []).append(row.number)
    return [f"{problem} (row{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))})"
            for problem, numbers in grouped.items()]


def load_checked(locale: str, model: InteractionModel, data_dir: Path | str = DATA_DIR,
                 skip_unfit: bool = False) -> tuple[list[Row], list[str]]:
    """The rows the model can score, and the problems of those it cannot. Unless `skip_unfit`,
    a row the model cannot score is a HeldoutError."""
    rows = load(locale, data_dir)
    found = problems(rows, model)
    if found and not skip_unfit:
        raise HeldoutError(f"{path_for(locale, data_dir)} does not fit "
                           f"interaction_models/{locale}.json:\n  " + "\n  ".join(found))
    return [r for r in rows if not row_problems(r, model)], found


def ids(model: InteractionModel, type_name: str) -> set[str]:
    return {v.get("id") or v["name"]["value"] for v in model.types.get(type_name, [])}


# -- copies of samples -----------------------------------------------------------------------

def normalise(text: str) -> str:
    """Lower case, accents and punctuation stripped, spaces folded: "¿Qué?" -> "que"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = re.sub(r"['\u2019`]", "", text)
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


def _sample_pattern(sample: str, intent: str, model: InteractionModel) -> re.Pattern:
    parts = re.split(r"(\{\w+\})", sample)
    pattern = []
    for part in parts:
        slot = re.fullmatch(r"\{(\w+)\}", part)
        if not slot:
            if normalise(part):
                pattern.append(re.escape(normalise(part)))
            continue
        type_name = model.slot_type(intent, slot.group(1)) or ""
        if type_name == NUMBER_TYPE:  # any run of words, checked as a number afterwards
            pattern.append(f"(?P<{slot.group(1)}>[a-z0-9]+(?: [a-z0-9]+){{0,3}})")
        else:
            words = sorted({normalise(p) for p in model.phrases(type_name)} - {""},
                           key=lambda w: -len(w))
            pattern.append(f"(?P<{slot.group(1)}>{'|'.join(map(re.escape, words)) or '(?!)'})")
    return re.compile(" ".join(pattern))


def copies_of_samples(rows: list[Row], model: InteractionModel) -> list[tuple[Row, str, str]]:
    """(row, intent, sample) for each row that is, once normalised, a sample of the model with
    its slots filled by any value or synonym of their type (or any number), or one of the
    phrasings the offline understanding adds as Alexa's own knowledge (its built-in intents'
    everyday phrasings and the out-of-domain requests): those too it has seen."""
    lang = language_for(model.locale)
    plain: dict[str, tuple[str, str]] = {}
    templates: list[tuple[re.Pattern, str, str, list[str]]] = []
    for intent, body in model.intents.items():
        for sample in body.get("samples", []):
            slots = re.findall(r"\{(\w+)\}", sample)
            if not slots:
                plain.setdefault(normalise(sample), (intent, sample))
            else:
                numbers = [s for s in slots if model.slot_type(intent, s) == NUMBER_TYPE]
                templates.append((_sample_pattern(sample, intent, model), intent, sample, numbers))
    known = [*((n, s) for n, samples in lang.built_in_samples.items() for s in samples),
             *((FALLBACK, s) for s in lang.out_of_domain)]
    for intent, sample in known:
        plain.setdefault(normalise(sample), (intent, sample))
    found = []
    for row in rows:
        text = normalise(row.say)
        if text in plain:
            found.append((row, *plain[text]))
            continue
        for regex, intent, sample, numbers in templates:
            match = regex.fullmatch(text)
            if match and all(_is_number(match.group(n), lang) for n in numbers):
                found.append((row, intent, sample))
                break
    return found


def _is_number(said: str, lang) -> bool:
    words = said.split()
    number = number_at(words, 0, lang)
    return number is not None and number[1] == len(words)
