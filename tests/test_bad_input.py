"""Bad input of any kind gets a spoken answer, never an exception or silence."""
from __future__ import annotations

import logging

import pytest

from conftest import check_reply, load_lambda_module
from skill import build_lambda_handler
from devkit import envelopes
from devkit.client import Reply
from skill.dialogue import check as dialogue_check
from skill.settings import Settings, SettingsError
from support import locales


def send(handler, request, session=True, attributes=None):
    session_body = envelopes.new_session() if session else None
    if session_body is not None and attributes is not None:
        session_body["attributes"] = attributes
    reply = Reply(handler(envelopes.envelope(request, session_body), None))
    check_reply(reply)
    return reply


def test_an_intent_the_skill_does_not_know(lambda_handler):
    reply = send(lambda_handler, envelopes.intent("OrderPizzaIntent"))
    assert reply.speech and not reply.ends_session
    assert "didn't catch that" in reply.speech or "didn't get that" in reply.speech


@pytest.mark.parametrize("intent", ["StartCheckIntent", "ForSomeoneElseIntent", "GoToStepIntent"])
def test_missing_slots(lambda_handler, intent):
    request = envelopes.intent(intent)
    del request["intent"]["slots"]
    assert send(lambda_handler, request).speech
    request = envelopes.intent(intent, {"person": None, "step_number": None})
    assert send(lambda_handler, request).speech


def test_a_slot_value_outside_the_type_gets_neutral_pronouns(lambda_handler):
    request = envelopes.intent("ForSomeoneElseIntent", {"person": "goldfish"})
    reply = send(lambda_handler, request)
    assert reply.state["subject"] == "they"
    assert "about them" in reply.speech and "about you" not in reply.speech


@pytest.mark.parametrize("locale", locales.LOCALES)
def test_numbers_as_digits_or_words(lambda_handler, locale):
    steps = locales.section(locale, "numbers.steps")
    assert any(not spoken.isdigit() for spoken in steps), "words, not only digits"
    for spoken, step in steps.items():
        reply = Reply(lambda_handler(envelopes.envelope(
            envelopes.intent("GoToStepIntent", {"step_number": spoken}, locale=locale),
            envelopes.new_session(), locale=locale), None))
        check_reply(reply)
        # The step is kept for after the one-breath emergency question that comes first.
        assert (reply.state["step"], reply.state["pending"]) == (step - 1, "quick_screen"), spoken


@pytest.mark.parametrize("spoken", ["0", "nine", "42", "banana", "?", "-1", "1.5", "9" * 40])
def test_numbers_out_of_range_or_odd(lambda_handler, spoken):
    reply = send(lambda_handler, envelopes.intent("GoToStepIntent", {"step_number": spoken}))
    assert "one to 8" in reply.speech


@pytest.mark.parametrize("request_body", [
    envelopes.intent("CausesIntent"),
    envelopes.intent("AMAZON.YesIntent"),
    envelopes.intent("AMAZON.RepeatIntent"),
    envelopes.launch(),
])
def test_a_request_without_a_session(lambda_handler, request_body):
    reply = send(lambda_handler, request_body, session=False)
    assert reply.speech
    assert "sessionAttributes" not in reply.raw or reply.raw["sessionAttributes"] is None


def test_a_skill_event_without_a_session_needs_no_speech(lambda_handler):
    event = {"type": "AlexaSkillEvent.SkillDisabled", "eventCreationTime": "2026-11-25T12:00:00Z",
             "body": {"userInformation": {"consent": None}}}
    reply = send(lambda_handler, event, session=False)
    assert reply.raw["version"] == "1.0"


@pytest.mark.parametrize("event", [
    {}, {"request": "nonsense"}, {"version": "1.0"}, "{{{not json", None, [1, 2],
    {"version": "1.0", "request": {"type": "Unknown.Request.Type", "requestId": "r"},
     "session": {"new": True, "sessionId": "s"}},
    {"version": "1.0", "request": {"type": "LaunchRequest", "requestId": "r", "locale": "en-US"}},
])
def test_malformed_envelopes_get_an_apology(lambda_handler, event):
    reply = Reply(lambda_handler(event, None))
    check_reply(reply)
    assert "911" in reply.speech


def test_an_unreadable_request_of_an_unknown_kind_outside_a_session_is_an_event(lambda_handler):
    """No context, a kind newer than the SDK, no session: nobody is listening for speech."""
    event = {"version": "1.0", "request": {"type": "Unknown.Request.Type", "requestId": "r"}}
    reply = Reply(lambda_handler(event, None))
    assert reply.raw == {"version": "1.0", "response": {}}


def test_an_unreadable_request_is_apologised_for_in_its_own_language(lambda_handler):
    event = {"version": "1.0", "request": {"type": "IntentRequest", "requestId": "r",
                                           "locale": "es-US", "intent": "not an object"}}
    reply = Reply(lambda_handler(event, None))
    assert reply.speech.startswith("Lo siento") and "911" in reply.speech, reply.speech


@pytest.mark.parametrize("attributes", [
    {"state": "garbage"},
    {"state": {"pending": 42, "answers": ["yes"], "step": "x", "rate": "fast",
               "question": "nope", "subject": {"a": 1}, "misses": True}},
    {"state": {"pending": "triage", "question": None, "answers": {"fever": ["yes"]}}},
    {"state": {"pending": "relief", "step": 999}},
    {"something": "else"},
])
@pytest.mark.parametrize("intent", ["AMAZON.YesIntent", "AMAZON.NextIntent", "AMAZON.HelpIntent",
                                    "SlowerIntent", "AMAZON.PreviousIntent"])
def test_odd_session_attributes(lambda_handler, attributes, intent):
    reply = send(lambda_handler, envelopes.intent(intent), attributes=attributes)
    assert reply.speech


def test_an_exception_in_a_handler_still_speaks_and_keeps_the_place(monkeypatch, caplog):
    handler = load_lambda_module("lambda_for_failure").lambda_handler
    first = Reply(handler(envelopes.envelope(envelopes.intent("StartCheckIntent"),
                                             envelopes.new_session()), None))

    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(dialogue_check, "record", broken)
    session = envelopes.new_session()
    session["attributes"] = first.raw["sessionAttributes"]
    with caplog.at_level(logging.ERROR, logger="skill"):
        reply = Reply(handler(envelopes.envelope(envelopes.intent("AMAZON.NoIntent"), session),
                              None))
    check_reply(reply)
    assert "went wrong" in reply.speech and "911" in reply.speech
    assert "wetting or soiling" in reply.speech, "the question is asked again"
    assert reply.raw["sessionAttributes"] == first.raw["sessionAttributes"], "nothing lost"
    assert "RuntimeError" in caplog.text


def test_wrong_skill_id_is_refused_when_configured():
    handler = build_lambda_handler(Settings(skill_id="amzn1.ask.skill.the-real-one"))
    with pytest.raises(Exception, match="Skill ID Verification failed"):
        handler(envelopes.envelope(envelopes.launch(), envelopes.new_session()), None)


@pytest.mark.parametrize("env,problem", [
    ({"CLINIC_PHONE": "call us"}, "CLINIC_PHONE"),
    ({"EMERGENCY_NUMBER": "nine"}, "EMERGENCY_NUMBER"),
    ({"CLINIC_APPOINTMENT_URL": "ftp://x"}, "CLINIC_APPOINTMENT_URL"),
])
def test_bad_settings_fail_with_a_clear_error(env, problem):
    with pytest.raises(SettingsError, match=problem):
        Settings.from_env(env)


def test_settings_from_env():
    settings = Settings.from_env({"CLINIC_NAME": "Lakeside Spine", "CLINIC_PHONE": "555-010-2000",
                                  "SKILL_ID": "amzn1.ask.skill.x", "UNRELATED": "1"})
    assert settings.clinic_name == "Lakeside Spine" and settings.skill_id == "amzn1.ask.skill.x"
    assert Settings.from_env({}).clinic_phone == "920-725-9373"


@pytest.mark.parametrize("locale", ["xx-XX", "", "es-US", 42, None, ["en-US"]])
def test_odd_locales_still_get_an_answer(lambda_handler, locale):
    event = envelopes.envelope(envelopes.intent("CausesIntent"), envelopes.new_session())
    event["request"]["locale"] = locale
    reply = Reply(lambda_handler(event, None))
    check_reply(reply)
    assert reply.speech
