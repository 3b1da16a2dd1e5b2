"""Whole conversations through lambda_function.lambda_handler, turn after turn.

Every reply also passes conftest.check_reply: valid SSML, never silent, and an
open session always ends on a question and has a reprompt.
"""
from __future__ import annotations

import re

import pytest

from skill import triage

NO, YES, NOT_SURE = "AMAZON.NoIntent", "AMAZON.YesIntent", "NotSureIntent"
PHONE_DIGITS = '<say-as interpret-as="digits">920</say-as><break time="300ms"/>' \
               '<say-as interpret-as="digits">725</say-as><break time="300ms"/>' \
               '<say-as interpret-as="digits">9373</say-as>'


def start_check(client, **slots):
    client.launch()
    reply = client.say("StartCheckIntent", **slots)
    assert reply.state["pending"] == "triage"
    return reply


def answer_until_done(client, answers: dict[str, str]):
    """Answer each question the skill asks by its id (default no), until it stops asking."""
    reply = client.replies[-1]
    asked = []
    while not reply.ends_session and reply.state.get("pending") == "triage":
        question = reply.state["question"]
        asked.append(question)
        reply = client.say(answers.get(question, NO))
    return reply, asked


def test_emergency_yes_to_bladder_gives_911_and_stops_the_questions(client):
    reply = start_check(client)
    assert reply.state["question"] == "bladder_bowel"
    assert "bladder" in reply.speech
    reply = client.say(YES)
    assert reply.ends_session, "an emergency ends the questions at once"
    assert "call 911" in reply.speech.lower()
    assert "alexa can't" in reply.speech.lower()
    assert reply.card["title"] == "Call 911 now"
    assert "911" in reply.card["content"] and "cannot call" in reply.card["content"]
    assert "bladder" in reply.card["content"]


def test_emergency_later_in_the_check(client):
    start_check(client)
    reply, asked = answer_until_done(client, {"fever": YES})
    assert asked[-1] == "fever" and reply.ends_session
    assert "911" in reply.speech and "fever" in reply.speech


def test_provider_case_offers_the_card_and_yes_sends_it(client):
    start_check(client)
    reply, asked = answer_until_done(client, {"keeps_coming_back": YES})
    assert asked[-1] == "keeps_coming_back"
    assert not reply.ends_session
    assert "see a provider" in reply.speech and "coming back" in reply.speech
    assert "Alexa app?" in reply.speech
    reply = client.say(YES)
    card = reply.card
    assert card is not None and card["type"] == "Simple"
    assert card["title"] == "Neuroscience Group"
    assert "920-725-9373" in card["content"]
    assert "https://" in card["content"]
    assert "Alexa app" in reply.speech


def test_unsure_on_an_emergency_question_means_checked_today_not_home_care(client):
    start_check(client)
    reply, _ = answer_until_done(client, {"both_legs": NOT_SURE})
    assert "today" in reply.speech
    assert "911" in reply.speech
    assert "home" not in reply.speech.lower()
    assert reply.state["pending"] == "offer_card"


def test_home_care_case_continues_into_relief_with_next_previous_repeat(client):
    start_check(client)
    reply, asked = answer_until_done(client, {})
    assert asked == list(triage.QUESTION_IDS)
    assert "week" in reply.speech and "provider" in reply.speech
    assert reply.state["pending"] == "offer_relief"

    step1 = client.say(YES)
    assert "Step 1 of 8" in step1.speech and "Bend your knees" in step1.speech
    step2 = client.say("AMAZON.NextIntent")
    assert "Step 2 of 8" in step2.speech
    assert '<break time="5000ms"/>' in step2.ssml and '<prosody rate="slow">' in step2.ssml
    again = client.say("AMAZON.RepeatIntent")
    assert again.ssml == step2.ssml and again.reprompt_ssml == step2.reprompt_ssml
    back = client.say("AMAZON.PreviousIntent")
    assert "Step 1 of 8" in back.speech
    first = client.say("AMAZON.PreviousIntent")
    assert "first step" in first.speech and "Step 1 of 8" in first.speech

    for number in range(2, 9):
        reply = client.say("AMAZON.NextIntent")
        assert f"Step {number} of 8" in reply.speech
    assert "label" in client.replies[-3].speech  # the anti-inflammatory step: no dose
    done = client.say("AMAZON.NextIntent")
    assert "end of" in done.speech and "week" in done.speech
    assert done.state["pending"] == "offer_reminder", "home care: a check-in reminder is offered"
    assert done.state["step"] is None


def test_start_over_slower_and_faster_in_relief(client):
    client.launch()
    client.say("StartReliefIntent")
    client.say("AMAZON.NextIntent")
    slow = client.say("SlowerIntent")
    assert "Step 2 of 8" in slow.speech
    assert '<prosody rate="x-slow">' in slow.ssml  # breathing: one notch below the new rate
    assert '<break time="6000ms"/>' in slow.ssml  # pauses stretch with the rate
    fast = client.say("FasterIntent")
    fast = client.say("FasterIntent")
    assert fast.state["rate"] == 3
    fastest = client.say("FasterIntent")
    assert "as fast as" in fastest.speech
    over = client.say("AMAZON.StartOverIntent")
    assert "Step 1 of 8" in over.speech
    jump = client.say("GoToStepIntent", step_number="5")
    assert "Step 5 of 8" in jump.speech and "home care" in jump.speech


def test_caregiver_case_asks_in_the_third_person(client):
    reply = start_check(client, person="husband")
    assert "about him" in reply.speech
    assert "Has he lost control of his bladder" in reply.speech
    spoken = []
    reply, _ = answer_until_done(client, {"walk_stand_sleep": YES})
    for r in client.replies[2:-1]:
        spoken.append(r.speech)
    text = " ".join(spoken)
    assert "Does he have" in text and "his legs" in text
    assert " you " not in f" {text.lower()} ".replace("you can answer", "")
    assert "he should see a provider" in reply.speech or "for him to see" in reply.speech


def test_caregiver_mode_from_for_someone_else_mid_check(client):
    start_check(client)
    client.say(NO)
    reply = client.say("ForSomeoneElseIntent", person="mom")
    assert reply.state["question"] == "saddle_numbness", "the place in the check is kept"
    assert "her groin" in reply.speech and "your" not in reply.speech.lower()
    reply = client.say("ForSomeoneElseIntent", person="someone else")
    assert "their groin" in reply.speech


def test_caregiver_relief_steps_speak_of_them(client):
    client.launch()
    client.say("ForSomeoneElseIntent", person="dad")
    reply = client.say("StartReliefIntent")
    assert "Help him lie down" in reply.speech


@pytest.mark.parametrize("exit_intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_in_the_middle_of_the_check(client, exit_intent):
    start_check(client)
    client.say(NO)
    reply = client.say(exit_intent)
    assert reply.ends_session
    assert "911" in reply.speech, "stopping early still names the emergency signs"
    assert client.session is None


def test_stop_after_a_flag_still_gives_the_outcome_so_far(client):
    start_check(client)
    client.say(NOT_SURE)
    reply = client.say("AMAZON.StopIntent")
    assert reply.ends_session
    assert "today" in reply.speech and "920-725-9373" in reply.speech


def reach_each_state(client):
    """Yield (name, reply) after driving the conversation into each state."""
    yield "start_check", client.launch()
    yield "triage", client.say("StartCheckIntent")
    client.say("AMAZON.StopIntent")
    client.launch()
    yield "relief", client.say("StartReliefIntent")
    yield "menu", client.say("AMAZON.NavigateHomeIntent")
    yield "offer_card", client.say("ClinicNumberIntent")
    yield "anything_else", client.say(NO)
    yield "menu", client.say(YES)
    yield "offer_relief", client.say("AMAZON.NextIntent")


def test_help_in_every_state(client, lambda_handler):
    seen = set()
    for name, reply in reach_each_state(client):
        assert reply.state["pending"] == name
        before = reply.state
        help_reply = client.say("AMAZON.HelpIntent")
        assert not help_reply.ends_session
        assert help_reply.state["pending"] == name, "help keeps the place"
        assert help_reply.state.get("step") == before.get("step")
        assert help_reply.speech != reply.speech
        seen.add(name)
    assert seen == {"start_check", "triage", "relief", "offer_card", "anything_else",
                    "menu", "offer_relief"}


def test_information_mid_check_keeps_the_place(client):
    start_check(client)
    client.say(NO)
    reply = client.say("CausesIntent")
    assert "lifting" in reply.speech
    assert reply.state["question"] == "saddle_numbness"
    assert reply.speech.endswith(client.replies[-2].speech.split(". ")[-1])


@pytest.mark.parametrize("intent,fact", [
    ("AboutSpasmsIntent", "lower back"),
    ("CausesIntent", "posture"),
    ("DurationIntent", "several days"),
    ("HomeCareIntent", "heat"),
    ("WhenToWorryIntent", "911"),
])
def test_information_topics(client, intent, fact):
    client.launch()
    reply = client.say(intent)
    assert fact in reply.speech
    assert reply.state["pending"] == "start_check"


def test_clinic_number_is_read_digit_by_digit_and_card_on_request(client):
    client.launch()
    reply = client.say("ClinicNumberIntent")
    assert PHONE_DIGITS in reply.ssml
    assert "9207259373" not in reply.ssml
    reply = client.say("SendCardIntent")
    assert "920-725-9373" in reply.card["content"]


def test_appointment_explains_phone_or_web_and_offers_the_card(client):
    client.launch()
    reply = client.say("AppointmentIntent")
    assert PHONE_DIGITS in reply.ssml and "website" in reply.speech
    assert reply.state["pending"] == "offer_card"
    reply = client.say(YES)
    assert "920-725-9373" in reply.card["content"]


def test_launch_says_disclaimer_then_asks(client):
    reply = client.launch()
    assert "not medical advice" in reply.speech and "911" in reply.speech
    first_sentence_end = reply.speech.index("911")
    assert first_sentence_end < len(reply.speech) // 2


def test_fallback_twice_offers_a_menu(client):
    client.launch()
    client.say("StartReliefIntent")
    first = client.say("AMAZON.FallbackIntent")
    assert "Step" not in first.speech
    second = client.say("AMAZON.FallbackIntent")
    assert "next" in second.speech and "repeat" in second.speech
    assert second.state["misses"] == 2
    client.say("AMAZON.NextIntent")
    assert client.replies[-1].state["misses"] == 0


def test_no_to_anything_else_says_goodbye(client):
    client.launch()
    client.say("CausesIntent")
    client.say(NO)  # no to the safety questions
    reply = client.say(NO)  # no to the menu question
    assert reply.ends_session


def test_navigate_home_and_session_end(client):
    client.launch()
    client.say("StartReliefIntent")
    home = client.say("AMAZON.NavigateHomeIntent")
    assert home.state["pending"] == "menu" and home.state["step"] is None
    ended = client.send({"type": "SessionEndedRequest", "reason": "USER_INITIATED"})
    assert "outputSpeech" not in ended.response


def test_relief_before_the_check_offers_the_check_at_the_end(client):
    client.launch()
    client.say("StartReliefIntent")
    client.say("GoToStepIntent", step_number="eight")
    done = client.say("AMAZON.NextIntent")
    assert done.state["pending"] == "start_check"
    reply = client.say(YES)
    assert reply.state["pending"] == "triage"


@pytest.mark.parametrize("step", range(1, 9))
@pytest.mark.parametrize("command,expected", [
    ("AMAZON.NextIntent", lambda n: f"Step {n + 1} of 8" if n < 8 else "end of"),
    ("AMAZON.PreviousIntent", lambda n: f"Step {max(n - 1, 1)} of 8"),
    ("AMAZON.RepeatIntent", lambda n: f"Step {n} of 8"),
    ("AMAZON.StartOverIntent", lambda n: "Step 1 of 8"),
    ("SlowerIntent", lambda n: f"Step {n} of 8"),
    ("FasterIntent", lambda n: f"Step {n} of 8"),
    ("AMAZON.YesIntent", lambda n: f"Step {n + 1} of 8" if n < 8 else "end of"),
])
def test_navigation_works_at_every_step(client, step, command, expected):
    client.launch()
    client.say("GoToStepIntent", step_number=str(step))
    reply = client.say(command)
    assert expected(step) in reply.speech


def test_caregiver_advice_never_says_your(client):
    client.launch()
    client.say("ForSomeoneElseIntent", person="wife")
    advice = [client.say("StartReliefIntent")]
    advice += [client.say("AMAZON.NextIntent") for _ in range(7)]
    advice += [client.say(i) for i in ("AboutSpasmsIntent", "CausesIntent", "DurationIntent",
                                       "HomeCareIntent", "WhenToWorryIntent")]
    for reply in advice:
        advice_only = reply.speech.rsplit(".", 1)[0]  # the closing question speaks to the user
        assert not re.search(r"\byour?\b", advice_only, re.I), advice_only
    assert "her back" in advice[0].speech
