"""The content files (skill/content/<locale>.yaml, every locale): sources, coverage, the same
keys and facts in each, and the speech they render to."""
from __future__ import annotations

import re
from typing import Iterator

import pytest

from conftest import ROOT, ssml_problems, spoken_text
from skill import relief, safety, speech
from skill.state import RATES, SUBJECTS
from support import locales
from support.spoken import (CONTENT, LOCALES, PHONE, VALUES, break_seconds, expected_count,
                            rendered_strings, spoken_strings, voice, walk)

ARTICLE = ROOT.parent / "shared" / "source" / "clinic-article-back-spasms.txt"


@pytest.fixture(params=LOCALES)
def locale(request):
    return request.param


@pytest.fixture
def content(locale):
    return speech.load_content(locale)


# 1. Sources
def test_every_source_names_a_known_source(content):
    known = set(content["sources"])
    named = {path: value["source"] for path, value in walk(content)
             if isinstance(value, dict) and "source" in value}
    assert named, "no entry names a source"
    # A source is one key of `sources`, or a list of them (a question asking about two rows).
    unknown = {p: s for p, s in named.items()
               if any(one not in known for one in (s if isinstance(s, list) else [s]))}
    assert unknown == {}


def test_every_fact_has_a_source(content):
    facts = {
        **{f"triage.questions.{k}": v for k, v in content["triage"]["questions"].items()},
        **{f"triage.topics.{k}": v for k, v in content["triage"]["topics"].items()},
        **{f"relief.steps.{k}": v for k, v in content["relief"]["steps"].items()},
        **{f"info.{k}": v for k, v in content["info"].items() if k != "back_to"},
        **{f"outcome.{k}": v for k, v in content["outcome"].items()},
    }
    assert sorted(p for p, v in facts.items()
                  if not (isinstance(v, dict) and v.get("source"))) == []


def structure(node: dict, path: str = "") -> dict[str, str]:
    """Every key path -> its source (facts), or "" (anything else); the wordings (`say`,
    `other`) and each language's own pronoun table (`grammar`) and ordinal words
    (`numbers.ordinals`) are not compared."""
    found = {}
    for key, value in node.items():
        here = f"{path}.{key}" if path else key
        if key in ("source", "say", "other") or here in ("grammar", "numbers.ordinals"):
            continue
        found[here] = value.get("source", "") if isinstance(value, dict) else ""
        if isinstance(value, dict):
            found.update(structure(value, here))
    return found


def test_every_locale_has_the_same_keys_and_the_same_sources(content, locale):
    # The same facts in every language: each key of the default locale's file, with the same
    # source, and nothing the code never asks for. (Variants may differ in number.)
    assert structure(content) == structure(CONTENT), locale
    assert content["sources"] == CONTENT["sources"]
    for key in ("weekdays", "months"):
        assert len(content["calendar"][key]) == len(CONTENT["calendar"][key])
    # Each person has every word (a {placeholder} missing for one would be spoken as is).
    assert len({frozenset(content["grammar"][subject]) for subject in SUBJECTS}) == 1, locale


# 2. Coverage of the pure logic
def test_every_triage_question_and_relief_step_has_content(content):
    questions = content["triage"]["questions"]
    for qid in safety.QUESTION_IDS:
        assert qid in questions, qid
        assert questions[qid].get("say") and questions[qid].get("explain"), qid
    assert set(questions) == set(safety.QUESTION_IDS)
    # Each block screen names its 911 signs for a stop mid-check; each finding has a topic.
    assert [q for q in safety.BLOCK_SCREENS if not questions[q].get("short")] == []
    assert set(content["triage"]["topics"]) == set(safety.FINDING_IDS)
    assert [s for s in relief.STEPS if s not in content["relief"]["steps"]] == []
    assert set(content["grammar"]) == set(SUBJECTS)


# 3. SSML of everything, for every subject and rate
def test_every_string_renders_to_valid_alexa_ssml(locale):
    strings = spoken_strings(locale)
    # The walk must at least reach every question and step, or it is checking nothing.
    assert len(strings) > len(safety.QUESTION_IDS) + len(relief.STEPS)
    checked, failures = 0, {}  # path -> the first failing render, to keep the report short
    for rendered in rendered_strings(locale):
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
    print(f"SSML strings checked, {locale}: {checked} ({len(strings)} content strings)")
    assert failures == {}
    assert checked == expected_count(locale)
    assert checked >= len(strings) * len(SUBJECTS) * len(RATES) * 2


# 4. Questions stay short enough to remember and clearly ask something
def asked_questions(locale: str = "en-US") -> Iterator[tuple[str, str, str]]:
    content = speech.load_content(locale)
    for subject in SUBJECTS:
        v = voice(subject, locale=locale)
        caregiver = subject != "you"
        for state, entry in content["pending"].items():
            if "prompt" in entry:
                for text in speech.variants(entry["prompt"], caregiver):
                    yield f"pending.{state}.prompt", subject, v.render(text, **VALUES).plain
        for qid, entry in content["triage"]["questions"].items():
            for text in speech.variants(entry, caregiver):
                yield f"triage.questions.{qid}", subject, v.render(text, **VALUES).plain


def test_every_question_is_short_and_ends_with_a_question_mark(locale):
    asked = list(asked_questions(locale))
    assert len(asked) >= len(safety.QUESTION_IDS) * len(SUBJECTS)
    long = [(p, s, t) for p, s, t in asked if len(t.split()) > 30]
    assert long == []
    assert [(p, s, t) for p, s, t in asked if not t.endswith("?")] == []


# 5. Pronouns follow the person asked about
def test_caregiver_questions_never_say_you_and_own_questions_never_say_his(locale):
    asked = [(s, t) for p, s, t in asked_questions(locale) if p.startswith("triage.")]
    # What a caregiver's questions must never say (they are about someone else), and what the
    # user's own questions must never say, in the locale's words (tests/data/locales/).
    pronouns = locales.section(locale, "pronouns")
    caregiver, own = pronouns["not_for_a_caregiver"], pronouns["not_for_the_user"]
    assert [t for s, t in asked if s != "you" and re.search(caregiver, t, re.I)] == []
    assert [t for s, t in asked if s == "you" and re.search(own, t, re.I)] == []


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
def test_phone_is_read_as_digit_groups(locale):
    ssml = speech.phone_ssml(PHONE)
    assert re.findall(r'<say-as interpret-as="digits">(\d+)</say-as>', ssml) \
        == ["920", "725", "9373"]
    for subject in SUBJECTS:
        for rate in range(len(RATES)):
            line = voice(subject, rate, locale).render("[phone]")
            rendered = "<speak>" + speech.join([line]) + "</speak>"
            assert not ssml_problems(rendered)
            assert "9207259373" not in rendered
            # Outside the say-as tags no digit is left for Alexa to read as a cardinal.
            outside = re.sub(r"<say-as[^>]*>\d+</say-as>", "", rendered)
            assert not re.search(r"\d{3,}", spoken_text(outside)), rendered


def test_digits_markup_reads_a_number_digit_by_digit(locale):
    line = voice("you", locale=locale).render("[digits {emergency}]", emergency="911")
    assert line.ssml == '<say-as interpret-as="digits">911</say-as>' and line.plain == "911"
