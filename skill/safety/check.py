"""What the answers so far call for, and which question comes next.

Answers are kept as Alexa's session keeps them: question id -> "yes" / "no" / "unsure", and
the age as digits (or "unsure"). A follow-up not yet answered after a "yes" counts as "not
sure": a person who stops there is told what the doubt calls for, never less.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from .questions import (AGE, CAN_BE_PREGNANT, DOUBT, FALL_AGE, FIRST_PAIN_AGES,
                        NEW_PAIN_AGE, PREGNANCY_AGES, QUESTION_IDS, Answer, Level, Question,
                        age_of, question)

YES, NO, UNSURE = Answer.YES.value, Answer.NO.value, Answer.UNSURE.value


@dataclass(frozen=True)
class Finding:
    """One reason for the outcome: what was found (a question's id, or a sign its follow-ups
    told apart: FINDING_IDS), the rows, the level, and whether it is a doubt."""
    id: str
    level: Level
    rows: tuple[int, ...]
    doubt: bool = False


@dataclass(frozen=True)
class Assessment:
    level: Level
    findings: tuple[Finding, ...]  # those at the outcome's level, in the order asked
    complete: bool  # no more questions need asking

    @property
    def doubtful(self) -> bool:
        """Decided by doubts alone, which the outcome says ("if it turns out to be true...")."""
        return bool(self.findings) and all(f.doubt for f in self.findings)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.id for f in self.findings))


def _sign(found: list[Finding], qid: str, said: str | None, rows: tuple[int, ...] | None = None,
          level: Level | None = None) -> None:
    """A yes / no / not sure question with no follow-up: its sign, or the doubt about it."""
    q = question(qid)
    level = q.reach if level is None else level
    if said == YES:
        found.append(Finding(qid, level, rows or q.rows))
    elif said == UNSURE:
        found.append(Finding(qid, DOUBT[level], rows or q.rows, doubt=True))


def _legs(a: Mapping[str, str], found: list[Finding], missing: str) -> None:
    """A "yes" or "not sure" to the legs is followed by "both legs?": both is 911 (row 5), one
    leg a provider (rows 21, 22), or today when it is getting weaker (row 12)."""
    legs = a.get("legs")
    if legs not in (YES, UNSURE):
        return
    both = a.get("both_legs", missing)
    if both != NO:
        if legs == YES:
            _sign(found, "both_legs", both)
        else:
            found.append(Finding("legs", Level.TODAY, (5,), doubt=True))
        return
    if legs == UNSURE:
        found.append(Finding("legs", Level.PROVIDER, (12, 21, 22), doubt=True))
        return
    found.append(Finding("one_leg", Level.PROVIDER, (21, 22)))
    _sign(found, "leg_worse", a.get("leg_worse", missing))


def _injury(a: Mapping[str, str], found: list[Finding], missing: str) -> None:
    """A fall, crash or blow: a big one is 911 (row 8); a smaller one is today at least (row
    11), and 911 from 50, with weak bones or steroids (row 9), or when standing is too painful.
    "Not sure" of the fall asks the same follow-ups, and each sign they find is a doubt."""
    injury = a.get("injury")
    if injury not in (YES, UNSURE):
        return
    chain: list[Finding] = []
    big = a.get("big_injury", missing)
    _sign(chain, "big_injury", big)
    if big != YES:
        chain.append(Finding("small_fall", Level.TODAY, (11,)))
        years = age_of(a.get(AGE, UNSURE)) if AGE in a or missing == UNSURE else 0
        if years is None:
            chain.append(Finding("fall_age", Level.TODAY, (9,), doubt=True))
        elif years >= FALL_AGE:
            chain.append(Finding("fall_age", Level.EMERGENCY, (9,)))
        if years is None or years < FALL_AGE:
            _sign(chain, "fall_bones", a.get("fall_bones", missing))
            _sign(chain, "cant_stand", a.get("cant_stand", missing))
    if injury == UNSURE:
        chain = [f if f.doubt else Finding(f.id, DOUBT[f.level], f.rows, doubt=True)
                 for f in chain]
    found.extend(chain)


def _infection(a: Mapping[str, str], found: list[Finding], missing: str) -> None:
    """A "yes" or "not sure" to the signs of infection is followed by "a fever?": a fever is
    911 (row 10); burning pee or side pain without one, today (row 18)."""
    infection = a.get("infection")
    if infection not in (YES, UNSURE):
        return
    fever = a.get("fever", missing)
    if fever == YES:
        found.append(Finding("fever", Level.EMERGENCY, (10,)))
        return
    if fever == UNSURE:
        found.append(Finding("fever", Level.TODAY, (10,), doubt=True))
    if infection == YES:
        found.append(Finding("urine", Level.TODAY, (18,)))
    else:
        found.append(Finding("urine", Level.PROVIDER, (18,), doubt=True))


def _immune(a: Mapping[str, str], found: list[Finding], missing: str) -> None:
    """A weak immune system or injecting drugs is today (rows 16, 17); weak bones alone, a
    provider (row 23). "Not sure" to both is a doubt about a today sign: a provider."""
    if a.get("immune_bones") == UNSURE:
        found.append(Finding("immune_bones", Level.PROVIDER, (16, 17, 23), doubt=True))
    if a.get("immune_bones") != YES:
        return
    which = a.get("immune_drugs", missing)
    _sign(found, "immune_drugs", which)
    if which != YES:
        found.append(Finding("weak_bones", Level.PROVIDER, (23,)))


def _pregnancy(a: Mapping[str, str], found: list[Finding], missing: str) -> None:
    """Pregnant: today (row 19); with bleeding, fluid or tightening, now. "Not sure" of the
    pregnancy asks about those signs too, and each is then a doubt."""
    pregnant = a.get("pregnant")
    _sign(found, "pregnant", pregnant)
    if pregnant not in (YES, UNSURE):
        return
    labour = a.get("labour", missing)
    if pregnant == YES:
        _sign(found, "labour", labour)
    elif labour in (YES, UNSURE):
        found.append(Finding("labour", Level.TODAY, (19,), doubt=True))


def _age(a: Mapping[str, str], found: list[Finding]) -> None:
    """Row 24: a first bad back pain under 20 or from 50, any new back pain over 70."""
    if AGE not in a or a.get("injury") in (YES, UNSURE):
        return  # not asked for row 24, or asked for the fall (row 9) and judged there
    years = age_of(a[AGE])
    if years is None:
        found.append(Finding("new_pain_age", Level.PROVIDER, (24,), doubt=True))
    elif years >= NEW_PAIN_AGE:
        found.append(Finding("new_pain_age", Level.PROVIDER, (24,)))
    elif years < FIRST_PAIN_AGES[0] or years >= FIRST_PAIN_AGES[1]:
        _sign(found, "first_time", a.get("first_time"))


def findings(answers: Mapping[str, str], missing: str = UNSURE) -> list[Finding]:
    """Every sign and doubt the answers show, in the order the questions come. A follow-up not
    yet answered after a "yes" counts as `missing`: "not sure" for an outcome (a person who
    stops there hears what the doubt calls for), "no" for choosing what to ask next."""
    a, found = answers, list[Finding]()
    _sign(found, "bladder", a.get("bladder"))
    _sign(found, "saddle", a.get("saddle"))
    _legs(a, found, missing)
    _sign(found, "front", a.get("front"))
    _injury(a, found, missing)
    _infection(a, found, missing)
    _immune(a, found, missing)
    _sign(found, "cancer", a.get("cancer"))
    _sign(found, "night", a.get("night"))
    _age(a, found)
    _pregnancy(a, found, missing)
    _sign(found, "course", a.get("course"))
    return found


def outcome_key(result: Assessment) -> str | None:
    """What the outcome is called in the content: emergency, today, today_doubt (decided by
    doubts about 911 signs alone), today_pregnant (pregnancy, or a doubt about labor signs,
    among what decided it), provider, provider_doubt or home_care;
    None while nothing is found and questions remain."""
    level = result.level
    if level is Level.EMERGENCY:
        return "emergency"
    if level is Level.TODAY:
        if {"pregnant", "labour"} & set(result.ids):
            return "today_pregnant"  # the midwife or maternity unit, not the clinic
        return "today_doubt" if result.doubtful else "today"
    if level is Level.PROVIDER:
        return "provider_doubt" if result.doubtful else "provider"
    return "home_care" if result.complete else None


def _level(found: list[Finding]) -> Level:
    return max((f.level for f in found), default=Level.HOME_CARE)


def assess(answers: Mapping[str, str], subject: str = "you") -> Assessment:
    """The outcome the answers so far call for; the most serious sign wins."""
    return _assess(_key(answers), subject)


# A turn asks the same answers several things (the outcome, the next question, whether the
# block is open), and a few thousand answer sets cover every conversation: each is worked
# out once per process (the results are frozen). Keyed on the cleaned answers, sorted.
def _key(answers: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(clean(answers).items()))


@lru_cache(maxsize=4096)
def _assess(key: tuple[tuple[str, str], ...], subject: str) -> Assessment:
    answers = dict(key)
    found = findings(answers)
    level = _level(found)
    deciding = tuple(f for f in found if f.level == level and level > Level.HOME_CARE)
    return Assessment(level, deciding, _next_question(key, subject) is None)


def _candidates(a: Mapping[str, str], subject: str) -> list[Question]:
    """The questions these answers lead to, in order, before skipping what cannot matter."""
    yes = {qid for qid, said in a.items() if said == YES}
    years = age_of(a.get(AGE))
    asked = ["bladder", "saddle", "legs"]
    asked += ["both_legs"] if a.get("legs") in (YES, UNSURE) else []
    asked += ["front", "injury"]
    if a.get("injury") in (YES, UNSURE):
        asked += ["big_injury"]
        if a.get("big_injury") in (NO, UNSURE):
            asked += [AGE]
            if AGE in a and (years is None or years < FALL_AGE):
                asked += ["fall_bones", "cant_stand"]
    asked += ["infection"]
    asked += ["fever"] if a.get("infection") in (YES, UNSURE) else []
    asked += ["leg_worse"] if "legs" in yes and a.get("both_legs") == NO else []
    asked += ["immune_bones"]
    asked += ["immune_drugs"] if "immune_bones" in yes else []
    asked += ["cancer", "night", AGE]
    if subject in CAN_BE_PREGNANT and (AGE in a and (years is None or years in PREGNANCY_AGES)):
        asked += ["pregnant"]
        asked += ["labour"] if a.get("pregnant") in (YES, UNSURE) else []
    if years is not None and years < NEW_PAIN_AGE and \
            (years < FIRST_PAIN_AGES[0] or years >= FIRST_PAIN_AGES[1]):
        asked += ["first_time"]
    asked += ["course"]
    return [question(qid) for qid in dict.fromkeys(asked)]


def _reach(q: Question, a: Mapping[str, str], subject: str) -> Level:
    """The most a question can still change. The age decides row 9 only after a fall, and
    otherwise matters for pregnancy (TODAY) or row 24 (PROVIDER); a follow-up of a "not sure"
    can only find a doubt."""
    after = "injury" if q.id == AGE and a.get("injury") in (YES, UNSURE) else q.after
    if q.id == AGE and after is None:
        return Level.TODAY if subject in CAN_BE_PREGNANT else Level.PROVIDER
    return DOUBT[q.reach] if after and a.get(after) == UNSURE else q.reach


def next_question(answers: Mapping[str, str], subject: str = "you") -> Question | None:
    """The next question worth asking, or None when the outcome is settled: an emergency ends
    the questions at once, and a question that cannot raise the outcome is not asked."""
    return _next_question(_key(answers), subject)


@lru_cache(maxsize=4096)
def _next_question(key: tuple[tuple[str, str], ...], subject: str) -> Question | None:
    a = dict(key)
    level = _level(findings(a, missing=NO))
    if level is Level.EMERGENCY:
        return None
    for q in _candidates(a, subject):
        if q.id in a:
            continue
        if _reach(q, a, subject) > level:
            return q
    return None


def block_open(answers: Mapping[str, str], subject: str = "you") -> bool:
    """Whether the emergency block still has a question to ask (relief waits for it)."""
    q = next_question(answers, subject)
    return q is not None and (q.block or (q.id == AGE and answers.get("injury") in (YES, UNSURE)))


def clean(answers: Mapping[str, str]) -> dict[str, str]:
    """Only what a question could have recorded: a known id with a yes / no / not sure, the
    age as digits or not sure (session attributes come back from the client)."""
    kept = {}
    for qid, said in answers.items():
        if qid not in QUESTION_IDS or not isinstance(said, str):
            continue
        if said in (YES, NO, UNSURE) and qid != AGE:
            kept[qid] = said
        elif qid == AGE and (said == UNSURE or age_of(said) is not None):
            kept[qid] = said
    return kept
