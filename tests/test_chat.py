"""The offline chat (`make run`): typed lines through the NLU and the real Lambda handler,
run as a subprocess with piped input, as a person or a script would use it."""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from devkit.client import Client
from skill.memory import ALLOWED_KEYS
from devkit.voice_out import MISSING, duration, write_wav

ROOT = Path(__file__).resolve().parents[1]
WELCOME = re.compile(r"(in|for)\s+(an\s+emergency|emergencies),\s+call\s+911", re.IGNORECASE)


def chat(tmp_path: Path, lines: list[str], *args: str, path: str | None = None) -> str:
    env = {**os.environ, "DATA_DIR": str(tmp_path / "memory")}  # a first-time user each run
    if path is not None:
        env["PATH"] = path
    done = subprocess.run([sys.executable, "-m", "devkit.chat", *args], cwd=ROOT, env=env,
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def turns(output: str) -> dict[str, str]:
    """Each typed line -> what the chat printed for it (the last time it was typed)."""
    parts = re.split(r"^YOU    > (.*)$", output, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


def flat(text: str) -> str:
    """Printed text with its line wrapping undone."""
    return " ".join(text.split())


def test_a_whole_conversation(tmp_path):
    out = chat(tmp_path, [
        "open back spasm helper",
        "",  # ignored
        "my dad hurt his back and it's spasming",
        *["no"] * 9,
        "he's forty",  # the age, a number
        "yes",  # lasting, coming back, or too hard to walk: see a provider, card offered
        "no",  # no card now
        "relief steps", "next", "go back one",
        "what's the clinic's number please",
        "send it to my phone",
        "stop",
    ])
    said = turns(out)
    assert WELCOME.search(said["open back spasm helper"])
    check = flat(said["my dad hurt his back and it's spasming"])
    assert "about him" in check and "wetting or soiling" in check
    assert "How old is he?" in flat(said["no"]) or "How old is he?" in out
    assert "(if you say nothing) Please answer yes, no, or not sure" in check
    assert "see a provider" in flat(said["yes"])
    assert "Step 1 of 8" in said["relief steps"]
    assert "Step 2 of 8" in said["next"] and "s pause]" in said["next"]  # breathing, pauses shown
    assert "Step 1 of 8" in said["go back one"]
    assert "920-725-9373" in flat(said["what's the clinic's number please"])
    card = said["send it to my phone"]
    assert "[card in the Alexa app] Neuroscience Group" in card
    assert "  |  Phone: 920-725-9373" in card and "  |  Appointments: https://" in card
    assert out.count("YOU    > ") == 20  # the empty line made no turn
    assert out.count("(listening...)") == 19
    assert said["stop"].rstrip().endswith("(session ends)")


def test_trace_shows_intent_slots_score_and_state(tmp_path):
    out = chat(tmp_path, ["open back spasm helper", "my dad hurt his back and it's spasming",
                          "go to the third step", "no"], "--trace")
    said = turns(out)
    assert "[trace] LaunchRequest (invocation)" in said["open back spasm helper"]
    check = said["my dad hurt his back and it's spasming"]
    assert re.search(r"\[trace\] StartCheckIntent  score \d+", check)
    assert '[trace] slot person = "dad" -> id HE' in check
    assert re.search(r"\[trace\] state: .*pending=triage", check)
    assert "subject=he" in check
    step = said["go to the third step"]
    assert '[trace] slot step_number = "3" (AMAZON.NUMBER)' in step
    assert "pending=quick_screen" in step, "the 911 signs in one breath before any step"
    assert "Step 3 of 8" in said["no"]


def test_unknown_phrases_reach_the_fallback(tmp_path):
    out = chat(tmp_path, ["open back spasm helper", "play some music", "what's the weather"],
               "--trace")
    said = turns(out)
    for line in ("play some music", "what's the weather"):
        assert "[trace] AMAZON.FallbackIntent" in said[line]
        assert "(listening...)" in said[line]
    assert re.search(r"didn't catch that|didn't get that", flat(said["play some music"]))
    # The second miss in a row gets the short menu rather than another apology.
    assert "keep it simple" in flat(said["what's the weather"])


def test_a_new_session_starts_after_stop(tmp_path):
    out = chat(tmp_path, ["open back spasm helper", "stop", "open back spasm helper",
                          "how long do spasms last", "quit", "open back spasm helper"])
    parts = re.split(r"^YOU    > .*$", out, flags=re.MULTILINE)[1:]
    assert len(parts) == 4, "quit ends the chat; nothing after it is said"
    launch, stop, again, one_shot = parts
    assert "(new session)" in launch and WELCOME.search(launch)
    assert stop.rstrip().endswith("(session ends)")
    assert "(new session)" in again and WELCOME.search(again)
    assert "(listening...)" in again
    assert "(new session)" not in one_shot and "a few seconds" in flat(one_shot)


def test_piped_input_shows_no_prompt_and_eof_ends(tmp_path):
    out = chat(tmp_path, ["open back spasm helper"])
    assert out.count("YOU    > ") == 1  # the echo of the line, no input() prompt
    assert "Type quit" not in out


def test_demo_plays_the_sample_conversation(tmp_path):
    out = chat(tmp_path, [], "--demo")
    assert "YOU    > my husband has a back spasm" in out
    assert "about him" in flat(out) and "[slow:]" in out
    assert out.rstrip().endswith("(session ends)")


def test_a_spanish_conversation_with_locale_es_us(tmp_path):
    out = chat(tmp_path, [
        "abre asistente de espasmos de espalda",
        "a mi mamá le dio un espasmo en la espalda",
        "no", "no sé",
        "para",  # stop: the outcome so far is still said
        "abre asistente de espasmos de espalda y dame el número de la clínica",
        "mándamelo al celular",
        "es para mi mamá",
        "pasos de alivio", "no",  # no to the one-breath emergency question: relief starts
        "siguiente",
        "alto",
    ], "--locale", "es-US", "--trace")
    said = turns(out)
    assert "[trace] LaunchRequest (invocation)" in said["abre asistente de espasmos de espalda"]
    assert re.search(r"(en una emergencia|para emergencias), llame al 911",
                     flat(said["abre asistente de espasmos de espalda"]), re.I)
    check = flat(said["a mi mamá le dio un espasmo en la espalda"])
    assert '[trace] slot person = "mama" -> id SHE' in check and "subject=she" in check
    assert "sobre ella" in check and "se ha orinado o ensuciado sin querer" in check
    assert "(if you say nothing) Por favor, responda sí, no, o no sé" in check
    stopped = flat(said["para"])
    assert "médico hoy" in stopped and "920-725-9373" in stopped  # doubt on a 911 sign
    assert "(session ends)" in stopped
    number = flat(said["abre asistente de espasmos de espalda y dame el número de la clínica"])
    assert "(new session)" in number and "920-725-9373" in number
    card = said["mándamelo al celular"]
    assert "[card in the Alexa app] Neuroscience Group" in card
    assert "  |  Teléfono: 920-725-9373" in card and "  |  Citas: https://" in card
    assert "Paso 1 de 8" in said["no"] and "Ayúdela" in flat(said["no"])
    assert "Paso 2 de 8" in said["siguiente"] and "s pause]" in said["siguiente"]
    assert "(session ends)" in said["alto"]


def test_demo_in_spanish(tmp_path):
    out = chat(tmp_path, [], "--demo", "--locale", "es-US")
    assert "YOU    > mi esposo tiene un espasmo en la espalda" in out
    assert "sobre él" in flat(out) and "Paso 2 de 8" in out
    assert out.rstrip().endswith("(session ends)")


def test_speak_without_espeak_says_how_to_install_and_goes_on(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    out = chat(tmp_path, ["open back spasm helper", "relief steps", "no"],
               "--speak", str(tmp_path / "wav"), path=str(empty))
    assert "espeak-ng is not installed" in out and "apt-get install espeak-ng" in out
    assert out.startswith(MISSING.splitlines()[0])
    assert "Step 1 of 8" in flat(out) and "(audio:" not in out
    assert not (tmp_path / "wav").exists()


ESPEAK = shutil.which("espeak-ng")


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed")
def test_speak_writes_a_wav_per_turn(tmp_path):
    out = chat(tmp_path, ["open back spasm helper", "relief steps", "next"],
               "--speak", str(tmp_path / "wav"))
    files = sorted(p.name for p in (tmp_path / "wav").iterdir())
    assert files == ["turn-01.wav", "turn-02.wav", "turn-03.wav"]
    assert f"(audio: {tmp_path / 'wav' / 'turn-03.wav'})" in out


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed")
def test_breaks_and_slow_prosody_are_heard(lambda_handler, tmp_path):
    client = Client(lambda_handler, user_id="amzn1.ask.account.CHAT-ESPEAK")  # no memory
    client.launch()
    client.say("StartReliefIntent")
    client.say("AMAZON.NoIntent")  # no to the one-breath emergency question
    client.say("AMAZON.NextIntent")
    ssml = client.say("SlowerIntent").ssml  # the breathing step, slower
    assert '<prosody rate="x-slow">' in ssml, ssml
    pauses = [int(ms) for ms in re.findall(r'<break time="(\d+)ms"/>', ssml)]
    assert sum(pauses) >= 10_000, ssml
    unbroken = re.sub(r"<break[^>]*/>", " ", ssml)
    plain = re.sub(r"</?prosody[^>]*>", "", unbroken)
    with_breaks = duration(write_wav(ssml, tmp_path / "breaks.wav", ESPEAK))
    without = duration(write_wav(unbroken, tmp_path / "unbroken.wav", ESPEAK))
    fast = duration(write_wav(plain, tmp_path / "plain.wav", ESPEAK))
    assert with_breaks - without > 0.8 * sum(pauses) / 1000
    assert without > fast * 1.05, "the slower prosody rate is honoured"


def test_memory_carries_over_between_runs_in_sqlite(tmp_path):
    # Two separate `make run`s with one DATA_DIR: the second is a returning user, offered the
    # relief step where the first stopped, at the speech rate the first chose.
    first = turns(chat(tmp_path, ["open back spasm helper", "relief steps", "no", "next", "next",
                                  "slower", "stop"]))
    assert "Step 3 of 8" in first["next"] and "[slow:]" not in first["next"]
    stored = tmp_path / "memory" / "memory.sqlite3"
    assert stored.is_file()

    second = turns(chat(tmp_path, ["open back spasm helper", "yes"]))
    welcome = flat(second["open back spasm helper"])
    # Either welcome_back variant (the skill picks one at random), never the first-time welcome.
    assert "Welcome back" in welcome or "from you again" in welcome
    assert "not medical advice" not in welcome
    assert "911" in welcome and "step 3 of 8" in welcome
    resumed = second["yes"]
    assert "Step 3 of 8" in resumed and "[slow:]" in resumed  # the rate chosen last time

    with closing(sqlite3.connect(stored)) as db:
        rows = db.execute("SELECT attributes FROM memory").fetchall()
    assert len(rows) == 1
    assert set(json.loads(rows[0][0])) <= ALLOWED_KEYS


def test_a_bad_setting_is_told_in_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "devkit.chat"], cwd=ROOT, input="hi\n",
                          env={**os.environ, "DATA_DIR": str(tmp_path), "CLINIC_PHONE": "abc"},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "CLINIC_PHONE" in done.stderr and "Traceback" not in done.stderr
