"""The conversations `make smoke` replays, as typed text, with what the local skill answers.

They are the project's own: the offline chat's demo (typed text already) and the conversations
tests/support/conversations.py drives for the tests (one per outcome, and a check then a
question). Those speak in intents; each intent is typed as the first sample of the locale's
model (or the offline understanding's everyday phrasing of a built-in intent) that the offline
understanding takes back to the same intent and slots. The expected replies come from running
the typed text through lambda/lambda_function.py, so nothing here is copied by hand.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from devkit import chat
from devkit.client import Client, Reply
from devkit.model import InteractionModel
from devkit.modules import load_file
from devkit.nlu import Understanding
from devkit.nlu_words import language_for

ROOT = Path(__file__).resolve().parents[2]
TEST_CONVERSATIONS = ROOT / "tests" / "support" / "conversations.py"
LAUNCH = "LaunchRequest"
OPEN_WORD = {"en": "open", "es": "abre"}
STATE_KEYS = ("pending", "question", "step")  # what the skill did, whatever wording it chose


class ScriptError(Exception):
    """A conversation cannot be typed; the message names the intent."""


@dataclass
class Turn:
    said: str
    intent: str  # LaunchRequest for the opening
    slots: dict[str, str] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    speech: str = ""
    ends_session: bool = False


@dataclass
class Conversation:
    name: str
    locale: str
    turns: list[Turn]


class Recorder(Client):
    """A client that keeps the intents a scripted conversation says, in order."""

    def __init__(self, handler, locale: str):
        super().__init__(handler, locale=locale, user_id="amzn1.ask.account.SMOKE-SCRIPT")
        self.said: list[tuple[str, dict[str, str]]] = []

    def launch(self) -> Reply:
        self.said.append((LAUNCH, {}))
        return super().launch()

    def say(self, intent: str, **slots: str | None) -> Reply:
        self.said.append((intent, {k: str(v) for k, v in slots.items() if v is not None}))
        return super().say(intent, **slots)


class Typist:
    """Intent and slots -> words the offline understanding takes back to them."""

    def __init__(self, locale: str):
        self.model = InteractionModel.load(locale)
        self.understanding = Understanding(self.model)
        self.lang = language_for(locale)
        self.open = f"{OPEN_WORD[locale[:2]]} {self.model.invocation_name}"

    def candidates(self, intent: str, slots: dict[str, str]) -> list[str]:
        samples = (self.model.intents.get(intent) or {}).get("samples", []) \
            + self.lang.built_in_samples.get(intent, [])
        fitting = [s for s in samples if set(re.findall(r"\{(\w+)\}", s)) == set(slots)]
        return [re.sub(r"\{(\w+)\}", lambda m: slots[m.group(1)], s) for s in fitting]

    def type(self, intent: str, slots: dict[str, str]) -> str:
        if intent == LAUNCH:
            return self.open
        for text in self.candidates(intent, slots):
            parsed = self.understanding.parse(text)
            if parsed.intent == intent and parsed.slots == slots:
                return text
        raise ScriptError(f"no sample of {intent} {slots or ''} in {self.model.locale} is "
                          "understood back as that intent: add one to the model")


def _local_handler():
    # A memory of its own, so the expected replies never depend on earlier chats here.
    os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="smoke-memory-")
    os.environ.pop("PERSISTENCE", None)
    # The local requests carry the dev envelopes' skill id; the deployed one is SMAPI's business.
    os.environ.pop("SKILL_ID", None)
    return chat.load_lambda_handler()


def _test_conversations():
    return load_file("smoke_test_conversations", TEST_CONVERSATIONS)


def scripted(locale: str, handler) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Each test conversation's intents, as the tests' own helpers say them."""
    tests = _test_conversations()
    drives: dict[str, Callable[[Recorder], Any]] = {"check_then_a_question":
                                                    tests.check_then_a_question}
    for number, answers in enumerate(tests.EVERY_OUTCOME, 1):
        def outcome(client, answers=answers):
            client.launch()
            tests.answer_all(client, client.say("StartCheckIntent"), answers)
        drives[f"outcome_{number}_{'_'.join(answers) or 'none'}"] = outcome
    said = {}
    for name, drive in drives.items():
        recorder = Recorder(handler, locale)
        drive(recorder)
        said[name] = recorder.said
    return said


def play(name: str, talk: chat.Chat, typed: list[str]) -> Conversation:
    """Typed text through the offline understanding and the real handler; stops where the
    session ends, since Alexa hands a next turn without the skill's name to nobody."""
    talk.client = Client(talk.client.handler, locale=talk.model.locale)  # a session of its own
    turns = []
    for text in typed:
        turn = talk.turn(text)
        reply = turn.reply
        intent = LAUNCH if turn.parsed.kind == "launch" else turn.parsed.intent
        assert intent is not None  # only a launch has none
        turns.append(Turn(text, intent,
                          dict(turn.parsed.slots),
                          {k: reply.state.get(k) for k in STATE_KEYS},
                          reply.speech, reply.ends_session))
        if reply.ends_session:
            break
    return Conversation(name, talk.model.locale, turns)


def conversations(locale: str) -> list[Conversation]:
    handler = _local_handler()
    typist = Typist(locale)
    talk = chat.Chat(handler, typist.model, locale)
    talk.understanding = typist.understanding  # built once: it trains a classifier
    found = [play("chat_demo", talk, chat.DEMOS[locale])]
    for name, said in scripted(locale, handler).items():
        typed = [typist.type(intent, slots) for intent, slots in said]
        found.append(play(name, talk, typed))
    return found
