"""Name-free requests (CanFulfillIntentRequest): the decision table, and the answer given through
the real Lambda handler, which must say, show, keep and store nothing."""
from __future__ import annotations

import copy
import uuid

import pytest

from conftest import CheckedClient
from skill import build_lambda_handler
from devkit import envelopes
from devkit.model import InteractionModel
from skill.name_free import (MAYBE, NAME_FREE, NO, NOT_NAME_FREE, SLOTS, YES, HeardSlot,
                             SlotVerdict, Verdict, decide)
from skill.relief import STEPS
from skill.settings import Settings
from skill.storage.sqlite import SQLiteAdapter
from support import locales
from test_memory import CountingAdapter

LOCALES = locales.LOCALES
BACK_SPASM_QUESTIONS = ("StartCheckIntent", "ForSomeoneElseIntent", "StartReliefIntent",
                        "AboutSpasmsIntent", "CausesIntent", "DurationIntent", "HomeCareIntent",
                        "WhenToWorryIntent", "ClinicNumberIntent", "AppointmentIntent")
# Requests it can help with, but whose answer hangs on what Alexa cannot see: which number
# (the card), or whether an unscreened fall is behind "how do I get up".
DEPENDS = ("SendCardIntent", "GetUpIntent")


def person_words(locale: str) -> tuple[str, str]:
    """Words the locale's model resolves to a person, and words it does not."""
    persons = locales.section(locale, "persons")
    return persons["caregiver"]["he"], persons["not_a_person"]


# --- the table -----------------------------------------------------------------

@pytest.mark.parametrize("locale", LOCALES)
def test_every_intent_of_the_model_has_a_decision(locale):
    intents = set(InteractionModel.load(locale).intents)
    assert not set(NAME_FREE) & set(NOT_NAME_FREE)
    assert intents == set(NAME_FREE) | set(NOT_NAME_FREE), "declare new intents in skill/intents.py"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_slot_of_the_model_has_a_rule(locale):
    model = InteractionModel.load(locale)
    declared = {(intent, slot["name"]) for intent, data in model.intents.items()
                for slot in data.get("slots", [])}
    assert declared == set(SLOTS)


@pytest.mark.parametrize("intent", BACK_SPASM_QUESTIONS)
def test_back_spasm_questions_are_yes_with_no_slots(intent):
    assert decide(intent, {}) == Verdict(YES, {})


@pytest.mark.parametrize("intent", sorted(NOT_NAME_FREE))
def test_answers_navigation_and_built_ins_are_no(intent):
    assert decide(intent, {}) == Verdict(NO, {})


@pytest.mark.parametrize("intent", ["OrderPizzaIntent", None, "", "startcheckintent",
                                    "AMAZON.PauseIntent", "AMAZON.SendToPhoneIntent"])
def test_intents_not_in_the_model_are_no(intent):
    assert decide(intent, {}).can_fulfill == NO


def test_send_me_the_number_is_maybe():
    assert decide("SendCardIntent", {}) == Verdict(MAYBE, {})


@pytest.mark.parametrize("intent", ["StartCheckIntent", "ForSomeoneElseIntent"])
def test_a_resolved_person_is_understood_and_an_unresolved_one_lowers_the_answer(intent):
    assert decide(intent, {"person": HeardSlot("husband", resolved=True)}) == \
        Verdict(YES, {"person": SlotVerdict(YES, YES)})
    # The skill would still ask about "that person": maybe, never yes.
    assert decide(intent, {"person": HeardSlot("my dog", resolved=False)}) == \
        Verdict(MAYBE, {"person": SlotVerdict(NO, NO)})


def test_empty_slots_are_left_out():
    heard = {"person": HeardSlot(None), "other": HeardSlot("  ")}
    assert decide("StartCheckIntent", heard) == Verdict(YES, {})


def test_a_slot_the_intent_does_not_have_is_not_understood():
    assert decide("CausesIntent", {"person": HeardSlot("him", resolved=True)}) == \
        Verdict(NO, {"person": SlotVerdict(NO, NO)})


@pytest.mark.parametrize("spoken, verdict", [
    ("3", SlotVerdict(YES, YES)), ("three", SlotVerdict(YES, YES)),
    (str(len(STEPS)), SlotVerdict(YES, YES)), (str(len(STEPS) + 1), SlotVerdict(YES, NO)),
    ("0", SlotVerdict(YES, NO)), ("?", SlotVerdict(NO, NO)), ("lots", SlotVerdict(NO, NO)),
])
def test_step_numbers_are_judged_but_going_to_a_step_is_never_name_free(spoken, verdict):
    assert decide("GoToStepIntent", {"step_number": HeardSlot(spoken)}) == \
        Verdict(NO, {"step_number": verdict})


# --- through the real Lambda handler --------------------------------------------

def ask(handler, locale: str, intent: str, slots=None, session: dict | None = "new",
        user: str = envelopes.USER_ID) -> dict:
    request = envelopes.can_fulfill(intent, slots, locale=locale)
    if session == "new":
        session = envelopes.new_session(user_id=user)
    return handler(envelopes.envelope(request, session, locale=locale, user_id=user), None)


def slot_values(locale: str, intent: str) -> dict[str, str]:
    """A value for each slot the model gives the intent, one the skill understands."""
    model = InteractionModel.load(locale)
    values = {"PERSON_TYPE": person_words(locale)[0], "AMAZON.NUMBER": "3"}
    return {slot["name"]: values[slot["type"]] for slot in model.intents[intent].get("slots", [])}


def only_an_answer(raw: dict) -> dict:
    """The canFulfillIntent answer, after checking nothing else was said, shown or sent."""
    assert raw["version"] == "1.0"
    assert set(raw["response"]) == {"canFulfillIntent"}, raw["response"]
    return raw["response"]["canFulfillIntent"]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_intent_of_the_model_through_the_lambda_handler(lambda_handler, locale):
    for intent in InteractionModel.load(locale).intents:
        slots = slot_values(locale, intent)
        raw = ask(lambda_handler, locale, intent, slots)
        answer = only_an_answer(raw)
        assert "sessionAttributes" not in raw, intent
        wanted = YES if intent in BACK_SPASM_QUESTIONS else MAYBE if intent in DEPENDS else NO
        assert answer["canFulfill"] == wanted, intent
        assert answer.get("slots", {}) == {
            name: {"canUnderstand": "YES", "canFulfill": "YES"} for name in slots}, intent


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("intent", ["StartCheckIntent", "ForSomeoneElseIntent"])
def test_people_resolve_in_each_language_and_strangers_make_it_maybe(lambda_handler, locale,
                                                                     intent):
    known, unknown = person_words(locale)
    assert only_an_answer(ask(lambda_handler, locale, intent, {"person": known})) == {
        "canFulfill": "YES", "slots": {"person": {"canUnderstand": "YES", "canFulfill": "YES"}}}
    assert only_an_answer(ask(lambda_handler, locale, intent, {"person": unknown})) == {
        "canFulfill": "MAYBE", "slots": {"person": {"canUnderstand": "NO", "canFulfill": "NO"}}}


@pytest.mark.parametrize("intent", ["OrderPizzaIntent", "AMAZON.PauseIntent"])
def test_intents_alexa_may_send_that_the_model_lacks_are_no(lambda_handler, intent):
    assert only_an_answer(ask(lambda_handler, "en-US", intent)) == {"canFulfill": "NO"}


def test_a_query_without_a_session_or_a_user_still_gets_its_answer(lambda_handler):
    event = envelopes.envelope(envelopes.can_fulfill("CausesIntent"), None)
    del event["context"]["System"]["user"]
    raw = lambda_handler(event, None)
    assert only_an_answer(raw) == {"canFulfill": "YES"}
    assert "sessionAttributes" not in raw


@pytest.mark.parametrize("locale", LOCALES)
def test_a_query_carrying_a_conversation_sends_no_session_state_back(lambda_handler, locale):
    person = CheckedClient(lambda_handler, locale=locale)
    person.launch()
    assert person.say("StartCheckIntent").state["pending"] == "triage"
    for intent in ("AMAZON.NoIntent", "StartReliefIntent", "ForgetDataIntent", "AMAZON.StopIntent"):
        raw = ask(lambda_handler, locale, intent, session=copy.deepcopy(person.session),
                  user=person.identity["user_id"])
        only_an_answer(raw)
        assert "sessionAttributes" not in raw, intent


def test_nothing_is_read_or_written_to_memory(tmp_path):
    store = CountingAdapter(SQLiteAdapter(tmp_path / "memory.sqlite3"))
    handler = build_lambda_handler(Settings(), adapter=store)
    user = f"amzn1.ask.account.NAME-FREE-{uuid.uuid4()}"
    carried = envelopes.new_session(user_id=user)
    carried["attributes"] = {"memory": {"loaded": False}, "state": {"rate": 0}}
    for locale in LOCALES:
        for intent in [*InteractionModel.load(locale).intents, "OrderPizzaIntent"]:
            for session in ("new", copy.deepcopy(carried), None):
                only_an_answer(ask(handler, locale, intent, slot_values(locale, intent)
                                   if intent != "OrderPizzaIntent" else None,
                                   session=session, user=user))
    assert store.calls == {"get": 0, "save": 0, "delete": 0}
    # The same store, for a real session: read once at the launch, the visit written at its end.
    client = CheckedClient(handler, user_id=user)
    client.launch()
    assert store.calls == {"get": 1, "save": 0, "delete": 0}
    client.say("AMAZON.StopIntent")
    assert store.calls == {"get": 1, "save": 1, "delete": 0}


def test_with_dynamodb_no_aws_client_is_even_made(monkeypatch):
    pytest.importorskip("botocore")
    from skill.storage import dynamodb
    from skill.storage.dynamodb import MemoryDynamoDbAdapter

    made = []

    def no_aws(*args, **kwargs):  # counts, and keeps the test off the network
        made.append(args)
        raise RuntimeError("no AWS in this test")

    monkeypatch.setattr(dynamodb, "DynamoDBClient", no_aws)
    adapter = MemoryDynamoDbAdapter("BackSpasmHelperMemory", environ={"AWS_REGION": "us-east-1"})
    handler = build_lambda_handler(Settings(persistence="dynamodb"), adapter=adapter)
    for locale in LOCALES:
        for intent in InteractionModel.load(locale).intents:
            only_an_answer(ask(handler, locale, intent, slot_values(locale, intent)))
    assert made == []
    # A launch does reach for the table (and, finding none, goes on without memory).
    CheckedClient(handler).launch()
    assert len(made) == 1
