"""The DynamoDB store, against a real moto server over HTTP on loopback.

The table is made here the way template.yaml makes it (on demand, key "id",
TTL on "expires_at"); the skill never creates it. Faults are real: the server
process is killed and restarted, and a proxy answers with DynamoDB's throttling
errors or stalls past the read timeout.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from ask_sdk_core.exceptions import PersistenceException
from conftest import CheckedClient
from support.conversations import SKILL_DISABLED, check_then_a_question, walk_away, week_of_use
import moto_server
from moto_server import TABLE, MotoServer, Table, free_port, sha256

from skill import build_lambda_handler
from devkit import envelopes
from skill.memory import ALLOWED_KEYS
from skill.settings import Settings

boto3 = pytest.importorskip("boto3")
dynamodb = pytest.importorskip("skill.storage.dynamodb")
assert moto_server.ENDPOINT_ENV == dynamodb.ENDPOINT_ENV

ROOT = Path(__file__).resolve().parents[1]
DAY = 24 * 60 * 60
NO, YES = "AMAZON.NoIntent", "AMAZON.YesIntent"
SETTINGS = Settings(persistence="dynamodb", table_name=TABLE)


# --- servers and the table ------------------------------------------------------------

def aws_environment(monkeypatch, tmp_path, endpoint: str | None) -> None:
    """Fake credentials and a region; nothing read from the developer's ~/.aws."""
    for name, value in moto_server.aws_environment(tmp_path, endpoint).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


@pytest.fixture
def table(moto, proxy, monkeypatch, tmp_path):
    """An empty table behind the fault proxy; the skill talks to the proxy."""
    moto.reset()
    proxy.reset()
    aws_environment(monkeypatch, tmp_path, proxy.url)
    return Table(moto).create()


@pytest.fixture
def user():
    return f"amzn1.ask.account.DYNAMO-{uuid.uuid4()}"


@pytest.fixture
def talk(table, user):
    """Clients of one user on one handler, its store built from the settings."""
    handler = build_lambda_handler(SETTINGS)
    return lambda: CheckedClient(handler, user_id=user)


def request_for(user_id: str):
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope
    body = envelopes.envelope(envelopes.launch(), envelopes.new_session(user_id=user_id),
                              user_id=user_id)
    return DefaultSerializer().deserialize(json.dumps(body), RequestEnvelope)


def memory_in_session(reply) -> dict:
    return (reply.raw.get("sessionAttributes") or {}).get("memory") or {}


def assert_clean(item: dict) -> None:
    """The stored item holds the hashed key, the allow-listed record and the TTL: nothing else."""
    assert set(item) == {"id", "attributes", "expires_at"}, item
    assert len(item["id"]) == 64 and "amzn1" not in repr(item)
    assert set(item["attributes"]) <= ALLOWED_KEYS, item["attributes"]


# --- the adapter --------------------------------------------------------------------------

def test_round_trip_with_hashed_key_ttl_and_numbers(table, user):
    adapter = dynamodb.build_dynamodb_adapter(SETTINGS)
    request = request_for(user)
    assert adapter.get_attributes(request) == {}
    adapter.save_attributes(request, {"visits": 3, "x": 1.5, "nested": {"list": [2, 0.25]}})
    back = adapter.get_attributes(request)
    assert back == {"visits": 3, "x": 1.5, "nested": {"list": [2, 0.25]}}
    assert type(back["visits"]) is int and type(back["x"]) is float
    assert type(back["nested"]["list"][0]) is int and type(back["nested"]["list"][1]) is float

    (item,) = table.items()
    assert item["id"] == sha256(user)
    assert user not in json.dumps(item, default=str)
    assert set(item) == {"id", "attributes", "expires_at"}
    assert abs(int(item["expires_at"]) - (time.time() + 30 * DAY)) < 120

    adapter.delete_attributes(request)
    assert adapter.get_attributes(request) == {}
    assert table.items() == []
    adapter.delete_attributes(request)  # deleting nothing is fine


def test_ttl_follows_the_setting_and_expired_items_read_as_empty(table, user):
    adapter = dynamodb.build_dynamodb_adapter(
        Settings(persistence="dynamodb", table_name=TABLE, ttl_days=7))
    request = request_for(user)
    adapter.save_attributes(request, {"visits": 2})
    assert abs(int(table.item(user)["expires_at"]) - (time.time() + 7 * DAY)) < 120

    table.resource.update_item(Key={"id": sha256(user)}, UpdateExpression="SET expires_at = :t",
                               ExpressionAttributeValues={":t": int(time.time()) - 10})
    assert table.item(user) is not None, "DynamoDB sweeps expired items late: still there"
    assert adapter.get_attributes(request) == {}

    table.resource.update_item(Key={"id": sha256(user)}, UpdateExpression="SET expires_at = :t",
                               ExpressionAttributeValues={":t": "junk"})
    assert adapter.get_attributes(request) == {}
    adapter.save_attributes(request, {"visits": 3})
    assert adapter.get_attributes(request) == {"visits": 3}, "the next save renews the TTL"


def test_numbers_dynamodb_cannot_hold_are_refused_as_persistence_errors(table, user):
    adapter = dynamodb.build_dynamodb_adapter(SETTINGS)
    with pytest.raises(PersistenceException):
        adapter.save_attributes(request_for(user), {"x": float("nan")})
    with pytest.raises(PersistenceException):
        adapter.get_attributes(request_for(""))  # no user id: no key


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException"])
def test_throttling_is_a_persistence_error_after_one_retry(table, proxy, user, code):
    adapter = dynamodb.build_dynamodb_adapter(SETTINGS)
    request = request_for(user)
    for call in (lambda: adapter.get_attributes(request),
                 lambda: adapter.save_attributes(request, {"visits": 1}),
                 lambda: adapter.delete_attributes(request)):
        proxy.throttle(dynamodb.TOTAL_ATTEMPTS, code)
        with pytest.raises(PersistenceException, match=code):
            call()
    assert len(proxy.throttled) == 3 * dynamodb.TOTAL_ATTEMPTS
    assert proxy.calls == [], "nothing reached the database"
    adapter.save_attributes(request, {"visits": 1})  # and it works again once it passes
    assert adapter.get_attributes(request) == {"visits": 1}


def test_read_timeouts_are_persistence_errors(table, proxy, user):
    adapter = dynamodb.build_dynamodb_adapter(SETTINGS)
    proxy.stall(dynamodb.TOTAL_ATTEMPTS, dynamodb.READ_TIMEOUT_S + 1.5)
    with pytest.raises(PersistenceException, match="ReadTimeout"):
        adapter.get_attributes(request_for(user))
    assert len(proxy.stalled) == dynamodb.TOTAL_ATTEMPTS


def test_unreachable_endpoint_and_missing_table_are_persistence_errors(table, user, monkeypatch):
    request = request_for(user)
    missing = dynamodb.build_dynamodb_adapter(Settings(persistence="dynamodb", table_name="nope"))
    with pytest.raises(PersistenceException, match="ResourceNotFoundException"):
        missing.get_attributes(request)
    monkeypatch.setenv(dynamodb.ENDPOINT_ENV, f"http://127.0.0.1:{free_port()}")  # nobody there
    closed = dynamodb.build_dynamodb_adapter(SETTINGS)
    for call in (lambda: closed.get_attributes(request),
                 lambda: closed.save_attributes(request, {"visits": 1}),
                 lambda: closed.delete_attributes(request)):
        with pytest.raises(PersistenceException, match="could not reach"):
            call()


LAZINESS_PROBE = textwrap.dedent("""
    import json, os, sys
    from ask_sdk_core.exceptions import PersistenceException

    def aws_modules():
        return sorted(m for m in sys.modules if m.split(".")[0] in ("boto3", "botocore",
                                                                   "s3transfer", "urllib3"))

    import skill.storage.dynamodb as dynamodb
    from skill import build_lambda_handler
    from devkit import envelopes
    from skill.settings import Settings
    from skill.storage import build_adapter

    settings = Settings(persistence="dynamodb")
    adapter = build_adapter(settings)
    handler = build_lambda_handler(settings)
    result = {"after_build": aws_modules(), "sdk_adapter": "ask_sdk_dynamodb" in sys.modules}

    user = "amzn1.ask.account.PROBE"
    event = envelopes.envelope(envelopes.launch(), envelopes.new_session(user_id=user),
                               user_id=user)
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope
    request = DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)
    try:
        adapter.get_attributes(request)
        result["error"] = None
    except PersistenceException as error:
        result["error"] = [type(error).__name__, str(error)]
    reply = handler(event, None)
    result["speech"] = reply["response"]["outputSpeech"]["ssml"]
    result["after_first_get_without_region"] = aws_modules()

    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    os.environ["DYNAMODB_ENDPOINT_URL"] = sys.argv[1]  # a closed port: the call fails fast
    try:
        adapter.get_attributes(request)
    except PersistenceException as error:
        result["closed"] = str(error)
    result["after_first_get"] = aws_modules()
    print(json.dumps(result))
""")


def test_import_and_build_load_no_aws_code_and_no_region_fails_soft(tmp_path):
    """In a fresh interpreter, with credentials in the environment as on Lambda: nothing of
    boto3, botocore or urllib3 is loaded, neither at import and build nor at the first call; no
    region is a clear error and the welcome is still spoken."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k != dynamodb.ENDPOINT_ENV}
    env.update(AWS_CONFIG_FILE=str(tmp_path / "none"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
               AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_EC2_METADATA_DISABLED="true", NO_PROXY="127.0.0.1")
    done = subprocess.run([sys.executable, "-c", LAZINESS_PROBE, f"http://127.0.0.1:{free_port()}"],
                          check=False,
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["after_build"] == [], "import and build loaded AWS code"
    assert not result["sdk_adapter"], "the SDK's DynamoDB adapter (and boto3) stay out"
    name, message = result["error"]
    assert name == "MissingRegion" and "AWS_REGION" in message and "AWS_DEFAULT_REGION" in message
    assert "not medical advice" in result["speech"], "the welcome is still spoken"
    assert result["after_first_get_without_region"] == []
    assert "could not reach" in result["closed"]
    assert result["after_first_get"] == [], \
        "signed and sent with the standard library: a boto3 client would load DynamoDB's " \
        "service model, botocore's signer urllib3 and its credential machinery, at every " \
        "cold start"


# --- conversations -----------------------------------------------------------------------

def test_returning_user_gets_a_shorter_welcome(talk, table, user):
    client = talk()
    first = client.launch()
    assert "not medical advice" in first.speech
    walk_away(client)
    again = talk()
    second = again.launch()
    assert "not medical advice" not in second.speech
    assert "911" in second.speech and "relief" in second.speech
    walk_away(again)
    assert table.item(user)["attributes"]["visits"] == 2


def test_resume_an_unfinished_routine_at_step_3(talk, table, user):
    client = talk()
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)  # no to the one-breath emergency question
    client.say("GoToStepIntent", step_number="3")
    client.say("AMAZON.StopIntent")
    assert_clean(table.item(user))
    again = talk()
    offer = again.launch()
    assert "step 3 of 8" in offer.speech and offer.state["pending"] == "offer_resume"
    assert "Step 3 of 8" in again.say(YES).speech


def test_slower_is_remembered(talk, table, user):
    client = talk()
    client.launch()
    client.say("SlowerIntent")
    client.say("AMAZON.StopIntent")
    assert table.item(user)["attributes"]["speech_rate"] == 1
    reply = talk().launch()
    assert reply.state["rate"] == 1 and '<prosody rate="slow">' in reply.ssml


def test_forget_my_data_deletes_the_item(talk, table, user):
    earlier = talk()
    earlier.launch()
    earlier.say("AMAZON.StopIntent")
    client = talk()
    client.launch()
    client.say("SlowerIntent")
    client.say("ForgetDataIntent")
    assert "keep" in client.say(NO).speech and table.item(user) is not None
    client.say("ForgetDataIntent")
    assert "deleted" in client.say(YES).speech
    assert table.item(user) is None
    client.say("AMAZON.StopIntent")
    assert table.items() == [], "nothing written again after forgetting"


def test_skill_disabled_deletes_the_item(talk, table, user):
    client = talk()
    client.launch()
    walk_away(client)
    assert table.item(user) is not None
    raw = client.handler(envelopes.envelope(SKILL_DISABLED, None, user_id=user), None)
    assert raw["version"] == "1.0" and "outputSpeech" not in (raw.get("response") or {})
    assert table.item(user) is None


def test_only_allow_listed_keys_are_stored(talk, table):
    visits = week_of_use(talk)
    (item,) = table.items()
    assert_clean(item)
    assert all(type(v) is not float and int(v) == v for v in item["attributes"].values())
    assert item["attributes"]["visits"] == visits


def test_one_read_and_one_write_per_session(talk, proxy):
    client = talk()
    check_then_a_question(client)
    assert proxy.count("GetItem") == 1, "one read, at the session's first request"
    assert proxy.count("PutItem") == 0, "nothing written while the session is open"
    client.say("SlowerIntent")
    client.say("AMAZON.StopIntent")
    assert (proxy.count("GetItem"), proxy.count("PutItem")) == (1, 1), \
        "one write when the session ends: the visit and the rate; triage answers never"
    again = talk()
    again.launch()
    again.say("StartReliefIntent")
    again.say(NO)  # no to the one-breath emergency question
    again.say("AMAZON.NextIntent")
    walk_away(again)
    assert (proxy.count("GetItem"), proxy.count("PutItem")) == (2, 2), \
        "a new session: one read, and one write when the person walks away mid-routine"
    assert set(proxy.calls) == {"GetItem", "PutItem"}


# --- injected failures ---------------------------------------------------------------------

@pytest.fixture
def own_moto(monkeypatch, tmp_path):
    """A moto server of this test's own, which it may kill; the skill talks to it directly."""
    server = MotoServer().start()
    aws_environment(monkeypatch, tmp_path, server.url)
    yield server
    server.close()


def test_database_down_mid_conversation(own_moto, user):
    table = Table(own_moto).create()
    handler = build_lambda_handler(SETTINGS)
    client = CheckedClient(handler, user_id=user)
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)  # no to the one-breath emergency question
    client.say("AMAZON.NextIntent")
    client.say("AMAZON.StopIntent")
    assert table.item(user)["attributes"]["visits"] == 1
    client.launch()
    client.say(YES)  # resume the routine

    own_moto.stop()
    for intent in ("SlowerIntent", "AMAZON.NextIntent", "AMAZON.NextIntent"):
        reply = client.say(intent)
        assert reply.speech and not reply.ends_session
    step = reply.state["step"]
    kept = memory_in_session(reply)["current"]
    assert kept["speech_rate"] == 1 and kept["relief_step"] == step, "kept in the session"
    newcomer = CheckedClient(handler, user_id=f"{user}-other").launch()
    assert "not medical advice" in newcomer.speech, "a new session is still welcomed"

    own_moto.start()  # same port; moto forgets everything on restart
    table = Table(own_moto).create()
    reply = client.say("AMAZON.RepeatIntent")
    assert reply.state["step"] == step and table.item(user) is None, "read, not yet written"
    walk_away(client)
    item = table.item(user)
    assert item is not None, "the session's end saved the progress made while it was down"
    assert_clean(item)
    assert item["attributes"]["relief_step"] == step and item["attributes"]["speech_rate"] == 1


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException"])
def test_throttled_conversation_goes_on_and_saves_afterwards(talk, table, proxy, user, code):
    client = talk()
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)  # no to the one-breath emergency question
    proxy.throttle(1000, code)
    for intent in ("SlowerIntent", "AMAZON.NextIntent"):
        reply = client.say(intent)
        assert reply.speech and not reply.ends_session
    late = talk()
    assert late.launch().speech, "a new session is answered though its read is throttled"
    walk_away(client)  # its one write is throttled too: logged, the person heard every answer
    assert set(proxy.throttled) == {"PutItem", "GetItem"}
    assert table.item(user) is None, "not saved"

    proxy.throttle(0)
    reply = late.say("SlowerIntent")
    late.say("AMAZON.StopIntent")
    attributes = table.item(user)["attributes"]
    assert attributes["speech_rate"] == reply.state["rate"] == 1
    assert attributes["visits"] == 1, "the throttled session's visit counted once its read worked"
