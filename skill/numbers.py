"""Spoken numbers: real Alexa sends AMAZON.NUMBER as digits, test clients as words.

The words are data, each content file's `numbers` (see skill/content/en-US.yaml), read once
for every locale the content folder holds. A word of any locale is accepted whatever the
request's locale, as Alexa's digits are: the tables agree, or loading fails.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from . import speech

KEY = "numbers"


def parse_number(value: object) -> int | None:
    """An int from "3", "three", "third" or "3rd"; None for anything else."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    match = re.fullmatch(r"(\d{1,6})(?:st|nd|rd|th)?", text)
    if match:
        return int(match.group(1))
    return words().get(text)


@lru_cache(maxsize=None)
def words() -> Mapping[str, int]:
    """Every locale's number words and their values (skill/app.py loads them at start-up)."""
    found: dict[str, tuple[int, str]] = {}
    for locale in sorted(speech.available_locales()):
        for word, number in locale_words(locale).items():
            earlier = found.setdefault(word, (number, locale))
            if earlier[0] != number:
                raise speech.ContentError(
                    f"{speech.content_file(locale)}: {KEY} reads {word!r} as {number}, but "
                    f"{earlier[1]}'s content as {earlier[0]}; a word must mean one number")
    return MappingProxyType({word: number for word, (number, _) in found.items()})


def locale_words(locale: str) -> dict[str, int]:
    return content_words(speech.load_content(locale), speech.content_file(locale))


def content_words(content: Mapping, path: object) -> dict[str, int]:
    """A content file's number words: `units` from zero up, in order; `ordinals` by value."""
    table = content.get(KEY)
    where = f"{path}: {KEY}"
    units = table.get("units") if isinstance(table, Mapping) else None
    ordinals = table.get("ordinals") if isinstance(table, Mapping) else None
    if not isinstance(units, list) or not units or not all(isinstance(w, str) for w in units):
        raise speech.ContentError(f"{where}.units must list the number words from zero up, "
                                  "in order (zero, one, two, ...)")
    if not isinstance(ordinals, Mapping) or not ordinals or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in ordinals.values()):
        raise speech.ContentError(f"{where}.ordinals must map each ordinal word to its number "
                                  "(first: 1, second: 2, ...)")
    return {**{word.lower(): number for number, word in enumerate(units)},
            **{str(word).lower(): number for word, number in ordinals.items()}}
