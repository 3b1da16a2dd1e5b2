"""Varied conversations for the load test, each with what the skill must show and then store.

A plan is a list of turns. While building it, a small tracker follows the skill's documented
behaviour (README, "How a conversation works" and "Memory"), written out here rather than taken
from the skill's code:

- "relief steps" asks the one-breath emergency question, and its "no" starts step 1; "next" and
  "previous" move one step ("previous" stays on the first), "go to step N" jumps there, and
  "next" on the last step finishes the routine, which leaves nothing to resume;
- "slower" and "faster" move one speech rate (x-slow, slow, medium, fast), staying at the ends;
- repeat, help and information change neither;
- "stop" ends the session; opening the skill again is another visit, offers to resume at the
  step where the routine stopped (the reply's session holds that step), and "yes" resumes it;
  the speech rate carries over to the new session.

Each turn records the step and rate the reply's session must show; each plan records what the
store must hold at the end: the relief step (absent once finished), the speech rate, the visits.

Kinds of conversation, so the load is not one conversation 200 times:

- ``quiet``: after the turns made while the database is down, only repeat, help and information:
  the stored progress is right only if the outage turns were saved once it came back;
- ``busy``: steps and rates change all the way;
- ``relaunch``: stops early, opens the skill again (a second visit) and resumes;
- ``finish``: ends by finishing the routine;
- ``late``: a new user whose first turns come while the database is down.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from skill.relief import STEPS

LAST = len(STEPS) - 1  # step indices run 0..LAST; people hear "step 1 of 8"
RATES = 4  # x-slow, slow, medium, fast
MEDIUM = 2
YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"
NEXT, PREVIOUS = "AMAZON.NextIntent", "AMAZON.PreviousIntent"
SLOWER, FASTER, STOP = "SlowerIntent", "FasterIntent", "AMAZON.StopIntent"
NEUTRAL = ("AMAZON.RepeatIntent", "AMAZON.HelpIntent", "CausesIntent", "DurationIntent")
KINDS = ("quiet", "busy", "relaunch", "finish")


@dataclass
class Turn:
    intent: str | None  # None: open the skill (a LaunchRequest, a new session)
    slots: dict = field(default_factory=dict)
    step: int | None = None  # the relief step index the reply's session must hold
    rate: int = MEDIUM  # the speech rate index it must hold
    ends: bool = False  # the reply ends the session
    offers_resume: bool = False


@dataclass
class Plan:
    user: str
    kind: str
    turns: list[Turn]
    stored: dict  # what the table must hold at the end (relief_step, speech_rate, visits)

    def changed_only_while_down(self, outage: tuple[int, int]) -> bool:
        """Whether the last change to the stored progress was made while the database was down
        (a quiet plan): then the table can be right only if those turns were saved later."""
        before, after = self.turns[outage[0] - 1], self.turns[outage[1] - 1]
        later = self.turns[outage[1]:]
        return (before.step, before.rate) != (after.step, after.rate) and \
            all((t.step, t.rate) == (after.step, after.rate) for t in later)


class _Tracker:
    def __init__(self) -> None:
        self.step: int | None = None
        self.rate = MEDIUM
        self.visits = 0
        self.stopped_at: int | None = None  # the step to resume after a stop
        self.screening = False  # asked the emergency question on the way to relief
        self.turns: list[Turn] = []

    def _record(self, intent, slots=None, ends=False, offers_resume=False) -> None:
        self.turns.append(Turn(intent, slots or {}, self.step, self.rate, ends, offers_resume))

    def launch(self) -> None:
        self.visits += 1
        self.step = self.stopped_at  # offered, not yet resumed: the session holds it
        self._record(None, offers_resume=self.stopped_at is not None)

    def say(self, intent: str, **slots: str) -> None:
        if intent == "StartReliefIntent":
            self.screening = True  # the one-breath emergency question comes first
        elif intent == NO and self.screening:
            self.screening, self.step = False, 0
        elif intent == NEXT:
            self.step = None if self.step == LAST else self.step + 1
        elif intent == PREVIOUS:
            self.step = max(self.step - 1, 0)
        elif intent == "GoToStepIntent":
            self.step = int(slots["step_number"]) - 1
        elif intent == SLOWER:
            self.rate = max(self.rate - 1, 0)
        elif intent == FASTER:
            self.rate = min(self.rate + 1, RATES - 1)
        elif intent == STOP:
            self.stopped_at = self.step
            self._record(intent, slots, ends=True)
            return
        self._record(intent, slots)

    # --- choices that keep every turn meaningful ----------------------------------------------

    def change(self, rng: random.Random) -> None:
        """A turn that changes the step or the rate (never finishing the routine by chance)."""
        choice = rng.randrange(4)
        if choice == 0:
            self.say(SLOWER if self.rate > 0 else FASTER)
        elif choice == 1:
            self.say(FASTER if self.rate < RATES - 1 else SLOWER)
        elif choice == 2:
            self.say(NEXT if self.step < LAST - 1 else PREVIOUS)
        else:
            target = rng.choice([n for n in range(1, LAST + 1) if n - 1 != self.step])
            self.say("GoToStepIntent", step_number=str(target))

    def anything(self, rng: random.Random) -> None:
        if rng.random() < 0.3:
            self.say(rng.choice(NEUTRAL))
        elif rng.random() < 0.15:
            self.say(PREVIOUS)
        else:
            self.change(rng)


def build(user: str, kind: str, rng: random.Random, turns: int, outage: tuple[int, int]) -> Plan:
    """``outage``: the turns (first, last+1) that the database is down for, for sessions that
    began before it; a ``late`` plan begins at the outage instead."""
    down_from, down_to = outage
    track = _Tracker()
    track.launch()
    track.say("StartReliefIntent")
    track.say(NO)
    while len(track.turns) < turns:
        t = len(track.turns)
        if kind == "relaunch" and t == 3:
            track.say(STOP)
            track.launch()
            track.say(YES)  # resume where it stopped
        elif kind != "late" and down_from <= t < down_to:
            # Made while the database is down, and saved only when it returns: the rate, then
            # the step, so the two can never cancel out.
            if (t - down_from) % 2 == 0:
                track.say(SLOWER if track.rate > 0 else FASTER)
            else:
                track.say(NEXT if track.step < LAST - 1 else PREVIOUS)
        elif kind == "quiet" and t >= down_to:
            track.say(rng.choice(NEUTRAL))
        elif kind == "finish" and t == turns - 3:
            track.say("GoToStepIntent", step_number=str(LAST + 1))
            track.say(NEXT)  # past the last step: the routine is finished
            track.say(STOP)
        else:
            track.anything(rng)
    stored = {"speech_rate": track.rate, "visits": track.visits}
    if track.step is not None:
        stored["relief_step"] = track.step
    return Plan(user, kind, track.turns[:turns], stored)
