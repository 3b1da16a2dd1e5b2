"""What the tests expect of each locale, in its own words: tests/data/locales/<locale>.yaml.

Tests run over every locale the content folder holds (speech.available_locales()) and read
their per-locale expectations here, so a new locale is data files, not test code (README,
"Adding a locale"). Read from SKILL_LOCALE_ROOT's tests/data/locales/ when it is set, like
the content and the interaction models.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from skill import speech

DATA_DIR = speech.LOCALE_ROOT / "tests" / "data" / "locales"
LOCALES = sorted(speech.available_locales())


def data_file(locale: str) -> Path:
    return DATA_DIR / f"{locale}.yaml"


@lru_cache(maxsize=None)
def expected(locale: str) -> dict[str, Any]:
    """The locale's whole data file; a missing one is named, with what to do."""
    path = data_file(locale)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: every locale in {speech.CONTENT_DIR} needs "
                                "one (copy en-US.yaml and put the locale's words in)")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def section(locale: str, key: str) -> Any:
    """One section of the locale's data file ("sweep", "persons.caregiver", ...)."""
    node: Any = expected(locale)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"{data_file(locale)} has no {key!r}")
        node = node[part]
    return node
