"""Fuzzing lambda_handler with hypothesis: no input may crash it or make it say something malformed.

Two fuzzers share the case budget (FUZZ_CASES, 10,000 by default; `make soak` sets 100,000):

- single envelopes of every request type, plausible to broken
  (tests/support/envelope_strategies.py);
- conversations: 20 to 40 turns of random intents and slots with the session carried between
  replies as Alexa does, now and then with corrupted attributes or an odd request mid-way.

Each case goes to one of three handlers: lambda/lambda_function.py as Lambda loads it (SQLite
memory in the tests' throwaway DATA_DIR), one with no memory, and one with SKILL_ID set.

Oracle, for every reply: nothing escapes except the SDK's own refusal of another skill's
request; no handler error was logged; the reply is JSON with version 1.0 and a response;
an envelope the SDK cannot read gets the spoken apology; speech is valid Alexa SSML (conftest's
check_reply: XML with a <speak> root, known tags, an open session ends on a question and has a
reprompt), pauses of 10 s or less, 8,000 characters or fewer, 24 KB or less in all; a person's
request (launch, intent) is never met with silence; events that take no speech get none.

The default run uses fixed seeds (the same cases every run, so CI is stable); `make soak`
(SOAK=1) draws fresh cases each time.
"""
from __future__ import annotations

import copy
import json
import os
import sys
import uuid
from collections import Counter

import pytest
from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from conftest import check_reply, load_lambda_module
from skill import build_lambda_handler, safety
from devkit import envelopes as plain
from devkit.client import Reply
from skill.settings import Settings
from skill.state import Pending
from support import envelope_strategies as strategies
from support.oracle import asked_permission, check_limits, watch_errors

SOAK = os.environ.get("SOAK") == "1"
FUZZ_CASES = int(os.environ.get("FUZZ_CASES", "10000"))
# Half and half: single envelopes are the costlier cases to draw (about 3 ms each, against
# 1 ms a conversation turn), and conversations reach the deeper states.
ENVELOPE_CASES = FUZZ_CASES // 2
CONVERSATION_TURNS = FUZZ_CASES - ENVELOPE_CASES
MIN_TURNS, MAX_TURNS = 20, 40

# Requests Alexa accepts no speech for (Alexa Skills Kit request and interface references).
SILENT_TYPES = ("SessionEndedRequest", "System.ExceptionEncountered")
SILENT_PREFIXES = ("AlexaSkillEvent.", "AudioPlayer.", "PlaybackController.", "Messaging.",
                   "Reminders.", "Alexa.Presentation.APL.RuntimeError",
                   "Alexa.Presentation.APL.Load")
SPOKEN_TYPES = ("LaunchRequest", "IntentRequest")
# What a person said, touched or answered: answered with speech even outside a session.
PERSON_TYPES = (*SPOKEN_TYPES, "Display.ElementSelected", "Alexa.Presentation.APL.UserEvent",
                "GameEngine.InputHandlerEvent", "Connections.Response", "SessionResumedRequest")

CHUNK = 1000  # examples per hypothesis run (see run_in_chunks)
SEED = 20261125
COUNTS: Counter = Counter()
REACHED: Counter = Counter()  # open question (state.pending) -> conversations that reached it
PENDING = {p.value for p in Pending}


def fuzz_settings(examples: int):
    return settings(
        max_examples=examples, deadline=None, database=None,
        phases=[Phase.generate, Phase.shrink], print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much, HealthCheck.large_base_example])


@pytest.fixture(scope="module")
def errors():
    with watch_errors() as handler:
        yield handler


@pytest.fixture(scope="module")
def handlers():
    return {
        "lambda": load_lambda_module("lambda_function_for_fuzz").lambda_handler,
        "no-memory": build_lambda_handler(Settings(persistence="none")),
        "skill-id": build_lambda_handler(Settings(persistence="none", skill_id=plain.SKILL_ID)),
    }


@pytest.fixture(scope="module", autouse=True)
def summary(request):
    yield
    rarest = min(PENDING, key=REACHED.__getitem__)
    line = (f"fuzz: {COUNTS['cases']} cases ({COUNTS['envelopes']} envelopes, "
            f"{COUNTS['turns']} conversation turns in {COUNTS['conversations']} conversations); "
            f"{COUNTS['apologies']} unreadable envelopes got the apology, "
            f"{COUNTS['refused']} other-skill requests refused, "
            f"{COUNTS['escaped']} exceptions escaped, {COUNTS['failed']} replies broke a rule; "
            f"conversations reached {len(REACHED.keys() & PENDING)} of {len(PENDING)} "
            f"open questions "
            f"(the rarest, {rarest}, in {REACHED[rarest]})"
            + (" [soak]" if SOAK else ""))
    print("\n" + line, file=sys.stderr)
    if not request.config.pluginmanager.has_plugin("fuzz-summary"):
        request.config.pluginmanager.register(_Summary(line), "fuzz-summary")


class _Summary:
    def __init__(self, line: str):
        self.line = line

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_sep("-", "fuzzing")
        terminalreporter.write_line(self.line)


# ---------------------------------------------------------------- the oracle

_SERIALIZER = DefaultSerializer()


def readable(event) -> RequestEnvelope | None:
    """The envelope as the SDK reads it, or None if it cannot (the skill must apologise then)."""
    try:
        payload = event if isinstance(event, str) else json.dumps(event)
        envelope = _SERIALIZER.deserialize(payload=payload, obj_type=RequestEnvelope)
    except Exception:  # noqa: BLE001 - any failure to read is "unreadable"
        return None
    if envelope is None or envelope.request is None:
        return None
    system = getattr(envelope.context, "system", None)
    return envelope if system is not None else None


def send(handler, event) -> dict | None:
    """Call the handler; None when it refused another skill's request, as the SDK does."""
    COUNTS["cases"] += 1
    try:
        raw = handler(copy.deepcopy(event), None)
    except AskSdkException as error:
        COUNTS["escaped"] += "Skill ID Verification failed" not in str(error)
        assert "Skill ID Verification failed" in str(error), error
        named = named_skill_ids(event)
        assert not named or named != {plain.SKILL_ID}, (named, event)
        COUNTS["refused"] += 1
        return None
    except Exception:
        COUNTS["escaped"] += 1
        raise
    return raw


def named_skill_ids(event) -> set:
    """The skill ids a request names (context.System and session), as text; the skill must
    refuse it when it names none or any other than its own."""
    if not isinstance(event, dict):
        return set()
    named = set()
    for part in ((event.get("context") or {}).get("System") if isinstance(
            event.get("context"), dict) else None, event.get("session")):
        application = part.get("application") if isinstance(part, dict) else None
        found = application.get("applicationId") if isinstance(application, dict) else None
        if isinstance(found, str):
            named.add(found)
    return named


def raw_kind(event) -> tuple[str, bool]:
    """The request's type and whether it has a session, read from the JSON itself."""
    request = event.get("request") if isinstance(event, dict) else None
    kind = request.get("type") if isinstance(request, dict) else None
    return (kind if isinstance(kind, str) else ""), isinstance(event.get("session"), dict) \
        if isinstance(event, dict) else False


def check(event, raw: dict, errors) -> Reply:
    try:
        return _check(event, raw, errors)
    except AssertionError:
        COUNTS["failed"] += 1
        raise


def _check(event, raw: dict, errors) -> Reply:
    assert not errors.errors, f"a handler failed and was caught: {errors.errors}"
    assert isinstance(raw, dict)
    body = json.dumps(raw, allow_nan=False)
    assert raw.get("version") == "1.0"
    assert isinstance(raw.get("response"), dict)
    reply = Reply(raw)
    check_reply(reply)
    check_limits(reply, len(body.encode()))
    envelope = readable(event)
    if envelope is None:
        # What the SDK cannot read is read leniently or from the raw JSON (README, "Every
        # request, one front door"): the answer still fits the request's kind.
        kind, in_session = raw_kind(event)
        speech = reply.response.get("outputSpeech")
        if not kind:  # not even a request of some kind: nothing to go on but the apology
            assert reply.ends_session and "911" in reply.speech, "unreadable: the apology"
            COUNTS["apologies"] += 1
        elif kind == "CanFulfillIntentRequest":
            assert speech is None and "canFulfillIntent" in reply.response, reply.response
        elif kind in SILENT_TYPES or kind.startswith(SILENT_PREFIXES) or \
                not (in_session or kind in PERSON_TYPES):
            assert speech is None and "reprompt" not in reply.response, f"speech for {kind}"
        else:
            assert speech is not None or asked_permission(reply), \
                f"silence for an unreadable {kind}"
            COUNTS["apologies"] += "911" in reply.speech and reply.ends_session
        return reply
    kind = envelope.request.object_type
    speech = reply.response.get("outputSpeech")
    if kind in SILENT_TYPES or kind.startswith(SILENT_PREFIXES):
        assert speech is None and "reprompt" not in reply.response, f"speech for {kind}"
    if kind in SPOKEN_TYPES:
        assert speech is not None or asked_permission(reply), f"silence for {kind}"
    if kind == "CanFulfillIntentRequest":
        # Asked before anyone chose the skill: an answer, and nothing said, shown or kept.
        assert set(reply.response) == {"canFulfillIntent"}, reply.response
        assert "sessionAttributes" not in raw, "session state in a name-free answer"
    return reply


# ---------------------------------------------------------------- the fuzzers

def expand(conversation: list[dict], asked):
    """The turns, with each `rest_no` turn as one "no" per safety question left, the age 30
    (asked() says what the skill asked last: the pending question and its id)."""
    for turn in conversation:
        if turn["kind"] != "rest_no":
            yield turn
            continue
        for _ in safety.QUESTIONS:
            pending, question = asked()
            if pending != Pending.TRIAGE.value:
                break
            yield ({"kind": "intent", "name": "AgeIntent", "slots": {"age": "30"}}
                   if question == safety.AGE
                   else {"kind": "intent", "name": "AMAZON.NoIntent", "slots": {}})


def pending_in(attributes) -> str | None:
    """The question the skill asked last, from session attributes that may be corrupted."""
    state = attributes.get("state") if isinstance(attributes, dict) else None
    return state.get("pending") if isinstance(state, dict) else None


def run_in_chunks(test, strategies_by_name: dict, examples: int) -> None:
    """Run a hypothesis test `examples` times, a chunk at a time.

    Hypothesis remembers every example a run drew (to avoid repeats), which grew past a
    gigabyte over 60,000 envelopes; separate runs of CHUNK examples keep the memory flat.
    Each chunk has its own fixed seed (CI sees the same cases every run); a soak draws
    fresh ones.
    """
    done = 0
    for index in range(-(-examples // CHUNK)):
        size = min(CHUNK, examples - done)
        run = fuzz_settings(size)(given(**strategies_by_name)(test))
        if not SOAK:
            run = seed(SEED + index)(run)
        run()
        done += size


def test_fuzz_single_envelopes(handlers, errors):
    def one(event, which):
        errors.errors.clear()
        raw = send(handlers[which], event)
        COUNTS["envelopes"] += 1
        if raw is not None:
            check(event, raw, errors)

    run_in_chunks(one, dict(event=strategies.envelopes(), which=st.sampled_from(sorted(handlers))),
                  ENVELOPE_CASES)
    assert COUNTS["envelopes"] >= ENVELOPE_CASES


def test_fuzz_conversations(handlers, errors):
    """Sessions carried turn to turn, so the fuzz reaches deep states, not only first turns."""
    def talk(conversation, which):
        # A new user each time: what earlier cases stored (a routine to resume, say, whose
        # offer expires with the clock) must not steer the conversation.
        handler, session, user = handlers[which], None, f"amzn1.ask.account.FUZZ-{uuid.uuid4()}"
        COUNTS["conversations"] += 1
        reached = set()
        def asked():
            attributes = (session or {}).get("attributes")
            state = attributes.get("state") if isinstance(attributes, dict) else None
            question = state.get("question") if isinstance(state, dict) else None
            return pending_in(attributes), question

        for turn in expand(conversation, asked):
            errors.errors.clear()
            if session is None or turn["kind"] == "launch":
                session = plain.new_session(user_id=user)
            if turn["kind"] == "corrupt":
                session["attributes"] = turn["attributes"]
                continue
            if turn["kind"] == "answer":
                asked = pending_in(session.get("attributes"))
                turn = {"kind": "intent", "slots": {}, "name": turn[
                    "to_question" if asked == Pending.TRIAGE.value else "to_offer"]}
            request = (plain.launch() if turn["kind"] == "launch"
                       else turn["request"] if turn["kind"] == "request"
                       else plain.intent(turn["name"], turn["slots"]))
            event = plain.envelope(copy.deepcopy(request), copy.deepcopy(session), user_id=user)
            event["context"]["System"]["apiEndpoint"] = "https://127.0.0.1:9"  # never Amazon
            raw = send(handler, event)
            COUNTS["turns"] += 1
            reply = check(event, raw, errors)
            if isinstance(request, dict) and request.get("type") == "CanFulfillIntentRequest":
                continue  # Alexa asks outside any session: the conversation goes on as it was
            if reply.ends_session:
                session = None
            else:
                reached.add(reply.state.get("pending"))
                session["new"] = False
                session["attributes"] = raw.get("sessionAttributes") or {}
        REACHED.update(reached)  # how many conversations reached each open question

    run_in_chunks(talk, dict(conversation=strategies.turns(MIN_TURNS, MAX_TURNS),
                             which=st.sampled_from(["lambda", "no-memory"])),
                  -(-CONVERSATION_TURNS // MIN_TURNS))
    assert COUNTS["turns"] >= CONVERSATION_TURNS, COUNTS
    # The conversations must reach deep: every kind of open question the skill can ask.
    assert REACHED.keys() >= PENDING, REACHED
