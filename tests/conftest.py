"""Shared fixtures: the real Lambda handler and a client that carries the session."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import tempfile
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from devkit.client import Client, Reply
from devkit.model import InteractionModel
from support import logs

ROOT = Path(__file__).resolve().parents[1]

# Memory goes to a throwaway SQLite file, never the developer's own; set
# before any skill is built, and inherited by servers the tests start. Removed when the run
# ends (only when this run made it: a DATA_DIR given from outside is the caller's).
_OWN_DATA_DIR = None if "DATA_DIR" in os.environ else tempfile.mkdtemp(prefix="back-spasm-tests-")
if _OWN_DATA_DIR:
    os.environ["DATA_DIR"] = _OWN_DATA_DIR
os.environ.pop("AWS_LAMBDA_FUNCTION_NAME", None)


# --- every log of the run, scanned for ids and tokens when the session ends ------------------
# A hook rather than a test: it sees the logs of every test that ran, whichever were selected
# and in whatever order, and fails the run (exit status 1) if an id or a token is in clear.
LOG_SCAN = pytest.StashKey()


def pytest_configure(config):
    logs.start_capture()  # root logger at DEBUG, into one file, from the first import on
    # pytest's own capture keeps what it kept before (WARNING and up) rather than every DEBUG
    # record of every test in memory; caplog.at_level / set_level still lower it on demand.
    if config.getoption("log_level", None) is None and config.getini("log_level") is None:
        config.option.log_level = "WARNING"


def pytest_sessionfinish(session, exitstatus):
    if _OWN_DATA_DIR:
        shutil.rmtree(_OWN_DATA_DIR, ignore_errors=True)
    logs.stop_capture()
    result = logs.scan()
    session.config.stash[LOG_SCAN] = result
    if result.findings:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif exitstatus == pytest.ExitCode.OK:
        logs.remove_directory()


def pytest_terminal_summary(terminalreporter, config):
    result = config.stash.get(LOG_SCAN, None)
    if result is None:
        return
    terminalreporter.write_sep("-", "logs")
    terminalreporter.write_line(result.summary)
    if result.findings:
        terminalreporter.write_sep("!", "LOG PRIVACY SCAN FAILED: ids or tokens in clear", red=True)
        for finding in result.findings[:50]:
            terminalreporter.write_line(str(finding))
    if logs.kept_directory() is not None:  # a failed run: kept for a look
        terminalreporter.write_line(f"(logs kept in {logs.kept_directory()})")

# Tags Alexa accepts in SSML (Alexa Skills Kit SSML reference).
ALEXA_TAGS = {"speak", "break", "prosody", "say-as", "emphasis", "lang", "p", "s", "sub",
              "w", "phoneme", "voice", "audio", "mark", "amazon:effect", "amazon:emotion",
              "amazon:domain"}


def load_lambda_module(name: str = "lambda_function_under_test"):
    """A fresh import of lambda/lambda_function.py, exactly as Lambda loads it."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "lambda" / "lambda_function.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def lambda_handler():
    return load_lambda_module().lambda_handler


@pytest.fixture
def client(lambda_handler):
    """A conversation client whose every reply is checked against the voice rules."""
    return CheckedClient(lambda_handler)


@pytest.fixture(scope="session")
def model():
    return InteractionModel.load("en-US")


def ssml_problems(ssml: str) -> list[str]:
    """Why an SSML string would be refused: not XML, or a tag Alexa does not know."""
    try:
        root = ET.fromstring(ssml.replace("amazon:", "amazon_"))
    except ET.ParseError as error:
        return [f"not XML: {error}"]
    tags = {el.tag.replace("amazon_", "amazon:") for el in root.iter()}
    problems = [f"unknown tag <{t}>" for t in sorted(tags - ALEXA_TAGS)]
    if root.tag != "speak":
        problems.append("root is not <speak>")
    return problems


def spoken_text(ssml: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", ssml)).strip()


def check_reply(reply: Reply) -> None:
    """The voice rules every response must keep."""
    response = reply.response
    assert response is not None
    if reply.raw.get("response", {}).get("outputSpeech") is None:
        return  # SessionEndedRequest and events: no speech allowed or needed
    assert not ssml_problems(reply.ssml), (reply.ssml, ssml_problems(reply.ssml))
    assert reply.speech, "silence"
    if not reply.ends_session:
        assert reply.reprompt_ssml, f"open session without a reprompt: {reply.speech}"
        assert not ssml_problems(reply.reprompt_ssml)
        assert spoken_text(reply.ssml).endswith("?"), \
            f"does not end with a question: {reply.speech}"
        assert spoken_text(reply.reprompt_ssml).endswith("?"), reply.reprompt


class CheckedClient(Client):
    """Each client is a new user, so no test meets another test's memory."""

    def __init__(self, handler, **identity):
        identity.setdefault("user_id", f"amzn1.ask.account.TEST-{uuid.uuid4()}")
        super().__init__(handler, **identity)

    def send(self, request: dict) -> Reply:
        reply = super().send(request)
        check_reply(reply)
        return reply


# --- DynamoDB on a moto server over HTTP (tests/moto_server.py) --------------------------------

@pytest.fixture(scope="module")
def moto():
    """A moto server of the module's own, on a free loopback port."""
    from moto_server import MotoServer

    server = MotoServer().start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def proxy(moto):
    """A proxy in front of the module's moto server that counts calls and injects faults."""
    from moto_server import FaultProxy

    fault_proxy = FaultProxy(moto.port)
    yield fault_proxy
    fault_proxy.close()
