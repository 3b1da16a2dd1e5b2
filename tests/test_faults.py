"""A slow Alexa API behind the real web service: the person still hears an answer.

The Reminders API (and the time zone lookup before it) answers only after 5 s, as an overloaded
service might. Alexa waits 8 s for the skill; the skill's API client gives up first (0.4 s for
the time zone, 1 s for the reminder; skill/reminders.py), so the answer comes with the graceful
fallback: sorry, and the clinic's number. The request goes the whole way, signed, through
waitress and verification, to the stand-in API over HTTPS (tests/support/fake_alexa_api.py).

(The database stopped mid-load is in tests/test_load.py.)
"""
from __future__ import annotations

import time

import pytest
from support import logs
from support.fake_alexa_api import Behaviour, FakeAlexaApi
from support.figures import report
from support.tls import make_loopback_certificates
from web import server as webserver
from web.bodies import SKILL_ID, assert_clean_log
from web.pki import make_pki
from web.transport import SignedTransport

from conftest import CheckedClient

API_DELAY_S = 5.0
TOKEN = "fault-test-api-token-not-a-secret"
logs.watch(TOKEN)


@pytest.fixture(scope="module")
def slow_api(tmp_path_factory):
    api = FakeAlexaApi(make_loopback_certificates(tmp_path_factory.mktemp("tls")),
                       Behaviour(delay_s=API_DELAY_S))
    api.start()
    yield api
    api.stop()


@pytest.fixture(scope="module")
def service(slow_api, tmp_path_factory):
    scratch = tmp_path_factory.mktemp("faults")
    pki = make_pki(scratch / "pki")
    server = webserver.start([], {"SKILL_ID": SKILL_ID, "DATA_DIR": str(scratch),
                                  "WEB_TEST_TRUST_ROOT": str(pki.root_file),
                                  "WEB_TEST_CERT_CHAIN_DIR": str(pki.chain_dir),
                                  "ALEXA_API_CA_BUNDLE": str(slow_api.certificates.ca_file),
                                  "WEB_LOG_LEVEL": "DEBUG"},
                             scratch / "server.log")
    server.pki = pki
    yield server
    server.stop()


def test_a_reminder_api_answering_after_5_s_still_gets_an_answer(service, slow_api, request):
    transport = SignedTransport(service.port, service.pki)
    client = CheckedClient(slow_api.pointed_at(transport, TOKEN, granted=True))
    try:
        client.launch()
        begun = time.monotonic()
        reply = client.say("RemindMeIntent")
        took = time.monotonic() - begun
    finally:
        transport.close()
    report(request.config, "faults", (
        f"Reminders API answering after {API_DELAY_S:.0f} s: the skill answered in {took:.2f} s "
        f"(signed, through the web service) with the clinic's number"))
    assert "couldn't set the reminder" in reply.speech
    assert '<say-as interpret-as="digits">9373</say-as>' in reply.ssml  # the clinic, digit by digit
    assert not reply.ends_session  # the conversation goes on
    # The client's timeouts fired: the answer did not wait for the slow API.
    assert took < API_DELAY_S
    paths = [r.path for r in slow_api.requests]
    assert any(p.endswith("/settings/System.timeZone") for p in paths)
    assert "/v1/alerts/reminders" in paths, "the reminder was tried, not skipped"
    assert_clean_log(service)
