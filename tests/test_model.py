"""The interaction models (interaction_models/<locale>.json): coverage and caregiver phrasings.

The certification rules (invocation name, sample characters, duplicates, slots, custom
values, suggested phrases, handlers) are checked for every locale in test_model_lint.py.
"""
from __future__ import annotations

import pytest

from devkit.model import InteractionModel

MIN_CUSTOM_SAMPLES = 15
# What a caregiver says in each language -> the pronouns the skill must use (PERSON_TYPE id).
CAREGIVER_WORDS = {
    "en-US": {"husband": "HE", "mom": "SHE", "someone else": "THEY", "patient": "THEY"},
    "es-US": {"esposo": "HE", "mamá": "SHE", "otra persona": "THEY", "paciente": "THEY",
              "papá": "HE", "hija": "SHE", "amiga": "SHE"},
}
FOR_SOMEONE = {"en-US": "it's for {person}", "es-US": "es para {person}"}


@pytest.fixture(params=sorted(CAREGIVER_WORDS))
def model(request):
    return InteractionModel.load(request.param)


def test_custom_intents_have_enough_samples(model):
    thin = {name: len(intent.get("samples", [])) for name, intent in model.intents.items()
            if not name.startswith("AMAZON.")
            and len(intent.get("samples", [])) < MIN_CUSTOM_SAMPLES}
    assert thin == {}


def test_caregiver_phrasings_resolve(model):
    assert {word: model.resolve("PERSON_TYPE", word).id
            for word in CAREGIVER_WORDS[model.locale]} == CAREGIVER_WORDS[model.locale]
    assert FOR_SOMEONE[model.locale] in model.intents["ForSomeoneElseIntent"]["samples"]
    assert model.slot_type("ForSomeoneElseIntent", "person") == "PERSON_TYPE"
