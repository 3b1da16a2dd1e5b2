"""Spanish (es-US): whole conversations through the Lambda handler, checking what is said (SSML)
and what is sent (cards, reminders); which content a request's locale speaks from; the
emergency number per locale; and the safety property through the handler in both locales.

tests/test_conversations.py runs every behaviour test in both locales; this file checks the
Spanish wording itself: the pronouns for a caregiver, and the number read digit by digit.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CheckedClient, check_reply
from skill import build_lambda_handler, safety
from devkit import envelopes
from devkit.client import Reply
from skill.dialogue import table as dialogue_table
from skill.settings import Settings, SettingsError
from support.fake_alexa_api import FakeAlexaApi
from support.tls import make_loopback_certificates

YES, NO, NOT_SURE = "AMAZON.YesIntent", "AMAZON.NoIntent", "NotSureIntent"
ES = "es-US"
DIGITS_911 = '<say-as interpret-as="digits">911</say-as>'
PHONE_DIGITS = '<say-as interpret-as="digits">920</say-as><break time="300ms"/>' \
               '<say-as interpret-as="digits">725</say-as><break time="300ms"/>' \
               '<say-as interpret-as="digits">9373</say-as>'
# Words a caregiver's question must never hold: they speak to the patient ("usted").
USTED = re.compile(r"\busted\b", re.I)


@pytest.fixture
def es(lambda_handler):
    return CheckedClient(lambda_handler, locale=ES)


def check(client, **slots) -> Reply:
    client.launch()
    reply = client.say("StartCheckIntent", **slots)
    assert reply.state["pending"] == "triage"
    return reply


def answer(client, answers: dict[str, str]) -> tuple[Reply, list[Reply]]:
    """Answer each question by its id (default no) until the check is over."""
    reply, asked = client.replies[-1], []
    while not reply.ends_session and reply.state.get("pending") == "triage":
        asked.append(reply)
        question = reply.state["question"]
        reply = client.say("AgeIntent", age=answers.get("age", "30")) if question == "age" \
            else client.say(answers.get(question, NO))
    return reply, asked


# --- conversations --------------------------------------------------------------------------

def test_emergency_in_spanish_says_and_sends_call_911(es):
    reply = check(es)
    assert "¿se ha orinado o ensuciado sin querer" in reply.speech
    reply = es.say(YES)
    assert reply.ends_session
    assert re.search(f"^(Por favor, )?[Ll]lame al {DIGITS_911} (ahora|ya mismo)", reply.ssml
                     .removeprefix("<speak>")), reply.ssml  # 911 first
    assert "Alexa no puede" in reply.speech and "contacto de emergencia" in reply.speech
    assert "Por los problemas nuevos al orinar o evacuar" in reply.speech
    assert reply.card == {"type": "Simple", "title": "Llame al 911 ahora", "content": (
        "Por los problemas nuevos al orinar o evacuar, se necesita atención de emergencia. "
        "Llame al 911 ahora desde un teléfono: Alexa no puede llamar al 911. Alexa sí puede "
        "llamar al contacto de emergencia que tenga en la app de Alexa.")}


def test_provider_in_spanish_offers_then_sends_the_clinic_card(es):
    check(es)
    reply, _ = answer(es, {"course": YES})
    assert "ver a un médico en los próximos días" in reply.speech
    assert "un dolor que dura, que vuelve" in reply.speech
    assert reply.speech.endswith("a su app de Alexa?")
    sent = es.say(YES)
    assert sent.card == {"type": "Simple", "title": "Neuroscience Group", "content": (
        "Teléfono: 920-725-9373\nCitas: https://www.neurosciencegroup.com/request-an-appointment/"
        "\nEn una emergencia, llame al 911.")}
    assert "app de Alexa" in sent.speech and sent.state["pending"] == "anything_else"


def test_home_care_in_spanish_leads_to_relief_and_a_reminder_offer(es):
    check(es)
    reply, asked = answer(es, {})
    assert len(asked) == 12  # the all-clear path at 30
    assert "cuidarse en casa es un buen comienzo" in reply.speech \
        or "cuidados en casa" in reply.speech
    step = es.say(YES)
    assert "Paso 1 de 8. Acuéstese despacio boca arriba" in step.speech
    spoken = [step] + [es.say("AMAZON.NextIntent") for _ in range(7)]
    assert "etiqueta" in spoken[5].speech and "ibuprofeno" in spoken[5].speech  # no dose
    assert not re.search(r"\d+\s*(mg|miligramos|pastillas)", " ".join(r.speech for r in spoken))
    done = es.say("AMAZON.NextIntent")
    assert "final de los pasos" in done.speech
    assert done.state["pending"] == "offer_reminder" and "recordatorio" in done.speech


def test_relief_in_spanish_paces_the_breathing_and_takes_spanish_numbers(es):
    es.launch()
    es.say("StartReliefIntent")
    es.say(NO)  # no to the one-breath emergency question: relief starts
    breathing = es.say("AMAZON.NextIntent")
    assert "Paso 2 de 8" in breathing.speech and "Tome aire por la nariz" in breathing.speech
    assert '<prosody rate="slow">' in breathing.ssml and '<break time="5000ms"/>' in breathing.ssml
    slower = es.say("SlowerIntent")
    assert "más despacio" in slower.speech and '<prosody rate="x-slow">' in slower.ssml
    for said, number in (("tres", 3), ("tercer", 3), ("séptimo", 7), ("8", 8)):
        assert f"Paso {number} de 8" in es.say("GoToStepIntent", step_number=said).speech
    assert "del uno al 8" in es.say("GoToStepIntent", step_number="nueve").speech


def test_clinic_number_in_spanish_is_read_digit_by_digit_and_sent(es):
    es.launch()
    reply = es.say("ClinicNumberIntent")
    assert PHONE_DIGITS in reply.ssml and "9207259373" not in reply.ssml
    assert "Neuroscience Group" in reply.speech
    assert reply.speech.endswith("a su app de Alexa?")
    card = es.say("SendCardIntent").card
    assert card["content"].startswith("Teléfono: 920-725-9373\nCitas: https://")


@pytest.mark.parametrize("person, pronoun, command", [
    ("esposo", "él", "Ayúdelo"), ("papá", "él", "Ayúdelo"),
    ("mamá", "ella", "Ayúdela"), ("esposa", "ella", "Ayúdela"),
    ("pareja", "esa persona", "Ayúdela"), ("gato", "esa persona", "Ayúdela"),  # no match: neutral
])
def test_caregiver_questions_and_steps_speak_of_el_ella_or_esa_persona(es, person, pronoun,
                                                                        command):
    reply = check(es, person=person)
    assert f"sobre {pronoun}," in reply.speech
    _, asked = answer(es, {})
    questions = [r.speech.rsplit("¿", 1)[1] for r in asked]
    assert len(questions) == (11 if pronoun == "él" else 12)  # pregnancy: never about him
    assert [q for q in questions if USTED.search(q)] == []
    assert f"Tiene {pronoun} fiebre" in " ".join(questions)
    assert f"Cuántos años tiene {pronoun}" in " ".join(questions)
    assert f"Siente {pronoun} adormecimiento" in " ".join(questions)
    es.say(YES)  # relief, after home care
    assert command in es.replies[-1].speech


def test_own_questions_say_usted_never_el_or_ella(es):
    check(es)
    _, asked = answer(es, {})
    questions = " ".join(r.speech.rsplit("¿", 1)[1] for r in asked)
    assert "Tiene usted fiebre" in questions
    assert not re.search(r"\b(él|ella|esa persona)\b", questions), questions


def test_caregiver_mid_check_starts_again_about_her_with_her_pronoun(es):
    check(es)
    es.say(NO)
    reply = es.say("ForSomeoneElseIntent", person="mamá")
    assert reply.state["question"] == "bladder" and reply.state["answers"] == {}
    assert "empiezo otra vez las preguntas" in reply.speech and not USTED.search(reply.speech)
    reply = es.say(NO)
    assert "¿Siente ella adormecimiento" in reply.speech and not USTED.search(reply.speech)


def test_stop_mid_check_in_spanish_still_names_the_warning_signs(es):
    check(es)
    reply = es.say("AMAZON.StopIntent")
    assert reply.ends_session
    assert "No alcancé a preguntarle" in reply.speech and DIGITS_911 in reply.ssml


def test_an_unknown_intent_gets_a_spanish_answer(es):
    es.launch()
    reply = es.say("OrderPizzaIntent")
    assert re.search("no le entendí|no le puedo ayudar", reply.speech), reply.speech
    assert not reply.ends_session and reply.state["misses"] == 1


def test_errors_are_apologised_for_in_spanish(monkeypatch):
    handler = build_lambda_handler(Settings(), adapter=None)
    client = CheckedClient(handler, locale=ES)
    client.launch()

    def broken(reply, event):
        raise RuntimeError("a bug in the dialogue table")

    monkeypatch.setattr(dialogue_table, "info", broken)
    reply = client.say("CausesIntent")
    assert "Lo siento, algo falló" in reply.speech and DIGITS_911 in reply.ssml
    assert not reply.ends_session, "the person keeps their place"


def test_the_reminder_is_set_and_worded_in_spanish(tmp_path):
    certificates = make_loopback_certificates(tmp_path)
    api = FakeAlexaApi(certificates)
    api.start()
    try:
        handler = build_lambda_handler(Settings(api_ca_bundle=str(certificates.ca_file)),
                                       adapter=None)
        client = CheckedClient(api.pointed_at(handler, "test-token-not-a-secret", True),
                               locale=ES)
        client.launch()
        done = client.say("RemindMeIntent")
    finally:
        api.stop()
    (post,) = api.reminder_posts()
    (spoken,) = post.body["alertInfo"]["spokenInfo"]["content"]
    assert spoken["locale"] == ES
    assert spoken["text"] == "Es hora de ver cómo sigue, con el Asistente de Espasmos de Espalda."
    weekdays = "lunes|martes|miércoles|jueves|viernes|sábado|domingo"
    assert re.search(rf"el ({weekdays}) \d+ de [a-z]+, a las 10 de la mañana", done.speech), \
        done.speech


# --- which content a locale speaks from -----------------------------------------------------

@pytest.mark.parametrize("locale, welcome", [
    ("es-US", "información general, no consejo médico"),
    ("es-MX", "información general, no consejo médico"),  # any Spanish: es-US
    ("es-ES", "información general, no consejo médico"),
    ("en-US", "not medical advice"),
    ("fr-FR", "not medical advice"),  # no French: the default locale
    ("", "not medical advice"),
])
def test_the_request_locale_picks_the_content(lambda_handler, locale, welcome):
    reply = CheckedClient(lambda_handler, locale=locale).launch()
    assert welcome in reply.speech


def test_the_default_locale_speaks_when_a_request_names_none():
    handler = build_lambda_handler(Settings(locale="es-US"), adapter=None)
    event = envelopes.envelope(envelopes.launch(), envelopes.new_session())
    del event["request"]["locale"]
    reply = Reply(handler(event, None))
    check_reply(reply)
    assert "no consejo médico" in reply.speech


# --- the emergency number comes from the locale's settings ----------------------------------

def test_emergency_number_per_locale_from_the_environment():
    settings = Settings.from_env({"EMERGENCY_NUMBER": "999", "EMERGENCY_NUMBER_ES_US": "112"})
    assert settings.emergency_by_locale == (("es-US", "112"),)
    assert settings.emergency_for("es-US") == "112"
    assert settings.emergency_for("en-US") == settings.emergency_for("es-MX") == "999"
    assert Settings.from_env({}).emergency_for("es-US") == "911"
    with pytest.raises(SettingsError, match="EMERGENCY_NUMBER_ES_US"):
        Settings.from_env({"EMERGENCY_NUMBER_ES_US": "call the doctor"})


def test_each_locale_hears_its_own_emergency_number():
    settings = Settings.from_env({"EMERGENCY_NUMBER_ES_US": "112"})
    handler = build_lambda_handler(settings, adapter=None)
    spanish, english = CheckedClient(handler, locale=ES), CheckedClient(handler)
    for client in (spanish, english):
        check(client)
        client.say(YES)
    es_reply, en_reply = spanish.replies[-1], english.replies[-1]
    assert '<say-as interpret-as="digits">112</say-as>' in es_reply.ssml
    assert es_reply.card["title"] == "Llame al 112 ahora" and "911" not in es_reply.ssml
    assert "call 911" in en_reply.speech.lower() and "112" not in en_reply.ssml


# --- the safety property, through the handler, in both locales ------------------------------

QUESTION_IDS = [q.id for q in safety.QUESTIONS if not q.number]
answers = st.fixed_dictionaries({**{q: st.sampled_from([YES, NO, NOT_SURE]) for q in QUESTION_IDS},
                                 "age": st.sampled_from(["19", "30", "55", "75"])})
CARD_TITLE = {"en-US": "Call {} now", "es-US": "Llame al {} ahora"}


@pytest.mark.parametrize("locale", sorted(CARD_TITLE))
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_answers=answers)
def test_safety_property_through_the_handler(lambda_handler, locale, given_answers):
    """An emergency ends the call with the emergency number and its card; a doubt is never
    home care; the outcome is the pure check's (skill/safety) for the answers given."""
    client = CheckedClient(lambda_handler, locale=locale)
    check(client)
    reply, asked = answer(client, given_answers)
    said = {}
    for r in asked:
        question = r.state["question"]
        said[question] = given_answers[question] if question == "age" else \
            {YES: "yes", NO: "no", NOT_SURE: "unsure"}[given_answers[question]]
    expected = safety.assess(said)
    assert expected.complete
    if expected.level is safety.Level.EMERGENCY:
        assert reply.ends_session and reply.card["title"] == CARD_TITLE[locale].format("911")
        assert "911" in reply.speech
    elif "unsure" in said.values() or expected.level > safety.Level.HOME_CARE:
        assert expected.level > safety.Level.HOME_CARE
        # Get seen: the clinic's card, unless the outcome sends to a midwife (relief then).
        midwife = safety.outcome_key(expected) == "today_pregnant"
        wanted = "offer_relief" if midwife else "offer_card"
        assert reply.state["pending"] == wanted, "a sign or a doubt: get seen"
    else:
        assert reply.state["pending"] == "offer_relief"
