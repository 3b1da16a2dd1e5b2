"""The safety check v2 through lambda_function.lambda_handler, turn after turn, in every locale:
the vignettes played by answering each question from their facts, the age as a number, asking
for 911 at any point, and the outcomes said as CLINICAL.md's four levels."""
from __future__ import annotations

import re

import pytest
from conftest import CheckedClient
from tools.clinical_review import vignettes

from skill import safety, speech
from support import locales

YES, NO, NOT_SURE = "AMAZON.YesIntent", "AMAZON.NoIntent", "NotSureIntent"
LOCALES = locales.LOCALES


def person(locale: str, who: str) -> str:
    """How a caregiver names the person; the skill resolves he / she / they from it."""
    return locales.section(locale, "persons.caregiver")[who]


INTENT = {"yes": YES, "no": NO, "unsure": NOT_SURE}


def play(client: CheckedClient, vignette: vignettes.Vignette, locale: str):
    """Launch, start the check for the vignette's person, answer every question from its facts."""
    client.launch()
    if vignette.who == "you":
        reply = client.say("StartCheckIntent")
    else:
        reply = client.say("StartCheckIntent", person=person(locale, vignette.who))
    assert reply.state["subject"] == vignette.who
    asked = []
    while reply.state.get("pending") == "triage" and not reply.ends_session:
        question = reply.state["question"]
        asked.append(question)
        said = vignette.answer(question)
        reply = client.say(INTENT[said]) if said in INTENT else client.say("AgeIntent", age=said)
    return reply, asked


def level_said(reply, locale: str) -> safety.Level:
    """The outcome as the person heard it: 911 and the card, the words of a today or a provider
    outcome (from the locale's content), or home care (relief offered)."""
    content = speech.load_content(locale)["outcome"]
    if reply.ends_session and reply.card and "911" in reply.card["title"]:
        return safety.Level.EMERGENCY
    spoken = reply.speech
    for key, level in (("today", safety.Level.TODAY), ("today_doubt", safety.Level.TODAY),
                       ("today_pregnant", safety.Level.TODAY),
                       ("provider", safety.Level.PROVIDER),
                       ("provider_doubt", safety.Level.PROVIDER)):
        entry = content[key]
        if any(opening(text) in spoken for text in speech.variants(entry, False) +
               speech.variants(entry, True)):
            return level
    if reply.state.get("pending") == "offer_relief":
        return safety.Level.HOME_CARE
    raise AssertionError(f"no outcome heard: {spoken}")


def opening(text: str) -> str:
    """The longest stretch of an entry's words that never changes: between placeholders and
    markup ({topic}, [phone], *phrase* marks)."""
    return max(re.split(r"\{\w+\}|\[[^\]]*\]|\*", text), key=len).strip()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_vignette_through_the_lambda_handler(lambda_handler, locale):
    under, over, counts = [], [], []
    for vignette in vignettes.load():
        client = CheckedClient(lambda_handler, locale=locale)
        reply, asked = play(client, vignette, locale)
        counts.append(len(asked))
        heard, expected = level_said(reply, locale), safety.Level[vignette.outcome]
        if heard < expected:
            under.append(f"{vignette.id}: heard {heard.name}, expected {vignette.outcome}")
        elif heard > expected:
            over.append(f"{vignette.id}: heard {heard.name}, expected {vignette.outcome}")
    counts.sort()
    print(f"\n{locale}: {len(counts)} vignettes through the handler; questions median "
          f"{counts[len(counts) // 2]}, max {counts[-1]}; under {len(under)}, over {len(over)}")
    assert not under, "under-triaged:\n" + "\n".join(under)
    assert not over, "over-triaged:\n" + "\n".join(over)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("moment", ["launch", "mid_check", "relief"])
def test_asking_for_911_says_what_to_do_at_once_anywhere(lambda_handler, locale, moment):
    client = CheckedClient(lambda_handler, locale=locale)
    client.launch()
    if moment == "mid_check":
        client.say("StartCheckIntent")
        client.say(NO)
    elif moment == "relief":
        client.say("StartReliefIntent")
        client.say(NO)
    reply = client.say("EmergencyIntent")
    assert reply.ends_session and "911" in reply.speech
    assert reply.card and "911" in reply.card["title"]
    said = speech.load_content(locale)["emergency_request"]["say"]
    assert opening(said) in reply.speech


@pytest.mark.parametrize("locale", LOCALES)
def test_the_age_is_a_number_and_a_yes_or_no_asks_it_again(lambda_handler, locale):
    client = CheckedClient(lambda_handler, locale=locale)
    client.launch()
    reply = client.say("StartCheckIntent")
    while reply.state["question"] != "age":
        reply = client.say(NO)
    hint = speech.load_content(locale)["triage"]["questions"]["age"]["hint"]
    again = client.say(YES)
    assert again.state["question"] == "age" and "age" not in again.state["answers"]
    assert opening(hint) in again.speech
    silly = client.say("AgeIntent", age="400")
    assert silly.state["question"] == "age" and "age" not in silly.state["answers"]
    bare = client.say("GoToStepIntent", step_number="45")  # "forty five", heard as a number
    assert bare.state["answers"]["age"] == "45" and bare.state["question"] == "pregnant"


@pytest.mark.parametrize("locale", LOCALES)
def test_an_unknown_age_is_not_sure_and_sees_a_provider(lambda_handler, locale):
    client = CheckedClient(lambda_handler, locale=locale)
    client.launch()
    reply = client.say("StartCheckIntent", person=person(locale, "he"))
    while reply.state.get("pending") == "triage":
        reply = client.say(NOT_SURE if reply.state["question"] == "age" else NO)
    assert reply.state["answers"]["age"] == "unsure"
    assert level_said(reply, locale) is safety.Level.PROVIDER  # row 24: maybe 70 or over


@pytest.mark.parametrize("locale", LOCALES)
def test_a_small_fall_on_the_way_to_relief_is_said_in_brief_then_in_full(lambda_handler, locale):
    """Relief first: a small fall under 50 found in the block is "be seen today" in brief,
    the foam roller is skipped, and the number comes with the outcome in full at the end."""
    client = CheckedClient(lambda_handler, locale=locale)
    client.launch()
    client.say("StartReliefIntent")
    reply = client.say(YES)  # yes to the one-breath question: one at a time
    answers = {"injury": YES, "big_injury": NO, "fall_bones": NO, "cant_stand": NO}
    while reply.state.get("pending") == "triage":
        question = reply.state["question"]
        reply = client.say("AgeIntent", age="35") if question == "age" \
            else client.say(answers.get(question, NO))
    content = speech.load_content(locale)
    assert reply.state["pending"] == "relief" and reply.state["step"] == 0
    assert opening(content["outcome"]["before_relief"]["say"]) in reply.speech
    assert "920-725-9373" not in reply.speech, "the number comes after relief"
    roller = client.say("GoToStepIntent", step_number="3")
    assert content["relief"]["roller_after_fall"]["say"] in roller.speech
    end = client.say("GoToStepIntent", step_number="8")
    done = client.say("AMAZON.NextIntent")
    assert end.state["step"] == 7 and "920-725-9373" in done.speech
    assert done.state["pending"] == "offer_card"


@pytest.mark.parametrize("locale", LOCALES)
def test_pregnancy_sends_her_to_the_midwife_not_the_clinic(lambda_handler, locale):
    for labour in (NO, NOT_SURE):
        client = CheckedClient(lambda_handler, locale=locale)
        client.launch()
        reply = client.say("StartCheckIntent")
        while reply.state.get("pending") == "triage":
            question = reply.state["question"]
            reply = (client.say("AgeIntent", age="29") if question == "age"
                     else client.say(YES if question == "pregnant"
                                     else labour if question == "labour" else NO))
        content = speech.load_content(locale)
        said = content["outcome"]["today_pregnant"]["say"][0]
        assert opening(said) in reply.speech
        assert "920-725-9373" not in reply.speech
        # The clinic's card would not help her: relief is offered instead, and it knows.
        assert reply.state["pending"] == "offer_relief" and reply.card is None
        first = client.say(YES)
        assert content["relief"]["pregnancy"]["lie_back"]["say"] in first.speech
        assert content["relief"]["steps"]["lie_back"]["say"] not in first.speech
        medicine = client.say("GoToStepIntent", step_number="6")
        assert content["relief"]["pregnancy"]["anti_inflammatory"]["say"] in medicine.speech
        assert client.say("GoToStepIntent", step_number="8").state["step"] == 7
        assert client.say("AMAZON.NextIntent").state["pending"] == "anything_else"
