"""A locale is data: a throwaway locale, made at test time from en-US's files alone, is swept
like the real ones with no code change.

The test writes exactly the files README's "Adding a locale" lists (NEW_LOCALE_FILES) into a
temporary folder laid out like the repository, beside copies of the real locales' files,
points the skill at it with SKILL_LOCALE_ROOT (skill/speech.py), and runs, in a fresh Python,
the state sweep, the conversations, the number words, the content and the model tests on the
new locale alone. Its language, xx, has no other locale to fall back on, and its number words
are en-US's renamed: a per-locale fact still kept in code for en-US or es-US (a table of
words, a dictionary of expectations, a list of locales) fails or leaves a test unrun here.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from skill import numbers, speech
from support import locales

NEW = "xx-XX"
SOURCE = "en-US"
# Every file a new locale needs, besides its entries in skill.json (test_manifest.py checks
# those against interaction_models/); README's "Adding a locale" lists the same.
NEW_LOCALE_FILES = ("skill/content/{locale}.yaml", "interaction_models/{locale}.json",
                    "tests/data/locales/{locale}.yaml")
SWEPT = ("tests/test_state_sweep.py", "tests/test_conversations.py",
         "tests/test_bad_input.py::test_numbers_as_digits_or_words", "tests/test_content.py",
         "tests/test_model.py")


def renamed(word: str) -> str:
    return f"{word}{NEW[:2]}"  # "five" -> "fivexx": a word no table in code holds


def make_locale(root: Path) -> None:
    """The real locales' files under `root`, and NEW made from SOURCE's."""
    for pattern in NEW_LOCALE_FILES:
        for path in (ROOT / pattern.format(locale="x")).parent.glob(
                "*" + Path(pattern).suffix):
            target = root / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    content_file, model_file, data_file = (root / p.format(locale=NEW) for p in NEW_LOCALE_FILES)
    shutil.copyfile(root / NEW_LOCALE_FILES[1].format(locale=SOURCE), model_file)

    content = yaml.safe_load(speech.content_file(SOURCE).read_text(encoding="utf-8"))
    table = content["numbers"]
    words = {*table["units"], *table["ordinals"]}
    table["units"] = [renamed(w) for w in table["units"]]
    table["ordinals"] = {renamed(w): n for w, n in table["ordinals"].items()}
    content_file.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")

    data = yaml.safe_load(locales.data_file(SOURCE).read_text(encoding="utf-8"))
    data["numbers"]["steps"] = {renamed(s) if s in words else s: n
                                for s, n in data["numbers"]["steps"].items()}
    slots = data["sweep"]["slot_values"]
    slots["step_number"] = [renamed(s) if s in words else s for s in slots["step_number"]]
    data_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_locale_made_from_data_alone_is_swept_like_the_others(tmp_path):
    make_locale(tmp_path / "root")
    report = tmp_path / "report.xml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", NEW,
         f"--junitxml={report}", *SWEPT],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
        env={**os.environ, speech.LOCALE_ROOT_ENV: str(tmp_path / "root")})
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    ran: dict[str, int] = {}
    for case in ET.parse(report).iter("testcase"):
        assert NEW in case.get("name"), case.get("name")
        assert not list(case), f"{case.get('name')}: skipped or failed"
        ran[case.get("classname").rsplit(".", 1)[-1]] = ran.get(
            case.get("classname").rsplit(".", 1)[-1], 0) + 1
    # Every swept file ran on the new locale: a test still looping over its own list of
    # locales would be deselected here, and this would say which.
    assert set(ran) == {Path(s.split("::")[0]).stem for s in SWEPT}, ran
    assert "state sweep:" in run.stdout and f"{NEW}/medium" in run.stdout


def test_the_readme_lists_the_files_a_new_locale_needs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Adding a locale\n(.*?)(?=^## )", text, re.S | re.M)
    assert section, 'README.md has no "## Adding a locale" section'
    listed = section.group(1)
    for pattern in NEW_LOCALE_FILES:
        assert pattern.format(locale="<locale>") in listed, pattern
    assert "skill.json" in listed and speech.LOCALE_ROOT_ENV in listed


@pytest.mark.parametrize("locale", locales.LOCALES)
def test_every_locale_has_test_data_with_every_section(locale):
    # The same sections, and the same keys in each, as the default locale's file: a test
    # reading one the new locale lacks would fail on a KeyError far from the cause.
    def keys(node, path=""):
        if not isinstance(node, dict) or path in ("persons.resolves", "numbers.steps"):
            return {path}
        return {k for key, value in node.items() for k in keys(value, f"{path}.{key}".lstrip("."))}
    assert keys(locales.expected(locale)) == keys(locales.expected(speech.DEFAULT_LOCALE))


def test_a_content_file_without_number_words_is_refused_naming_file_and_key():
    content = speech.load_content(SOURCE)
    for key in ("units", "ordinals"):
        table = {k: v for k, v in content[numbers.KEY].items() if k != key}
        with pytest.raises(speech.ContentError, match=rf"zz-ZZ\.yaml: numbers\.{key} must"):
            numbers.content_words({**content, numbers.KEY: table}, "zz-ZZ.yaml")
    with pytest.raises(speech.ContentError, match=r"zz-ZZ\.yaml: numbers\.units must"):
        numbers.content_words({"words": {}}, "zz-ZZ.yaml")


def test_two_locales_reading_one_word_as_different_numbers_are_refused(monkeypatch):
    tables = {"aa-AA": {"nil": 0, "one": 1}, "bb-BB": {"one": 0, "two": 2}}
    monkeypatch.setattr(speech, "available_locales", lambda: frozenset(tables))
    monkeypatch.setattr(numbers, "locale_words", tables.get)
    with pytest.raises(speech.ContentError, match=r"bb-BB\.yaml: numbers reads 'one' as 0, "
                                                  r"but aa-AA's content as 1"):
        numbers.words.__wrapped__()
