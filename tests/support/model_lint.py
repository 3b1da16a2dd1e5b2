"""Certification rules for an interaction model (interaction_models/<locale>.json).

Each rule is a function of the model's JSON (`data`) and its locale that returns the problems
it finds, as readable lines; an empty list means the rule holds. They take the raw JSON, not
a parsed model, so a test can break a copy on purpose and see the rule catch it.

Sources: Alexa Skills Kit, "Choose the Invocation Name for a Custom Skill" (invocation name
requirements), "Create Intents, Utterances, and Slots" and "Best Practices for Sample
Utterances and Custom Slot Type Values" (what a sample may hold), "Standard Built-in Intents"
(the intents every skill needs, and what they understand without samples).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from itertools import islice, product
from typing import Any, Iterable, Iterator

from skill import speech
from devkit.nlu_words import language_for

SLOT_REF = re.compile(r"\{(\w+)\}")
BUILT_IN_TYPE = re.compile(r"^AMAZON\.[A-Za-z_]+$")
# Alexa needs these in every custom skill's model (NavigateHome is added to every model).
REQUIRED_BUILT_INS = frozenset({"AMAZON.CancelIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent",
                                "AMAZON.NavigateHomeIntent"})

# Words an invocation name must not contain, per language: wake words, "skill" and "app",
# and the launch phrases and connecting words Alexa puts around the name.
WAKE_WORDS = frozenset("alexa amazon echo computer ziggy".split())
NOT_IN_NAME = {
    "en": WAKE_WORDS | frozenset(
        "skill app launch ask tell load begin enable open start run play resume use talk "
        "to from by if and whether".split()),
    "es": WAKE_WORDS | frozenset(
        "skill app aplicación abre abrir pide pídele pregunta pregúntale dile inicia iniciar "
        "empieza empezar comienza comenzar lanza carga juega habilita activa usa que si".split()),
}
# A two-word name may not be an article or a preposition and one word ("the helper").
ARTICLES_AND_PREPOSITIONS = {
    "en": frozenset("the a an for to of in on at by with from".split()),
    "es": frozenset("el la los las lo un una unos unas de del al a en para por con sin".split()),
}
# Lower-case letters each language writes with (Spanish adds accents, ü and ñ).
LETTERS = {"en": "a-z", "es": "a-záéíóúüñ"}


def language(locale: str) -> str:
    return locale.split("-")[0].lower()


def _letters(locale: str) -> str:
    return LETTERS.get(language(locale), LETTERS["en"])


def language_model(data: dict) -> dict:
    return data["interactionModel"]["languageModel"]


def intents(data: dict) -> list[dict]:
    return language_model(data).get("intents", [])


def samples(data: dict) -> Iterator[tuple[str, str]]:
    for intent in intents(data):
        for sample in intent.get("samples", []):
            yield intent["name"], sample


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


# Vowels with an accent or diaeresis, and their plain forms ("qué" and "que" sound alike); ñ stays.
_PLAIN_VOWELS = str.maketrans("áéíóúüàèìòùâêîôûä", "aeiouuaeiouaeioua")


def comparable(text: str) -> str:
    """A sample as Alexa hears it, for comparing two samples: lower case, accents on vowels
    dropped, curly apostrophes straight, punctuation gone (apostrophes inside words and
    {slot} references kept), single spaces."""
    text = unicodedata.normalize("NFC", text.replace("\u2019", "'").lower())
    text = text.translate(_PLAIN_VOWELS)
    text = re.sub(r"[^\w'{} ]", " ", text)
    return " ".join(w.strip("'") for w in text.split() if w.strip("'"))


# 1. The invocation name
def invocation_name_problems(data: dict, locale: str) -> list[str]:
    name = language_model(data).get("invocationName", "")
    letters = _letters(locale)
    # A word: letters with an optional possessive ('s), or one letter and a period ("a. b.").
    word = re.compile(rf"^(?:[{letters}]+(?:'s)?|[{letters}]\.)$")
    words = name.split(" ")
    problems = []
    if not name or name != name.strip() or "  " in name:
        problems.append(f"{name!r}: words separated by single spaces, no leading or trailing space")
    bad = [w for w in words if w and not word.match(w)]
    if bad:
        problems.append(f"{name!r}: only lower-case letters, possessive apostrophes and periods in "
                        f"abbreviations (numbers spelled out): {bad}")
    if len([w for w in words if w]) < 2:
        problems.append(f"{name!r}: one-word names are only for brands")
    lang = language(locale)
    small = ARTICLES_AND_PREPOSITIONS.get(lang, ARTICLES_AND_PREPOSITIONS["en"])
    if len(words) == 2 and any(w in small for w in words):
        problems.append(f"{name!r}: a two-word name may not hold an article or a preposition")
    forbidden = sorted({w.rstrip(".") for w in words} & NOT_IN_NAME.get(lang, NOT_IN_NAME["en"]))
    if forbidden:
        problems.append(f"{name!r}: a wake word, 'skill' or 'app', or a launch or connecting "
                        f"word: {forbidden}")
    return problems


# 2. What a sample may hold
def sample_character_problems(data: dict, locale: str) -> list[str]:
    letters = _letters(locale)
    # Words of letters (apostrophes inside: "what's", "o'clock"), single-letter abbreviations
    # with a period ("a. m."), and slot references; numbers spelled out, no other symbols.
    word = re.compile(rf"^(?:[{letters}]+(?:'[{letters}]+)*|[{letters}]\.|\{{\w+\}})$")
    problems = []
    for intent, sample in samples(data):
        if not sample.strip():
            problems.append(f"{intent}: an empty sample")
            continue
        if sample != sample.strip() or "  " in sample:
            problems.append(f"{intent}: {sample!r}: stray spaces")
        bad = [w for w in sample.split() if not word.match(w)]
        if bad:
            problems.append(f"{intent}: {sample!r}: {bad} (only lower-case letters, apostrophes, "
                            "periods in abbreviations, and {slots} apart by spaces)")
    return problems


# 3. No two intents (and no intent twice) with the same sample: custom and built-in intents
# alike ("okay" under AMAZON.YesIntent and AMAZON.NextIntent is as ambiguous as under two custom
# intents), compared after case, spacing, punctuation and accents are normalised.
def duplicate_sample_problems(data: dict, locale: str) -> list[str]:
    owners: dict[str, list[str]] = {}
    for intent, sample in samples(data):
        owners.setdefault(comparable(sample), []).append(intent)
    problems = []
    for sample, names in sorted(owners.items()):
        if len(set(names)) > 1:
            problems.append(f"{sample!r} is a sample of {sorted(set(names))}")
        for name, count in Counter(names).items():
            if count > 1:
                problems.append(f"{sample!r} is a sample of {name} {count} times")
    return problems


# 4. Every slot a sample names is declared, and every slot's type exists
def slot_problems(data: dict, locale: str) -> list[str]:
    defined_types = {t["name"] for t in language_model(data).get("types", [])}
    used_types: set[str] = set()
    problems = []
    for intent in intents(data):
        name = intent["name"]
        declared = {slot["name"]: slot.get("type", "") for slot in intent.get("slots", [])}
        referenced = {ref for s in intent.get("samples", []) for ref in SLOT_REF.findall(s)}
        for sample in intent.get("samples", []):
            refs = SLOT_REF.findall(sample)
            for ref in sorted({r for r in refs if refs.count(r) > 1}):
                problems.append(f"{name}: {sample!r} uses {{{ref}}} twice; Alexa builds a "
                                "model only when each slot is in a sample at most once")
        for ref in sorted(referenced - set(declared)):
            problems.append(f"{name}: samples use {{{ref}}}, which the intent does not declare")
        for slot in sorted(set(declared) - referenced):
            problems.append(f"{name}: slot {slot!r} is in no sample, so Alexa can never fill it")
        for slot, type_name in sorted(declared.items()):
            used_types.add(type_name)
            if type_name not in defined_types and not BUILT_IN_TYPE.match(type_name):
                problems.append(f"{name}: slot {slot!r} has type {type_name!r}, neither defined "
                                "in the model nor built in")
    for type_name in sorted(defined_types - used_types):
        problems.append(f"custom type {type_name!r} is used by no slot")
    return problems


# 5. Custom slot values: each word names one value only
def custom_value_problems(data: dict, locale: str) -> list[str]:
    problems = []
    for slot_type in language_model(data).get("types", []):
        type_name, values = slot_type["name"], slot_type.get("values", [])
        ids = [v.get("id") for v in values]
        if not all(ids):
            problems.append(f"{type_name}: a value without an id")
        repeated_ids = sorted(i for i, n in Counter(ids).items() if i and n > 1)
        if repeated_ids:
            problems.append(f"{type_name}: ids used twice: {repeated_ids}")
        words = [normalise(w) for v in values
                 for w in [v["name"]["value"], *v["name"].get("synonyms", [])]]
        repeated = sorted(w for w, n in Counter(words).items() if n > 1)
        if repeated:
            problems.append(f"{type_name}: {repeated} appear more than once, so they would "
                            "resolve ambiguously")
    return problems


# 6. Every phrase the skill tells people to say is understood
def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def suggested_phrases(content: Any) -> set[str]:
    """Every *phrase* the content marks as something to say."""
    return {normalise(p) for text in _strings(content) for p in speech.suggestions(text)}


def understood_phrases(data: dict, locale: str) -> dict[str, set[str]]:
    """What Alexa maps to an intent for sure, and to which: slot-free samples (a slot may
    fail to match) and what the model's built-in intents understand without samples."""
    in_model = {i["name"] for i in intents(data)}
    owners: dict[str, set[str]] = {}
    for name, sample in samples(data):
        if not SLOT_REF.search(sample):
            owners.setdefault(normalise(sample), set()).add(name)
    for name, phrases in language_for(locale).built_in_samples.items():
        if name in in_model:
            for phrase in phrases:
                owners.setdefault(normalise(phrase), set()).add(name)
    return owners


def suggestion_problems(data: dict, locale: str, content: Any | None = None) -> list[str]:
    content = speech.load_content(locale) if content is None else content
    suggested = suggested_phrases(content)
    if not suggested:
        return ["the content suggests nothing: did the *phrase* markup change?"]
    understood = understood_phrases(data, locale)
    problems = [f"the skill says to say {p!r}, which no intent understands"
                for p in sorted(suggested - set(understood))]
    problems += [f"the skill says to say {p!r}, which {sorted(understood[p])} all understand"
                 for p in sorted(suggested & set(understood)) if len(understood[p]) > 1]
    return problems


# 7. Every intent has a handler; every custom intent handled is in the model
def handler_problems(data: dict, locale: str, handled: Iterable[str]) -> list[str]:
    handled = set(handled)
    in_model = {i["name"] for i in intents(data)}
    problems = [f"{name} is in the model but no handler takes it"
                for name in sorted(in_model - handled)]
    problems += [f"{name} has a handler but is not in the model, so Alexa never sends it"
                 for name in sorted(handled - in_model) if not name.startswith("AMAZON.")]
    problems += [f"{name}, which every skill needs, is not in the model"
                 for name in sorted(REQUIRED_BUILT_INS - in_model)]
    return problems


# 8. No sample of one intent is, word for word, another intent's sample with its slots filled
# ("my wife is hurting" under one intent, "my {person} is hurting" under another): Alexa could
# send either. A slot is filled with every value and synonym of its custom type, and an
# AMAZON.NUMBER slot with the language's number words; other built-in types are left open
# (nothing to enumerate), so their samples are not compared. The sample on the other side may
# be slot-free, a slotted sample with its own slots filled the same way, or a phrase a built-in
# intent of the model understands without samples. Samples equal as written are rule 3's.
MAX_FILLINGS = 20_000  # fillings tried per slotted sample (the product of its slots' values)


def slot_fillers(data: dict, locale: str) -> dict[str, list[str]]:
    """Slot type -> every phrase that fills it (comparable form)."""
    fillers: dict[str, list[str]] = {}
    for slot_type in language_model(data).get("types", []):
        words = {comparable(w) for v in slot_type.get("values", [])
                 for w in [v["name"]["value"], *v["name"].get("synonyms", [])]}
        fillers[slot_type["name"]] = sorted(w for w in words if w)
    lang = language_for(locale)
    units = sorted(w for w, n in lang.unit_words.items() if 0 < n < 10)
    numbers = set(lang.unit_words) | set(lang.ten_words)
    joiner = f" {lang.ten_joiner} " if lang.ten_joiner else " "
    numbers |= {f"{ten}{joiner}{unit}" for ten in lang.ten_words for unit in units}
    fillers["AMAZON.NUMBER"] = sorted(comparable(n) for n in numbers)
    return fillers


def _slot_types(intent: dict) -> dict[str, str]:
    return {slot["name"]: slot.get("type", "") for slot in intent.get("slots", [])}


def _pattern(text: str, types: dict[str, str], fillers: dict[str, list[str]]) -> str | None:
    """A regex for a comparable sample, each {slot} any filler of its type; None when a slot
    has no fillers to try."""
    parts = []
    for part in re.split(r"(\{\w+\})", text):
        ref = SLOT_REF.fullmatch(part)
        if not ref:
            parts.append(re.escape(part))
            continue
        values = fillers.get(types.get(ref.group(1), ""))
        if not values:
            return None
        parts.append("(?:" + "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
                     + ")")
    return "".join(parts)


def _fillings(text: str, types: dict[str, str], fillers: dict[str, list[str]]) -> Iterator[str]:
    """The sample with its slots filled every way (up to MAX_FILLINGS ways)."""
    refs = SLOT_REF.findall(text)
    choices = [fillers.get(types.get(ref, ""), []) for ref in refs]
    for values in islice(product(*choices), MAX_FILLINGS):
        filled = text
        for ref, value in zip(refs, values):
            filled = filled.replace(f"{{{ref}}}", value, 1)
        yield filled


def slot_ambiguity_problems(data: dict, locale: str) -> list[str]:
    fillers = slot_fillers(data, locale)
    # Per intent: its slotted samples as regexes, one alternation to try them all at once.
    templates: dict[str, list[tuple[str, re.Pattern]]] = {}
    for intent in intents(data):
        types = _slot_types(intent)
        for sample in intent.get("samples", []):
            text = comparable(sample)
            pattern = _pattern(text, types, fillers) if SLOT_REF.search(text) else None
            if pattern is not None:
                templates.setdefault(intent["name"], []).append((sample, re.compile(pattern)))
    combined = {name: re.compile("|".join(f"(?:{p.pattern})" for _, p in found))
                for name, found in templates.items()}
    # Everything each intent can be heard as: (intent, heard, the sample it comes from).
    heard: list[tuple[str, str, str]] = []
    in_model = set()
    for intent in intents(data):
        in_model.add(intent["name"])
        types = _slot_types(intent)
        for sample in intent.get("samples", []):
            text = comparable(sample)
            if SLOT_REF.search(text):
                heard += [(intent["name"], filled, sample)
                          for filled in _fillings(text, types, fillers)]
            else:
                heard.append((intent["name"], text, sample))
    for name, phrases in language_for(locale).built_in_samples.items():
        if name in in_model:
            heard += [(name, comparable(p), f"{p} (built in)") for p in phrases]
    problems: dict[tuple[str, str, str, str], str] = {}
    for owner, text, source in heard:
        for other, regex in combined.items():
            if other == owner or not regex.fullmatch(text):
                continue
            for sample, pattern in templates[other]:
                key = (owner, source, other, sample)
                if key in problems or comparable(source) == comparable(sample):
                    continue  # reported once per pair; equal samples are rule 3's
                if pattern.fullmatch(text):
                    problems[key] = (f"{owner}: {source!r} heard as {text!r} is also {other}'s "
                                     f"{sample!r} with its slots filled")
    return sorted(problems.values())


# 9. Enough samples: every custom intent at least MIN_CUSTOM_SAMPLES, more for the intents that
# start a conversation (people open with them in many words), and a floor for the built-in
# intents the skill relies on (their own training does not know the skill's questions).
# Counted after normalising, so a sample repeated in other case or punctuation counts once.
MIN_CUSTOM_SAMPLES = 60
MIN_SAMPLES = {
    "StartCheckIntent": 100,
    "StartReliefIntent": 90,
    "ForSomeoneElseIntent": 80,
    "AMAZON.YesIntent": 30,
    "AMAZON.NoIntent": 30,
    "AMAZON.NextIntent": 15,
    "AMAZON.RepeatIntent": 10,
    "AMAZON.HelpIntent": 10,
    "AMAZON.StopIntent": 10,
}


def min_samples(intent: str) -> int:
    return MIN_SAMPLES.get(intent, 0 if intent.startswith("AMAZON.") else MIN_CUSTOM_SAMPLES)


def sample_count_problems(data: dict, locale: str) -> list[str]:
    problems = []
    for intent in intents(data):
        name = intent["name"]
        count = len({comparable(s) for s in intent.get("samples", [])})
        if count < min_samples(name):
            problems.append(
                f"{name}: {count} different samples, needs at least {min_samples(name)}")
    return problems
