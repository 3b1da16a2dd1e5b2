"""Everything the skill says: content loaded once, variants, pronouns, SSML.

Content files (skill/content/<locale>.yaml) hold plain text with a little
markup, so writers never touch SSML and nothing can break it:

- {they} {their} {are} ... and their capitalised forms ({They}): grammar for
  the person the questions are about ("you" for the user, "he", "she" or
  "they" for a caregiver's patient). Each content file declares its own words
  under `grammar` (English needs {are} and {have}; Spanish, where "usted" takes
  the same verb as "él", needs none of those but a pronoun for commands);
- {clinic} {emergency} {url} and any value a handler passes: plain text;
- [phone]: the clinic number, read digit by digit;
- [digits 911]: a number read digit by digit (usually [digits {emergency}]);
- [pause 4s]: a pause of at most 10 seconds;
- *next*: a phrase the user can say (rendered as plain words; the tests
  check that every one is a sample in the interaction model).

An entry is a string, a list of variants, or a mapping with `say` (variants),
optionally `other` (variants for a caregiver, when the sentence itself must
change, e.g. "Lie on your back" -> "Help him lie on his back"), `source`
(where a fact comes from) and `pace: slower` (spoken one notch slower).
"""
from __future__ import annotations

import json
import os
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from collections.abc import Iterable, Mapping  # not typing's: isinstance() on those is slow
from typing import Any

from .state import DEFAULT_RATE, RATES

# Where locales are read from: the folder holding skill/ (this repository, or the Lambda zip)
# unless SKILL_LOCALE_ROOT names another laid out the same way (skill/content/,
# interaction_models/, tests/data/locales/): a locale can then be tried without touching the
# repository, as tests/test_new_locale.py does. Read once, at import, like the content.
LOCALE_ROOT_ENV = "SKILL_LOCALE_ROOT"
LOCALE_ROOT = Path(os.environ.get(LOCALE_ROOT_ENV) or Path(__file__).resolve().parents[1])
CONTENT_DIR = LOCALE_ROOT / "skill" / "content"
MAX_PAUSE_SECONDS = 10.0

_PAUSE = re.compile(r"\[pause (\d+(?:\.\d+)?)s\]")
_SUGGESTION = re.compile(r"\*([^*]+)\*")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_DIGITS = re.compile(r"\[digits ([^\]]+)\]")
DEFAULT_LOCALE = "en-US"


class ContentError(ValueError):
    """A content file lacks what the skill needs; the message names the file and the key."""


def grammar(content: Mapping[str, Any], subject: str) -> Mapping[str, str]:
    """The content file's words for one person, with capitalised forms ({They})."""
    words = content["grammar"][subject]
    return MappingProxyType({**words, **{k.capitalize(): v.capitalize() for k, v in words.items()}})


def load_content(locale: str | None = DEFAULT_LOCALE,
                 fallback: str = DEFAULT_LOCALE) -> dict[str, Any]:
    """The content for a locale (see resolve_locale), parsed once."""
    return _parse(resolve_locale(locale, fallback))


@lru_cache(maxsize=128)
def resolve_locale(locale: str | None, fallback: str = DEFAULT_LOCALE) -> str:
    """The content file a request's locale speaks from: its own; else one of the same
    language, the US one first (es-MX -> es-US); else the fallback's; else en-US."""
    available = {name.lower(): name for name in available_locales()}
    for wanted in (locale, fallback):
        if not isinstance(wanted, str) or not wanted:
            continue
        if wanted.lower() in available:
            return available[wanted.lower()]
        language = wanted.split("-")[0].lower()
        same = sorted(name for key, name in available.items() if key.split("-")[0] == language)
        if same:
            return available.get(f"{language}-us", same[0])
    return DEFAULT_LOCALE


@lru_cache(maxsize=None)
def available_locales() -> frozenset[str]:
    return frozenset(p.stem for pattern in ("*.yaml", "*.json") for p in CONTENT_DIR.glob(pattern))


def content_file(locale: str) -> Path:
    """The file a locale's content is read from, for loading and for error messages."""
    # The Lambda zip carries the content compiled to JSON (deploy/package.py): a cold
    # start then parses JSON and never imports PyYAML, which costs more than the parse.
    compiled = CONTENT_DIR / f"{locale}.json"
    return compiled if compiled.is_file() else CONTENT_DIR / f"{locale}.yaml"


@lru_cache(maxsize=None)
def _parse(locale: str) -> dict[str, Any]:
    path = content_file(locale)
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    import yaml

    # libyaml's loader is about forty times faster than the pure-Python one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader


def lookup(content: Mapping[str, Any], key: str) -> Any:
    node: Any = content
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(f"no content at {key!r}")
        node = node[part]
    return node


def variants(entry: Any, caregiver: bool = False) -> list[str]:
    """The interchangeable wordings of one entry."""
    if isinstance(entry, Mapping):
        chosen = entry.get("other") if caregiver and "other" in entry else entry["say"]
        return variants(chosen)
    if isinstance(entry, str):
        return [entry]
    return [str(item) for item in entry]


def suggestions(text: str) -> list[str]:
    """The phrases a text tells the user they can say."""
    return [s.strip().lower() for s in _SUGGESTION.findall(text)]


@dataclass(frozen=True)
class Line:
    """One rendered piece of speech, and the speech rate (index into RATES) to say it at."""
    ssml: str
    plain: str
    rate: int = DEFAULT_RATE


class Voice:
    """Speaks content for one request: one locale, one subject, one set of clinic facts."""

    def __init__(self, content: Mapping[str, Any], values: Mapping[str, str], phone: str,
                 subject: str = "you", rate: int = DEFAULT_RATE,
                 rng: random.Random | None = None):
        self.content = content
        self.subject = subject
        self.rate = rate
        self.values = {**values, **grammar(content, subject)}
        self.phone = phone
        self.rng = rng or random

    def entry(self, key: str) -> Any:
        return lookup(self.content, key)

    def line(self, key: str, **values: Any) -> Line:
        entry = self.entry(key)
        text = self.rng.choice(variants(entry, caregiver=self.subject != "you"))
        slower = isinstance(entry, Mapping) and entry.get("pace") == "slower"
        return self.render(text, slower, **values)

    def render(self, text: str, slower: bool = False, **values: Any) -> Line:
        rate = max(0, self.rate - 1) if slower else self.rate
        ssml, plain = _rendered(self.fill(text, values), rate, self.phone)
        return Line(ssml=ssml, plain=plain, rate=rate)

    def fill(self, text: str, values: Mapping[str, Any]) -> str:
        known = {**self.values, **{k: str(v) for k, v in values.items()}} if values else self.values
        return _PLACEHOLDER.sub(lambda m: known.get(m.group(1), m.group(0)), text)

    def listing(self, items: list[str]) -> str:
        """Items as one spoken list, "a, b, or c", with the language's "or" (words.or)."""
        if len(items) < 2:
            return "".join(items)
        return f"{', '.join(items[:-1])}, {self.entry('words.or')} {items[-1]}"

    def to_ssml(self, text: str, rate: int = DEFAULT_RATE) -> str:
        return _to_ssml(text, rate, self.phone)

    def to_plain(self, text: str) -> str:
        return _to_plain(text, self.phone)


# A filled-in text always renders the same way, and a skill says the same few hundred texts
# again and again: render each once per process (bounded, so memory stays flat).
@lru_cache(maxsize=1024)
def _rendered(filled: str, rate: int, phone: str) -> tuple[str, str]:
    return _to_ssml(filled, rate, phone), _to_plain(filled, phone)


def _to_ssml(text: str, rate: int, phone: str) -> str:
    ssml = _escape(text)
    ssml = _SUGGESTION.sub(r"\1", ssml)
    ssml = _PAUSE.sub(lambda m: _break(float(m.group(1)), rate), ssml)
    ssml = _DIGITS.sub(lambda m: phone_ssml(m.group(1)), ssml)
    return ssml.replace("[phone]", phone_ssml(phone))


def _to_plain(text: str, phone: str) -> str:
    plain = _SUGGESTION.sub(r"\1", text)
    plain = _DIGITS.sub(r"\1", _PAUSE.sub("", plain)).replace("[phone]", phone)
    return re.sub(r"\s+", " ", plain).strip()


def _escape(text: str) -> str:
    # html.escape(text, quote=False), without importing the html package (and its
    # 2,000-entry entity table) at every cold start.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _break(seconds: float, rate: int) -> str:
    # Slower speech stretches pauses too (a quarter per notch), within Alexa's 10 s limit.
    stretched = min(seconds * (1 + 0.25 * (DEFAULT_RATE - rate)), MAX_PAUSE_SECONDS)
    return f'<break time="{int(stretched * 1000)}ms"/>'


def phone_ssml(phone: str) -> str:
    """A phone number read digit by digit, group by group, never as a cardinal."""
    groups = [g for g in re.split(r"\D+", phone) if g]
    spoken = '<break time="300ms"/>'.join(
        f'<say-as interpret-as="digits">{g}</say-as>' for g in groups)
    return spoken or _escape(phone)


def join(lines: Iterable[Line]) -> str:
    """SSML for a response: each line wrapped in its own rate, never nested."""
    parts = [
        line.ssml if line.rate == DEFAULT_RATE
        else f'<prosody rate="{RATES[line.rate]}">{line.ssml}</prosody>'
        for line in lines if line.ssml
    ]
    return " ".join(parts)


def join_plain(lines: Iterable[Line]) -> str:
    return " ".join(line.plain for line in lines if line.plain)
