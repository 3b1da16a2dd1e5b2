"""Brief everywhere: a walk of the whole conversation graph through the Lambda handler, in each
locale, prints the longest responses (words, and seconds at about 150 words a minute plus the
pauses) and holds every response to the voice rules' lengths:

- the welcome fits one breath: 25 words at most, disclaimer and 911 included;
- before the closing question, an answer that keeps listening says at most answer_words
  ("about 40 words, then offers more"); the guided breathing step, a timed exercise, is apart;
- a response that ends the conversation (an outcome, or a stop mid-check with the outcome so
  far and the 911 signs not asked) at most ending_words;
- every question the skill asks at most question_words; help with its hint at most help_words.

The limits are each locale's (tests/data/locales/<locale>.yaml, "brevity"): Spanish takes more
words than English for the same sentence (articles, clitics), so its limits sit a fifth
higher; the seconds printed show what a listener meets in each.
"""
from __future__ import annotations

import re
import sys

import pytest

from skill import speech
from skill.app import build_lambda_handler
from devkit.model import InteractionModel
from skill.settings import Settings
from support import locales, responses
from support.spoken import walk as content_walk

LOCALES = locales.LOCALES
WORDS_PER_SECOND = 2.5
WELCOME_WORDS = 25


def limits(locale: str) -> dict[str, int]:
    return locales.section(locale, "brevity")
_MARK = re.compile(r"\[[^\]]*\]")  # the readable form's [slow:] and [4s pause] marks
_PAUSE = re.compile(r"\[(\d+(?:\.\d+)?)s pause\]")


def words(text: str) -> int:
    return len(_MARK.sub(" ", text).split())


def seconds(text: str) -> float:
    return words(text) / WORDS_PER_SECOND + sum(float(p) for p in _PAUSE.findall(text))


def before_the_offer(text: str) -> str:
    """The answer, without the closing question that offers more."""
    plain = _MARK.sub(" ", text).strip()
    sentences = re.split(r"(?<=[.!?])\s+", plain)
    return " ".join(sentences[:-1] if sentences and sentences[-1].endswith("?") else sentences)


@pytest.fixture(scope="module")
def walked() -> dict[str, list]:
    handler = build_lambda_handler(Settings(), adapter=None)
    return {locale: responses.walk(handler, InteractionModel.load(locale), "you",
                                   speech.DEFAULT_RATE)[0] for locale in LOCALES}


@pytest.mark.parametrize("locale", LOCALES)
def test_the_longest_responses_are_printed_and_within_the_limits(walked, locale):
    seen: dict[str, tuple] = {}
    for said in walked[locale]:
        text = said.reply.speech
        if text and text not in seen:
            seen[text] = (said.reply.ends_session, said.path)
    longest = sorted(seen, key=words, reverse=True)[:8]
    print(f"\n{locale}: the longest of {len(seen)} responses met in the graph walk",
          file=sys.stderr)
    for text in longest:
        ends, path = seen[text]
        print(f"  {words(text):3} words {seconds(text):5.1f} s {'(ends) ' if ends else ''}"
              f"after {' > '.join(path[-2:])}: {_MARK.sub('', text)[:90]}...", file=sys.stderr)
    too_long = []
    for text, (ends, path) in seen.items():
        if "s pause]" in text:
            continue  # the guided breathing: an exercise, timed by its pauses
        limit, measured = (limits(locale)["ending_words"], words(text)) if ends else \
            (limits(locale)["answer_words"], words(before_the_offer(text)))
        if measured > limit:
            too_long.append(f"{measured} > {limit} after {' > '.join(path[-3:])}: {text[:120]}")
    assert not too_long, "\n".join(too_long)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_welcome_fits_one_breath(walked, locale):
    launches = {said.reply.speech for said in walked[locale] if said.path[-1] == "Launch"}
    assert launches
    for text in launches:
        if "not medical advice" in text or "no consejo médico" in text:
            assert words(text) <= WELCOME_WORDS and "911" in text, text


@pytest.mark.parametrize("locale", LOCALES)
def test_every_question_is_short_and_help_is_short(locale):
    content = speech.load_content(locale)
    questions, helps = [], []
    for path, value in content_walk(content):
        if not isinstance(value, str):
            continue
        if re.fullmatch(r"pending\.\w+\.prompt(\[\d+\])?|triage\.questions\.\w+\.(say|other)",
                        path):
            questions.append((path, value))
    for pending, entry in content["pending"].items():
        helps.append((pending, f"{entry['help']} {entry['hint']}"))
    most = limits(locale)["question_words"]
    long_questions = [(p, words(speech._to_plain(v, "920-725-9373"))) for p, v in questions
                      if words(speech._to_plain(v, "920-725-9373")) > most]
    long_helps = [(p, words(v)) for p, v in helps if words(v) > limits(locale)["help_words"]]
    assert len(questions) > 20
    assert long_questions == [] and long_helps == []
