"""The interaction models (interaction_models/<locale>.json): coverage and caregiver phrasings.

The certification rules (invocation name, sample characters, duplicates, slots, custom
values, suggested phrases, handlers) are checked for every locale in test_model_lint.py.
"""
from __future__ import annotations

import pytest

from devkit.model import InteractionModel
from support import locales

MIN_CUSTOM_SAMPLES = 15


@pytest.fixture(params=locales.LOCALES)
def model(request):
    loaded = InteractionModel.load(request.param)
    assert loaded.locale == request.param, "every locale of skill/content/ has its own model"
    return loaded


def test_custom_intents_have_enough_samples(model):
    thin = {name: len(intent.get("samples", [])) for name, intent in model.intents.items()
            if not name.startswith("AMAZON.")
            and len(intent.get("samples", [])) < MIN_CUSTOM_SAMPLES}
    assert thin == {}


def test_caregiver_phrasings_resolve(model):
    # What a caregiver says -> the pronouns the skill must use (PERSON_TYPE id).
    persons = locales.section(model.locale, "persons")
    wanted = persons["resolves"]
    assert {word: model.resolve("PERSON_TYPE", word).id for word in wanted} == wanted
    assert persons["for_someone"] in model.intents["ForSomeoneElseIntent"]["samples"]
    assert model.slot_type("ForSomeoneElseIntent", "person") == "PERSON_TYPE"
