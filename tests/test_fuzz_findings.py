"""What the fuzzer (test_fuzz.py) found, kept as plain regression tests.

Each case below once crashed the handler, was answered with the error apology
after a caught exception, or broke a voice rule.
"""
from __future__ import annotations

import json
import logging

import pytest
from ask_sdk_core.exceptions import AskSdkException

from conftest import check_reply
from skill import build_lambda_handler
from devkit import envelopes
from devkit.client import Reply
from skill.replay_guard import replayable
from skill.settings import Settings


def call(handler, event) -> Reply:
    reply = Reply(handler(event, None))
    check_reply(reply)
    return reply


@pytest.fixture(scope="module")
def handler():
    return build_lambda_handler(Settings(persistence="none"))


@pytest.mark.parametrize("cut", ["context", "System"])
def test_an_envelope_without_context_is_read_from_its_session(handler, cut):
    # Found: the SDK reads context.System.apiAccessToken before any handler runs, and raised.
    # Old envelopes name the skill and the user in the session only: read from there.
    event = envelopes.envelope(envelopes.intent("CausesIntent"), envelopes.new_session())
    if cut == "context":
        del event["context"]
    else:
        del event["context"]["System"]
    reply = call(handler, event)
    assert reply.speech and not reply.ends_session and "Sorry" not in reply.speech


def test_an_envelope_without_context_or_session_gets_the_apology(handler):
    event = envelopes.envelope(envelopes.intent("CausesIntent"), None)
    del event["context"]
    reply = call(handler, event)
    assert reply.ends_session and "911" in reply.speech


def test_with_a_skill_id_set_every_id_named_must_be_ours():
    # Found: with SKILL_ID set, the SDK's own check raised AttributeError here.
    handler = build_lambda_handler(Settings(persistence="none", skill_id=envelopes.SKILL_ID))
    event = envelopes.envelope(envelopes.launch(), envelopes.new_session())
    del event["context"]["System"]["application"]
    assert call(handler, event).speech, "the session names ours: answered"
    event["session"]["application"]["applicationId"] = "amzn1.ask.skill.another"
    with pytest.raises(AskSdkException, match="Skill ID Verification failed"):
        handler(event, None)
    del event["session"]["application"]
    with pytest.raises(AskSdkException, match="Skill ID Verification failed"):
        handler(event, None)  # no id anywhere
    event = envelopes.envelope(envelopes.launch(), envelopes.new_session())
    event["session"]["application"]["applicationId"] = "amzn1.ask.skill.another"
    with pytest.raises(AskSdkException, match="Skill ID Verification failed"):
        handler(event, None)  # ours in context, another's in the session
    event = envelopes.envelope(envelopes.launch(), envelopes.new_session())
    assert call(handler, event).speech, "the right id still gets through"


def test_an_intent_request_without_an_intent_gets_the_fallback(handler, caplog):
    # Found: the SDK's is_intent_name raised inside can_handle; the person heard the apology.
    request = envelopes.intent("CausesIntent")
    request["intent"] = None
    with caplog.at_level(logging.ERROR, logger="skill"):
        reply = call(handler, envelopes.envelope(request, envelopes.new_session()))
    assert "went wrong" not in reply.speech and not reply.ends_session
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("values", [[{}], [{"value": None}], [{"value": {"id": 7}}]])
def test_a_matched_resolution_without_a_value_means_they(handler, caplog, values):
    # Found: resolved_id read values[0].value.id without looking.
    request = envelopes.intent("ForSomeoneElseIntent", {"person": "he"})
    authority = request["intent"]["slots"]["person"]["resolutions"]["resolutionsPerAuthority"][0]
    authority["values"] = values
    with caplog.at_level(logging.ERROR, logger="skill"):
        reply = call(handler, envelopes.envelope(request, envelopes.new_session()))
    assert reply.state["subject"] == "they"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("kind", ["AlexaSkillEvent.SkillEnabled", "System.ExceptionEncountered",
                                  "AudioPlayer.PlaybackStarted"])
def test_requests_that_take_no_speech_get_none_even_in_a_session(handler, kind):
    # Found: with a session, these got "Hmm, I missed that" (Alexa refuses speech for them).
    reply = call(handler, envelopes.envelope({"type": kind}, envelopes.new_session()))
    assert "outputSpeech" not in reply.response and "reprompt" not in reply.response


FORGED = [
    "a" * 30_000,  # echoed back, it made the response larger than Alexa takes
    "<speak>unclosed",
    '<speak><break time="60s"/>Ready?</speak>',
    '<speak><audio src="https://example.com/a.mp3"/>Ready?</speak>',
    "<speak>No question here.</speak>",
    "<speak>Ready?</speak>" + " " * 9000,
]


@pytest.mark.parametrize("forged", FORGED, ids=range(len(FORGED)))
def test_repeat_never_replays_forged_speech(handler, forged):
    # Found: "repeat" replayed whatever last_speech the session held.
    session = envelopes.new_session()
    session["attributes"] = {"state": {"pending": "start_check", "last_speech": forged,
                                       "last_reprompt": forged}}
    reply = call(handler, envelopes.envelope(envelopes.intent("AMAZON.RepeatIntent"), session))
    assert forged not in reply.ssml
    # The forged words are dropped; a repeat's own answer is never what the next one replays.
    assert reply.state["last_speech"] is None and reply.speech


@pytest.mark.parametrize("forged", [
    "a" * 30_000,
    "\x1f\U00010000" * 2600,  # under 8,000 characters, but 12 bytes each once JSON-escaped
], ids=["long", "escapes"])
@pytest.mark.parametrize("request_body", [
    {"type": "AudioPlayer.PlaybackStarted"},  # answered without speech, so nothing overwrites it
    envelopes.intent("RemindMeIntent"),  # answered with Alexa's permission prompt only
    envelopes.intent("AMAZON.StopIntent"),  # the session ends; the state still goes back
], ids=["event", "permission", "stop"])
def test_forged_speech_is_not_echoed_back_in_the_session(handler, request_body, forged):
    # Found: a 30 KB last_speech came back in sessionAttributes, past Alexa's 24 KB response limit.
    session = envelopes.new_session()
    session["attributes"] = {"state": {"pending": "offer_reminder", "last_speech": forged,
                                       "last_reprompt": forged}}
    raw = handler(envelopes.envelope(request_body, session), None)
    assert len(json.dumps(raw).encode()) <= 24 * 1024
    assert forged not in json.dumps(raw)


def test_repeat_replays_what_the_skill_said(handler):
    first = call(handler, envelopes.envelope(envelopes.intent("CausesIntent"),
                                             envelopes.new_session()))
    session = envelopes.new_session()
    session["attributes"] = first.raw["sessionAttributes"]
    again = call(handler, envelopes.envelope(envelopes.intent("AMAZON.RepeatIntent"), session))
    assert again.ssml == first.ssml and again.reprompt_ssml == first.reprompt_ssml


@pytest.mark.parametrize("ssml,ok", [
    ('<speak>Ready? <break time="10s"/> Are you?</speak>', True),
    ('<speak><prosody rate="slow">Next <say-as interpret-as="digits">920</say-as>?'
     '</prosody></speak>', True),
    ('<speak><break time="10001ms"/>Ready?</speak>', False),
    ('<speak><break time="soon"/>Ready?</speak>', False),
    ("<p>Ready?</p>", False),
    ("Ready?", False),
    (None, False),
    (42, False),
])
def test_replay_guard(ssml, ok):
    assert replayable(ssml) is ok


@pytest.mark.parametrize("intent", ["AMAZON.FallbackIntent", "AMAZON.HelpIntent",
                                    "AMAZON.NextIntent", "CausesIntent"])
def test_mid_check_without_a_question_asks_the_next_one(handler, caplog, intent):
    # Found (soak): pending "triage" with no question made every prompt fail, and the error
    # answer too; the person heard only the last-resort apology.
    session = envelopes.new_session()
    session["attributes"] = {"state": {"pending": "triage", "answers": {"bladder": "no"}}}
    with caplog.at_level(logging.ERROR, logger="skill"):
        reply = call(handler, envelopes.envelope(envelopes.intent(intent), session))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not reply.ends_session
    if intent == "AMAZON.NextIntent":  # "what now" mid-check: the 911 signs in one breath
        assert reply.state["pending"] == "quick_screen"
    else:
        assert reply.state["question"] == "saddle"


def test_a_finished_check_without_a_question_goes_back_to_the_menu(handler, caplog):
    session = envelopes.new_session()
    session["attributes"] = {"state": {"pending": "triage", "answers": {"bladder": "yes"}}}
    with caplog.at_level(logging.ERROR, logger="skill"):
        reply = call(handler, envelopes.envelope(envelopes.intent("AMAZON.HelpIntent"), session))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert reply.state["pending"] == "menu" and not reply.ends_session
