"""Envelopes other people's Alexa projects and tools send (tests/data/real_requests, sources in
its SOURCES.md), each answered as its kind requires: speech where a person listens, nothing for
an event, a verdict for a name-free query; through the Lambda handler and through the signed
web service; refused when the skill ids they name are another skill's.

The files are kept as found. At send time the tests put this skill's id (or another's) where a
file names one, and, for the web service, the current time as the timestamp (its check refuses
a request older than 150 seconds).
"""
from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ask_sdk_core.exceptions import AskSdkException
from web import server as webserver
from web.pki import make_pki

from skill import build_lambda_handler
from devkit import envelopes
from skill.settings import Settings

CORPUS = Path(__file__).parent / "data" / "real_requests"
EXPECTED = json.loads((CORPUS / "EXPECTED.json").read_text(encoding="utf-8"))["expected"]
FILES = sorted(p.name for p in CORPUS.glob("*.json") if p.name != "EXPECTED.json")
OURS, THEIRS = envelopes.SKILL_ID, "amzn1.ask.skill.00000000-another-skill"
ANSWERS = ("YES", "NO", "MAYBE")


def load(name: str) -> dict:
    return json.loads((CORPUS / name).read_text(encoding="utf-8"))


def applications(event: dict) -> list[dict]:
    """The objects holding the skill ids the envelope names (context and session)."""
    found = []
    for part in (event.get("context") or {}).get("System"), event.get("session"):
        if isinstance(part, dict) and isinstance(part.get("application"), dict):
            found.append(part["application"])
    return found


def with_skill_id(event: dict, skill_id: str) -> dict:
    event = copy.deepcopy(event)
    for application in applications(event):
        application["applicationId"] = skill_id
    return event


def readable(event: dict) -> bool:
    """Whether the SDK can be given what it needs: context.System, or a session to read it
    from (skill/front_door.py). Only others get the apology instead of an answer."""
    system = (event.get("context") or {}).get("System")
    return isinstance(system, dict) or isinstance((event.get("session") or {}).get("application"),
                                                  dict)


def check_kind(name: str, event: dict, reply: dict) -> None:
    response = reply.get("response") or {}
    expected = EXPECTED[name]
    spoken = (response.get("outputSpeech") or {}).get("ssml", "")
    if expected == "speech":
        assert spoken, (name, reply)
        if readable(event):
            assert "went wrong" not in spoken and "algo falló" not in spoken, (name, spoken)
    elif expected == "silent":
        assert not {"outputSpeech", "reprompt", "card"} & set(response), (name, reply)
    else:
        assert not spoken and response["canFulfillIntent"]["canFulfill"] in ANSWERS, (name, reply)


def test_the_corpus_is_as_the_issue_asks():
    assert len(FILES) >= 40 and set(EXPECTED) == set(FILES)
    kinds = {load(name)["request"]["type"] for name in FILES}
    for needed in ("LaunchRequest", "IntentRequest", "SessionEndedRequest",
                   "CanFulfillIntentRequest", "SessionResumedRequest",
                   "System.ExceptionEncountered",
                   "Display.ElementSelected", "Alexa.Presentation.APL.UserEvent",
                   "Connections.Response", "Messaging.MessageReceived"):
        assert needed in kinds
    assert any(k.startswith("AudioPlayer.") for k in kinds)
    assert any(k.startswith("PlaybackController.") for k in kinds)
    assert any(k.startswith("AlexaSkillEvent.") for k in kinds)
    listed = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in listed for name in FILES), "every file's source is listed"


@pytest.fixture(scope="module")
def open_handler():
    return build_lambda_handler(Settings(persistence="none"))


@pytest.fixture(scope="module")
def guarded_handler():
    return build_lambda_handler(Settings(persistence="none", skill_id=OURS))


@pytest.mark.parametrize("name", FILES)
def test_each_is_answered_as_its_kind_requires(open_handler, name):
    event = load(name)
    check_kind(name, event, open_handler(copy.deepcopy(event), None))


@pytest.mark.parametrize("name", FILES)
def test_with_the_skill_id_set_ours_is_answered_and_anothers_refused(guarded_handler, name):
    event = load(name)
    if not applications(event):
        with pytest.raises(AskSdkException, match="names no skill id"):
            guarded_handler(copy.deepcopy(event), None)
        return
    check_kind(name, event, guarded_handler(with_skill_id(event, OURS), None))
    with pytest.raises(AskSdkException, match="another skill"):
        guarded_handler(with_skill_id(event, THEIRS), None)


# --- the same through the web service, signed, verified ---------------------------------------

@pytest.fixture(scope="module")
def service(tmp_path_factory):
    pki = make_pki(tmp_path_factory.mktemp("pki"))
    scratch = tmp_path_factory.mktemp("web")
    server = webserver.start([], {"SKILL_ID": OURS, "DATA_DIR": str(scratch),
                                  "WEB_TEST_TRUST_ROOT": str(pki.root_file),
                                  "WEB_TEST_CERT_CHAIN_DIR": str(pki.chain_dir)},
                             scratch / "server.log")
    yield server, pki
    server.stop()


@pytest.mark.parametrize("name", FILES)
def test_each_is_answered_alike_by_the_web_service(service, name):
    server, pki = service
    event = with_skill_id(load(name), OURS)
    has_time = "timestamp" in event["request"]
    if has_time:
        event["request"]["timestamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    event["request"]["requestId"] = f"amzn1.echo-api.request.{uuid.uuid4()}"
    body = json.dumps(event).encode()
    answer = server.post(body, pki.headers(body))
    if not applications(event) or not has_time:
        # Alexa always signs a skill id and a time; without them the checks cannot be made.
        assert answer.status == 400 and answer.json["error"] == "request verification failed"
        return
    assert answer.status == 200, (name, answer.body[:300])
    check_kind(name, event, answer.json)
