"""The conversation state, as a typed object kept in Alexa's session attributes.

Session attributes come back from the client, so everything read here is
checked: an odd or missing value falls back to a safe default instead of
raising in the middle of someone's turn.
"""
from __future__ import annotations

from collections.abc import Mapping  # not typing's: isinstance() on that alias is slow
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any

from . import relief, safety
from .replay_guard import replayable

SUBJECTS = ("you", "he", "she", "they")
RATES = ("x-slow", "slow", "medium", "fast")
DEFAULT_RATE = RATES.index("medium")
# Information topics said in two parts: the short one, then "want to hear more?".
MORE_TOPICS = ("when_to_worry", "causes", "home_care")
ASIDES = ("number", "explained")


class Pending(str, Enum):
    """The question the skill asked last, which decides what yes or no means."""
    MENU = "menu"  # an open "what would you like?"
    WELCOME = "welcome"  # "relief now, or a safety check first?": yes is relief
    START_CHECK = "start_check"
    TRIAGE = "triage"
    QUICK_SCREEN = "quick_screen"  # the emergency block in one breath, on the way to relief
    FINISH_CHECK = "finish_check"  # after relief: "shall we finish the safety questions?"
    OFFER_MORE = "offer_more"  # "want to hear more?" after the short part of a topic
    OFFER_CARD = "offer_card"
    OFFER_RELIEF = "offer_relief"
    RELIEF = "relief"  # mid-routine: "ready for the next step?"
    GET_UP = "get_up"  # getting up from the floor, one step at a time
    ANYTHING_ELSE = "anything_else"
    OFFER_RESUME = "offer_resume"  # "pick up at step 3?"
    CONFIRM_FORGET = "confirm_forget"
    OFFER_REMINDER = "offer_reminder"


@dataclass
class ConversationState:
    subject: str = "you"
    pending: Pending = Pending.MENU
    question: str | None = None  # the triage question awaiting an answer
    answers: dict[str, str] = field(default_factory=dict)
    step: int | None = None  # relief step index, None when not in the routine
    rising: int | None = None  # the getting-up step, None when not getting up
    rate: int = DEFAULT_RATE
    misses: int = 0  # fallbacks in a row
    then_relief: bool = False  # the emergency block is being asked on the way to relief
    more: str | None = None  # the information topic whose longer part is on offer
    # What the last turn said in passing: "number", for "slower"; "explained", for a second
    # "what do you mean?" about the same question (any other turn clears it).
    aside: str | None = None
    relieved: bool = False  # the routine was finished this session: not offered again
    # "No" to the emergency block in one breath: relief may go ahead, but nothing is recorded,
    # since the breath does not name every sign its questions ask; the check asks them all.
    screened: bool = False
    last_speech: str | None = None
    last_reprompt: str | None = None

    @property
    def caregiver(self) -> bool:
        return self.subject != "you"

    @property
    def asking_age(self) -> bool:
        return self.pending is Pending.TRIAGE and self.question == safety.AGE

    @property
    def hint_key(self) -> str:
        """How to answer what is asked now: the age wants a number, not a yes or no."""
        if self.asking_age:
            return "triage.questions.age.hint"
        return f"pending.{self.pending.value}.hint"

    @classmethod
    def from_attributes(cls, attributes: Mapping[str, Any] | None) -> "ConversationState":
        raw = attributes.get("state") if isinstance(attributes, Mapping) else None
        if not isinstance(raw, Mapping):
            return cls()
        answers = raw.get("answers")
        state = cls(
            subject=_one_of(raw.get("subject"), SUBJECTS, "you"),
            pending=_pending(raw.get("pending")),
            question=_one_of(raw.get("question"), safety.QUESTION_IDS, None),
            answers=safety.clean(answers) if isinstance(answers, Mapping) else {},
            step=None if raw.get("step") is None else relief.clamp(raw.get("step")),
            rising=_index_or_none(raw.get("rising"), len(relief.GET_UP_STEPS)),
            rate=_int_in(raw.get("rate"), range(len(RATES)), DEFAULT_RATE),
            misses=_int_in(raw.get("misses"), range(100), 0),
            then_relief=raw.get("then_relief") is True,
            more=_one_of(raw.get("more"), MORE_TOPICS, None),
            aside=_one_of(raw.get("aside"), ASIDES, None),
            relieved=raw.get("relieved") is True,
            screened=raw.get("screened") is True,
            last_speech=_replayable(raw.get("last_speech")),
            last_reprompt=_replayable(raw.get("last_reprompt")),
        )
        if (state.pending is Pending.GET_UP) != (state.rising is not None):
            state.pending, state.rising = Pending.MENU, None  # half of getting up: neither
        if state.pending is Pending.OFFER_MORE and state.more is None:
            state.pending = Pending.ANYTHING_ELSE
        if state.pending is Pending.TRIAGE and state.question is None:
            # Mid-check with no question to ask: ask the next one the answers call for.
            following = safety.next_question(state.answers, state.subject)
            state.question = following.id if following else None
            state.pending = Pending.TRIAGE if following else Pending.MENU
        return state

    def to_attributes(self) -> dict[str, Any]:
        # Field by field: dataclasses.asdict deep-copies every value, on every turn. Only
        # `answers` is mutable, and it holds strings.
        data = {name: getattr(self, name) for name in _FIELD_NAMES}
        data["answers"] = dict(self.answers)
        data["pending"] = self.pending.value
        return {"state": data}

    def start_check(self) -> None:
        self.answers = {}
        self.question = safety.QUESTIONS[0].id
        self.pending = Pending.TRIAGE
        self.then_relief = False

    def copy(self) -> "ConversationState":
        twin = ConversationState(**{name: getattr(self, name) for name in _FIELD_NAMES})
        twin.answers = dict(self.answers)
        return twin


_FIELD_NAMES = tuple(f.name for f in fields(ConversationState))


def _one_of(value: Any, allowed: tuple, default: Any) -> Any:
    return value if isinstance(value, str) and value in allowed else default


def _pending(value: Any) -> Pending:
    try:
        return Pending(value)
    except ValueError:
        return Pending.MENU


def _int_in(value: Any, allowed: range, default: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number in allowed else default


def _index_or_none(value: Any, count: int) -> int | None:
    index = _int_in(value, range(count), -1)
    return None if index < 0 else index


def _replayable(value: Any) -> str | None:
    return value if replayable(value) else None
