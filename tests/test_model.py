"""The interaction model (interaction_models/en-US.json): coverage and caregiver phrasings.

The certification rules (invocation name, sample characters, duplicates, slots, custom
values, suggested phrases, handlers) are checked for every locale in test_model_lint.py.
"""
from __future__ import annotations

MIN_CUSTOM_SAMPLES = 15


def test_custom_intents_have_enough_samples(model):
    thin = {name: len(intent.get("samples", [])) for name, intent in model.intents.items()
            if not name.startswith("AMAZON.") and len(intent.get("samples", [])) < MIN_CUSTOM_SAMPLES}
    assert thin == {}


def test_caregiver_phrasings_resolve(model):
    assert model.resolve("PERSON_TYPE", "husband").id == "HE"
    assert model.resolve("PERSON_TYPE", "mom").id == "SHE"
    assert model.resolve("PERSON_TYPE", "someone else").id == "THEY"
    assert "it's for {person}" in model.intents["ForSomeoneElseIntent"]["samples"]
    assert model.slot_type("ForSomeoneElseIntent", "person") == "PERSON_TYPE"
