"""`make smoke`: the replay files it makes, the differ that reads `--save-skill-io`, and the real
ASK CLI run with those files as far as this machine's network goes (no Amazon here)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from support import conversations as test_conversations
from support.node import ensure_installed
from test_ask_cli import CLI_DIR, SKILL_ID, cli_environ, dummy_home
from tools.nlu_eval.heldout import Row
from tools.smoke import compare, replay, scripts
from tools.smoke.__main__ import SmokeError, simulate


@pytest.fixture(scope="module")
def english():
    return scripts.conversations("en-US")


def test_the_tests_conversations_are_all_replayed_and_typed_as_the_model_says(english):
    names = [c.name for c in english]
    assert len(names) == len(test_conversations.EVERY_OUTCOME) + 2
    typist = scripts.Typist("en-US")
    for conversation in english:
        assert conversation.turns[0].said == "open back spasm helper"
        assert conversation.turns[0].intent == "LaunchRequest"
        for turn in conversation.turns[1:]:
            assert typist.understanding.parse(turn.said).intent == turn.intent
        # a turn after the session ends would reach Alexa, not the skill
        assert not any(t.ends_session for t in conversation.turns[:-1])
    emergency = next(c for c in english if c.name.startswith("outcome_1"))
    assert emergency.turns[-1].ends_session and "911" in emergency.turns[-1].speech
    file = replay.for_conversation(english[0], SKILL_ID)
    assert file["skillId"] == SKILL_ID and file["locale"] == "en-US" and file["type"] == "text"
    assert file["userInput"] == [t.said for t in english[0].turns] + [".quit"]


def test_each_held_out_row_gets_a_session_of_its_own():
    rows = [Row("words of a made up row", "CausesIntent", number=1),
            Row("open it my way", "LaunchRequest", number=2)]
    lines = replay.nlu_lines(rows, scripts.Typist("es-US"))
    said = [line.said for line in lines]
    stop = scripts.Typist("es-US").type("AMAZON.StopIntent", {})
    assert said == ["abre asistente de espasmos de espalda", "words of a made up row", stop,
                    "open it my way", stop]
    assert [line.row.number for line in lines if line.row] == [1, 2]
    with pytest.raises(ValueError, match="empty"):
        replay.replay_file(SKILL_ID, "en-US", ["open", " "])


def simulation(sim_id, intent=None, state=None, ends=False, slots=None, status="SUCCESSFUL"):
    """A SMAPI simulation body as ask-cli saves it; intent None: Alexa answered itself."""
    if intent is None:
        caption = {"type": "Speech", "content": {"caption": "Sorry, I don't know."}}
        return {"id": sim_id, "status": status,
                "result": {"alexaExecutionInfo": {"alexaResponses": [caption]}}}
    request = {"type": "LaunchRequest"} if intent == "LaunchRequest" else {
        "type": "IntentRequest", "intent": {"name": intent, "slots": slots or {}}}
    return {"id": sim_id, "status": status, "result": {"skillExecutionInfo": {"invocations": [{
        "invocationRequest": {"body": {"request": request}},
        "invocationResponse": {"body": {
            "sessionAttributes": {"state": state or {}},
            "response": {"outputSpeech": {"type": "SSML", "ssml": "<speak>Okay.</speak>"},
                         "shouldEndSession": ends}}}}]}}}


def skill_io(tmp_path, *turns):
    entries = [{"request": {"utterance": said, "newSession": False}, "response": {"body": body}}
               for said, body in turns]
    path = tmp_path / "io.json"
    path.write_text(json.dumps({"invocations": entries}))
    return compare.read_skill_io(path)


def state(pending, question=None, step=None):
    return {"pending": pending, "question": question, "step": step}


def two_turns():
    return scripts.Conversation("made_up", "en-US", [
        scripts.Turn("open back spasm helper", "LaunchRequest", {}, state("welcome")),
        scripts.Turn("start", "StartCheckIntent", {}, state("triage", "q1"))])


def test_an_agreeing_live_skill_shows_no_difference(tmp_path):
    got = skill_io(tmp_path,
                   ("open back spasm helper", simulation("a", "LaunchRequest",
                                                         {"pending": "welcome"})),
                   ("start", {"id": "b", "status": "IN_PROGRESS"}),  # a poll before the result
                   ("start", simulation("b", "StartCheckIntent",
                                        {"pending": "triage", "question": "q1"})))
    assert len(got) == 2
    assert compare.conversation_differences(two_turns(), got) == []


def test_a_different_intent_state_or_missing_turn_is_reported(tmp_path):
    got = skill_io(tmp_path,
                   ("open back spasm helper", simulation("a", "LaunchRequest",
                                                         {"pending": "menu"})),
                   ("start", simulation("b", "AMAZON.FallbackIntent")))
    found = compare.conversation_differences(two_turns(), got)
    assert [(d.turn, d.said, d.what, d.expected, d.got) for d in found] == [
        (1, "open back spasm helper", "state", state("welcome"), state("menu")),
        (2, "start", "intent", "StartCheckIntent", "AMAZON.FallbackIntent")]
    only_first = skill_io(tmp_path, ("open back spasm helper",
                                     simulation("a", "LaunchRequest", {"pending": "welcome"})))
    missing = compare.conversation_differences(two_turns(), only_first)
    assert [(d.turn, d.got) for d in missing] == [(2, compare.NO_RESULT)]


def test_held_out_rows_score_intent_and_slot_ids(tmp_path):
    rows = [Row("row one", "CausesIntent", number=7),
            Row("row two", "StartCheckIntent", {"person": "HE"}, number=8),
            Row("row three", "ForMeIntent", number=9)]
    lines = [replay.Line("open"), replay.Line("row one", rows[0]), replay.Line("stop"),
             replay.Line("open"), replay.Line("row two", rows[1]), replay.Line("stop"),
             replay.Line("open"), replay.Line("row three", rows[2]), replay.Line("stop")]
    she = {"person": {"value": "my wife", "resolutions": {"resolutionsPerAuthority": [
        {"status": {"code": "ER_SUCCESS_MATCH"}, "values": [{"value": {"id": "SHE"}}]}]}}}
    got = skill_io(tmp_path, *[(text, body) for text, body in [
        ("open", simulation("1", "LaunchRequest")), ("row one", simulation("2", "CausesIntent")),
        ("stop", simulation("3", "AMAZON.StopIntent", ends=True)),
        ("open", simulation("4", "LaunchRequest")),
        ("row two", simulation("5", "StartCheckIntent", slots=she)),
        ("stop", simulation("6", "AMAZON.StopIntent", ends=True)),
        ("open", simulation("7", "LaunchRequest")), ("row three", simulation("8")),
        ("stop", simulation("9"))]])
    score = compare.nlu_score("en-US", lines, got)
    assert (score.rows, score.correct) == (3, 1)
    assert [(m.turn, m.said) for m in score.misses] == [(8, "row two"), (9, "row three")]
    assert "SHE" in score.misses[0].got and score.misses[1].got == compare.NOT_SENT


@pytest.fixture(scope="module")
def cli():
    return ensure_installed(CLI_DIR, "ask-cli")


def test_make_smoke_drives_the_real_cli_as_far_as_the_network(cli, tmp_path):
    home = dummy_home(tmp_path / "home", "clinic")
    env = cli_environ(home, ASK_PROFILE="clinic", SKILL_ID=SKILL_ID)
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "smoke", f"PY={sys.executable}",
         f"ARGS=--locale en-US --only conversations --out {tmp_path / 'smoke'} "
         f"--build {tmp_path}"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "simulated nothing" in result.stderr, result.stdout + result.stderr
    assert f"{env['ASK_LWA_TOKEN_HOST']}/auth/o2/token failed" in result.stderr
    assert "ECONNREFUSED" in result.stderr
    written = json.loads((tmp_path / "smoke/replay/en-US/chat_demo.json").read_text())
    assert written["skillId"] == SKILL_ID and written["userInput"][-1] == ".quit"


def test_a_replay_file_the_cli_refuses_fails_before_the_network(cli, tmp_path, monkeypatch):
    """The failure above is about the token: a bad file is refused before it."""
    home = dummy_home(tmp_path / "home", "clinic")
    for name, value in cli_environ(home, ASK_PROFILE="clinic").items():
        monkeypatch.setenv(name, value)
    bad = replay.write(tmp_path / "bad.json", {**replay.replay_file(SKILL_ID, "en-US", ["open"]),
                                               "skillId": ""})
    with pytest.raises(SmokeError, match="Replay file must contain skillId") as refused:
        simulate(bad, 1, tmp_path)
    assert "auth/o2/token" not in str(refused.value)
