"""Guided relief: the steps, in order, and how navigation moves between them.

Pure logic, no Alexa imports. The steps follow the clinic article: first the
in-spasm techniques, then home care. Getting up from the floor is a routine of its own
(CLINICAL.md, home care and relief), asked for at any time and offered at the end of the
in-spasm steps; the same moves work in it.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

IN_SPASM_STEPS = ("lie_back", "breathing", "roller", "avoid_moves")
HOME_CARE_STEPS = ("heat_or_ice", "anti_inflammatory", "stretch_or_walk", "water")
STEPS: tuple[str, ...] = IN_SPASM_STEPS + HOME_CARE_STEPS
FIRST = 0
LAST = len(STEPS) - 1
HOME_CARE_START = len(IN_SPASM_STEPS)
GET_UP_STEPS = ("side", "hands_knees", "chair", "rise")
# Steps said otherwise in pregnancy: lying on the side, not flat on the back; no
# anti-inflammatory unless the midwife or doctor agrees.
PREGNANCY_STEPS = ("lie_back", "anti_inflammatory")


class Move(str, Enum):
    NEXT = "next"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    START_OVER = "start_over"


@dataclass(frozen=True)
class Position:
    index: int | None  # None once the routine is finished
    note: str | None = None  # "at_start" / "finished": said before the step

    @property
    def finished(self) -> bool:
        return self.index is None


def clamp(index: Any, steps: tuple[str, ...] = STEPS) -> int:
    """A safe step index from whatever the session held (int() says what counts as one)."""
    try:
        value = int(index)
    except (TypeError, ValueError):
        return FIRST
    return min(max(value, FIRST), len(steps) - 1)


def navigate(index: int | None, move: Move, steps: tuple[str, ...] = STEPS) -> Position:
    """Where a move leads from step `index` of a routine (None: not started or finished)."""
    if move is Move.START_OVER or index is None:
        return Position(FIRST)
    index = clamp(index, steps)
    if move is Move.NEXT:
        return Position(None, "finished") if index == len(steps) - 1 else Position(index + 1)
    if move is Move.PREVIOUS:
        return Position(FIRST, "at_start") if index == FIRST else Position(index - 1)
    return Position(index)


def go_to(number: int | None) -> int | None:
    """The index of a step by its spoken, 1-based number; None if there is none."""
    if number is None or not 1 <= number <= len(STEPS):
        return None
    return number - 1


def step_id(index: int) -> str:
    return STEPS[clamp(index)]
