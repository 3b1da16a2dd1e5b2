"""One request's working set: its state, its voice, and the one renderer of decisions.

`render` turns the dialogue table's Decision into the Alexa response: each content key
said in the person's voice, then, when the session stays open, the state's prompt and a
reprompt that adds help; the card; nothing at all for a silent decision. Echo Show screens
are drawn from the same state and the same words (skill/handlers/screen.py).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, cast

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from .. import metrics, speech
from ..dialogue import Card, Decision, Pick, Ref, RefList
from ..dialogue.check import quick_screen_values
from ..memory import SessionMemory
from ..relief import STEPS
from ..settings import Settings
from ..state import ConversationState, Pending

TURN = "turn"  # request attribute holding the Turn


@dataclass
class SkillContext:
    """What every handler shares, built once per skill."""
    settings: Settings
    recorder: metrics.Recorder  # writes each request's one line (skill/metrics.py)
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
        return self.apology_in(None)

    def apology_in(self, locale: str | None) -> str:
        """The error sentence in a request's language (the default one for an unknown)."""
        return self.voice(locale, ConversationState()).line("error").plain


class Turn:
    def __init__(self, handler_input: HandlerInput, context: SkillContext,
                 state: ConversationState):
        self.input = handler_input
        self.context = context
        self.state = state
        self.missed = False  # set by the fallback, so the miss count is kept
        self.repeatable = True  # "repeat" may replay this turn's speech
        self.replay: str | None = None  # what "repeat" says again, when not all of it
        self.spoken: list[speech.Line] = []  # this turn's lines, as said
        self.memory: SessionMemory | None = None  # set when a store is configured
        self.locale = getattr(handler_input.request_envelope.request, "locale", None)
        self._voice: speech.Voice | None = None
        self._voice_key: tuple[str, int] | None = None
        # The wording said this turn, by content key (the first, if said twice): a screen
        # shows the words the person just heard, not another variant.
        self.said: dict[str, speech.Line] = {}

    @classmethod
    def of(cls, handler_input: HandlerInput) -> Turn:
        # The SDK types request attributes as objects; TURN is set by LoadTurn, to a Turn.
        return cast(Turn, handler_input.attributes_manager.request_attributes[TURN])

    @classmethod
    def find(cls, handler_input: HandlerInput) -> Turn | None:
        """The request's Turn, or None when LoadTurn made none (a name-free query)."""
        turn = handler_input.attributes_manager.request_attributes.get(TURN)
        return turn if isinstance(turn, Turn) else None

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

    def render(self, decision: Decision) -> Response:
        """The response for a decision of the dialogue table."""
        self.state = decision.state
        self.missed, self.repeatable = decision.missed, decision.repeatable
        builder = self.input.response_builder
        if decision.silent:
            return builder.response
        if decision.effect == "replay" and self.state.last_speech and self.state.last_reprompt:
            return builder.speak(self.state.last_speech).ask(self.state.last_reprompt).response
        card_kind = decision.card.kind if decision.card else None
        metrics.count_all(metrics.counts_said(decision.keys, card_kind == "content"))
        lines = [self.say(line.key, **{k: self.value(v) for k, v in line.values})
                 for line in decision.say]
        card = self.card_of(decision.card)
        if not decision.listen:
            return self.tell(*lines, card=card)
        response = self.ask(*lines, card=card)
        kept = len(decision.replayed)
        if kept < len(lines):
            # The same words as just said, the prompt included: only the acknowledgement goes.
            self.replay = f"<speak>{speech.join(self.spoken[len(lines) - kept:])}</speak>"
        return response

    def value(self, value: Any) -> Any:
        """A decision's value in this turn's words: content references filled in."""
        if isinstance(value, Ref):
            return self.text_of(value.key)
        if isinstance(value, RefList):
            return self.voice.listing([self.text_of(key) for key in value.keys])
        if isinstance(value, Pick):
            return self.voice.entry(value.key)[value.index]
        return value

    def text_of(self, key: str) -> str:
        """An entry's first wording, filled in: a value inside another sentence."""
        entry = self.voice.entry(key)
        text = entry if isinstance(entry, str) else speech.variants(entry, self.state.caregiver)[0]
        return self.voice.fill(text, {})

    def card_of(self, card: Card | None) -> Any:
        if card is None:
            return None
        if card.kind == "permission":
            from ask_sdk_model.ui import AskForPermissionsConsentCard
            from ..reminders import SCOPE
            return AskForPermissionsConsentCard(permissions=[SCOPE])
        return self.card(card.title, card.text, **{k: self.value(v) for k, v in card.values})

    # What the skill is asking now, and help about it, decided by the state.
    def prompt(self) -> speech.Line:
        if self.state.pending is Pending.TRIAGE and self.state.question:
            return self.say(f"triage.questions.{self.state.question}")
        if self.state.pending is Pending.QUICK_SCREEN:
            return self.say("pending.quick_screen.prompt", **quick_screen_values(self.voice,
                                                                                 self.state))
        step = self.state.step
        if self.state.pending is Pending.RELIEF and step == len(STEPS) - 1:
            return self.say("pending.relief.last_prompt")
        return self.say(f"pending.{self.state.pending.value}.prompt",
                        number=(step or 0) + 1, total=len(STEPS))

    def hint(self) -> speech.Line:
        return self.say(self.state.hint_key)

    def ask(self, *lines: speech.Line, card: Any = None) -> Response:
        """Speak, end on the current prompt, and keep listening."""
        spoken = self.spoken = [*lines, self.prompt()]
        builder = self.input.response_builder
        builder.speak(speech.join(spoken)).ask(speech.join([self.hint(), self.prompt()]))
        if card is not None:
            builder.set_card(card)
        return builder.response

    def tell(self, *lines: speech.Line, card: Any = None) -> Response:
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
