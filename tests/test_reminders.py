"""The follow-up reminder, against a stand-in Alexa API over HTTPS on loopback.

The API endpoint in the request envelope points at a local HTTPS server whose
certificate is signed by a CA made here and trusted only by this skill
instance (Settings.api_ca_bundle), so the real SDK client code path runs.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import CheckedClient
from skill import build_lambda_handler, reminders
from skill.settings import Settings
from support import logs
from support.conversations import answer_all
from support.fake_alexa_api import Behaviour, FakeAlexaApi
from support.tls import make_loopback_certificates

TOKEN = "test-api-token-not-a-secret"
logs.watch(TOKEN)  # no log of the run may hold it (checked when the session ends)
YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"
HEALTH_WORDS = re.compile(r"pain|hurt|spasm(?!.*helper)|provider|doctor|emergency|bladder|"
                          r"numb|fever|"
                          r"injur|worse|symptom", re.I)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return make_loopback_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def api_server(certificates):
    fake = FakeAlexaApi(certificates)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def api(api_server):
    api_server.behaviour, api_server.requests[:] = Behaviour(), []
    return api_server


def client_for(api, certificates, granted: bool) -> CheckedClient:
    handler = build_lambda_handler(Settings(api_ca_bundle=str(certificates.ca_file),
                                            metrics_namespace="BackSpasmHelper"))
    return CheckedClient(api.pointed_at(handler, TOKEN, granted))


def permission_answer(status: str | None, code: str = "200") -> dict:
    return {"type": "Connections.Response", "name": "AskFor", "token": "follow-up-reminder",
            "status": {"code": code, "message": "OK" if code == "200" else "Not supported"},
            "payload": {"permissionScope": reminders.SCOPE,
                        **({"status": status} if status else {})}}


def reminders_counted(capsys) -> tuple[int, int]:
    """RemindersSet and CardsSent over the request lines written so far (skill/metrics.py)."""
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    return (sum(line.get("RemindersSet", 0) for line in lines),
            sum(line.get("CardsSent", 0) for line in lines))


def test_home_care_offers_a_reminder_and_sets_it(api, certificates, capsys):
    client = client_for(api, certificates, granted=True)
    client.launch()
    reply = answer_all(client, client.say("StartCheckIntent"))
    assert reply.state["pending"] == "offer_relief"
    offer = client.say(NO)
    assert offer.state["pending"] == "offer_reminder" and "7 days" in offer.speech
    done = client.say(YES)

    (post,) = api.reminder_posts()
    assert post.headers["Authorization"] == f"Bearer {TOKEN}"
    trigger = post.body["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE" and trigger["timeZoneId"] == "America/Chicago"
    expected = (datetime.now(ZoneInfo("America/Chicago")) + timedelta(days=7)).replace(
        hour=10, minute=0, second=0, microsecond=0)
    assert trigger["scheduledTime"].startswith(expected.strftime("%Y-%m-%dT10:00:00"))
    text = post.body["alertInfo"]["spokenInfo"]["content"][0]["text"]
    assert text and not HEALTH_WORDS.search(text.replace("back spasm helper", "")), text
    assert post.body["pushNotification"]["status"] == "ENABLED"
    assert f"{expected:%A}, {expected:%B} {expected.day}, at 10 AM" in done.speech
    assert any(r.path.endswith("/settings/System.timeZone") for r in api.requests)
    assert reminders_counted(capsys) == (1, 0)


def test_without_permission_alexa_asks_by_voice_first(api, certificates):
    client = client_for(api, certificates, granted=False)
    client.launch()
    reply = client.say("RemindMeIntent")
    (directive,) = reply.response["directives"]
    assert directive["type"] == "Connections.SendRequest" and directive["name"] == "AskFor"
    assert directive["payload"]["permissionScope"] == "alexa::alerts:reminders:skill:readwrite"
    assert directive["payload"]["@type"] == "AskForPermissionsConsentRequest"
    assert api.requests == [], "nothing is sent to the API before consent"
    done = client.send(permission_answer("ACCEPTED"))
    assert len(api.reminder_posts()) == 1 and "at 10 AM" in done.speech


@pytest.mark.parametrize("answer,said", [("DENIED", "no reminder"),
                                         ("NOT_ANSWERED", "change your mind"),
                                         (None, "change your mind")])
def test_denied_or_unanswered_consent(api, certificates, answer, said):
    client = client_for(api, certificates, granted=False)
    client.launch()
    client.say("RemindMeIntent")
    reply = client.send(permission_answer(answer))
    assert said in reply.speech and api.reminder_posts() == []
    assert not reply.ends_session


def test_voice_consent_not_supported_sends_a_permissions_card(api, certificates):
    client = client_for(api, certificates, granted=False)
    client.launch()
    client.say("RemindMeIntent")
    reply = client.send(permission_answer(None, code="400"))
    assert reply.card["type"] == "AskForPermissionsConsent"
    assert reply.card["permissions"] == [reminders.SCOPE]
    assert "Alexa app" in reply.speech


@pytest.mark.parametrize("status", [401, 403, 429, 500])
def test_api_failures_still_give_the_clinic_number(api, certificates, status, capsys):
    api.behaviour = Behaviour(reminder_status=status)
    client = client_for(api, certificates, granted=True)
    client.launch()
    reply = client.say("RemindMeIntent")
    assert "couldn't set the reminder" in reply.speech
    assert '<say-as interpret-as="digits">9373</say-as>' in reply.ssml
    assert (reply.card is not None) == (status in (401, 403)), \
        "a permissions card only when refused"
    assert reminders_counted(capsys) == (0, 0), "neither a reminder nor a clinic card was sent"


def test_a_slow_api_is_abandoned_and_the_person_still_hears_an_answer(api, certificates):
    api.behaviour = Behaviour(delay_s=3.0)  # longer than the client's read timeout
    client = client_for(api, certificates, granted=True)
    client.launch()
    reply = client.say("RemindMeIntent")
    assert "couldn't set the reminder" in reply.speech


def test_without_a_time_zone_the_reminder_is_relative(api, certificates):
    api.behaviour = Behaviour(time_zone=None)
    client = client_for(api, certificates, granted=True)
    client.launch()
    reply = client.say("RemindMeIntent")
    (post,) = api.reminder_posts()
    assert post.body["trigger"] == {"type": "SCHEDULED_RELATIVE", "offsetInSeconds": 7 * 86400}
    assert "in 7 days" in reply.speech


def test_the_api_client_refuses_plain_http():
    from ask_sdk_core.exceptions import ApiClientException
    from ask_sdk_model.services import ApiClientRequest
    with pytest.raises(ApiClientException, match="non-HTTPS"):
        reminders.TimeoutApiClient().invoke(
            ApiClientRequest(url="http://127.0.0.1:9/x", method="GET"))


def test_schedule_is_ten_in_the_morning_local_time_a_week_on():
    now = datetime(2026, 11, 25, 23, 30, tzinfo=ZoneInfo("UTC"))
    plan = reminders.schedule(7, "America/Chicago", now)
    assert plan.local_time == datetime(2026, 12, 2, 10, 0) and plan.time_zone == "America/Chicago"
    assert reminders.schedule(7, "Not/AZone", now).offset_seconds == 7 * 86400
