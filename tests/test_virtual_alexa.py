"""Whole conversations with the third-party virtual-alexa client, over HTTP.

The skill runs as the real web service (`python -m skill.webservice --no-verify`) on a
free loopback port; tests/virtual_alexa/conversations.js drives it through
interaction_models/<locale>.json, in English and in Spanish, so every utterance must match the
model as Alexa would match it, and prints one JSON line per conversation and a summary line.
Needs Node 18+ and npm; `npm ci` runs on first use (node_modules is not committed).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support import logs

ROOT = Path(__file__).resolve().parents[1]
JS_DIR = ROOT / "tests" / "virtual_alexa"
MODELS = ROOT / "interaction_models"
NPM_CI_TIMEOUT = 300
START_TIMEOUT = 30
CONVERSATION_TIMEOUT = 180


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is not on PATH: the virtual-alexa conversations need Node 18+ and npm "
                    "(CI has them; install Node.js to run this test locally)", pytrace=False)
    return path


def _installed_version() -> str | None:
    try:
        package = json.loads((JS_DIR / "node_modules" / "virtual-alexa" / "package.json").read_text())
    except (OSError, ValueError):
        return None
    return package.get("version")


def _ensure_node_modules() -> None:
    pinned = json.loads((JS_DIR / "package.json").read_text())["dependencies"]["virtual-alexa"]
    if _installed_version() == pinned:
        return
    npm = _tool("npm")
    try:
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS_DIR, capture_output=True,
                              text=True, timeout=NPM_CI_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`npm ci` in {JS_DIR} took more than {NPM_CI_TIMEOUT} s", pytrace=False)
    if done.returncode != 0 or _installed_version() != pinned:
        pytest.fail(f"`npm ci` in {JS_DIR} failed ({done.returncode}):\n{done.stderr[-3000:]}",
                    pytrace=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def skill_url(tmp_path_factory):
    """The web service on a free loopback port; always stopped afterwards."""
    port = _free_port()
    # The skill's memory (SQLite) goes to a scratch directory, never the user's data dir.
    env = {**os.environ, "PYTHONUNBUFFERED": "1",
           "DATA_DIR": str(tmp_path_factory.mktemp("virtual-alexa-data"))}
    command = [sys.executable, "-m", "skill.webservice",
               "--host", "127.0.0.1", "--port", str(port), "--no-verify"]
    with open(logs.new_file("virtual-alexa-webservice"), "w+") as log:  # scanned at the end
        server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                  env=env)

        def server_output() -> str:
            log.seek(0)
            return log.read()[-3000:]

        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _healthy(f"http://127.0.0.1:{port}/healthz"):
                if server.poll() is not None:
                    pytest.fail(f"the web service exited ({server.returncode}) before answering "
                                f"/healthz: {' '.join(command)}\n{server_output()}", pytrace=False)
                if time.monotonic() > deadline:
                    pytest.fail(f"the web service did not answer /healthz within {START_TIMEOUT} s"
                                f"\n{server_output()}", pytrace=False)
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _describe(result: dict) -> str:
    failure = result.get("failure", {})
    return (f"conversation {result['name']!r}, turn {failure.get('turn')}: user said "
            f"{failure.get('said')!r}: {failure.get('problem')}\n    Alexa said: {failure.get('speech')!r}")


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_whole_conversations_through_virtual_alexa(skill_url, locale):
    node = _tool("node")
    _ensure_node_modules()
    env = {**os.environ, "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1"}
    model = MODELS / f"{locale}.json"
    try:
        done = subprocess.run([node, "conversations.js", skill_url, str(model), locale], cwd=JS_DIR,
                              env=env, capture_output=True, text=True, timeout=CONVERSATION_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the virtual-alexa conversations took more than {CONVERSATION_TIMEOUT} s",
                    pytrace=False)
    lines = done.stdout.strip().splitlines()
    results = [json.loads(line) for line in lines if line.startswith("{")]
    summary = next((line for line in reversed(lines) if line.startswith("virtual-alexa ")), None)
    print(summary)
    if not results or summary is None:
        pytest.fail(f"conversations.js printed no results (exit {done.returncode}):\n"
                    f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}", pytrace=False)
    failed = [r for r in results if not r["passed"]]
    assert not failed, f"{summary}\n" + "\n".join(_describe(r) for r in failed)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(results) == 6 and summary.endswith("all passed")
