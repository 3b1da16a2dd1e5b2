"""docs/privacy.md, the notice the clinic hosts at PRIVACY_URL, against the code it describes.

Each fact the notice states is checked where it lives (memory's allow-list, the stores' layout,
the settings, template.yaml, the interaction models, the reminder's text), so a change there
without the notice fails here, naming what to update.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import re

import pyphen
import pytest

from conftest import ROOT
from skill import memory, speech
from devkit import envelopes
from skill.reminders import REMINDER_HOUR
from skill.reminders import SCOPE as REMINDERS_SCOPE
from skill.settings import Settings
from skill.storage import dynamodb, sqlite
from skill.identity import user_key
from test_readability import grade

NOTICE = ROOT / "docs" / "privacy.md"
TEMPLATE = (ROOT / "template.yaml").read_text(encoding="utf-8")
MANIFEST = json.loads((ROOT / "skill.json").read_text(encoding="utf-8"))["manifest"]
SPANISH = "\n## En español\n"
# Where each language's part of the notice starts, and how its headings are marked.
HEADING = {"en-US": "## ", "es-US": "### "}
DELETE_SECTION = {"en-US": "How to delete it", "es-US": "Cómo borrarlos"}
# Each key of the memory record (skill/memory.py) -> how the notice says it, per language.
STORED = {
    "relief_step": ("which relief step you stopped at", "en qué paso de alivio se quedó"),
    "relief_saved_at": ("when you stopped", "cuándo se quedó"),
    "speech_rate": ("the speech speed you chose", "la velocidad de voz que eligió"),
    "visits": ("how many times you have used the skill", "cuántas veces ha usado la skill"),
    "last_visit": ("when you last used it", "cuándo la usó por última vez"),
}
# Each permission the manifest asks for -> how the notice names it, per language.
PERMISSIONS = {REMINDERS_SCOPE: ("Reminders permission", "permiso de Recordatorios")}


def load_packager():
    spec = importlib.util.spec_from_file_location(
        "skill_package_for_notice", ROOT / "deploy" / "skill_package.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PACKAGER = load_packager()


def filled(settings: Settings | None = None, log_days: int = 30) -> str:
    values = PACKAGER.placeholder_values(settings or Settings(), "arn:aws:lambda:us-east-1:"
                                         "123456789012:function:notice", ("en-US", "es-US"),
                                         log_days)
    return PACKAGER.fill(NOTICE.read_text(encoding="utf-8"), values, "docs/privacy.md")


def part(text: str, locale: str) -> str:
    english, spanish = text.split(SPANISH)
    return english if locale == "en-US" else spanish


def section(text: str, locale: str, title: str) -> str:
    body = part(text, locale)
    start = body.index(f"\n{HEADING[locale]}{title}\n")
    rest = body[start + len(title) + len(HEADING[locale]) + 2:]
    following = re.search(rf"\n{re.escape(HEADING[locale])}\S", rest)
    return rest[:following.start()] if following else rest


DEFAULT = filled()


def test_every_placeholder_is_one_the_build_fills():
    assert "{{" not in DEFAULT and "}}" not in DEFAULT
    assert Settings().clinic_name in part(DEFAULT, "en-US")
    assert Settings().clinic_name in part(DEFAULT, "es-US")


def test_the_notice_lists_exactly_what_memory_keeps():
    assert set(STORED) == memory.ALLOWED_KEYS, (
        "skill/memory.py ALLOWED_KEYS changed: say the new key in docs/privacy.md (both "
        "languages) and in STORED here")
    for key, words in STORED.items():
        for locale, phrase in zip(("en-US", "es-US"), words):
            assert phrase in section(DEFAULT, locale, "What the skill keeps" if locale == "en-US"
                                     else "Qué guarda"), (key, locale)


def test_the_stores_hold_a_hashed_id_the_record_and_its_expiry_only():
    # The notice: "a code made from the ID ... cannot be turned back", the record, the date.
    assert (dynamodb.PARTITION_KEY, dynamodb.ATTRIBUTES, dynamodb.TTL_ATTRIBUTE) == (
        "id", "attributes", "expires_at")
    columns = re.findall(r"^ +(\w+) \w+", sqlite.SCHEMA, re.M)
    assert columns == ["id", "attributes", "expires_at"]
    user = "amzn1.ask.account.NOTICE"
    event = envelopes.envelope(envelopes.launch(), envelopes.new_session(), user_id=user)
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope
    request = DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)
    assert user_key(request) == hashlib.sha256(user.encode()).hexdigest()


@pytest.mark.parametrize("days", [30, 45])
def test_the_notice_says_the_memory_expiry_setting(days):
    text = filled(Settings(ttl_days=days))
    assert f"{days} days after your last visit" in text
    assert f"{days} días después de su última visita" in text
    assert Settings().ttl_days == int(re.search(
        r"MemoryTtlDays:\n(?:\s+\w+:.*\n)*?\s+Default: (\d+)", TEMPLATE).group(1))


def test_log_retention_is_the_stacks_default_and_one_cloudwatch_allows():
    block = re.search(r"LogRetentionDays:\n((?:\s+\w+:.*\n)+)", TEMPLATE).group(1)
    default = int(re.search(r"Default: (\d+)", block).group(1))
    allowed = tuple(int(n) for n in re.search(r"AllowedValues: \[(.*)\]", block).group(1)
                    .split(","))
    assert PACKAGER.DEFAULT_LOG_RETENTION == default
    assert PACKAGER.LOG_RETENTION_CHOICES == allowed
    assert f"Logs are deleted after\n{default} days" in DEFAULT
    assert "deleted after\n60 days" in filled(log_days=60)


def test_backups_are_the_35_days_the_notice_says():
    # DynamoDB's point-in-time recovery keeps 35 days unless RecoveryPeriodInDays says less.
    assert re.search(r"PointInTimeRecoveryEnabled: true", TEMPLATE)
    assert "RecoveryPeriodInDays" not in TEMPLATE
    assert "up to 35 days" in DEFAULT and "hasta 35 días" in DEFAULT


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_the_phrase_to_delete_is_a_sample_of_the_forget_intent(locale):
    model = json.loads((ROOT / "interaction_models" / f"{locale}.json").read_text("utf-8"))
    intents = model["interactionModel"]["languageModel"]["intents"]
    samples = next(i["samples"] for i in intents if i["name"] == "ForgetDataIntent")
    said = re.findall(r'"([^"]+)"', section(DEFAULT, locale, DELETE_SECTION[locale]))
    assert said, "the notice must quote what to say to delete"
    for phrase in said:
        assert phrase in samples, f"{phrase!r} is not a ForgetDataIntent sample in {locale}"
        assert f'"{phrase}"' in part(DEFAULT, locale).split(HEADING[locale], 2)[2]  # In short


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_the_reminder_is_quoted_as_it_is_set(locale):
    text = speech.load_content(locale)["reminders"]["text"]
    body = " ".join(part(filled(Settings(reminder_days=9)), locale).split())
    assert f'"{text}"' in body, f"quote reminders.text of {locale}.yaml in the notice"
    assert ("9 days later" if locale == "en-US" else "9 días después") in body
    assert f"{REMINDER_HOUR} AM" in body or f"{REMINDER_HOUR} de la mañana" in body


def test_every_permission_the_manifest_asks_for_is_named():
    asked = {p["name"] for p in MANIFEST["permissions"]}
    assert asked == set(PERMISSIONS), "name the new permission in docs/privacy.md"
    for scope in asked:
        for locale, words in zip(("en-US", "es-US"), PERMISSIONS[scope]):
            assert words in part(DEFAULT, locale), (scope, locale)


@pytest.mark.parametrize("locale, dictionary", [("en-US", "en_US"), ("es-US", "es")])
def test_the_notice_reads_at_grade_8_or_below(locale, dictionary):
    words = pyphen.Pyphen(lang=dictionary)
    prose = [line.lstrip("- ") for line in part(DEFAULT, locale).splitlines()
             if line and not line.startswith(("#", "---", "*En"))]
    score = grade(" ".join(prose).replace("*", ""), locale, words)
    assert score <= 8.0, f"{locale}: grade {score:.1f}; shorter sentences and words"
