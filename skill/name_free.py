"""Name-free requests: may Alexa send this request here without the skill's name?

Alexa asks with a CanFulfillIntentRequest ("my back is in spasm, what do I do?") before choosing
a skill. This module is the answer, as a table: YES for questions this skill answers in full from
a standing start, MAYBE where it can help but the request depends on something it cannot see, NO
for everything else. Pure logic, no Alexa imports; skill/handlers/name_free.py turns the verdict
into the response. Answering must change nothing, which the handler and interceptors see to.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from . import intents
from .numbers import parse_number
from .relief import STEPS
from .safety import age_of

YES, MAYBE, NO = intents.YES, intents.MAYBE, intents.NO
_RANK = {NO: 0, MAYBE: 1, YES: 2}

# Intents a stranger's request may start, and how sure the skill is it fits (the registry's).
NAME_FREE = {i.name: i.name_free for i in intents.INTENTS if i.name_free != NO}
# Intents of the model that only make sense inside this skill's conversation, or that belong to
# Alexa or to any skill: Alexa must never route them here without the skill's name.
NOT_NAME_FREE = {i.name: i.why_not for i in intents.INTENTS if i.name_free == NO}

PERSON = "person"  # a custom slot type: understood only when Alexa resolved it to one of ours
STEP = "step"  # AMAZON.NUMBER: a relief step, 1 to len(STEPS)
AGE = "age"  # AMAZON.NUMBER: a person's age in years


@dataclass(frozen=True)
class SlotRule:
    kind: str
    # The intent's answer at best when this slot holds a value the skill cannot use.
    if_not_understood: str


SLOTS: dict[tuple[str, str], SlotRule] = {
    # "my dog has a back spasm": the skill would still ask about "that person", so maybe.
    ("StartCheckIntent", "person"): SlotRule(PERSON, MAYBE),
    ("ForSomeoneElseIntent", "person"): SlotRule(PERSON, MAYBE),
    ("GoToStepIntent", "step_number"): SlotRule(STEP, NO),
    ("AgeIntent", "age"): SlotRule(AGE, NO),
}


@dataclass(frozen=True)
class HeardSlot:
    """What Alexa heard for one slot, read out of the request by the handler."""
    value: str | None
    resolved: bool = False  # entity resolution said ER_SUCCESS_MATCH


@dataclass(frozen=True)
class SlotVerdict:
    can_understand: str
    can_fulfill: str


@dataclass(frozen=True)
class Verdict:
    can_fulfill: str
    slots: dict[str, SlotVerdict]


def judge_slot(rule: SlotRule | None, heard: HeardSlot) -> SlotVerdict:
    if rule is None:
        return SlotVerdict(NO, NO)  # a slot our model does not give this intent
    if rule.kind == PERSON:
        return SlotVerdict(YES, YES) if heard.resolved else SlotVerdict(NO, NO)
    number = parse_number(heard.value)
    if number is None:
        return SlotVerdict(NO, NO)
    if rule.kind == AGE:
        return SlotVerdict(YES, YES if age_of(str(number)) is not None else NO)
    return SlotVerdict(YES, YES if 1 <= number <= len(STEPS) else NO)


def decide(intent: str | None, slots: Mapping[str, HeardSlot]) -> Verdict:
    """The answer for an intent and the slots Alexa filled (empty slots are left out)."""
    filled = {name: heard for name, heard in slots.items()
              if isinstance(heard.value, str) and heard.value.strip()}
    verdicts: dict[str, SlotVerdict] = {}
    answer = NAME_FREE.get(intent or "", NO)
    for name, heard in filled.items():
        rule = SLOTS.get((intent or "", name))
        verdicts[name] = verdict = judge_slot(rule, heard)
        if verdict.can_fulfill != YES:
            answer = _lower(answer, rule.if_not_understood if rule else NO)
    return Verdict(answer, verdicts)


def _lower(a: str, b: str) -> str:
    return a if _RANK[a] <= _RANK[b] else b
