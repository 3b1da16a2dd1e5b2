"""skill.json against the code and the models, and `make skill-package` as the ASK CLI reads it."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, CheckedClient, load_lambda_module
from support.conversations import SKILL_DISABLED
from devkit import envelopes
from devkit.model import MODELS_DIR
from skill.handlers import REQUEST_HANDLERS
from skill.reminders import SCOPE as REMINDERS_SCOPE
from skill.settings import CLINIC_SETTINGS, Settings, SettingsError

SCRIPT = ROOT / "deploy" / "skill_package.py"
MANIFEST = json.loads((ROOT / "skill.json").read_text(encoding="utf-8"))["manifest"]
MODELS = {path.stem: json.loads(path.read_text(encoding="utf-8"))
          for path in sorted(MODELS_DIR.glob("*.json"))}

# A sample of each skill event the manifest may subscribe to, as Alexa sends it.
SAMPLE_EVENTS = {"SKILL_DISABLED": SKILL_DISABLED}

MADE_UP = {
    "LAMBDA_ARN": "arn:aws:lambda:us-east-1:123456789012:function:bsh-test-SkillFunction-Q1w2E3",
    "PRIVACY_URL": "https://privacy.example.test/back-spasm-helper",
    "TERMS_URL": "https://terms.example.test/back-spasm-helper?v=2",
    "CLINIC_NAME": "Lakeside Spine Center",
}


def clean_environ(**values: str) -> dict[str, str]:
    """This process's environment without any setting the package reads, plus `values`."""
    ours = set(Settings.ENV.values()) | {"LAMBDA_ARN", CLINIC_SETTINGS, "LOG_RETENTION_DAYS",
                                         "ASK_PROFILE", "ASK_DEFAULT_PROFILE"}
    environ = {k: v for k, v in os.environ.items()
               if k not in ours and not k.startswith("EMERGENCY_NUMBER_")}
    environ.update(values)
    return environ


def package(out: Path, *args: str, **values: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), *args],
                          env=clean_environ(**values), cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def read(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("package")
    result = package(out, **MADE_UP)
    assert result.returncode == 0, result.stderr
    return out


# --- the manifest against the code --------------------------------------------

def test_permissions_are_exactly_the_scopes_the_code_asks_for():
    asked = set()
    for path in (ROOT / "skill").rglob("*.py"):
        asked |= set(re.findall(r"alexa::[a-z_]+(?::[a-z_]+)+", path.read_text(encoding="utf-8")))
    assert REMINDERS_SCOPE in asked
    assert {p["name"] for p in MANIFEST["permissions"]} == asked


def test_every_subscribed_event_has_a_handler_and_every_event_handler_a_subscription():
    subscribed = [s["eventName"] for s in MANIFEST["events"]["subscriptions"]]
    assert subscribed, "no event subscriptions"
    missing = [name for name in subscribed if name not in SAMPLE_EVENTS]
    assert not missing, f"add a sample event for {missing} to SAMPLE_EVENTS"
    handled = {getattr(h, "request_type", "") for h in REQUEST_HANDLERS}
    event_types = {SAMPLE_EVENTS[name]["type"] for name in subscribed}
    assert event_types <= handled
    # A handler for an event nobody subscribes to would never run.
    assert {t for t in handled if t.startswith("AlexaSkillEvent.")} == event_types


# The request type each interface in apis.custom.interfaces brings: a declared interface needs a
# handler for it, and a handler for it needs the interface declared (Alexa sends nothing else).
INTERFACE_REQUESTS = {"CAN_FULFILL_INTENT_REQUEST": "CanFulfillIntentRequest",
                      "ALEXA_PRESENTATION_APL": "Alexa.Presentation.APL.UserEvent"}


def test_interfaces_are_declared_exactly_when_handled():
    declared = {interface["type"] for interface in MANIFEST["apis"]["custom"]["interfaces"]}
    handled = {getattr(h, "request_type", "") for h in REQUEST_HANDLERS}
    for interface, request_type in INTERFACE_REQUESTS.items():
        assert (interface in declared) == (request_type in handled), interface
    assert {"CAN_FULFILL_INTENT_REQUEST", "ALEXA_PRESENTATION_APL"} <= declared


def test_name_free_queries_get_an_answer_through_the_real_lambda_handler(lambda_handler):
    event = envelopes.envelope(envelopes.can_fulfill("CausesIntent"), envelopes.new_session())
    assert lambda_handler(event, None)["response"] == {"canFulfillIntent": {"canFulfill": "YES"}}


def test_skill_disabled_through_the_real_lambda_handler_deletes_that_users_record(tmp_path,
                                                                                  monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    handler = load_lambda_module("lambda_function_for_manifest").lambda_handler
    leaving, staying = "amzn1.ask.account.MANIFEST-LEAVING", "amzn1.ask.account.MANIFEST-STAYING"
    for user in (leaving, staying):
        client = CheckedClient(handler, user_id=user)
        client.launch()
        client.say("AMAZON.StopIntent")  # the visit is written as the session ends

    def stored(user: str) -> int:
        key = hashlib.sha256(user.encode()).hexdigest()
        with sqlite3.connect(tmp_path / "memory.sqlite3") as db:
            return db.execute("SELECT COUNT(*) FROM memory WHERE id = ?", (key,)).fetchone()[0]

    assert stored(leaving) == stored(staying) == 1
    for subscription in MANIFEST["events"]["subscriptions"]:
        event = SAMPLE_EVENTS[subscription["eventName"]]
        raw = handler(envelopes.envelope(event, None, user_id=leaving), None)
        assert raw["version"] == "1.0"
        assert "outputSpeech" not in (raw.get("response") or {})
    assert stored(leaving) == 0
    assert stored(staying) == 1


def test_locales_are_the_interaction_models():
    assert set(MANIFEST["publishingInformation"]["locales"]) == set(MODELS)
    assert set(MANIFEST["privacyAndCompliance"]["locales"]) == set(MODELS)


INVOKE = re.compile(r"alexa, (open|launch|start|ask|tell"
                    r"|abre|inicia|pregúntale a|pídele a|dile a) (.+)")
CONNECTORS = ("to ", "for ", "about ", "if ", "whether ", "and ", "que ")


def invocation_and_request(phrase: str, invocation: str) -> str | None:
    """'Alexa, ask back spasm helper what causes...' -> 'what causes...'; None if not invoking."""
    match = INVOKE.fullmatch(re.sub(r"[.!?]+$", "", phrase.strip().lower()))
    if not match or not (match.group(2) + " ").startswith(invocation + " "):
        return None
    rest = match.group(2)[len(invocation):].strip()
    for word in CONNECTORS:
        rest = rest.removeprefix(word)
    return rest


@pytest.mark.parametrize("locale", sorted(MODELS))
def test_example_phrases_invoke_the_skill_with_samples_of_its_model(locale):
    language = MODELS[locale]["interactionModel"]["languageModel"]
    samples = {s.lower() for intent in language["intents"] for s in intent.get("samples", [])}
    phrases = MANIFEST["publishingInformation"]["locales"][locale]["examplePhrases"]
    assert 1 <= len(phrases) <= 3  # the store shows three
    requests = [invocation_and_request(p, language["invocationName"]) for p in phrases]
    assert None not in requests, phrases
    assert requests[0] == "", "the first phrase must open the skill by its invocation name"
    for phrase, request in zip(phrases[1:], requests[1:]):
        assert request in samples, f"{phrase!r}: {request!r} is not a sample in {locale}.json"


@pytest.mark.parametrize("locale", sorted(MODELS))
def test_store_listing_fits_the_store(locale):
    listing = MANIFEST["publishingInformation"]["locales"][locale]
    assert 2 <= len(listing["name"]) <= 50
    assert len(listing["summary"]) <= 160
    assert len(listing["description"]) <= 4000
    assert 1 <= len(listing["keywords"]) <= 30
    assert len(MANIFEST["publishingInformation"]["testingInstructions"]) <= 4000


# Permissions that hand a skill the person's identity or whereabouts: asking for one makes the
# skill collect personal information, and usesPersonalInfo must then be true.
PERSONAL_PERMISSIONS = re.compile(r"alexa::profile:|alexa:devices:all:address|address:full|"
                                  r"alexa::devices:all:geolocation|alexa::person_id|household")
README_ANSWER = re.compile(r"^\| `(uses\w+)` \| `(true|false)` \|", re.M)


def test_personal_and_health_answers_are_the_readmes():
    privacy = MANIFEST["privacyAndCompliance"]
    stated = dict(README_ANSWER.findall((ROOT / "README.md").read_text(encoding="utf-8")))
    assert set(stated) == {"usesPersonalInfo", "usesHealthInfo"}, "README, Certification"
    for field, value in stated.items():
        assert isinstance(privacy.get(field), bool), f"skill.json must say {field}, true or false"
        assert privacy[field] is (value == "true"), f"skill.json {field} differs from the README"
    if not privacy["usesPersonalInfo"]:
        personal = [p["name"] for p in MANIFEST["permissions"]
                    if PERSONAL_PERMISSIONS.search(p["name"])]
        assert not personal, f"{personal} collect personal information: usesPersonalInfo is true"


def test_privacy_answers_match_what_the_skill_does():
    privacy = MANIFEST["privacyAndCompliance"]
    assert privacy["usesPersonalInfo"] is False
    # HIPAA-eligible skills only: the skill keeps no answers and needs no BAA (README).
    assert privacy["usesHealthInfo"] is False
    assert privacy["isChildDirected"] is False
    assert privacy["containsAds"] is False
    assert privacy["allowsPurchases"] is False
    assert privacy["isExportCompliant"] is True
    assert MANIFEST["publishingInformation"]["isAvailableWorldwide"] is False
    # 911 is the US emergency number the skill tells people to call.
    assert MANIFEST["publishingInformation"]["distributionCountries"] == ["US"]


# --- the assembled package ------------------------------------------------------

def test_package_has_the_ask_cli_layout(built):
    resources = read(built / "ask-resources.json")
    assert resources["askcliResourcesVersion"] == "2020-03-31"
    src = resources["profiles"]["default"]["skillMetadata"]["src"]
    assert (built / src).resolve() == (built / "skill-package").resolve()
    # SAM deploys the function: `ask deploy` must not try to build or deploy code.
    assert "code" not in resources["profiles"]["default"]
    assert "skillInfrastructure" not in resources["profiles"]["default"]
    assert not (built / ".ask").exists()  # no SKILL_ID given: the CLI creates the skill
    assert (built / "skill-package").stat().st_mode & 0o055 == 0o055  # readable by all, as built
    models_dir = built / "skill-package" / "interactionModels" / "custom"
    assert {p.name for p in models_dir.iterdir()} == {f"{locale}.json" for locale in MODELS}
    for locale, model in MODELS.items():
        assert read(models_dir / f"{locale}.json") == model
    assert read(built / "skill-package" / "skill.json")["manifest"]["manifestVersion"] == "1.0"


def test_package_fills_urls_arn_and_clinic_from_settings(built):
    text = (built / "skill-package" / "skill.json").read_text(encoding="utf-8")
    assert "{{" not in text and "}}" not in text
    manifest = json.loads(text)["manifest"]
    assert manifest["apis"]["custom"]["endpoint"]["uri"] == MADE_UP["LAMBDA_ARN"]
    assert manifest["events"]["endpoint"]["uri"] == MADE_UP["LAMBDA_ARN"]
    for locale in MODELS:
        links = manifest["privacyAndCompliance"]["locales"][locale]
        assert links == {"privacyPolicyUrl": MADE_UP["PRIVACY_URL"],
                         "termsOfUseUrl": MADE_UP["TERMS_URL"]}
        description = manifest["publishingInformation"]["locales"][locale]["description"]
        assert MADE_UP["CLINIC_NAME"] in description
        assert "Neuroscience Group" not in description
    # Everything else is skill.json as written.
    manifest["apis"]["custom"]["endpoint"]["uri"] = MANIFEST["apis"]["custom"]["endpoint"]["uri"]
    assert manifest["permissions"] == MANIFEST["permissions"]
    assert manifest["events"]["subscriptions"] == MANIFEST["events"]["subscriptions"]
    assert manifest["apis"]["custom"] == MANIFEST["apis"]["custom"]


DISCLAIMER = {  # the summary must carry the first
    "en-US": ("not medical advice", "not a substitute for professional medical care",
              "call 911", "never stores your answers"),
    "es-US": ("no consejo médico", "no reemplaza la atención médica profesional",
              "llame al 911", "nunca guarda sus respuestas"),
}


@pytest.mark.parametrize("locale", sorted(MODELS))
def test_description_carries_the_health_disclaimer(built, locale):
    manifest = read(built / "skill-package" / "skill.json")["manifest"]
    description = manifest["publishingInformation"]["locales"][locale]["description"].lower()
    for words in DISCLAIMER[locale]:
        assert words in description, words
    assert DISCLAIMER[locale][0] in manifest["publishingInformation"]["locales"][locale][
        "summary"].lower()


def png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


ICON_SIZES = {"smallIconUri": 108, "largeIconUri": 512}  # Amazon's manifest schema


@pytest.mark.parametrize("locale", sorted(MODELS))
def test_every_icon_the_manifest_names_is_in_the_package_at_its_size(built, locale):
    listing = read(built / "skill-package" / "skill.json")["manifest"][
        "publishingInformation"]["locales"][locale]
    for key, size in ICON_SIZES.items():
        uri = listing[key]
        assert uri.startswith("file://assets/images/"), uri  # ASK CLI v2: in the package
        data = (built / "skill-package" / uri.removeprefix("file://")).read_bytes()
        assert png_size(data) == (size, size), (uri, png_size(data))


def test_the_icons_are_the_same_bytes_every_build(built, tmp_path):
    assert package(tmp_path, **MADE_UP).returncode == 0
    images = sorted((built / "skill-package" / "assets" / "images").iterdir())
    assert len(images) == 2 * len(MODELS)
    for image in images:
        assert (tmp_path / "skill-package" / "assets" / "images" / image.name).read_bytes() == \
            image.read_bytes(), image.name


def test_the_large_icon_is_not_blank(built):
    large = next((built / "skill-package" / "assets" / "images").glob("*_largeIcon.png"))
    assert len(large.read_bytes()) > 2000  # a flat square compresses to a few hundred bytes


@pytest.mark.parametrize("svg, named", [
    (None, 'CLINIC_ICON (or "icon" in the clinic file): cannot read the icon source'),
    ("<html>not a drawing</html>", "is not an SVG file"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>Hi</text></svg>',
     "has text; convert it to paths"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10"><rect width="20" height="10"/>'
     "</svg>", "square viewBox"),
])
def test_a_bad_icon_source_stops_the_build_naming_it(tmp_path, svg, named):
    source = tmp_path / "icon.svg"
    if svg is not None:
        source.write_text(svg, encoding="utf-8")
    result = package(tmp_path / "out", **MADE_UP, CLINIC_ICON=str(source))
    assert result.returncode == 2, result.stderr
    assert named in result.stderr and str(source) in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "skill-package").exists()


def test_the_privacy_notice_is_written_filled_beside_the_package(built):
    notice = (built / "privacy.md").read_text(encoding="utf-8")
    assert "{{" not in notice and MADE_UP["CLINIC_NAME"] in notice
    assert not (built / "skill-package" / "privacy.md").exists()  # ask deploy uploads that folder


def test_a_log_retention_cloudwatch_cannot_keep_is_refused(tmp_path):
    result = package(tmp_path, **MADE_UP, LOG_RETENTION_DAYS="45")
    assert result.returncode == 2 and "LOG_RETENTION_DAYS='45'" in result.stderr
    assert package(tmp_path, **MADE_UP, LOG_RETENTION_DAYS="90").returncode == 0
    assert "after\n90 days" in (tmp_path / "privacy.md").read_text(encoding="utf-8")


def test_defaults_come_from_settings(tmp_path):
    result = package(tmp_path, LAMBDA_ARN=MADE_UP["LAMBDA_ARN"])
    assert result.returncode == 0, result.stderr
    manifest = read(tmp_path / "skill-package" / "skill.json")["manifest"]
    links = manifest["privacyAndCompliance"]["locales"]["en-US"]
    assert links == {"privacyPolicyUrl": Settings().privacy_url,
                     "termsOfUseUrl": Settings().terms_url}
    assert "call 911" in manifest["publishingInformation"]["locales"]["en-US"]["description"]


def test_skill_id_goes_where_the_cli_keeps_it_and_its_state_survives(tmp_path):
    states = tmp_path / ".ask" / "ask-states.json"
    states.parent.mkdir()
    states.write_text(json.dumps({"askcliStatesVersion": "2020-03-31", "profiles": {"default": {
        "skillId": "amzn1.ask.skill.old", "skillMetadata": {"lastDeployHash": "abc"}}}}))
    skill_id = "amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef"
    assert package(tmp_path, LAMBDA_ARN=MADE_UP["LAMBDA_ARN"], SKILL_ID=skill_id).returncode == 0
    profile = read(states)["profiles"]["default"]
    assert profile == {"skillId": skill_id, "skillMetadata": {"lastDeployHash": "abc"}}


@pytest.mark.parametrize("how, profile", [
    ({"ASK_PROFILE": "clinic"}, "clinic"),
    ({"ASK_DEFAULT_PROFILE": "clinic"}, "clinic"),  # what the CLI itself falls back to
    ({"ASK_PROFILE": "clinic", "ASK_DEFAULT_PROFILE": "other"}, "clinic"),
    ({"--profile": "front-desk", "ASK_PROFILE": "clinic"}, "front-desk"),
])
def test_the_package_is_keyed_by_the_ask_profile_the_cli_will_use(tmp_path, how, profile):
    skill_id = "amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef"
    values = {k: v for k, v in how.items() if not k.startswith("--")}
    args = [item for k, v in how.items() if k.startswith("--") for item in (k, v)]
    result = package(tmp_path, *args, LAMBDA_ARN=MADE_UP["LAMBDA_ARN"], SKILL_ID=skill_id,
                     **values)
    assert result.returncode == 0, result.stderr
    assert f"profile '{profile}'" in result.stdout
    assert set(read(tmp_path / "ask-resources.json")["profiles"]) == {profile}
    assert read(tmp_path / ".ask" / "ask-states.json")["profiles"] == {
        profile: {"skillId": skill_id}}


@pytest.mark.parametrize("bad", ["my clinic", "__ENVIRONMENT_ASK_PROFILE__", "clinic/2"])
def test_a_profile_the_cli_cannot_have_is_refused(tmp_path, bad):
    result = package(tmp_path, LAMBDA_ARN=MADE_UP["LAMBDA_ARN"], ASK_PROFILE=bad)
    assert result.returncode == 2 and "ASK_PROFILE=" in result.stderr
    assert not (tmp_path / "ask-resources.json").exists()


def test_a_locale_removed_from_the_models_leaves_the_package(tmp_path):
    stale = tmp_path / "skill-package" / "interactionModels" / "custom" / "xx-XX.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    assert package(tmp_path, LAMBDA_ARN=MADE_UP["LAMBDA_ARN"]).returncode == 0
    assert not stale.exists()
    assert not list(tmp_path.glob(".skill-package-*"))  # no staging folder left behind


def test_make_skill_package_runs_the_script(tmp_path):
    # -o: never reinstall the venv from inside a test; PY: the interpreter running the tests.
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "skill-package",
         f"PY={sys.executable}", f"ARGS=--out {tmp_path}", f"LAMBDA_ARN={MADE_UP['LAMBDA_ARN']}"],
        env=clean_environ(), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = read(tmp_path / "skill-package" / "skill.json")["manifest"]
    assert manifest["apis"]["custom"]["endpoint"]["uri"] == MADE_UP["LAMBDA_ARN"]


# --- refusals -----------------------------------------------------------------

@pytest.mark.parametrize("values, named", [
    ({}, "LAMBDA_ARN is not set"),
    ({"LAMBDA_ARN": "arn:aws:s3:::back-spasm-helper"}, "LAMBDA_ARN="),
    ({"LAMBDA_ARN": "arn:aws:lambda:us-east-1:12345:function:short-account"}, "LAMBDA_ARN="),
    ({"LAMBDA_ARN": MADE_UP["LAMBDA_ARN"] + " "}, None),  # surrounding blanks are trimmed
    ({"LAMBDA_ARN": MADE_UP["LAMBDA_ARN"], "PRIVACY_URL": "privacy.html"}, "PRIVACY_URL="),
    ({"LAMBDA_ARN": MADE_UP["LAMBDA_ARN"], "TERMS_URL": "ftp://example.test/terms"}, "TERMS_URL="),
    ({"LAMBDA_ARN": MADE_UP["LAMBDA_ARN"], "TERMS_URL": "https://"}, "TERMS_URL="),
    ({"LAMBDA_ARN": MADE_UP["LAMBDA_ARN"], "SKILL_ID": "my-skill"}, "SKILL_ID="),
])
def test_bad_settings_stop_the_build_with_a_message_naming_them(tmp_path, values, named):
    result = package(tmp_path, **values)
    if named is None:
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "skill-package").exists()
    assert not (tmp_path / "ask-resources.json").exists()


def test_a_refused_build_keeps_the_last_good_package(built, tmp_path):
    good = read(built / "skill-package" / "skill.json")
    result = package(built, LAMBDA_ARN="not-an-arn", PRIVACY_URL=MADE_UP["PRIVACY_URL"])
    assert result.returncode == 2
    assert read(built / "skill-package" / "skill.json") == good


def load_packager():
    spec = importlib.util.spec_from_file_location("skill_package_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_sources(root: Path, manifest_text: str, locales: list[str]) -> None:
    (root / "interaction_models").mkdir(parents=True)
    (root / "skill.json").write_text(manifest_text, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "privacy.md").write_text("{{CLINIC_NAME}}", encoding="utf-8")
    for locale in locales:
        (root / "interaction_models" / f"{locale}.json").write_text(
            json.dumps(MODELS["en-US"]), encoding="utf-8")


def test_a_model_without_a_store_listing_is_refused(tmp_path):
    packager = load_packager()
    copy_sources(tmp_path, (ROOT / "skill.json").read_text(encoding="utf-8"),
                 [*MODELS, "fr-CA"])  # a model no listing in skill.json speaks for
    with pytest.raises(packager.PackageError, match="fr-CA"):
        packager.build(tmp_path / "out", clean_environ(**MADE_UP), root=tmp_path)
    assert not (tmp_path / "out").exists()


def test_an_unknown_placeholder_is_refused_never_shipped(tmp_path):
    packager = load_packager()
    text = (ROOT / "skill.json").read_text(encoding="utf-8").replace(
        '"{{TERMS_URL}}"', '"{{TERMS_LINK}}"')
    copy_sources(tmp_path, text, list(MODELS))
    with pytest.raises(packager.PackageError, match="TERMS_LINK"):
        packager.build(tmp_path / "out", clean_environ(**MADE_UP), root=tmp_path)


def test_a_placeholder_the_notice_names_but_nobody_fills_is_refused(tmp_path):
    packager = load_packager()
    copy_sources(tmp_path, (ROOT / "skill.json").read_text(encoding="utf-8"), list(MODELS))
    (tmp_path / "docs" / "privacy.md").write_text("Kept {{MEMORY_TTL_DAY}} days")
    with pytest.raises(packager.PackageError,
                       match=r"docs/privacy.md uses \{\{MEMORY_TTL_DAY\}\}"):
        packager.build(tmp_path / "out", clean_environ(**MADE_UP), root=tmp_path)
    assert not (tmp_path / "out").exists()


def test_an_invalid_model_file_is_named(tmp_path):
    packager = load_packager()
    copy_sources(tmp_path, (ROOT / "skill.json").read_text(encoding="utf-8"), list(MODELS))
    (tmp_path / "interaction_models" / "en-US.json").write_text('{"interactionModel": ')
    with pytest.raises(packager.PackageError, match="en-US.json"):
        packager.build(tmp_path / "out", clean_environ(**MADE_UP), root=tmp_path)


@pytest.mark.parametrize("name", ["PRIVACY_URL", "TERMS_URL"])
def test_policy_urls_are_settings_with_checked_values(name):
    field = next(f for f, env in Settings.ENV.items() if env == name)
    assert getattr(Settings.from_env({name: "https://clinic.example.test/p"}), field) == \
        "https://clinic.example.test/p"
    assert getattr(Settings(), field).startswith("https://www.neurosciencegroup.com/")
    for bad in ("clinic.example.test/p", "mailto:x@example.test", "https://a b.test/"):
        with pytest.raises(SettingsError, match=name):
            Settings.from_env({name: bad})
