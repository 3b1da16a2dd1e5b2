"""Every string the skill can say, checked by a third-party SSML validator.

ssml-check-core (npm, pinned in tests/ssml_check/package-lock.json; `npm ci` on first use)
checks each document for Alexa: XML, Alexa's tags with valid attributes and values, breaks
of 10 s or less. What it checks:

- every content string rendered through skill/speech.py, for every locale with content:
  all variants x the user and a caregiver's he / she / they x every speech rate x normal
  and slower pace (tests/support/spoken.py, the enumeration tests/test_content.py uses);
- every speech and reprompt met in a walk of the conversation graph with the longest
  wording of every sentence (tests/support/responses.py): whole responses, as handlers
  join them, for the user at a fast rate and a caregiver's "they" at the slowest (every
  person at every rate under SOAK=1).

All of it goes to one node process as a JSON file. Whole responses are also held to
Alexa's size limits: 8,000 characters of speech, 24 KB in all.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from skill.app import build_lambda_handler
from devkit.model import InteractionModel
from skill.state import RATES, SUBJECTS
from skill.storage.sqlite import SQLiteAdapter
from support import node, responses
from support.spoken import LOCALES, break_seconds, expected_count, rendered_strings

JS_DIR = Path(__file__).parent / "ssml_check"
CHECK_TIMEOUT = 300
MAX_SPEECH_CHARS = 8000  # outputSpeech, tags included (Alexa's response format reference)
MAX_RESPONSE_BYTES = 24 * 1024  # the whole response body
MAX_BREAK_SECONDS = 10.0  # Alexa's limit for one <break>, whatever the skill's own cap is
# Whole responses: the user at a fast rate, and a caregiver's "they" at the slowest, whose
# pauses are stretched the most. Other people and rates only change pronouns and the rate
# attribute, which the per-string check covers for every combination; `make soak` (SOAK=1)
# walks every person at every rate.
SOAK = os.environ.get("SOAK", "") not in ("", "0")
WALKS = (tuple((locale, s, r) for locale in LOCALES for s in SUBJECTS for r in range(len(RATES)))
         if SOAK else (("en-US", "you", RATES.index("fast")),
                       ("en-US", "they", RATES.index("x-slow")),
                       ("es-US", "they", RATES.index("x-slow"))))
WALK_STATES = 1000  # far above the states the walk meets: a guard against a too-fine key

# SSML Alexa refuses, which the checker must flag, or its silence proves nothing.
REFUSED = {
    "canary:ampersand": "<speak>Tea & toast</speak>",
    "canary:long-break": '<speak>Rest.<break time="12s"/></speak>',
    "canary:unknown-tag": "<speak><blink>Rest</blink></speak>",
    "canary:prosody-rate": '<speak><prosody rate="5%">Rest</prosody></speak>',
    "canary:no-speak-root": "<p>Rest</p>",
    "canary:unclosed": "<speak><s>Rest</speak>",
}


@dataclass(frozen=True)
class Verdicts:
    checker: str
    checked: int
    failures: dict[str, list]  # id -> ssml-check-core's errors


class _Summary:
    """Lines in pytest's terminal summary (print is hidden without -s)."""

    def __init__(self):
        self.lines: list[str] = []

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_sep("-", "SSML check")
        for line in self.lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def summary(request):
    manager = request.config.pluginmanager
    if not manager.has_plugin("ssml-check-summary"):
        manager.register(_Summary(), "ssml-check-summary")
    return manager.get_plugin("ssml-check-summary").lines


def check(documents: dict[str, tuple[str, str]], tmp_dir: Path) -> Verdicts:
    """ssml-check-core's verdict on each document (id -> (locale, ssml)), in one node process."""
    node.ensure_installed(JS_DIR, "ssml-check-core")
    batch = tmp_dir / "ssml.json"
    batch.write_text(json.dumps([{"id": i, "locale": locale, "ssml": ssml}
                                 for i, (locale, ssml) in documents.items()]))
    try:
        done = subprocess.run([node.tool("node"), "check.js", str(batch)], cwd=JS_DIR,
                              capture_output=True, text=True, timeout=CHECK_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"check.js took more than {CHECK_TIMEOUT} s", pytrace=False)
    if done.returncode != 0:
        pytest.fail(f"check.js failed ({done.returncode}):\n{done.stderr[-3000:]}", pytrace=False)
    result = json.loads(done.stdout)
    return Verdicts(result["checker"], result["checked"],
                    {f["id"]: f["errors"] for f in result["failures"]})


def report(problems: dict[str, tuple[str, object]], shown: int = 5) -> str:
    """The first few problems, readable: where, what is wrong, and the SSML."""
    lines = [f"{len(problems)} with problems; the first {min(shown, len(problems))}:"]
    for where, (ssml, wrong) in list(problems.items())[:shown]:
        lines += [f"- {where}", f"    {wrong}", f"    {ssml}"]
    return "\n".join(lines)


def size_problems(ssml: str) -> list[str]:
    """Alexa's limits that ssml-check-core leaves to us: speech length and pause length."""
    problems = []
    if len(ssml) > MAX_SPEECH_CHARS:
        problems.append(f"{len(ssml)} characters of speech (at most {MAX_SPEECH_CHARS})")
    long = [b for b in break_seconds(ssml) if b > MAX_BREAK_SECONDS]
    if long:
        problems.append(f"breaks over {MAX_BREAK_SECONDS:g} s: {long}")
    return problems


@pytest.fixture(scope="module")
def lines():
    """id -> (locale, where it comes from, ssml) for every rendered content string."""
    return {f"line:{locale}:{n}": (locale, f"{locale} {r.path} for {r.subject} at {RATES[r.rate]}"
                                   f"{' (slower)' if r.slower else ''}", r.ssml)
            for locale in LOCALES for n, r in enumerate(rendered_strings(locale))}


@pytest.fixture(scope="module")
def walks(tmp_path_factory):
    """(subject, rate) -> (responses met, states explored), with the skill's memory in
    real SQLite; on a RAM disk when there is one, since the skill writes on many turns."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        base = Path(tempfile.mkdtemp(prefix="ssml-walk-", dir=shm))
    else:
        base = tmp_path_factory.mktemp("ssml-walk")
    handler = build_lambda_handler(rng=responses.LongestWording(),
                                   adapter=SQLiteAdapter(base / "memory.sqlite3"))
    models = {locale: InteractionModel.load(locale) for locale in {w[0] for w in WALKS}}
    try:
        yield {(locale, subject, rate):
               responses.walk(handler, models[locale], subject, rate, WALK_STATES)
               for locale, subject, rate in WALKS}
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def verdicts(lines, walks, tmp_path_factory):
    """One run of ssml-check-core over every distinct document: canaries, lines, responses.
    Returns the verdicts (failures under every id) and how many documents there were."""
    documents = {i: ("en-US", ssml) for i, ssml in REFUSED.items()}
    documents.update({i: (locale, ssml) for i, (locale, _, ssml) in lines.items()})
    for (locale, subject, rate), (said, _) in walks.items():
        for n, (_, ssml, _) in enumerate(responses.spoken(said)):
            documents[f"walk:{locale}:{subject}:{rate}:{n}"] = (locale, ssml)
    first: dict[tuple[str, str], str] = {}  # (locale, ssml) -> the first id that has it
    for doc_id, document in documents.items():
        first.setdefault(document, doc_id)
    found = check({i: d for d, i in first.items()}, tmp_path_factory.mktemp("ssml-check"))
    failures = {doc_id: found.failures[first[document]] for doc_id, document in documents.items()
                if first[document] in found.failures}
    return Verdicts(found.checker, found.checked, failures), len(documents)


def test_the_checker_flags_ssml_alexa_refuses(verdicts):
    found, _ = verdicts
    assert found.checker == "ssml-check-core@" + json.loads(
        (JS_DIR / "package.json").read_text())["dependencies"]["ssml-check-core"]
    assert sorted(i for i in REFUSED if i not in found.failures) == []


def test_size_limits_flag_long_speech_and_long_pauses():
    assert size_problems("<speak>" + "Rest. " * 1400 + "</speak>")
    assert size_problems('<speak><break time="10500ms"/></speak>')
    assert size_problems('<speak><break time="11s"/></speak>')
    assert size_problems('<speak><break time="10000ms"/>' + "Rest. " * 1300 + "</speak>") == []


def test_every_rendered_content_string_passes_ssml_check_core(lines, verdicts, summary):
    found, documents = verdicts
    for locale in LOCALES:
        assert sum(1 for i in lines if i.startswith(f"line:{locale}:")) == expected_count(locale)
    failed = {lines[i][1]: (lines[i][2], errors) for i, errors in found.failures.items()
              if i in lines}
    too_big = {where: (ssml, size_problems(ssml)) for _, where, ssml in lines.values()
               if size_problems(ssml)}
    per_locale = ", ".join(f"{expected_count(locale)} {locale}" for locale in LOCALES)
    line = (f"{found.checker}: {len(lines)} rendered content strings checked ({per_locale}); "
            f"{documents} documents in all, {found.checked} distinct")
    summary.append(line)
    print(line)
    assert failed == {}, report(failed)
    assert too_big == {}, report(too_big)


@pytest.mark.parametrize("locale, subject, rate", WALKS,
                         ids=[f"{locale}-{s}-{RATES[r]}" for locale, s, r in WALKS])
def test_every_response_in_a_conversation_walk_passes(locale, subject, rate, walks, verdicts,
                                                      summary):
    found, _ = verdicts
    said, states = walks[(locale, subject, rate)]
    spoken = list(responses.spoken(said))
    # The walk must reach every state kind and every step, or it checks little.
    assert states > 100 and len(spoken) > 1000
    failed, too_big = {}, {}
    for n, (what, ssml, item) in enumerate(spoken):
        where = f"{what} after {' > '.join(item.path)}"
        errors = found.failures.get(f"walk:{locale}:{subject}:{rate}:{n}")
        if errors:
            failed.setdefault(where, (ssml, errors))
        if size_problems(ssml):
            too_big.setdefault(where, (ssml, size_problems(ssml)))
    bodies = [len(json.dumps(item.reply.raw).encode()) for item in said]
    oversized = [(b, item.path) for b, item in zip(bodies, said) if b > MAX_RESPONSE_BYTES]
    longest = max(spoken, key=lambda s: len(s[1]))
    line = (f"{found.checker}: {len(spoken)} speeches and reprompts from {len(said)} responses "
            f"in {states} states, {locale}, for {subject!r} at {RATES[rate]}; longest speech "
            f"{len(longest[1])} characters ({' > '.join(longest[2].path[-2:])}), "
            f"largest response {max(bodies)} bytes")
    summary.append(line)
    print(line)
    assert failed == {}, report(failed)
    assert too_big == {}, report(too_big)
    assert oversized == []
