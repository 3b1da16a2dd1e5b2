"""Another clinic by configuration alone.

A made-up clinic (tests/data/lakeside-spine-center.json: its own name, number, pages, and 112 as
the emergency number in Spanish) runs the real Lambda handler through every conversation state
of the state sweep, sent every request, in en-US and es-US; then the reminder the Reminders API
receives, the error answers and the skill package. Nothing said, shown or sent may name the
default clinic (Neuroscience Group, its web address, or a group of its number 920-725-9373), and
the made-up clinic's own facts must appear where the default's would.
"""
from __future__ import annotations

import copy
import json
import logging
import os
import re
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT, CheckedClient, check_reply, load_lambda_module
from skill import build_lambda_handler
from devkit import envelopes
from devkit.client import Reply
from devkit.model import MODELS_DIR
from skill.dialogue import check as dialogue_check
from skill.settings import (CLINIC_FILE_KEYS, CLINIC_SETTINGS, Settings, SettingsError,
                            read_clinic_file)
from support.conversations import answer_all
from support.fake_alexa_api import FakeAlexaApi
from support.tls import make_loopback_certificates
from support.locales import LOCALES
from test_state_sweep import Walk, locale_named

LAKESIDE = ROOT / "tests" / "data" / "lakeside-spine-center.json"
EXAMPLE = ROOT / "clinics" / "neuroscience-group.json"
FACTS = json.loads(LAKESIDE.read_text(encoding="utf-8"))
EMERGENCY = {"en-US": "911", "es-US": "112"}  # the made-up clinic's number in each locale
# The number read digit by digit, a group at a time, with pauses between the groups.
PHONE_DIGITS = re.compile("<break[^>]*/>".join(f'<say-as interpret-as="digits">{group}</say-as>'
                                                for group in FACTS["phone"].split("-")))
# The default clinic, however it might leak: its name, its web address, a group of its number.
DEFAULT_CLINIC = re.compile(r"neuroscience|\b920\b|\b725\b|\b9373\b|9207259373", re.I)
CLINIC_VARIABLES = ("CLINIC_NAME", "CLINIC_PHONE", "CLINIC_APPOINTMENT_URL", "PRIVACY_URL",
                    "TERMS_URL", "EMERGENCY_NUMBER", "CLINIC_ICON", CLINIC_SETTINGS)
SCREEN = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2024.3"}}}
CLOSED_PORT = "https://127.0.0.1:9"  # the Alexa API: refuses at once, so reminders fail


def clinic_environ(**values: str) -> dict[str, str]:
    """This environment without any clinic variable of the developer's, plus `values`."""
    environ = {k: v for k, v in os.environ.items()
               if k not in CLINIC_VARIABLES and not k.startswith("EMERGENCY_NUMBER_")}
    environ.update(values)
    return environ


def leak(text: str) -> str | None:
    """The default clinic's words or digits in `text`, with some context, if any."""
    match = DEFAULT_CLINIC.search(text)
    return text[max(0, match.start() - 80):match.end() + 80] if match else None


# --- the clinic file -----------------------------------------------------------

def test_the_file_gives_every_clinic_fact_and_variables_win_over_it():
    settings = Settings.from_env({CLINIC_SETTINGS: str(LAKESIDE)})
    assert (settings.clinic_name, settings.clinic_phone, settings.appointment_url,
            settings.privacy_url, settings.terms_url) == (
        FACTS["name"], FACTS["phone"], FACTS["appointment_url"], FACTS["privacy_url"],
        FACTS["terms_url"])
    assert {locale: settings.emergency_for(locale) for locale in EMERGENCY} == EMERGENCY
    assert settings.emergency_for("fr-CA") == "911"  # no number of its own: emergency_number
    over = Settings.from_env({CLINIC_SETTINGS: str(LAKESIDE), "CLINIC_PHONE": "608-555-0199",
                              "EMERGENCY_NUMBER_ES_US": "911"})
    assert over.clinic_phone == "608-555-0199" and over.emergency_for("es-US") == "911"
    assert over.clinic_name == FACTS["name"]


def test_the_example_file_is_the_default_clinic():
    example = Settings.from_env({CLINIC_SETTINGS: str(EXAMPLE)})
    default = Settings()
    for field in CLINIC_FILE_KEYS.values():
        assert getattr(example, field) == getattr(default, field), field
    for locale in (path.stem for path in MODELS_DIR.glob("*.json")):
        assert example.emergency_for(locale) == default.emergency_for(locale)


@pytest.mark.parametrize("content, named", [
    ('{"name": "Lakeside", "nmae": "typo"}', "unknown key 'nmae'"),
    ('{"phone": "call us"}', "'phone' = 'call us' is not a phone number"),
    ('{"phone": 6085550142}', "'phone' must be a non-empty string"),
    ('{"name": "  "}', "'name' must be a non-empty string"),
    ('{"appointment_url": "lakeside.example/book"}', "'appointment_url'"),
    ('{"privacy_url": "ftp://lakeside.example/privacy"}', "is not a web address"),
    ('{"emergency_number_by_locale": {"spanish": "112"}}', "'spanish', which is not a locale"),
    ('{"emergency_number_by_locale": {"es-US": "ask a nurse"}}',
     "'emergency_number_by_locale.es-US' = 'ask a nurse' is not a phone number"),
    ('{"emergency_number_by_locale": ["es-US", "112"]}', "must be an object"),
    ('["Lakeside"]', "one JSON object"),
    ('{"name": "Lakeside",}', "not valid JSON"),
])
def test_a_bad_file_stops_start_up_naming_the_file_and_the_key(tmp_path, content, named):
    path = tmp_path / "clinic.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=re.escape(named)) as raised:
        Settings.from_env({CLINIC_SETTINGS: str(path)})
    assert str(path) in str(raised.value) and CLINIC_SETTINGS in str(raised.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(SettingsError, match="cannot read it"):
        read_clinic_file(tmp_path / "nowhere.json")


# --- nothing of the default clinic in what the skill speaks from -----------------

def strings(value, path=()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, (*path, str(index)))


def test_no_sentence_card_model_or_listing_names_the_default_clinic():
    found = []
    for path in sorted((ROOT / "skill" / "content").glob("*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        # `sources` cites the clinic's article by its section titles; it is never said.
        content.pop("sources")
        found += [f"{path.name}: {'.'.join(where)}" for where, text in strings(content)
                  if leak(text)]
    for path in [*sorted(MODELS_DIR.glob("*.json")), ROOT / "skill.json",
                 *sorted((ROOT / "skill").rglob("*.json"))]:
        found += [f"{path.name}: {'.'.join(where)}"
                  for where, text in strings(json.loads(path.read_text(encoding="utf-8")))
                  if leak(text)]
    assert not found


# --- whole conversations for the made-up clinic ---------------------------------

@pytest.fixture(scope="module")
def lakeside():
    """The real Lambda entry point, loaded with only the clinic file set."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name in CLINIC_VARIABLES or name.startswith("EMERGENCY_NUMBER_"):
                patch.delenv(name)
        patch.setenv(CLINIC_SETTINGS, str(LAKESIDE))
        return load_lambda_module("lambda_function_for_lakeside").lambda_handler


class RecordingWalk(Walk):
    """The state sweep's walk, keeping every client so every reply on the way is seen."""

    def __init__(self, handler, locale):
        super().__init__(handler, locale)
        self.clients: list[CheckedClient] = []

    def client(self, user: str | None = None) -> CheckedClient:
        made = super().client(user)
        self.clients.append(made)
        return made


# Sent from an Echo Show in every state, so each state's screen is checked too (every request
# from a screen would triple the sweep's time for the same screens).
ON_A_SCREEN = ("AMAZON.RepeatIntent", "AMAZON.HelpIntent", "ClinicNumberIntent",
               "AMAZON.YesIntent", "AMAZON.NoIntent")


def send(handler, locale: str, attributes: dict, user: str, request: dict,
         screen: bool = False) -> Reply:
    """One request in a state's session, from a speaker or an Echo Show."""
    session = envelopes.new_session(user_id=user)
    session["new"], session["attributes"] = False, copy.deepcopy(attributes)
    event = envelopes.envelope(copy.deepcopy(request), session, user_id=user, locale=locale)
    event["context"]["System"]["apiEndpoint"] = CLOSED_PORT
    if screen:
        event["context"]["System"]["device"]["supportedInterfaces"] = copy.deepcopy(SCREEN)
    return Reply(handler(event, None))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_state_and_request_speaks_for_the_made_up_clinic_only(lakeside, locale):
    walk = RecordingWalk(lakeside, locale_named(locale))
    walk.every_state()
    replies = [reply for client in walk.clients for reply in client.replies]
    for state in walk.states:
        for _, request in walk.requests:
            replies.append(send(lakeside, locale, state.attributes, state.user, request))
        for name in ON_A_SCREEN:
            replies.append(send(lakeside, locale, state.attributes, state.user,
                                envelopes.intent(name, locale=locale), screen=True))
    assert len(replies) > 9000

    sent = [json.dumps(reply.raw, ensure_ascii=False) for reply in replies]
    leaks = {found for text in sent if (found := leak(text))}
    assert not leaks, sorted(leaks)[:5]
    other = "112" if locale == "en-US" else "911"  # the other locale's emergency number
    assert not [text for text in sent if re.search(rf"\b{other}\b", text)][:1]

    speech = [reply.ssml for reply in replies]
    cards = [reply.card for reply in replies if reply.card]
    assert any(FACTS["name"] in s for s in speech)
    assert any(PHONE_DIGITS.search(s) for s in speech), "the number, digit by digit"
    assert any(card["title"] == FACTS["name"] and FACTS["phone"] in card["content"]
               and FACTS["appointment_url"] in card["content"] for card in cards)
    shown = [json.dumps(r.response.get("directives", []), ensure_ascii=False) for r in replies]
    assert any(FACTS["name"] in text and FACTS["phone"] in text for text in shown), "the screen"
    emergency = list(walk.outcomes.values())
    assert emergency and all(EMERGENCY[locale] in reply.card["title"] for reply in emergency)
    assert all(re.search(rf"\b{EMERGENCY[locale]}\b", reply.speech) for reply in emergency)
    # The reminder could not be set (the API refused): the apology gives the clinic's number.
    reminder = "reminder" if locale == "en-US" else "recordatorio"
    assert any(reminder in r.speech and FACTS["name"] in r.speech and PHONE_DIGITS.search(r.ssml)
               for r in replies)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_error_answers_name_the_made_up_clinics_emergency_number(lakeside, locale,
                                                                    monkeypatch, caplog):
    person = CheckedClient(lakeside, locale=locale)
    person.launch()
    person.say("StartCheckIntent")

    def broken(*args, **kwargs):
        raise RuntimeError("made to fail")

    monkeypatch.setattr(dialogue_check, "record", broken)
    with caplog.at_level(logging.CRITICAL, logger="skill"):
        reply = person.say("AMAZON.NoIntent")
    text = json.dumps(reply.raw, ensure_ascii=False)
    assert re.search(rf"\b{EMERGENCY[locale]}\b", reply.speech), reply.speech
    assert not leak(text), leak(text)
    # An envelope the SDK cannot read gets the last-resort apology, in the default locale.
    apology = Reply(lakeside("not an envelope", None))
    check_reply(apology)
    assert "911" in apology.speech and not leak(json.dumps(apology.raw))


# --- the reminder the Reminders API receives ------------------------------------

@pytest.fixture(scope="module")
def alexa_api(tmp_path_factory):
    certificates = make_loopback_certificates(tmp_path_factory.mktemp("tls"))
    fake = FakeAlexaApi(certificates)
    fake.start()
    yield fake
    fake.stop()


@pytest.mark.parametrize("locale", LOCALES)
def test_the_reminder_sent_names_no_default_clinic(alexa_api, locale):
    alexa_api.requests[:] = []
    settings = Settings.from_env(clinic_environ(**{
        CLINIC_SETTINGS: str(LAKESIDE),
        "ALEXA_API_CA_BUNDLE": str(alexa_api.certificates.ca_file)}))
    handler = alexa_api.pointed_at(build_lambda_handler(settings), "lakeside-token", True)
    person = CheckedClient(handler, locale=locale)
    person.launch()
    answer_all(person, person.say("StartCheckIntent"))
    person.say("AMAZON.NoIntent")  # no relief now: the reminder is offered
    done = person.say("AMAZON.YesIntent")
    (post,) = alexa_api.reminder_posts()
    sent = json.dumps(post.body, ensure_ascii=False)
    assert post.body["alertInfo"]["spokenInfo"]["content"][0]["locale"] == locale
    assert not leak(sent), leak(sent)
    assert not leak(json.dumps(done.raw, ensure_ascii=False))


# --- the skill package ------------------------------------------------------------

def test_the_skill_package_for_the_made_up_clinic(tmp_path):
    arn = "arn:aws:lambda:us-east-1:123456789012:function:lakeside-spine-SkillFunction-A1b2C3"
    result = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "skill_package.py"), "--out", str(tmp_path)],
        env=clinic_environ(**{CLINIC_SETTINGS: str(LAKESIDE), "LAMBDA_ARN": arn}), cwd=ROOT,
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "skill-package" / "skill.json").read_text(encoding="utf-8")
    assert not leak(text), leak(text)
    manifest = json.loads(text)["manifest"]
    for locale, number in EMERGENCY.items():
        description = manifest["publishingInformation"]["locales"][locale]["description"]
        assert FACTS["name"] in description
        assert re.findall(r"\b(?:911|112)\b", description) == [number, number], locale
        assert manifest["privacyAndCompliance"]["locales"][locale] == {
            "privacyPolicyUrl": FACTS["privacy_url"], "termsOfUseUrl": FACTS["terms_url"]}
    for model in (tmp_path / "skill-package" / "interactionModels" / "custom").glob("*.json"):
        assert not leak(model.read_text(encoding="utf-8")), model.name
    notice = (tmp_path / "privacy.md").read_text(encoding="utf-8")
    assert not leak(notice), leak(notice)
    assert FACTS["name"] in notice and FACTS["phone"] in notice
    flat = " ".join(notice.split())
    assert "call 911" in flat and "llame al 112" in flat


def test_the_made_up_clinics_icon_is_its_own(tmp_path):
    arn = "arn:aws:lambda:us-east-1:123456789012:function:lakeside-spine-SkillFunction-A1b2C3"
    icons = {}
    for name, extra in (("default", {}), ("lakeside", {CLINIC_SETTINGS: str(LAKESIDE)})):
        result = subprocess.run(
            [sys.executable, str(ROOT / "deploy" / "skill_package.py"), "--out",
             str(tmp_path / name)], env=clinic_environ(LAMBDA_ARN=arn, **extra), cwd=ROOT,
            capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        images = tmp_path / name / "skill-package" / "assets" / "images"
        icons[name] = {path.name: path.read_bytes() for path in images.iterdir()}
    assert icons["default"].keys() == icons["lakeside"].keys()
    for image, data in icons["lakeside"].items():
        assert data != icons["default"][image], f"{image}: drawn from the default clinic's SVG"
    assert Settings.from_env({CLINIC_SETTINGS: str(LAKESIDE)}).icon == \
        LAKESIDE.with_suffix(".svg").resolve()
