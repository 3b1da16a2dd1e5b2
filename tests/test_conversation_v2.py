"""The second version's conversation rules, through lambda_function.lambda_handler, turn after
turn, carrying the session as Alexa does, in every locale the content folder holds.

What a reply must say is taken from the locale's own content (every wording of the entry, for
the person asked about), so the tests read the same in English and Spanish: nothing said in
passing loses progress; answers as people give them; relief within three turns.
"""
from __future__ import annotations

import pytest

from conftest import CheckedClient
from skill import safety, speech
from devkit.model import InteractionModel
from devkit.nlu import FALLBACK, Understanding
from support import locales
from support.spoken import PHONE, says

NO, YES, NOT_SURE = "AMAZON.NoIntent", "AMAZON.YesIntent", "NotSureIntent"
LOCALES = locales.LOCALES
PHONE_SSML = speech.phone_ssml(PHONE)
EMERGENCY_IDS = safety.BLOCK_SCREENS
FIRST, SECOND = safety.QUESTION_IDS[:2]
# The first question after the emergency block, its screens all answered no.
AFTER_BLOCK = safety.next_question(dict.fromkeys(EMERGENCY_IDS, "no")).id


@pytest.fixture(params=LOCALES)
def locale(request):
    return request.param


@pytest.fixture
def client(lambda_handler, locale):
    return CheckedClient(lambda_handler, locale=locale)


def step_of(reply) -> int | None:
    return reply.state.get("step") if reply.state.get("pending") == "relief" else None


# --- 4. Relief within three turns --------------------------------------------------------------

def test_relief_is_the_third_turn_from_open(client, locale):
    welcome = client.launch()
    assert len(welcome.speech.split()) <= 25, welcome.speech
    screen = client.say("StartReliefIntent")
    assert screen.state["pending"] == "quick_screen"
    assert says(screen, locale, "pending.quick_screen.prompt")
    relief = client.say(NO)
    assert step_of(relief) == 0 and says(relief, locale, "relief.steps.lie_back")


def test_a_one_shot_request_reaches_relief_on_the_second_turn(client, locale):
    first = client.say("StartReliefIntent")  # "Alexa, ask back spasm helper to help with my spasm"
    assert says(first, locale, "launch.disclaimer"), "a first visit hears the disclaimer"
    assert first.state["pending"] == "quick_screen"
    assert step_of(client.say(NO)) == 0


def test_yes_to_the_one_breath_question_asks_the_signs_one_at_a_time(client, locale):
    """Some signs in that breath call for 911 (both legs, a big fall) and some do not (one
    leg, a small fall): a yes is told apart one question at a time, then relief."""
    client.launch()
    client.say("StartReliefIntent")
    reply = client.say(YES)
    assert reply.state["pending"] == "triage" and reply.state["question"] == FIRST
    assert says(reply, locale, "triage.quick.one_by_one") and reply.state["then_relief"]
    for answer in (NO, NO, YES):  # bladder, saddle, legs: one leg
        reply = client.say(answer)
    assert reply.state["question"] == "both_legs"
    emergency = client.say(YES)
    assert emergency.ends_session and emergency.card and "911" in emergency.speech


# --- 2. Nothing said in passing loses progress -------------------------------------------------

def test_the_last_step_does_not_ask_to_go_on_to_a_next_one(client, locale):
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)
    last = client.say("GoToStepIntent", step_number="8")
    assert step_of(last) == 7 and says(last, locale, "pending.relief.last_prompt")
    assert not says(last, locale, "pending.relief.prompt")
    before = client.say("AMAZON.PreviousIntent")
    assert step_of(before) == 6 and says(before, locale, "pending.relief.prompt")
    client.say("AMAZON.NextIntent")
    done = client.say(YES)  # "ready to finish?" "yes"
    assert step_of(done) is None and done.state["pending"] != "relief"


def test_relief_asked_again_in_the_routine_carries_on(client, locale):
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)
    assert step_of(client.say("StartReliefIntent")) == 1, "'help with my spasm' again: carry on"
    assert step_of(client.say("AMAZON.NextIntent")) == 2
    assert step_of(client.say("AMAZON.StartOverIntent")) == 0, "only start over starts over"


def test_the_check_asked_for_mid_check_carries_on(client, locale):
    client.launch()
    client.say("StartCheckIntent")
    client.say(NO)
    again = client.say("StartCheckIntent")
    assert again.state["question"] == SECOND
    assert again.state["answers"] == {FIRST: "no"}
    assert says(again, locale, f"triage.questions.{SECOND}")


def test_relief_mid_check_then_the_check_resumes_with_its_answers(client, locale):
    client.launch()
    client.say("StartCheckIntent")
    client.say(NO)  # the first emergency question
    screen = client.say("StartReliefIntent")  # "can we skip the questions"
    assert screen.state["pending"] == "quick_screen", "the 911 signs first, in one breath"
    # ... the ones not yet answered: what was just answered is not asked again
    content = speech.load_content(locale)["triage"]["questions"]
    for qid in EMERGENCY_IDS[1:]:
        assert content[qid]["short"] in screen.speech.lower(), qid
    assert content[FIRST]["short"] not in screen.speech.lower()
    assert says(screen, locale, "pending.quick_screen.prompt", Signs=speech.Voice(
        speech.load_content(locale), {}, PHONE).listing(
            [content[qid]["short"] for qid in EMERGENCY_IDS[1:]]).capitalize())
    relief = client.say(NO)
    assert step_of(relief) == 0
    client.say("GoToStepIntent", step_number="8")
    offer = client.say("AMAZON.NextIntent")
    assert offer.state["pending"] == "finish_check"
    resumed = client.say(YES)
    # The answers given one by one are kept; the one-breath "no" records none, since the
    # breath does not name every sign the questions ask (belly throbbing, sex, burning pee).
    assert resumed.state["pending"] == "triage" and resumed.state["question"] == SECOND
    assert resumed.state["answers"] == {FIRST: "no"}, "the answers were kept"


def test_refusing_even_one_question_hears_the_signs_and_gets_relief(client, locale):
    client.launch()
    client.say("StartReliefIntent")
    reply = client.say("StartReliefIntent")  # "just help me", at the one-breath question
    assert says(reply, locale, "triage.quick.warning") and step_of(reply) == 0
    assert reply.state["answers"] == {}, "nothing was answered for them"


def test_stop_mid_check_names_the_emergency_signs_not_asked(client, locale):
    client.launch()
    client.say("StartCheckIntent")
    client.say(NO)
    reply = client.say("AMAZON.StopIntent")
    assert reply.ends_session
    content = speech.load_content(locale)["triage"]["questions"]
    for qid in EMERGENCY_IDS[1:]:
        assert content[qid]["short"] in reply.speech, qid
    assert content[EMERGENCY_IDS[0]]["short"] not in reply.speech


@pytest.mark.parametrize("caregiver", ["he", "she", "they"])
def test_who_the_questions_are_about_switches_both_ways(client, locale, caregiver):
    words = locales.section(locale, "persons.caregiver")
    client.launch()
    about = client.say("ForSomeoneElseIntent", person=words[caregiver])
    assert about.state["subject"] == caregiver
    question = f"triage.questions.{FIRST}"
    assert says(about, locale, question, caregiver)
    me = client.say("ForMeIntent")
    assert me.state["subject"] == "you" and says(me, locale, question)
    back = client.say("ForSomeoneElseIntent", person=words[caregiver])
    assert back.state["subject"] == caregiver and back.state["question"] == FIRST


def test_answers_about_one_person_never_stand_for_another(client, locale):
    """"It's for my husband", a "no", then "actually it's me": her questions start again."""
    client.launch()
    client.say("ForSomeoneElseIntent", person=locales.section(locale, "persons.caregiver.he"))
    answered = client.say(NO)
    assert answered.state["answers"] == {FIRST: "no"}
    me = client.say("ForMeIntent")
    assert me.state["subject"] == "you" and me.state["answers"] == {}
    assert me.state["question"] == FIRST and says(me, locale, "caregiver.start_again")
    assert says(me, locale, f"triage.questions.{FIRST}")


def test_a_person_named_in_passing_mid_check_changes_nothing(client, locale):
    """"The baby moves, but no pain" is heard as a request naming someone: mid-check it is
    no switch, and the answers and the question stay."""
    client.launch()
    client.say("StartCheckIntent")
    client.say(NO)
    reply = client.say("StartCheckIntent", person=locales.section(locale, "persons.in_passing"))
    assert reply.state["subject"] == "you" and reply.state["answers"] == {FIRST: "no"}
    assert reply.state["question"] == SECOND


def test_the_number_again_and_slower_reads_it_again_without_the_card(client, locale):
    client.launch()
    first = client.say("ClinicNumberIntent")
    assert PHONE_SSML in first.ssml and first.card is None
    again = client.say("ClinicNumberIntent")  # "say the number again"
    assert PHONE_SSML in again.ssml and again.card is None
    slower = client.say("SlowerIntent")
    assert PHONE_SSML in slower.ssml and slower.state["rate"] == 1 and slower.card is None
    assert client.say(YES).card is not None, "the card on consent"


def test_repeat_after_a_miss_repeats_the_step_not_the_apology(client, locale):
    client.launch()
    client.say("StartReliefIntent")
    step = client.say(NO)
    client.say("AMAZON.FallbackIntent")
    repeated = client.say("AMAZON.RepeatIntent")
    # The step again, without the "Okay" that took the answer before it.
    assert step.ssml.endswith(repeated.ssml.removeprefix("<speak>"))
    assert says(repeated, locale, "relief.steps.lie_back")


# --- 3. Answers as people give them ------------------------------------------------------------

def test_a_hedge_on_a_safety_question_is_not_sure(client, locale):
    client.launch()
    client.say("StartCheckIntent")
    reply = client.say("MaybeIntent")  # "I think so", "kind of"
    assert reply.state["answers"] == {FIRST: "unsure"}


def test_a_hedge_to_an_offer_is_a_yes(client, locale):
    client.launch()
    client.say("ClinicNumberIntent")
    assert client.say("MaybeIntent").card is not None


@pytest.mark.parametrize("confused",
                         ["ExplainIntent", "AMAZON.FallbackIntent", "AMAZON.HelpIntent"])
def test_not_understanding_a_safety_question_is_never_an_answer(client, locale, confused):
    client.launch()
    client.say("StartCheckIntent")
    reply = client.say(confused)
    first = FIRST
    assert reply.state["answers"] == {} and reply.state["question"] == first
    assert says(reply, locale, f"triage.questions.{first}"), "the question is asked again"
    if confused == "ExplainIntent":
        assert says(reply, locale, f"triage.questions.{first}.explain")


def test_what_do_you_mean_twice_says_what_the_question_is_for_not_the_same_words(client,
                                                                                   locale):
    client.launch()
    client.say("StartCheckIntent")
    first = client.say("ExplainIntent")
    again = client.say("ExplainIntent")
    assert says(first, locale, f"triage.questions.{FIRST}.explain")
    assert says(again, locale, "triage.explain_again"), "other words the second time"
    assert len(again.speech.split()) <= len(first.speech.split()) + 5, "and not longer"
    assert not says(again, locale, f"triage.questions.{FIRST}.explain")
    assert says(again, locale, f"triage.questions.{FIRST}") and again.state["answers"] == {}
    third = client.say("ExplainIntent")
    assert says(third, locale, "triage.explain_again"), "and the same way while it is asked"
    client.say(NO)
    after = client.say("ExplainIntent")
    assert says(after, locale, f"triage.questions.{SECOND}.explain"), "a new question: its own"


def test_explain_at_the_one_breath_question(client, locale):
    client.launch()
    client.say("StartReliefIntent")
    reply = client.say("ExplainIntent")
    assert says(reply, locale, "triage.quick.explain") and reply.state["answers"] == {}
    assert reply.state["pending"] == "quick_screen"


def test_when_to_worry_says_the_911_signs_first_then_offers_more(client, locale):
    client.launch()
    short = client.say("WhenToWorryIntent")
    assert says(short, locale, "info.when_to_worry") and short.state["pending"] == "offer_more"
    assert len(short.speech.split()) <= 45, short.speech
    more = client.say(YES)
    assert says(more, locale, "info.when_to_worry_more")


def test_what_now_mid_check_moves_on_to_relief_after_the_911_signs(client, locale):
    client.launch()
    client.say("StartCheckIntent")
    screen = client.say("AMAZON.NextIntent")  # "ok, what now?" at the first safety question
    assert screen.state["pending"] == "quick_screen" and screen.state["answers"] == {}
    assert step_of(client.say(NO)) == 0


def test_a_hedge_is_said_back_as_not_sure(client, locale):
    client.launch()
    client.say("StartCheckIntent")
    reply = client.say("MaybeIntent")
    assert says(reply, locale, "triage.counted_unsure"), "the person hears how it was taken"


def test_go_on_at_the_offer_to_finish_the_check_resumes_it(client, locale):
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)
    client.say("GoToStepIntent", step_number="8")
    assert client.say("AMAZON.NextIntent").state["pending"] == "finish_check"
    resumed = client.say("AMAZON.NextIntent")
    assert resumed.state["pending"] == "triage"
    assert resumed.state["question"] == FIRST, "the breath recorded no answer: all are asked"


@pytest.mark.parametrize("locale_and_said", [("en-US", "thanks"), ("en-US", "thank you"),
                                             ("es-US", "gracias")])
def test_thanks_is_never_an_answer(locale_and_said):
    locale, said = locale_and_said
    assert Understanding(InteractionModel.load(locale)).parse(said).intent == FALLBACK


# --- passing remarks and last words ------------------------------------------------------------

def test_hold_on_keeps_the_question_and_records_nothing(client, locale):
    """"Hang on, let me ask her": no answer, no apology, the same question after."""
    client.launch()
    client.say("StartCheckIntent")
    client.say(NO)
    held = client.say("WaitIntent")
    assert held.state["question"] == SECOND and held.state["answers"] == {FIRST: "no"}
    assert says(held, locale, "no_rush") and not says(held, locale, "fallback.missed")
    assert held.state["misses"] == 0
    assert client.say(NO).state["answers"] == {FIRST: "no", SECOND: "no"}


def test_the_goodbye_says_the_visit_once_more(client, locale):
    client.launch()
    reply = client.say("StartCheckIntent")
    while reply.state.get("pending") == "triage":  # a 30-year-old, pain for over a week
        question = reply.state["question"]
        reply = client.say("AgeIntent", age="30") if question == "age" \
            else client.say(YES if question == "course" else NO)
    assert reply.state["pending"] == "offer_card"
    client.say(NO)
    bye = client.say("AMAZON.StopIntent")
    assert bye.ends_session and says(bye, locale, "goodbye_after.provider")


def test_no_more_questions_after_relief_declines_the_check_not_relief_again(client, locale):
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)
    client.say("GoToStepIntent", step_number="8")
    offer = client.say("AMAZON.NextIntent")
    assert offer.state["pending"] == "finish_check"
    declined = client.say("StartReliefIntent")  # "no more questions, I just want relief"
    assert step_of(declined) is None and declined.state["pending"] != "finish_check"


def test_repeat_after_an_answer_says_the_question_not_the_answer_taken(client, locale):
    """"I'll count that as not sure", heard again after "pardon?", sounds like a new answer."""
    client.launch()
    client.say("StartCheckIntent")
    taken = client.say("MaybeIntent")
    assert says(taken, locale, "triage.counted_unsure")
    again = client.say("AMAZON.RepeatIntent")
    assert not says(again, locale, "triage.counted_unsure")
    assert says(again, locale, f"triage.questions.{SECOND}")
    assert again.state["answers"] == {FIRST: "unsure"}


def test_the_check_asked_for_once_done_says_what_it_found_and_keeps_the_answers(client, locale):
    """"Do I need to call 911 or not?" after the outcome is heard as a request for the check:
    the finding again, never every answer wiped and the questions asked anew."""
    client.launch()
    reply = client.say("StartCheckIntent")
    while reply.state.get("pending") == "triage":
        question = reply.state["question"]
        reply = client.say("AgeIntent", age="30") if question == "age" \
            else client.say(YES if question == "course" else NO)
    answers = reply.state["answers"]
    again = client.say("StartCheckIntent")
    assert again.state["answers"] == answers and again.state["pending"] != "triage"
    assert says(again, locale, "triage.already_done") \
        and says(again, locale, "triage.topics.course")
    restart = client.say("AMAZON.StartOverIntent")  # a new check, only when asked for
    assert restart.state["pending"] == "triage" and restart.state["answers"] == {}
