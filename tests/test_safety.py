"""The safety check v2 on its pure module (skill/safety): CLINICAL.md's rows all asked, the
rules as properties, the question counts, and the vignettes written from CLINICAL.md."""
from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tools.clinical_review import vignettes

from skill import safety
from skill.safety import AGE, QUESTIONS, Level, assess, next_question
from skill.safety.questions import DOUBT

ROOT = Path(__file__).resolve().parents[1]
CLINICAL = ROOT.parent / "shared" / "CLINICAL.md"
ROWS = set(range(1, 28))
SUBJECTS = ("you", "he", "she", "they")
ANSWERS = ("yes", "no", "unsure")
RANK = {"no": 0, "unsure": 1, "yes": 2}


def run(answer_for, subject: str = "you") -> tuple[safety.Assessment, list[str]]:
    """Drive the check as the conversation does: ask next_question until it stops."""
    given_answers: dict[str, str] = {}
    asked = []
    while (q := next_question(given_answers, subject)) is not None:
        assert q.id not in given_answers, f"{q.id} asked twice"
        assert len(asked) <= len(QUESTIONS)
        asked.append(q.id)
        given_answers[q.id] = answer_for(q.id)
    return assess(given_answers, subject), asked


def all_no(age: int = 30):
    return lambda qid: str(age) if qid == AGE else "no"


# -- every row asked ----------------------------------------------------------------------

def test_every_row_of_clinical_md_is_asked_by_some_question():
    asked = {row for q in QUESTIONS for row in q.rows}
    assert asked == ROWS


@pytest.mark.skipif(not CLINICAL.is_file(), reason="../shared/CLINICAL.md is not beside the repo")
def test_the_rows_are_clinical_md_s_rows():
    table = re.findall(r"^\| (\d+) \|", CLINICAL.read_text(encoding="utf-8"), re.MULTILINE)
    assert {int(n) for n in table} == ROWS


def test_every_vignette_fact_is_asked_by_a_question():
    assert set(vignettes.ASKS) == {q.id for q in QUESTIONS} - {AGE}


# -- counts -------------------------------------------------------------------------------

def test_the_emergency_block_is_six_questions_when_all_are_no():
    _, asked = run(all_no())
    block = [qid for qid in asked if safety.question(qid).block]
    assert block == list(safety.BLOCK_SCREENS) and len(block) == 6
    assert asked[:6] == block, "the block comes first"


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_30_year_old_with_no_sign_reaches_home_care_in_at_most_12(subject):
    result, asked = run(all_no(30), subject)
    assert result.level is Level.HOME_CARE and result.complete
    assert len(asked) <= 12, asked
    print(f"\nall clear, 30, {subject}: {len(asked)} questions")


def test_pregnancy_is_never_asked_about_him_nor_outside_its_ages():
    for age in (8, 30, 59, 60, 85):
        _, asked_he = run(all_no(age), "he")
        _, asked_she = run(all_no(age), "she")
        assert "pregnant" not in asked_he
        assert ("pregnant" in asked_she) == (12 <= age < 60), age


# -- the rules as properties -------------------------------------------------------------

full_answers = st.fixed_dictionaries({
    q.id: (st.one_of(st.integers(1, 110).map(str), st.just("unsure")) if q.number
           else st.sampled_from(ANSWERS)) for q in QUESTIONS})


@settings(max_examples=400, deadline=None)
@given(full_answers, st.sampled_from([q.id for q in QUESTIONS if not q.number]),
       st.sampled_from(SUBJECTS))
def test_a_more_certain_yes_never_lowers_the_outcome(answers, qid, subject):
    """no -> not sure -> yes, on any one question, never lowers the outcome."""
    levels = [assess({**answers, qid: said}, subject).level for said in ("no", "unsure", "yes")]
    assert levels == sorted(levels), (qid, levels)


@settings(max_examples=300, deadline=None)
@given(st.data(), st.sampled_from(SUBJECTS))
def test_every_path_ends_in_a_decided_outcome_and_911_ends_it_at_once(data, subject):
    answers: dict[str, str] = {}
    while (q := next_question(answers, subject)) is not None:
        assert assess(answers, subject).level is not Level.EMERGENCY
        answers[q.id] = data.draw(st.sampled_from(ANSWERS) if not q.number
                                  else st.sampled_from(["19", "30", "50", "65", "71", "unsure"]))
    result = assess(answers, subject)
    assert result.complete and isinstance(result.level, Level)
    if result.level > Level.HOME_CARE:
        assert result.findings, "an outcome above home care names the signs that decided it"


@pytest.mark.parametrize("qid", [q.id for q in QUESTIONS if q.screen])
def test_not_sure_is_never_lower_than_clinical_md_s_rule(qid):
    """Unsure on a screen and on whatever follows it: at least what doubt about the most serious
    sign it asks about calls for; and any doubt is at least a provider."""
    def answer(asked_id: str) -> str:
        return "unsure" if asked_id in (qid, *FOLLOW_UPS.get(qid, ())) else all_no()(asked_id)
    result, asked = run(answer, "she")
    assert qid in asked
    assert result.level >= DOUBT[safety.question(qid).reach] >= Level.PROVIDER


FOLLOW_UPS = {"legs": ("both_legs",), "injury": ("big_injury",), "infection": ("fever",),
              "immune_bones": ("immune_drugs",), "pregnant": ("labour",)}


@pytest.mark.parametrize("qid", [q.id for q in QUESTIONS if q.block])
def test_a_911_yes_is_an_emergency_and_ends_the_questions(qid):
    """Every block question reached by a path of "yes" answers: 911 as soon as its sign is."""
    def answer(asked_id: str) -> str:
        if asked_id == AGE:
            return "30"
        return "yes" if asked_id in PATH_TO[qid] else "no"
    result, asked = run(answer)
    assert result.level is Level.EMERGENCY, (qid, asked)
    assert asked[-1] == PATH_TO[qid][-1], "nothing is asked after a 911 sign"


PATH_TO = {
    "bladder": ("bladder",), "saddle": ("saddle",), "legs": ("legs", "both_legs"),
    "both_legs": ("legs", "both_legs"), "front": ("front",),
    "injury": ("injury", "big_injury"), "big_injury": ("injury", "big_injury"),
    "fall_bones": ("injury", "fall_bones"), "cant_stand": ("injury", "cant_stand"),
    "infection": ("infection", "fever"), "fever": ("infection", "fever"),
}


# -- the vignettes -------------------------------------------------------------------------

def play(vignette: vignettes.Vignette) -> tuple[safety.Assessment, list[str]]:
    return run(vignette.answer, vignette.who)


def test_the_vignettes_use_only_the_fact_vocabulary_and_cover_every_row():
    found = vignettes.load()
    assert len(found) >= 60
    for v in found:
        assert v.has | v.unsure <= vignettes.FACTS, v.id
        assert v.outcome in vignettes.OUTCOMES, v.id
    decided = {row for v in found for row in v.rows}
    assert decided == ROWS, f"rows no vignette decides: {sorted(ROWS - decided)}"


def test_every_vignette_gets_the_outcome_clinical_md_calls_for():
    found = vignettes.load()
    under, over, wrong_rows, counts = [], [], [], []
    table: dict[str, int] = {}
    for v in found:
        result, asked = play(v)
        counts.append(len(asked))
        expected = Level[v.outcome]
        table[v.outcome] = table.get(v.outcome, 0) + 1
        if result.level < expected:
            under.append(f"{v.id}: {result.level.name}, expected {v.outcome} ({asked})")
        elif result.level > expected:
            over.append(f"{v.id}: {result.level.name}, expected {v.outcome} ({asked})")
        elif expected > Level.HOME_CARE and \
                not set(v.rows) & {r for f in result.findings for r in f.rows}:
            wrong_rows.append(f"{v.id}: decided by {result.findings}, expected rows {v.rows}")
    print(f"\nvignettes: {len(found)}; outcomes {table}; questions median "
          f"{statistics.median(counts)}, max {max(counts)}")
    assert not under, "under-triaged:\n" + "\n".join(under)
    assert not over, "over-triaged:\n" + "\n".join(over)
    assert not wrong_rows, "\n".join(wrong_rows)


@settings(max_examples=300, deadline=None)
@given(full_answers, st.sampled_from(SUBJECTS))
def test_every_finding_is_a_known_finding_with_its_rows(answers, subject):
    for f in safety.check.findings(answers):
        assert f.id in safety.questions.FINDING_IDS, f
        assert set(f.rows) <= ROWS and f.rows, f
