"""The interaction model (interaction_models/en-US.json) against the code and the content."""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterator

from skill import speech
from skill.handlers import HANDLED_INTENTS

SLOT_REF = re.compile(r"\{(\w+)\}")
# Alexa rejects digits and most symbols in samples; numbers must be spelled out.
SAMPLE_OK = re.compile(r"^(?:[A-Za-z' ]|\{\w+\})+$")
MIN_CUSTOM_SAMPLES = 15


def normalise(sample: str) -> str:
    return " ".join(sample.lower().split())


def all_samples(model) -> Iterator[tuple[str, str]]:
    for name, intent in model.intents.items():
        for sample in intent.get("samples", []):
            yield name, sample


def test_every_model_intent_has_a_handler_and_every_handler_an_intent(model):
    in_model = set(model.intents)
    assert in_model - HANDLED_INTENTS == set(), "intents nobody handles"
    assert HANDLED_INTENTS - in_model == set(), "handlers for intents Alexa never sends"


def test_invocation_name_is_two_or_more_lowercase_words(model):
    name = model.invocation_name
    assert re.fullmatch(r"[a-z]+(?: [a-z]+)+", name), name


def test_samples_use_only_letters_spaces_apostrophes_and_slots(model):
    bad = [(intent, s) for intent, s in all_samples(model) if not SAMPLE_OK.match(s)]
    assert bad == []


def test_no_sample_belongs_to_two_intents(model):
    # The same words in two intents make Alexa's choice between them arbitrary.
    owners: dict[str, set[str]] = {}
    for intent, sample in all_samples(model):
        owners.setdefault(normalise(sample), set()).add(intent)
    shared = {s: sorted(i) for s, i in owners.items() if len(i) > 1}
    assert shared == {}
    # Duplicates inside one intent are refused by the console too.
    repeats = [s for s, n in Counter((i, normalise(s)) for i, s in all_samples(model)).items() if n > 1]
    assert repeats == []


def test_slots_referenced_and_declared_agree(model):
    for name, intent in model.intents.items():
        declared = {slot["name"] for slot in intent.get("slots", [])}
        used = {ref for s in intent.get("samples", []) for ref in SLOT_REF.findall(s)}
        assert used <= declared, f"{name} samples use undeclared slots {used - declared}"
        assert declared <= used, f"{name} declares slots no sample uses {declared - used}"


def test_custom_intents_have_enough_samples(model):
    thin = {name: len(intent.get("samples", [])) for name, intent in model.intents.items()
            if not name.startswith("AMAZON.") and len(intent.get("samples", [])) < MIN_CUSTOM_SAMPLES}
    assert thin == {}


def test_custom_slot_values_have_ids_and_unique_words(model):
    assert model.types, "the model declares no custom slot types"
    for type_name, values in model.types.items():
        assert all(v.get("id") for v in values), f"{type_name}: a value has no id"
        words = [normalise(w) for v in values for w in [v["name"]["value"], *v["name"].get("synonyms", [])]]
        repeated = sorted(w for w, n in Counter(words).items() if n > 1)
        assert repeated == [], f"{type_name}: {repeated} would resolve ambiguously"


def content_strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from content_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from content_strings(item)


def test_every_suggested_phrase_is_a_sample(model):
    # "Say *next*" only works if Alexa maps "next" to an intent; a slot template
    # cannot be trusted to match, so only slot-free samples count.
    slot_free = {normalise(s) for _, s in all_samples(model) if not SLOT_REF.search(s)}
    phrases = {p for text in content_strings(speech.load_content("en-US"))
               for p in speech.suggestions(text)}
    assert phrases, "the content suggests nothing: did the *phrase* markup change?"
    assert sorted(normalise(p) for p in phrases if normalise(p) not in slot_free) == []


def test_caregiver_phrasings_resolve(model):
    assert model.resolve("PERSON_TYPE", "husband").id == "HE"
    assert model.resolve("PERSON_TYPE", "mom").id == "SHE"
    assert model.resolve("PERSON_TYPE", "someone else").id == "THEY"
    assert "it's for {person}" in model.intents["ForSomeoneElseIntent"]["samples"]
    assert model.slot_type("ForSomeoneElseIntent", "person") == "PERSON_TYPE"
