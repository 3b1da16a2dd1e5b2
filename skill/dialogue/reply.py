"""What the dialogue table takes and gives: an event in, a decision out.

An Event is what the person (or Alexa, for them) did: an intent with its slots made plain, a
touch, a launch, the end of a session, or the result of something the adapter did for the
table (a reminder set, a record deleted). A Decision is everything the response needs: the
next state, the content keys to say, whether to keep listening (the prompt and reprompt then
follow from the state), a card, an effect for the adapter, and whether "repeat" may say it
again. Pure: no Alexa imports.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..state import ConversationState


@dataclass(frozen=True)
class Event:
    name: str  # "yes", "relief", "info.causes", "launch", "reminder_set" ...
    subject: str | None = None  # who a person slot named: "you", "he", "she" or "they"
    number: int | None = None  # a spoken number (a step, an age), when one was heard
    returning: bool = False  # launch and one-shots: a returning visitor
    resume_at: int | None = None  # launch: where an unfinished routine stopped
    new_session: bool = False  # the first request of a session (a one-shot when not a launch)
    when: tuple[int, int, int] | None = None  # a reminder set: weekday, month (0-based), day
    auth_failed: bool = False  # a reminder refused for want of permission


@dataclass(frozen=True)
class Pick:
    """A value taken from a content list by index (a weekday, a month), in the reply's locale."""
    key: str
    index: int


@dataclass(frozen=True)
class Ref:
    """A value that is itself content: the renderer fills in the entry at this key."""
    key: str


@dataclass(frozen=True)
class RefList:
    """Several content entries, said as one list ("a, b, or c") by the renderer."""
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Say:
    key: str
    values: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Card:
    kind: str  # "content" (title and text from content keys) or "permission" (reminders)
    title: str = ""
    text: str = ""
    values: tuple[tuple[str, Any], ...] = ()


ACKNOWLEDGEMENTS = frozenset({"acknowledge", "triage.counted_unsure"})


@dataclass
class Decision:
    state: ConversationState
    say: list[Say] = field(default_factory=list)
    listen: bool = True  # keep the session open, ending on the state's prompt
    card: Card | None = None
    effect: str | None = None  # for the adapter: "forget", "reminder", "replay"
    silent: bool = False  # no speech at all (a session that ended, an event)
    repeatable: bool = True  # "repeat" may say this again (not a miss, help or a repeat)
    missed: bool = False  # a miss, counted towards the short menu

    @property
    def keys(self) -> list[str]:
        return [line.key for line in self.say]

    @property
    def replayed(self) -> list[Say]:
        """What "repeat" says again: not the words that took the last answer ("Okay", "I'll
        count that as not sure"), which heard again sound like a new answer taken."""
        skip = 0
        while skip < len(self.say) and self.say[skip].key in ACKNOWLEDGEMENTS:
            skip += 1
        return self.say[skip:]


class Reply:
    """Collects one turn's decision while a move of the table runs."""

    def __init__(self, state: ConversationState, previous_aside: str | None = None):
        self.state = state
        self.lines: list[Say] = []
        self.card: Card | None = None
        self.previous_aside = previous_aside
        self.repeatable = True
        self.missed = False

    def say(self, key: str, **values: Any) -> "Reply":
        self.lines.append(Say(key, tuple(sorted(values.items()))))
        return self

    def send_card(self, title: str, text: str, **values: Any) -> "Reply":
        self.card = Card("content", title, text, tuple(sorted(values.items())))
        return self

    def ask(self) -> Decision:
        """Keep listening: the response ends on the state's prompt, with a reprompt."""
        return self._decision(listen=True)

    def tell(self) -> Decision:
        """End the session after saying what was collected."""
        return self._decision(listen=False)

    def effect(self, name: str) -> Decision:
        """Hand over to the adapter, which answers with the effect's result as an event."""
        decision = self._decision(listen=True)
        decision.effect = name
        return decision

    def silence(self) -> Decision:
        decision = self._decision(listen=False)
        decision.silent = True
        return decision

    def _decision(self, listen: bool) -> Decision:
        return Decision(self.state, list(self.lines), listen=listen, card=self.card,
                        repeatable=self.repeatable, missed=self.missed)
