"""What the live skill did, read from `ask dialog --save-skill-io`, against what was expected.

The file (ask-cli lib/model/dialog-save-skill-io-file.js) holds {"invocations": [{"request":
{"utterance", "newSession"}, "response": {"body": <SMAPI simulation>}}]}, one entry per poll
of a simulation, so a turn is the last entry of each simulation id. The simulation names what
Alexa understood: the request it sent the skill (intent and slots), and the skill's response
(speech, session attributes, whether the session ended).

Speech is kept for reading but not compared: the skill picks among wordings at random. What it
did is compared instead: the intent Alexa chose, its slots, the skill's state (pending,
question, step) and whether the session ended.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from devkit.ssml import readable

from .replay import Line
from .scripts import STATE_KEYS, Conversation

NOT_SENT = "(not sent to the skill)"
NO_RESULT = "(no simulation result)"


@dataclass
class Got:
    said: str
    intent: str  # NOT_SENT when Alexa answered itself, NO_RESULT when the simulation failed
    slots: dict[str, str] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    speech: str = ""
    ends_session: bool | None = None
    error: str | None = None


def slot_value(slot: dict) -> str | None:
    """The entity id Alexa resolved the slot to, else what was heard (numbers)."""
    for authority in (slot.get("resolutions") or {}).get("resolutionsPerAuthority") or []:
        if (authority.get("status") or {}).get("code") == "ER_SUCCESS_MATCH":
            values = authority.get("values") or [{}]
            value = values[0].get("value") or {}
            return value.get("id") or value.get("name")
    return slot.get("value")


def turn_from(utterance: str, body: dict) -> Got:
    result = body.get("result") or {}
    error = (result.get("error") or {}).get("message")
    invocations = (result.get("skillExecutionInfo") or {}).get("invocations") or []
    if not invocations:
        captions = [(r.get("content") or {}).get("caption") or "" for r in
                    (result.get("alexaExecutionInfo") or {}).get("alexaResponses") or []]
        intent = NO_RESULT if error or body.get("status") != "SUCCESSFUL" else NOT_SENT
        return Got(utterance, intent, speech=" ".join(captions), error=error)
    request = ((invocations[0].get("invocationRequest") or {}).get("body") or {}).get(
        "request") or {}
    reply = (invocations[0].get("invocationResponse") or {}).get("body") or {}
    asked = request.get("intent") or {}
    slots = {name: slot_value(slot) for name, slot in (asked.get("slots") or {}).items()}
    state = (reply.get("sessionAttributes") or {}).get("state") or {}
    response = reply.get("response") or {}
    return Got(utterance, asked.get("name") or request.get("type") or NO_RESULT,
               {k: v for k, v in slots.items() if v},
               {k: state.get(k) for k in STATE_KEYS},
               readable((response.get("outputSpeech") or {}).get("ssml", "")),
               response.get("shouldEndSession") is not False, error)


def read_skill_io(path: Path) -> list[Got]:
    """The turns in the order said, one per simulation."""
    entries = json.loads(path.read_text(encoding="utf-8")).get("invocations") or []
    turns: list[tuple[str | None, Got]] = []
    for entry in entries:
        body = (entry.get("response") or {}).get("body") or {}
        utterance = (entry.get("request") or {}).get("utterance", "")
        got = turn_from(utterance, body)
        if body.get("id") and turns and turns[-1][0] == body["id"]:
            turns[-1] = (body["id"], got)  # a later poll of the same simulation
        else:
            turns.append((body.get("id"), got))
    return [got for _, got in turns]


def align(said: list[str], got: list[Got]) -> list[Got]:
    """One result per line said; a line whose simulation left no entry gets NO_RESULT."""
    aligned, rest = [], list(got)
    for text in said:
        if rest and rest[0].said.strip() == text.strip():
            aligned.append(rest.pop(0))
        else:
            aligned.append(Got(text, NO_RESULT))
    return aligned


@dataclass
class Difference:
    where: str  # conversation or locale
    turn: int  # 1-based
    said: str
    what: str  # intent, slots, state, ends_session
    expected: Any
    got: Any


def conversation_differences(conversation: Conversation, got: list[Got]) -> list[Difference]:
    found = []
    for number, (want, have) in enumerate(
            zip(conversation.turns, align([t.said for t in conversation.turns], got)), 1):
        checks: list[tuple[str, Any, Any]] = [("intent", want.intent, have.intent)]
        if have.intent == want.intent:  # the rest only means something for the same request
            checks += [("slots", want.slots, have.slots), ("state", want.state, have.state),
                       ("ends_session", want.ends_session, have.ends_session)]
        found += [Difference(f"{conversation.name} ({conversation.locale})", number, want.said,
                             what, expected, actual)
                  for what, expected, actual in checks if expected != actual]
    return found


@dataclass
class NluScore:
    locale: str
    rows: int
    correct: int
    misses: list[Difference]

    @property
    def accuracy(self) -> float:
        return self.correct / self.rows if self.rows else 0.0


def nlu_score(locale: str, lines: list[Line], got: list[Got]) -> NluScore:
    rows = correct = 0
    misses = []
    for line, have in zip(lines, align([line.said for line in lines], got)):
        if line.row is None:
            continue
        rows += 1
        want_slots = dict(line.row.slots)
        got_slots = {k: v for k, v in have.slots.items() if k in want_slots}
        if have.intent == line.row.intent and got_slots == want_slots:
            correct += 1
            continue
        misses.append(Difference(locale, line.row.number, line.said, "intent",
                                 f"{line.row.intent} {want_slots or ''}".strip(),
                                 f"{have.intent} {have.slots or ''}".strip()))
    return NluScore(locale, rows, correct, misses)


def as_json(differences: list[Difference], scores: list[NluScore],
            conversations: dict[str, dict]) -> dict:
    return {"differences": [asdict(d) for d in differences],
            "nlu": {s.locale: {"rows": s.rows, "correct": s.correct,
                               "accuracy": round(s.accuracy, 4),
                               "misses": [asdict(m) for m in s.misses]} for s in scores},
            "conversations": conversations}
