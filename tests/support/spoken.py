"""Every string the skill can say, rendered through its own speech code (skill/speech.py).

Shared by the content test (XML, Alexa's tag list, break and length limits) and the
ssml-check-core test, so both check the same enumeration: every content variant
(`say` and `other`) x every person the skill can talk about (the user, or a caregiver's
he / she / they) x every speech rate x normal and slower pace, filled with the values
handlers really pass (every triage topic where a sentence names one).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from skill import relief, speech
from skill.settings import Settings
from skill.state import RATES, SUBJECTS

CONTENT = speech.load_content("en-US")  # the default locale's, for tests that read it directly
LOCALES = sorted(speech.available_locales())
PHONE = "920-725-9373"
# What handlers pass in besides {topic}: a step number and count, a reminder date.
VALUES = dict(number=len(relief.STEPS), total=len(relief.STEPS), weekday="Wednesday",
              month="September", day=30)
PLAIN_TEXT_KEYS = {"card_title", "card_text"}  # shown in the app, never spoken
METADATA_KEYS = {"source", "pace"}  # about an entry, not part of it


@dataclass(frozen=True)
class Rendered:
    locale: str
    path: str  # where the text lives in the content file
    subject: str
    rate: int  # index into RATES
    slower: bool
    ssml: str  # a whole <speak> document


def voice(subject: str = "you", rate: int = speech.DEFAULT_RATE,
          locale: str = "en-US") -> speech.Voice:
    return speech.Voice(speech.load_content(locale), values=Settings().speech_values,
                        phone=PHONE, subject=subject, rate=rate)


def wordings(locale: str, key: str, subject: str = "you", **values: Any) -> list[str]:
    """Every way the skill may say a content entry, as plain text."""
    spoken = speech.Voice(speech.load_content(locale),
                          values=Settings().speech_values_for(locale), phone=PHONE,
                          subject=subject)
    # A list of signs, unless given, is every one of them: what a check with none answered says.
    return [spoken.render(text, **{**fillings(text, locale)[0], **values}).plain
            if "igns}" in text else spoken.render(text, **values).plain
            for text in speech.variants(spoken.entry(key), caregiver=subject != "you")]


def says(reply: Any, locale: str, key: str, subject: str = "you", **values: Any) -> bool:
    """Whether a reply says the entry, in any of its wordings."""
    return any(text in reply.speech for text in wordings(locale, key, subject, **values))


def walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (dotted path, value) in the content, lists included."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from walk(item, f"{path}[{index}]")


def spoken_strings(locale: str = "en-US") -> list[tuple[str, str]]:
    """Every string the skill may speak: all variants, `say` and `other`. Not the source
    citations, nor the pronoun tables (their words are spoken inside the sentences), nor the
    labels only screens show (`screen`, checked by tests/test_apl.py), nor the number words
    the skill understands (`numbers`)."""
    def last_key(path: str) -> str:
        return re.sub(r"\[\d+\]$", "", path).rsplit(".", 1)[-1]
    return [(path, value) for path, value in walk(speech.load_content(locale))
            if isinstance(value, str) and not path.startswith(
                ("sources.", "grammar.", "screen.", "numbers."))
            and last_key(path) not in PLAIN_TEXT_KEYS | METADATA_KEYS]


def topics(locale: str = "en-US") -> list[str]:
    """What {topic} can be: how an outcome names the answer that decided it."""
    return [entry["say"] for entry in speech.load_content(locale)["triage"]["topics"].values()]


def signs(locale: str = "en-US") -> str:
    """What {signs} can be at its longest: every emergency sign's short name, as a list."""
    content = speech.load_content(locale)
    shorts = [entry["short"] for entry in content["triage"]["questions"].values()
              if "short" in entry]
    return f"{', '.join(shorts[:-1])}, {content['words']['or']} {shorts[-1]}"


def fillings(text: str, locale: str = "en-US") -> list[dict[str, Any]]:
    if "{topic}" in text:
        return [{**VALUES, "topic": topic} for topic in topics(locale)]
    if "{signs}" in text or "{Signs}" in text:
        listed = signs(locale)
        return [{**VALUES, "signs": listed, "Signs": listed[:1].upper() + listed[1:]}]
    return [VALUES]


def rendered_strings(locale: str = "en-US") -> Iterator[Rendered]:
    for path, text in spoken_strings(locale):
        for values in fillings(text, locale):
            for subject in SUBJECTS:
                for rate in range(len(RATES)):
                    for slower in (False, True):
                        line = voice(subject, rate, locale).render(text, slower, **values)
                        ssml = "<speak>" + speech.join([line]) + "</speak>"
                        yield Rendered(locale, path, subject, rate, slower, ssml)


def expected_count(locale: str = "en-US") -> int:
    """How many renders rendered_strings() must yield, counted independently of it."""
    per_variant = len(SUBJECTS) * len(RATES) * 2
    return sum(len(fillings(text, locale)) for _, text in spoken_strings(locale)) * per_variant


BREAK = re.compile(r'<break time="(\d+(?:\.\d+)?)(ms|s)"')


def break_seconds(ssml: str) -> list[float]:
    return [float(n) / (1000 if unit == "ms" else 1) for n, unit in BREAK.findall(ssml)]
