"""Whole conversations with the third-party virtual-alexa client, over HTTP.

The skill runs as the real web service (`python -m webservice --no-verify`) on a
free loopback port; tests/virtual_alexa/conversations.js drives it through
interaction_models/<locale>.json, in English and in Spanish, so every utterance must match the
model as Alexa would match it, and prints one JSON line per conversation and a summary line.
Needs Node 18+ and npm; `npm ci` runs on first use (node_modules is not committed).
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from support import logs, node
from web import server as web_server

ROOT = Path(__file__).resolve().parents[1]
JS_DIR = ROOT / "tests" / "virtual_alexa"
MODELS = ROOT / "interaction_models"
CONVERSATION_TIMEOUT = 180


@pytest.fixture(scope="module")
def skill_url(tmp_path_factory):
    """The web service on a free loopback port; always stopped afterwards."""
    # The skill's memory (SQLite) goes to a scratch directory, never the user's data dir.
    data_dir = tmp_path_factory.mktemp("virtual-alexa-data")
    try:
        service = web_server.start(["--host", "127.0.0.1", "--no-verify"],
                                   {"DATA_DIR": str(data_dir)},
                                   logs.new_file("virtual-alexa-webservice"))
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield f"http://127.0.0.1:{service.port}/"
    finally:
        service.stop()


def _describe(result: dict) -> str:
    failure = result.get("failure", {})
    return (f"conversation {result['name']!r}, turn {failure.get('turn')}: user said "
            f"{failure.get('said')!r}: {failure.get('problem')}\n"
            f"    Alexa said: {failure.get('speech')!r}")


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_whole_conversations_through_virtual_alexa(skill_url, locale):
    node_path = node.tool("node")
    node.ensure_installed(JS_DIR, "virtual-alexa")
    env = {**os.environ, "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1"}
    model = MODELS / f"{locale}.json"
    try:
        done = subprocess.run([node_path, "conversations.js", skill_url, str(model), locale],
                              cwd=JS_DIR,
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
