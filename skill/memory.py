"""What the skill remembers between sessions: no health data, only this allow-list.

Pure logic, no Alexa or AWS imports. Symptom answers and triage outcomes are
never part of it (collecting health information would need a HIPAA-eligible
skill); a test runs every outcome and checks the stored keys.
"""
from __future__ import annotations

from collections.abc import Mapping  # not typing's: isinstance() on that alias is slow
from dataclasses import dataclass, fields, replace
from typing import Any

from . import relief
from .state import DEFAULT_RATE, RATES

ALLOWED_KEYS = frozenset({"relief_step", "relief_saved_at", "speech_rate", "visits", "last_visit"})
RESUME_WINDOW_SECONDS = 24 * 60 * 60


@dataclass
class Memory:
    relief_step: int | None = None  # where an unfinished routine stopped
    relief_saved_at: int | None = None  # epoch seconds
    speech_rate: int = DEFAULT_RATE
    visits: int = 0
    last_visit: int | None = None  # epoch seconds

    def to_record(self) -> dict[str, int]:
        """Plain ints only (DynamoDB refuses floats); unset values are left out."""
        record = {name: int(value) for name in _FIELD_NAMES
                  if (value := getattr(self, name)) is not None}
        assert set(record) <= ALLOWED_KEYS
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any] | None) -> "Memory":
        """Tolerant of anything a store hands back: Decimals, strings, junk, extra keys."""
        if not isinstance(record, Mapping):
            return cls()
        values = {name: _whole(record.get(name)) for name in _FIELD_NAMES}
        memory = cls(**{k: v for k, v in values.items() if v is not None})
        if memory.speech_rate not in range(len(RATES)):
            memory.speech_rate = DEFAULT_RATE
        if memory.relief_step is not None:
            memory.relief_step = relief.clamp(memory.relief_step)
        memory.visits = max(memory.visits, 0)
        return memory

    def resumable_step(self, now: int) -> int | None:
        """The step to offer to resume, if a routine stopped less than a day ago."""
        if self.relief_step is None or self.relief_saved_at is None:
            return None
        if 0 <= now - self.relief_saved_at <= RESUME_WINDOW_SECONDS:
            return self.relief_step
        return None

    @property
    def returning(self) -> bool:
        return self.visits > 1

    def count_visit(self, now: int) -> None:
        self.visits += 1
        self.last_visit = now

    def note_relief(self, step: int | None, now: int) -> None:
        """Remember the routine's place; None once it is finished or declined."""
        if step == self.relief_step:
            return
        self.relief_step = step
        self.relief_saved_at = None if step is None else now


_FIELD_NAMES = tuple(f.name for f in fields(Memory))


def _whole(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


class SessionMemory:
    """The memory as one session sees it, kept in session attributes between turns.

    `stored` is what the store holds as far as this session knows (None until
    a read succeeds). Changes made while the store is unreachable are kept
    in `touched` and laid over the stored record once it can be read, so a
    failing database loses nothing the person asked for.
    """

    def __init__(self, current: Memory | None = None, stored: Memory | None = None,
                 touched: set[str] | None = None, paused: bool = False):
        self.current = current or Memory()
        self.stored = stored
        self.touched = set(touched or ())
        self.paused = paused  # after "forget my data": write nothing more this session

    @property
    def loaded(self) -> bool:
        return self.stored is not None

    @property
    def needs_write(self) -> bool:
        return self.loaded and not self.paused and self.current != self.stored

    def count_visit(self, now: int) -> None:
        self.current.count_visit(now)
        self.touched |= {"visits", "last_visit"}

    def set_rate(self, rate: int) -> None:
        if rate != self.current.speech_rate:
            self.current.speech_rate = rate
            self.touched.add("speech_rate")

    def set_relief(self, step: int | None, now: int) -> None:
        if step != self.current.relief_step:
            self.current.note_relief(step, now)
            self.touched |= {"relief_step", "relief_saved_at"}

    def rebase(self, stored: Memory) -> None:
        """Adopt what the store holds, then lay this session's changes over it."""
        merged = replace(stored)  # a copy: every field is an int or None
        for name in self.touched - {"visits"}:
            setattr(merged, name, getattr(self.current, name))
        if "visits" in self.touched:
            merged.visits = stored.visits + 1  # this session's visit, counted once
        self.current, self.stored = merged, stored

    def written(self) -> None:
        self.stored = replace(self.current)

    def forget(self) -> None:
        self.current, self.stored, self.touched, self.paused = Memory(), Memory(), set(), True

    def to_attributes(self) -> dict[str, Any]:
        return {"current": self.current.to_record(),
                "stored": None if self.stored is None else self.stored.to_record(),
                "touched": sorted(self.touched), "paused": self.paused}

    @classmethod
    def from_attributes(cls, data: Any) -> "SessionMemory | None":
        """None when the session holds no memory yet (its first request)."""
        if not isinstance(data, Mapping):
            return None
        touched = data.get("touched")
        return cls(
            current=Memory.from_record(data.get("current")),
            stored=None if data.get("stored") is None else Memory.from_record(data.get("stored")),
            touched={t for t in touched if isinstance(t, str) and t in ALLOWED_KEYS}
            if isinstance(touched, list) else set(),
            paused=data.get("paused") is True,
        )
