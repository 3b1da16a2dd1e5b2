"""Certification rules for every interaction model (interaction_models/*.json).

One test per rule, for each locale's model (tests/support/model_lint.py), and for each
rule a test that breaks a copy of the model on purpose and checks the rule catches it, so
a rule that stops looking cannot pass unnoticed.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from skill import speech
from skill.handlers import HANDLED_INTENTS
from support import model_lint as lint

MODELS = sorted((Path(__file__).resolve().parents[1] / "interaction_models").glob("*.json"))
LOCALES = [path.stem for path in MODELS]
# In each language: a launch word, and a two-word name that is an article and a noun.
LAUNCH_WORD = {"en": "ask", "es": "pide"}
ARTICLE_NAME = {"en": "the helper", "es": "el asistente"}


def load(locale: str) -> dict:
    return json.loads((MODELS[LOCALES.index(locale)]).read_text(encoding="utf-8"))


def broken(locale: str, change) -> dict:
    """A copy of the locale's model after `change(language_model)`."""
    data = copy.deepcopy(load(locale))
    change(lint.language_model(data))
    return data


def intent(language_model: dict, name: str) -> dict:
    return next(i for i in language_model["intents"] if i["name"] == name)


def first_custom(language_model: dict) -> dict:
    return next(i for i in language_model["intents"] if not i["name"].startswith("AMAZON."))


def with_name(locale: str, name: str) -> dict:
    return broken(locale, lambda m: m.update(invocationName=name))


def test_there_is_a_model_for_each_content_locale():
    assert "en-US" in LOCALES
    assert set(LOCALES) == set(speech.available_locales())


# 1. The invocation name
@pytest.mark.parametrize("locale", LOCALES)
def test_invocation_name(locale):
    assert lint.invocation_name_problems(load(locale), locale) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_invocation_name_rule_catches_bad_names(locale):
    name = lint.language_model(load(locale))["invocationName"]
    lang = lint.language(locale)
    bad = [name.title(), f"{name} 2", name.split()[0], f"alexa {name}", f"{name} skill",
           f"{name} app", f"{LAUNCH_WORD[lang]} {name}", ARTICLE_NAME[lang], f"{name}!",
           f" {name}", name.replace(" ", "  "), f"{name} echo", ""]
    missed = [b for b in bad if not lint.invocation_name_problems(with_name(locale, b), locale)]
    assert missed == []
    fine = [f"{name} two", f"sam's {name}", f"a. b. c. {name}"]  # possessives, abbreviations
    assert {f: lint.invocation_name_problems(with_name(locale, f), locale) for f in fine} == \
        {f: [] for f in fine}


# 2. What a sample may hold
@pytest.mark.parametrize("locale", LOCALES)
def test_sample_characters(locale):
    assert lint.sample_character_problems(load(locale), locale) == []


@pytest.mark.parametrize("sample", ["call 911", "help!", "back-spasm", "what's up?", "a & b",
                                    "Next", "{person}{person}", "  next", "it's 5 pm", ""])
@pytest.mark.parametrize("locale", LOCALES)
def test_sample_character_rule_catches_digits_and_symbols(locale, sample):
    data = broken(locale, lambda m: first_custom(m)["samples"].append(sample))
    assert lint.sample_character_problems(data, locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_sample_character_rule_accepts_apostrophes_abbreviations_and_slots(locale):
    fine = ["what's next", "i don't know", "a. m.", "it's for {person}"]
    data = broken(locale, lambda m: first_custom(m)["samples"].extend(fine))
    assert lint.sample_character_problems(data, locale) == []


# 3. No sample in two intents, nor twice in one
@pytest.mark.parametrize("locale", LOCALES)
def test_no_duplicate_samples(locale):
    assert lint.duplicate_sample_problems(load(locale), locale) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_duplicate_rule_catches_shared_and_repeated_samples(locale):
    def share(m):
        first, second = [i for i in m["intents"] if i.get("samples")][:2]
        second["samples"].append("  " + first["samples"][0].upper() + " ")

    def repeat(m):
        custom = first_custom(m)
        custom["samples"].append(custom["samples"][-1])

    assert len(lint.duplicate_sample_problems(broken(locale, share), locale)) == 1
    assert len(lint.duplicate_sample_problems(broken(locale, repeat), locale)) == 1


# 4. Every slot a sample names is declared; every slot type exists
@pytest.mark.parametrize("locale", LOCALES)
def test_slots_and_slot_types(locale):
    assert lint.slot_problems(load(locale), locale) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_slot_rule_catches_undeclared_slots_and_unknown_types(locale):
    def undeclared(m):
        first_custom(m)["samples"].append("in {when}")

    def unknown_type(m):
        slotted = next(i for i in m["intents"] if i.get("slots"))
        slotted["slots"][0]["type"] = "SYMPTOM_TYPE"

    def unused_slot(m):
        first_custom(m).setdefault("slots", []).append({"name": "when", "type": "AMAZON.DATE"})

    def unused_type(m):
        m["types"].append({"name": "UNUSED_TYPE", "values": [{"id": "X", "name": {"value": "x"}}]})

    def slot_twice(m):
        slotted = next(i for i in m["intents"] if i.get("slots"))
        ref = "{" + slotted["slots"][0]["name"] + "}"
        slotted["samples"].append(f"{ref} or {ref}")

    for change in (undeclared, unknown_type, unused_slot, unused_type, slot_twice):
        assert lint.slot_problems(broken(locale, change), locale), change.__name__


# 5. Custom slot values: every value and synonym names one value only
@pytest.mark.parametrize("locale", LOCALES)
def test_custom_values_are_unique(locale):
    data = load(locale)
    assert lint.language_model(data).get("types"), "the model declares no custom slot types"
    assert lint.custom_value_problems(data, locale) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_custom_value_rule_catches_repeated_words_and_ids(locale):
    def repeated_synonym(m):
        first, second = m["types"][0]["values"][:2]
        second["name"].setdefault("synonyms", []).append(first["name"]["value"].upper())

    def repeated_id(m):
        first, second = m["types"][0]["values"][:2]
        second["id"] = first["id"]

    def missing_id(m):
        del m["types"][0]["values"][0]["id"]

    for change in (repeated_synonym, repeated_id, missing_id):
        assert lint.custom_value_problems(broken(locale, change), locale), change.__name__


# 6. Every phrase the skill tells people to say is understood, by one intent
@pytest.mark.parametrize("locale", LOCALES)
def test_every_suggested_phrase_is_understood(locale):
    suggested = lint.suggested_phrases(speech.load_content(locale))
    assert len(suggested) >= 10, suggested
    assert lint.suggestion_problems(load(locale), locale) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_suggestion_rule_catches_unknown_absent_and_ambiguous_phrases(locale):
    data = load(locale)
    content = speech.load_content(locale)
    unknown = {**content, "extra": "Say *dance with me* anytime."}
    assert lint.suggestion_problems(data, locale, unknown) == \
        ["the skill says to say 'dance with me', which no intent understands"]
    assert lint.suggestion_problems(data, locale, {"launch": "No markup here."})
    # A suggested phrase made a sample of a second intent becomes ambiguous.
    phrase = sorted(lint.suggested_phrases(content))[0]
    owner = lint.understood_phrases(data, locale)[phrase]
    other = next(i["name"] for i in lint.intents(data) if i["name"] not in owner)
    ambiguous = broken(locale, lambda m: intent(m, other).setdefault("samples", []).append(phrase))
    assert lint.suggestion_problems(ambiguous, locale)


# 7. Every intent has a handler, every custom intent handled is in the model
@pytest.mark.parametrize("locale", LOCALES)
def test_every_intent_has_a_handler(locale):
    assert lint.handler_problems(load(locale), locale, HANDLED_INTENTS) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_handler_rule_catches_unhandled_missing_and_required_intents(locale):
    data = load(locale)
    custom = first_custom(lint.language_model(data))["name"]
    assert lint.handler_problems(data, locale, HANDLED_INTENTS - {custom}) == \
        [f"{custom} is in the model but no handler takes it"]
    assert lint.handler_problems(data, locale, HANDLED_INTENTS | {"BookVisitIntent"}) == \
        ["BookVisitIntent has a handler but is not in the model, so Alexa never sends it"]
    without_help = broken(locale, lambda m: m["intents"].remove(intent(m, "AMAZON.HelpIntent")))
    assert lint.handler_problems(without_help, locale, HANDLED_INTENTS - {"AMAZON.HelpIntent"}) == \
        ["AMAZON.HelpIntent, which every skill needs, is not in the model"]


# 3b. The duplicate rule spans built-in intents too, and hears past case, punctuation and accents
@pytest.mark.parametrize("locale", LOCALES)
def test_duplicate_rule_catches_a_custom_sample_under_a_built_in_intent(locale):
    def to_yes(m):
        sample = next(s for s in first_custom(m)["samples"] if "{" not in s)
        heard = sample.translate(str.maketrans("áéíóú", "aeiou")).upper()
        intent(m, "AMAZON.YesIntent")["samples"].append(f"{heard}?")

    assert len(lint.duplicate_sample_problems(broken(locale, to_yes), locale)) == 1


# 8. No sample is another intent's sample with its slots filled
def slotted(language_model: dict, type_name: str) -> tuple[dict, str, str]:
    """The first intent with a slot of the type, one of its samples using it, and the slot."""
    for candidate in language_model["intents"]:
        for slot in candidate.get("slots", []):
            if slot["type"] == type_name:
                sample = next(s for s in candidate["samples"] if f"{{{slot['name']}}}" in s)
                return candidate, sample, slot["name"]
    raise AssertionError(f"no intent has a {type_name} slot")


@pytest.mark.parametrize("locale", LOCALES)
def test_no_sample_is_another_intents_sample_with_slots_filled(locale):
    assert lint.slot_ambiguity_problems(load(locale), locale) == []


@pytest.mark.parametrize("type_name", ["PERSON_TYPE", "AMAZON.NUMBER"])
@pytest.mark.parametrize("locale", LOCALES)
def test_slot_ambiguity_rule_catches_a_filled_sample_in_another_intent(locale, type_name):
    data = load(locale)
    owner, sample, slot = slotted(lint.language_model(data), type_name)
    value = lint.slot_fillers(data, locale)[type_name][-1]
    filled = sample.replace(f"{{{slot}}}", value)
    other = next(i["name"] for i in lint.intents(data)
                 if i["name"] != owner["name"] and not i["name"].startswith("AMAZON."))

    problems = lint.slot_ambiguity_problems(
        broken(locale, lambda m: intent(m, other)["samples"].append(filled)), locale)
    assert len(problems) == 1 and sample in problems[0] and other in problems[0], problems
    # The same filled sample under the slot's own intent is no ambiguity.
    assert lint.slot_ambiguity_problems(
        broken(locale, lambda m: intent(m, owner["name"])["samples"].append(filled)), locale) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_slot_ambiguity_rule_catches_two_slotted_samples_and_built_in_phrases(locale):
    data = load(locale)
    owner, sample, slot = slotted(lint.language_model(data), "PERSON_TYPE")
    other = next(i["name"] for i in lint.intents(data)
                 if i["name"] != owner["name"] and not i["name"].startswith("AMAZON.")
                 and not i.get("slots"))
    people = lint.slot_fillers(data, locale)["PERSON_TYPE"]

    # Another intent with the same sample but its own slot name: not equal as written (so not
    # rule 3's), yet every filling of one is a filling of the other.
    def second_slotted(m):
        target = intent(m, other)
        target.setdefault("slots", []).append({"name": "who", "type": "PERSON_TYPE"})
        target["samples"].append(sample.replace(f"{{{slot}}}", "{who}"))

    assert lint.duplicate_sample_problems(broken(locale, second_slotted), locale) == []
    assert lint.slot_ambiguity_problems(broken(locale, second_slotted), locale)

    # A phrase a built-in intent knows without samples, with a person word made a slot.
    lang = lint.language_for(locale)
    name, phrase, word = next((n, p, w) for n, phrases in lang.built_in_samples.items()
                              for p in phrases for w in lint.comparable(p).split() if w in people)
    with_slot = " ".join("{%s}" % slot if w == word else w for w in lint.comparable(phrase).split())

    def built_in(m):
        intent(m, owner["name"])["samples"].append(with_slot)

    problems = lint.slot_ambiguity_problems(broken(locale, built_in), locale)
    assert any(name in p and "built in" in p for p in problems), (with_slot, problems)


# 9. Enough samples per intent, the floors declared in one place
@pytest.mark.parametrize("locale", LOCALES)
def test_every_intent_has_enough_samples(locale):
    assert lint.sample_count_problems(load(locale), locale) == []


def test_sample_floors():
    assert lint.min_samples("SomeNewIntent") == lint.MIN_CUSTOM_SAMPLES == 60
    assert all(lint.min_samples(n) > 60 for n in
               ("StartCheckIntent", "StartReliefIntent", "ForSomeoneElseIntent"))
    assert lint.min_samples("AMAZON.FallbackIntent") == 0


@pytest.mark.parametrize("locale", LOCALES)
def test_sample_count_rule_catches_thin_intents(locale):
    def thin(name):
        def change(m):
            target = intent(m, name)
            kept = target["samples"][:lint.min_samples(name) - 1]
            # Copies in other case and punctuation do not count.
            target["samples"] = kept + [s.upper() + "." for s in kept]
        return change

    def new_intent(m):
        m["intents"].append({"name": "BookVisitIntent", "samples": ["book a visit now"]})

    for name in ("StartCheckIntent", first_custom(lint.language_model(load(locale)))["name"],
                 "AMAZON.YesIntent", "AMAZON.NoIntent"):
        problems = lint.sample_count_problems(broken(locale, thin(name)), locale)
        assert [p.split(":")[0] for p in problems] == [name], problems
    assert [p.split(":")[0]
            for p in lint.sample_count_problems(broken(locale, new_intent), locale)] \
        == ["BookVisitIntent"]
