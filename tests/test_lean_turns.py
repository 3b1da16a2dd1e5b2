"""What keeps turns and cold starts cheap stays correct: caches give the same answers, and the
replay check still refuses what the skill never said."""
from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

from conftest import ROOT
from skill import replay_guard, speech
from devkit import envelopes


def test_a_turn_remembers_its_words_so_the_next_replay_check_parses_nothing(client, monkeypatch):
    client.launch()
    reply = client.say("AMAZON.YesIntent")

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed SSML the skill had just said")

    with monkeypatch.context() as patched:
        patched.setattr(ET, "fromstring", no_parsing)
        assert replay_guard.replayable(reply.ssml)
        assert replay_guard.replayable(reply.reprompt_ssml)
    again = client.say("AMAZON.RepeatIntent")
    assert again.ssml == reply.ssml


def test_words_the_skill_never_said_are_still_parsed_and_refused():
    forged = '<speak><audio src="https://example.com/x.mp3"/> Ready?</speak>'
    assert not replay_guard.replayable(forged)
    assert replay_guard.replayable("<speak>Shall we start?</speak>")  # parsed, and fine


def test_remembered_words_are_bounded():
    for number in range(replay_guard.REMEMBERED + 50):
        replay_guard.remember(f"<speak>Question {number}?</speak>")
    assert len(replay_guard._said) == replay_guard.REMEMBERED
    assert "<speak>Question 0?</speak>" not in replay_guard._said


def test_cached_rendering_is_the_rendering():
    content = speech.load_content("en-US")
    voice = speech.Voice(content, values={"clinic": "Clinic", "url": "u", "emergency": "911",
                                          "days": "7"}, phone="920-725-9373", subject="he")
    for text in ("Call [phone] now. *next* [pause 2s] & <then>", "{They} {are} here?"):
        for rate in range(len(speech.RATES)):
            filled = voice.fill(text, {})
            line = speech.Voice(content, voice.values, voice.phone, "he", rate).render(text)
            assert (line.ssml, line.plain) == (voice.to_ssml(filled, rate), voice.to_plain(filled))
            assert "&amp;" in voice.to_ssml(filled) or "&" not in filled
    assert speech._rendered.cache_info().maxsize is not None, "bounded"


def test_importing_the_handler_loads_no_http_stack_xml_or_html():
    # (From the source tree the content is YAML; the zip's JSON is checked in test_package.py.)
    code = ("import sys, importlib.util\n"
            "spec = importlib.util.spec_from_file_location("
            f"'lf', {str(ROOT / 'lambda' / 'lambda_function.py')!r})\n"
            "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={"PERSISTENCE": "none", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "ask_sdk_core" in loaded
    assert not {"requests", "urllib3", "xml", "html", "boto3"} & loaded
    assert envelopes  # the envelopes module stays importable for the tests above


def test_the_sqlite_store_keeps_wal_without_an_fsync_per_commit(tmp_path):
    from skill.storage.sqlite import SQLiteAdapter

    adapter = SQLiteAdapter(tmp_path / "memory.sqlite3")
    connection = adapter._connection()
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
