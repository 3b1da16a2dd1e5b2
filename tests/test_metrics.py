"""The request line and its metrics: through the Lambda handler, turn after turn, read from
standard output as Lambda hands it to CloudWatch; and the template's dashboard and alarms held
to the metrics the skill writes."""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill import build_lambda_handler, metrics
from devkit import envelopes
from devkit.client import Client
from skill.identity import redact
from skill.settings import Settings
from support import emf
from support.conversations import NO, YES, answer_all

NAMESPACE, SERVICE = "BackSpasmHelper", "clinic-stack"


@pytest.fixture
def handler():
    return build_lambda_handler(Settings(persistence="none", metrics_namespace=NAMESPACE,
                                         metrics_service=SERVICE))


class Lines:
    """Each request's line, as CloudWatch Logs would receive it from standard output."""

    def __init__(self, capsys):
        self.capsys = capsys

    def take(self) -> list[dict]:
        out = self.capsys.readouterr().out
        return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def lines(capsys):
    return Lines(capsys)


def totals(documents: list[dict]) -> dict[str, float]:
    summed: dict[str, float] = {}
    for document in documents:
        for metric in document["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
            if metric["Name"] != "Latency":
                summed[metric["Name"]] = summed.get(metric["Name"], 0) + document[metric["Name"]]
    return summed


def test_each_request_writes_one_valid_line_without_ids(handler, lines):
    client = Client(handler)
    client.launch()
    answer_all(client, client.say("StartCheckIntent"))
    client.say(NO)
    documents = lines.take()
    assert len(documents) == len(client.replies)
    for document in documents:
        assert emf.problems(document) == []
        directive = document["_aws"]["CloudWatchMetrics"][0]
        assert directive["Namespace"] == NAMESPACE and directive["Dimensions"] == [["Service"]]
        assert document["Service"] == SERVICE and document["Latency"] >= 0
        named = {m["Name"] for m in directive["Metrics"]}
        assert named <= set(metrics.UNITS) and {"Requests", "Latency"} <= named
        text = json.dumps(document)
        for identifier in (envelopes.USER_ID, envelopes.DEVICE_ID, redact(envelopes.USER_ID)):
            assert identifier not in text
        assert "amzn1." not in text  # no request, session, user or device id of any kind
        assert set(document) <= {"type", "intent", "locale", "Service", "_aws", *metrics.UNITS}
    assert [d["type"] for d in documents[:2]] == ["LaunchRequest", "IntentRequest"]
    assert documents[1]["intent"] == "StartCheckIntent" and documents[0]["locale"] == "en-US"


def test_a_home_care_session_counts_its_outcome_steps_and_ending(handler, lines):
    client = Client(handler)
    client.launch()
    answer_all(client, client.say("StartCheckIntent"))
    client.say(YES)  # relief
    for _ in range(12):
        reply = client.say("AMAZON.NextIntent")
        if reply.state.get("pending") != "relief":
            break
    counted = totals(lines.take())
    assert counted["Sessions"] == 1 and counted["Requests"] == len(client.replies)
    assert counted["OutcomeHomeCare"] == 1
    assert counted["ReliefSteps"] == 8 and counted["ReliefFinished"] == 1
    assert not {"OutcomeEmergency", "OutcomeToday", "OutcomeProvider", "ErrorsAnswered"} \
        & set(counted)


@pytest.mark.parametrize("answers, tier", [
    ({"bladder": YES}, "OutcomeEmergency"),
    ({"cancer": YES}, "OutcomeToday"),
    ({"course": YES}, "OutcomeProvider"),
])
def test_each_tier_is_counted_once_with_its_card(handler, lines, answers, tier):
    client = Client(handler)
    client.launch()
    reply = answer_all(client, client.say("StartCheckIntent"), answers)
    if not reply.ends_session and reply.state.get("pending") == "offer_card":
        client.say(YES)
    counted = totals(lines.take())
    outcomes = {name: n for name, n in counted.items() if name.startswith("Outcome")}
    assert outcomes == {tier: 1}
    assert counted.get("CardsSent") == 1


def test_errors_answered_are_counted_and_the_line_still_written(handler, lines, monkeypatch):
    from skill.handlers import dialogue

    def broken(*_args, **_kwargs):
        raise RuntimeError("planted")

    client = Client(handler)
    client.launch()
    monkeypatch.setattr(dialogue, "decide", broken)
    reply = client.say("StartCheckIntent")
    assert "Sorry" in reply.speech
    handler({"not": "an envelope"}, None)
    documents = lines.take()
    assert len(documents) == 3
    assert [d.get("ErrorsAnswered") for d in documents] == [None, 1, 1]


def test_a_failing_store_is_counted(lines, tmp_path):
    class Broken:
        def get_attributes(self, request_envelope):
            raise OSError("disk gone")

        def save_attributes(self, request_envelope, attributes):
            raise OSError("disk gone")

        def delete_attributes(self, request_envelope):
            raise OSError("disk gone")

    handler = build_lambda_handler(Settings(persistence="none", metrics_namespace=NAMESPACE),
                                   adapter=Broken())
    client = Client(handler)
    client.launch()
    client.say("SlowerIntent")
    client.say("AMAZON.StopIntent")
    counted = totals(lines.take())
    assert counted["MemoryFailures"] >= 2  # the read at each turn, then the write at the end


def test_without_a_namespace_the_line_is_logged_not_printed(lines, caplog):
    handler = build_lambda_handler(Settings(persistence="none"))
    with caplog.at_level("INFO", logger="skill"):
        Client(handler).launch()
    assert lines.take() == []
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("request ")]
    assert len(logged) == 1
    document = json.loads(logged[0][len("request "):])
    assert "_aws" not in document and document["Sessions"] == 1


def test_counts_said_reads_content_keys():
    said = metrics.counts_said(["acknowledge", "outcome.today_pregnant", "relief.step_number",
                                "relief.finished"], card=True)
    assert said == {"OutcomeToday": 1, "ReliefSteps": 1, "ReliefFinished": 1, "CardsSent": 1}
    assert metrics.counts_said(["outcome.before_relief", "outcome.stopped_early"], False) == {}
    with pytest.raises(KeyError):
        metrics.count("NotAMetric")


@given(facts=st.fixed_dictionaries({"type": st.text(), "intent": st.text(), "locale": st.text()}),
       counts=st.dictionaries(st.sampled_from(sorted(set(metrics.UNITS) - {"Latency"})),
                              st.integers(0, 50)),
       service=st.text(min_size=1))
def test_the_written_line_is_the_document(facts, counts, service):
    """The line is built from parts for speed; it must read back as the document, whatever
    the request's strings hold (quotes, newlines, other scripts)."""
    recorder = metrics.Recorder(NAMESPACE, service)
    tally = metrics.Tally(facts)
    tally.counts.update(counts)
    line = recorder.line(tally, 1796454125365)
    assert "\n" not in line
    parsed = json.loads(line)
    expected = recorder.document(tally, 1796454125365)
    expected["Latency"] = parsed["Latency"]
    assert parsed == expected and emf.problems(parsed) == []
