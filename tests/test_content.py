"""The content file (skill/content/en-US.yaml): sources, coverage, and the speech it renders to."""
from __future__ import annotations

import re
from typing import Iterator

import pytest

from conftest import ROOT, ssml_problems, spoken_text
from skill import relief, speech, triage
from skill.state import RATES, SUBJECTS
from support.spoken import (CONTENT, PHONE, VALUES, break_seconds, expected_count,
                            rendered_strings, spoken_strings, voice, walk)

ARTICLE = ROOT.parent / "shared" / "source" / "clinic-article-back-spasms.txt"


# 1. Sources
def test_every_source_names_a_known_source():
    known = set(CONTENT["sources"])
    named = {path: value["source"] for path, value in walk(CONTENT)
             if isinstance(value, dict) and "source" in value}
    assert named, "no entry names a source"
    assert {p: s for p, s in named.items() if s not in known} == {}


def test_every_fact_has_a_source():
    facts = {
        **{f"triage.questions.{k}": v for k, v in CONTENT["triage"]["questions"].items()},
        **{f"relief.steps.{k}": v for k, v in CONTENT["relief"]["steps"].items()},
        **{f"info.{k}": v for k, v in CONTENT["info"].items() if k != "back_to"},
        **{f"outcome.{k}": v for k, v in CONTENT["outcome"].items()},
    }
    assert sorted(p for p, v in facts.items() if not (isinstance(v, dict) and v.get("source"))) == []


# 2. Coverage of the pure logic
def test_every_triage_question_and_relief_step_has_content():
    questions = CONTENT["triage"]["questions"]
    for qid in triage.QUESTION_IDS:
        assert qid in questions, qid
        assert questions[qid].get("say") and questions[qid].get("topic"), qid
    assert [s for s in relief.STEPS if s not in CONTENT["relief"]["steps"]] == []


# 3. SSML of everything, for every subject and rate
def test_every_string_renders_to_valid_alexa_ssml():
    strings = spoken_strings()
    # The walk must at least reach every question and step, or it is checking nothing.
    assert len(strings) > len(triage.QUESTION_IDS) + len(relief.STEPS)
    checked, failures = 0, {}  # path -> the first failing render, to keep the report short
    for rendered in rendered_strings():
        ssml = rendered.ssml
        problems = ssml_problems(ssml)
        if "{" in ssml or "}" in ssml:
            problems.append("unfilled placeholder")
        if any(b > speech.MAX_PAUSE_SECONDS for b in break_seconds(ssml)):
            problems.append(f"break over 10 s: {break_seconds(ssml)}")
        if len(ssml) > 8000:
            problems.append(f"{len(ssml)} characters")
        if problems:
            failures.setdefault(rendered.path, (rendered, problems))
        checked += 1
    print(f"SSML strings checked: {checked} ({len(strings)} content strings)")
    assert failures == {}
    assert checked == expected_count()
    assert checked >= len(strings) * len(SUBJECTS) * len(RATES) * 2


# 4. Questions stay short enough to remember and clearly ask something
def asked_questions() -> Iterator[tuple[str, str, str]]:
    for subject in SUBJECTS:
        v = voice(subject)
        caregiver = subject != "you"
        for state, entry in CONTENT["pending"].items():
            if "prompt" in entry:
                for text in speech.variants(entry["prompt"], caregiver):
                    yield f"pending.{state}.prompt", subject, v.render(text, **VALUES).plain
        for qid, entry in CONTENT["triage"]["questions"].items():
            for text in speech.variants(entry, caregiver):
                yield f"triage.questions.{qid}", subject, v.render(text, **VALUES).plain


def test_every_question_is_short_and_ends_with_a_question_mark():
    asked = list(asked_questions())
    assert len(asked) >= len(triage.QUESTION_IDS) * len(SUBJECTS)
    long = [(p, s, t) for p, s, t in asked if len(t.split()) > 30]
    assert long == []
    assert [(p, s, t) for p, s, t in asked if not t.endswith("?")] == []


# 5. Pronouns follow the person asked about
def test_caregiver_questions_never_say_you_and_own_questions_never_say_his():
    asked = [(s, t) for p, s, t in asked_questions() if p.startswith("triage.")]
    assert [t for s, t in asked if s == "he" and re.search(r"\byour?\b", t, re.I)] == []
    assert [t for s, t in asked if s == "you" and re.search(r"\b(his|her|their)\b", t, re.I)] == []


# 6. Our wording, not the article's
def eight_grams(text: str) -> set[tuple[str, ...]]:
    # Curly apostrophes become straight ones, so "you’re" and "you're" tokenise alike.
    words = re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))
    return {tuple(words[i:i + 8]) for i in range(len(words) - 7)}


@pytest.mark.parametrize("relative", ["skill/content/en-US.yaml", "interaction_models/en-US.json"])
def test_no_eight_word_run_is_copied_from_the_clinic_article(relative):
    if not ARTICLE.is_file():
        pytest.skip(f"{ARTICLE} is absent")
    ours = eight_grams((ROOT / relative).read_text(encoding="utf-8"))
    assert ours, "nothing to compare"
    copied = sorted(" ".join(g) for g in ours & eight_grams(ARTICLE.read_text(encoding="utf-8")))
    assert copied == []


# 7. The clinic number is read digit by digit
def test_phone_is_read_as_digit_groups():
    ssml = speech.phone_ssml(PHONE)
    assert re.findall(r'<say-as interpret-as="digits">(\d+)</say-as>', ssml) == ["920", "725", "9373"]
    for subject in SUBJECTS:
        for rate in range(len(RATES)):
            rendered = "<speak>" + speech.join([voice(subject, rate).render("[phone]")]) + "</speak>"
            assert not ssml_problems(rendered)
            assert "9207259373" not in rendered
            # Outside the say-as tags no digit is left for Alexa to read as a cardinal.
            outside = re.sub(r"<say-as[^>]*>\d+</say-as>", "", rendered)
            assert not re.search(r"\d{3,}", spoken_text(outside)), rendered
