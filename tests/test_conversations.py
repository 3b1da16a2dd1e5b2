"""Whole conversations through lambda_function.lambda_handler, turn after turn, in every
locale the skill speaks (every one of skill/content/): the behaviour is the same, and
tests/data/locales/<locale>.yaml ("conversations") holds the words each locale uses for what a
test looks for.

Every reply also passes conftest.check_reply: valid SSML, never silent, and an
open session always ends on a question and has a reprompt.
"""
from __future__ import annotations

import re

import pytest

from conftest import CheckedClient
from support import locales


NO, YES, NOT_SURE = "AMAZON.NoIntent", "AMAZON.YesIntent", "NotSureIntent"
PHONE_DIGITS = '<say-as interpret-as="digits">920</say-as><break time="300ms"/>' \
               '<say-as interpret-as="digits">725</say-as><break time="300ms"/>' \
               '<say-as interpret-as="digits">9373</say-as>'


# The questions a 30-year-old with no sign is asked (skill/safety), in order.
ALL_CLEAR = ["bladder", "saddle", "legs", "front", "injury", "infection", "immune_bones",
             "cancer", "night", "age", "pregnant", "course"]


@pytest.fixture(params=locales.LOCALES)
def locale(request):
    return request.param


@pytest.fixture
def t(locale):
    """What each test looks for, in the locale's words; persons are what a caregiver says."""
    return locales.section(locale, "conversations")


@pytest.fixture
def client(lambda_handler, locale):
    """The conftest client, speaking the locale's language."""
    return CheckedClient(lambda_handler, locale=locale)


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
        reply = client.say("AgeIntent", age="30") if question == "age" \
            else client.say(answers.get(question, NO))
    return reply, asked


def test_emergency_yes_to_bladder_gives_911_and_stops_the_questions(client, t):
    reply = start_check(client)
    assert reply.state["question"] == "bladder"
    assert t["bladder"] in reply.speech
    reply = client.say(YES)
    assert reply.ends_session, "an emergency ends the questions at once"
    assert t["call_emergency"] in reply.speech.lower()
    assert t["cant_call"] in reply.speech.lower()
    assert reply.card["title"] == t["emergency_card"]
    assert "911" in reply.card["content"] and t["card_cannot_call"] in reply.card["content"]
    assert t["bladder"] in reply.card["content"]


def test_emergency_later_in_the_check(client, t):
    start_check(client)
    reply, asked = answer_until_done(client, {"infection": YES, "fever": YES})
    assert asked[-1] == "fever" and reply.ends_session
    assert "911" in reply.speech and t["fever"] in reply.speech


def test_provider_case_offers_the_card_and_yes_sends_it(client, t):
    start_check(client)
    reply, asked = answer_until_done(client, {"course": YES})
    assert asked[-1] == "course"
    assert not reply.ends_session
    assert t["see_provider"] in reply.speech and t["coming_back"] in reply.speech
    assert t["offer_card"] in reply.speech
    reply = client.say(YES)
    card = reply.card
    assert card is not None and card["type"] == "Simple"
    assert card["title"] == "Neuroscience Group"
    assert "920-725-9373" in card["content"]
    assert "https://" in card["content"]
    assert t["card_sent"] in reply.speech


def test_unsure_on_an_emergency_question_means_checked_today_not_home_care(client, t):
    start_check(client)
    reply, _ = answer_until_done(client, {"legs": YES, "both_legs": NOT_SURE})
    assert t["today"] in reply.speech
    assert "911" in reply.speech
    assert t["home"] not in reply.speech.lower()
    assert reply.state["pending"] == "offer_card"


def test_home_care_case_continues_into_relief_with_next_previous_repeat(client, t):
    step = t["step"].format
    start_check(client)
    reply, asked = answer_until_done(client, {})
    assert asked == ALL_CLEAR
    assert t["week"] in reply.speech and t["provider"] in reply.speech
    assert reply.state["pending"] == "offer_relief"

    step1 = client.say(YES)
    assert step(1) in step1.speech and t["knees"] in step1.speech
    step2 = client.say("AMAZON.NextIntent")
    assert step(2) in step2.speech
    assert '<break time="5000ms"/>' in step2.ssml and '<prosody rate="slow">' in step2.ssml
    again = client.say("AMAZON.RepeatIntent")
    assert again.ssml == step2.ssml and again.reprompt_ssml == step2.reprompt_ssml
    back = client.say("AMAZON.PreviousIntent")
    assert step(1) in back.speech
    first = client.say("AMAZON.PreviousIntent")
    assert t["first_step"] in first.speech and step(1) in first.speech

    for number in range(2, 9):
        reply = client.say("AMAZON.NextIntent")
        assert step(number) in reply.speech
    assert t["label"] in client.replies[-3].speech  # the anti-inflammatory step: no dose
    done = client.say("AMAZON.NextIntent")
    assert t["end"] in done.speech and t["week"] in done.speech
    assert done.state["pending"] == "offer_reminder", "home care: a check-in reminder is offered"
    assert done.state["step"] is None


def test_start_over_slower_and_faster_in_relief(client, t):
    step = t["step"].format
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)  # no to the one-breath emergency question: relief starts
    client.say("AMAZON.NextIntent")
    slow = client.say("SlowerIntent")
    assert step(2) in slow.speech
    assert '<prosody rate="x-slow">' in slow.ssml  # breathing: one notch below the new rate
    assert '<break time="6000ms"/>' in slow.ssml  # pauses stretch with the rate
    fast = client.say("FasterIntent")
    fast = client.say("FasterIntent")
    assert fast.state["rate"] == 3
    fastest = client.say("FasterIntent")
    assert t["fastest"] in fastest.speech
    over = client.say("AMAZON.StartOverIntent")
    assert step(1) in over.speech
    jump = client.say("GoToStepIntent", step_number="5")
    assert step(5) in jump.speech and t["home_care"] in jump.speech


def test_caregiver_case_asks_in_the_third_person(client, t):
    reply = start_check(client, person=t["husband"])
    assert t["about_him"] in reply.speech
    assert t["he_bladder"] in reply.speech
    spoken = []
    reply, _ = answer_until_done(client, {"course": YES})
    for r in client.replies[2:-1]:
        spoken.append(r.speech)
    text = " ".join(spoken)
    assert t["he_asks"][0] in text and t["he_asks"][1] in text
    assert not re.search(t["you"], text.lower().replace("you can answer", "")), text
    assert any(wording in reply.speech for wording in t["he_provider"]), reply.speech


def test_caregiver_mode_from_for_someone_else_mid_check(client, t):
    start_check(client)
    client.say(NO)
    reply = client.say("ForSomeoneElseIntent", person=t["mom"])
    # The "no" was about the speaker: her questions start again, none of it kept for her.
    assert reply.state["question"] == "bladder" and reply.state["answers"] == {}
    assert not re.search(t["you"], reply.speech.lower())
    reply = client.say(NO)
    assert t["her_groin"] in reply.speech and not re.search(t["you"], reply.speech.lower())
    reply = client.say("ForSomeoneElseIntent", person=t["someone_else"])
    assert reply.state["question"] == "bladder" and reply.state["answers"] == {}
    assert client.say(NO).speech.count(t["their_groin"]) == 1


def test_caregiver_relief_steps_speak_of_them(client, t):
    client.launch()
    client.say("ForSomeoneElseIntent", person=t["dad"])
    client.say("StartReliefIntent")
    reply = client.say(NO)
    assert t["help_him_lie"] in reply.speech


@pytest.mark.parametrize("exit_intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_in_the_middle_of_the_check(client, exit_intent):
    start_check(client)
    client.say(NO)
    reply = client.say(exit_intent)
    assert reply.ends_session
    assert "911" in reply.speech, "stopping early still names the emergency signs"
    assert client.session is None


def test_stop_after_a_flag_still_gives_the_outcome_so_far(client, t):
    start_check(client)
    client.say(NOT_SURE)
    reply = client.say("AMAZON.StopIntent")
    assert reply.ends_session
    assert t["today"] in reply.speech and "920-725-9373" in reply.speech


def reach_each_state(client):
    """Yield (name, reply) after driving the conversation into each state."""
    yield "welcome", client.launch()
    yield "triage", client.say("StartCheckIntent")
    client.say("AMAZON.StopIntent")
    client.launch()
    yield "quick_screen", client.say("StartReliefIntent")
    yield "relief", client.say(NO)
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
    assert seen == {"welcome", "quick_screen", "triage", "relief", "offer_card", "anything_else",
                    "menu", "offer_relief"}


def test_information_mid_check_keeps_the_place(client, t):
    start_check(client)
    client.say(NO)
    reply = client.say("CausesIntent")
    assert t["lifting"] in reply.speech
    assert reply.state["question"] == "saddle"
    assert reply.speech.endswith(client.replies[-2].speech.split(". ")[-1])


@pytest.mark.parametrize("intent", ["AboutSpasmsIntent", "CausesIntent", "DurationIntent",
                                    "HomeCareIntent", "WhenToWorryIntent"])
def test_information_topics(client, t, intent):
    client.launch()
    reply = client.say(intent)
    assert t["facts"][intent] in reply.speech
    # A long topic offers its second part; a short one asks the welcome's question again.
    assert reply.state["pending"] in ("welcome", "offer_more")


def test_clinic_number_is_read_digit_by_digit_and_card_on_request(client):
    client.launch()
    reply = client.say("ClinicNumberIntent")
    assert PHONE_DIGITS in reply.ssml
    assert "9207259373" not in reply.ssml
    reply = client.say("SendCardIntent")
    assert "920-725-9373" in reply.card["content"]


def test_appointment_explains_phone_or_web_and_offers_the_card(client, t):
    client.launch()
    reply = client.say("AppointmentIntent")
    assert PHONE_DIGITS in reply.ssml and t["website"] in reply.speech
    assert reply.state["pending"] == "offer_card"
    reply = client.say(YES)
    assert "920-725-9373" in reply.card["content"]


def test_launch_says_disclaimer_then_asks(client, t):
    reply = client.launch()
    assert t["disclaimer"] in reply.speech and "911" in reply.speech
    # One breath: the disclaimer and 911 before the one question, 25 words in all.
    assert reply.speech.index("911") < reply.speech.index("?")
    assert len(reply.speech.split()) <= 25, reply.speech


def test_fallback_twice_offers_a_menu(client, t):
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)
    first = client.say("AMAZON.FallbackIntent")
    assert t["step"].split()[0] not in first.speech
    second = client.say("AMAZON.FallbackIntent")
    assert all(word in second.speech for word in t["menu_words"])
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
    client.say(NO)  # no to the one-breath emergency question
    home = client.say("AMAZON.NavigateHomeIntent")
    assert home.state["pending"] == "menu" and home.state["step"] is None
    ended = client.send({"type": "SessionEndedRequest", "reason": "USER_INITIATED"})
    assert "outputSpeech" not in ended.response


def test_relief_before_the_check_offers_the_check_at_the_end(client):
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)  # no to the one-breath emergency question
    client.say("GoToStepIntent", step_number="eight")
    done = client.say("AMAZON.NextIntent")
    assert done.state["pending"] == "finish_check"
    reply = client.say(YES)
    assert reply.state["pending"] == "triage"


@pytest.mark.parametrize("step", range(1, 9))
@pytest.mark.parametrize("command,expected", [
    ("AMAZON.NextIntent", lambda n: n + 1 if n < 8 else "end"),
    ("AMAZON.PreviousIntent", lambda n: max(n - 1, 1)),
    ("AMAZON.RepeatIntent", lambda n: n),
    ("AMAZON.StartOverIntent", lambda n: 1),
    ("SlowerIntent", lambda n: n),
    ("FasterIntent", lambda n: n),
    ("AMAZON.YesIntent", lambda n: n + 1 if n < 8 else "end"),
])
def test_navigation_works_at_every_step(client, t, step, command, expected):
    client.launch()
    client.say("GoToStepIntent", step_number=str(step))
    client.say(NO)  # no to the one-breath emergency question: the step asked for
    reply = client.say(command)
    where = expected(step)
    assert (t["end"] if where == "end" else t["step"].format(where)) in reply.speech


def test_caregiver_advice_never_says_your(client, t):
    client.launch()
    client.say("ForSomeoneElseIntent", person=t["wife"])
    client.say("StartReliefIntent")
    advice = [client.say(NO)]
    advice += [client.say("AMAZON.NextIntent") for _ in range(7)]
    advice += [client.say(i) for i in ("AboutSpasmsIntent", "CausesIntent", "DurationIntent",
                                       "HomeCareIntent", "WhenToWorryIntent")]
    for reply in advice:
        advice_only = reply.speech.rsplit(".", 1)[0]  # the closing question speaks to the user
        assert not re.search(t["you"], advice_only, re.I), advice_only
    assert t["her_relief"] in advice[0].speech
