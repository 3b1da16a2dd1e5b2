"""One request's working set: its state, its voice, and how a response is built.

Handlers stay short by talking to a Turn: read the state, call the pure
logic, then `ask` (session stays open, always with a question and a
reprompt that adds help) or `tell` (session ends).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from .. import speech
from ..settings import Settings
from ..memory import SessionMemory
from ..relief import STEPS
from ..state import ConversationState, Pending

TURN = "turn"  # request attribute holding the Turn


@dataclass
class SkillContext:
    """What every handler shares, built once per skill."""
    settings: Settings
    rng: Any = random

    def voice(self, locale: str | None, state: ConversationState) -> speech.Voice:
        # es-MX speaks from es-US, an unknown locale from the default one (see resolve_locale);
        # the emergency number follows the request's own locale.
        return speech.Voice(
            speech.load_content(locale, fallback=self.settings.locale),
            values=self.settings.speech_values_for(locale),
            phone=self.settings.clinic_phone,
            subject=state.subject, rate=state.rate, rng=self.rng)

    def apology(self) -> str:
        """The error sentence as plain text, rendered ahead of time for last resorts."""
        return self.voice(None, ConversationState()).line("error").plain


class Turn:
    def __init__(self, handler_input: HandlerInput, context: SkillContext,
                 state: ConversationState):
        self.input = handler_input
        self.context = context
        self.state = state
        self.missed = False  # set by the fallback, so the miss count is kept
        self.memory: SessionMemory | None = None  # set when a store is configured
        self.locale = getattr(handler_input.request_envelope.request, "locale", None)
        self._voice: speech.Voice | None = None
        self._voice_key: tuple[str, int] | None = None
        # The wording said this turn, by content key (the first, if said twice): a screen
        # shows the words the person just heard, not another variant.
        self.said: dict[str, speech.Line] = {}

    @classmethod
    def of(cls, handler_input: HandlerInput) -> "Turn":
        return handler_input.attributes_manager.request_attributes[TURN]

    @property
    def voice(self) -> speech.Voice:
        # A handler may change the subject or the rate mid-turn: rebuild only then.
        key = (self.state.subject, self.state.rate)
        if self._voice is None or self._voice_key != key:
            self._voice, self._voice_key = self.context.voice(self.locale, self.state), key
        return self._voice

    def say(self, key: str, **values: Any) -> speech.Line:
        line = self.voice.line(key, **values)
        self.said.setdefault(key, line)
        return line

    # What the skill is asking now, and help about it, decided by the state.
    def prompt(self) -> speech.Line:
        if self.state.pending is Pending.TRIAGE and self.state.question:
            return self.say(f"triage.questions.{self.state.question}")
        step = self.state.step
        return self.say(f"pending.{self.state.pending.value}.prompt",
                        number=(step or 0) + 1, total=len(STEPS))

    def hint(self) -> speech.Line:
        return self.say(f"pending.{self.state.pending.value}.hint")

    def ask(self, *lines: speech.Line, card: SimpleCard | None = None) -> Response:
        """Speak, end on the current prompt, and keep listening."""
        spoken = [*lines, self.prompt()]
        builder = self.input.response_builder
        builder.speak(speech.join(spoken)).ask(speech.join([self.hint(), self.prompt()]))
        if card is not None:
            builder.set_card(card)
        return builder.response

    def tell(self, *lines: speech.Line, card: SimpleCard | None = None) -> Response:
        """Speak and end the session."""
        builder = self.input.response_builder
        builder.speak(speech.join(lines)).set_should_end_session(True)
        if card is not None:
            builder.set_card(card)
        return builder.response

    def card(self, title_key: str, text_key: str, **values: Any) -> SimpleCard:
        voice = self.voice
        title = voice.to_plain(voice.fill(voice.entry(title_key), values))
        text = voice.entry(text_key)
        plain = "\n".join(voice.to_plain(voice.fill(row, values)) for row in text.split("\n"))
        return SimpleCard(title=title, content=plain)
