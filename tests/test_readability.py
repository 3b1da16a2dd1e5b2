"""Plain words: everything the skill says reads at US grade 8 or below, offline.

English: Flesch-Kincaid grade level; Spanish: Crawford's grade level for Spanish (1984), both on
each content entry as spoken (placeholders filled for "you"), entries of eight words or more
(shorter ones are names, labels, or a few words: the formulas mean nothing there). Syllables
come from pyphen's hyphenation dictionaries (LibreOffice's, shipped in the wheel), raised to
the number of vowel groups where a dictionary leaves a word whole.
"""
from __future__ import annotations

import re
import statistics

import pyphen
import pytest

from support.spoken import LOCALES, spoken_strings, voice

MAX_GRADE = 8.0
MIN_WORDS = 8
DICTIONARY = {"en-US": "en_US", "es-US": "es"}
VOWELS = {"en-US": "aeiouy", "es-US": "aeiouáéíóúü"}
VALUES = dict(topic="a fall", signs="a fever", number="3", total="8", days="7",
              weekday="Monday", month="May", day="3")


def syllables(word: str, dictionary: pyphen.Pyphen, locale: str) -> int:
    parts = len(dictionary.inserted(word).split("-"))
    groups = len(re.findall(f"[{VOWELS[locale]}]+", word))
    if locale == "en-US" and word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1  # a silent final e
    return max(parts, groups, 1)


def grade(text: str, locale: str, dictionary: pyphen.Pyphen) -> float:
    words = re.findall(r"[a-záéíóúüñ']+", text.lower())
    sentences = max(1, len(re.findall(r"[.?!]+", text)))
    per_word = sum(syllables(w, dictionary, locale) for w in words) / len(words)
    if locale == "en-US":  # Flesch-Kincaid
        return 0.39 * len(words) / sentences + 11.8 * per_word - 15.59
    # Crawford: sentences and syllables per hundred words
    return -0.205 * 100 * sentences / len(words) + 0.049 * 100 * per_word - 3.407


def test_the_formulas_tell_plain_from_hard():
    english = pyphen.Pyphen(lang="en_US")
    assert grade("Lie on your back. Bend your knees.", "en-US", english) < 2
    assert grade("Electrolyte abnormalities precipitate involuntary paraspinal muscular "
                 "contractions.", "en-US", english) > 14
    spanish = pyphen.Pyphen(lang="es")
    assert grade("Acuéstese boca arriba. Doble las rodillas.", "es-US", spanish) < 4
    assert grade("Las alteraciones electrolíticas precipitan contracciones musculares "
                 "involuntarias paraespinales.", "es-US", spanish) > 8


@pytest.mark.parametrize("locale", LOCALES)
def test_every_entry_reads_at_grade_8_or_below(locale):
    dictionary = pyphen.Pyphen(lang=DICTIONARY[locale])
    speaker = voice("you", locale=locale)
    graded = []
    for path, text in spoken_strings(locale):
        plain = speaker.render(text, **VALUES).plain
        if len(plain.split()) >= MIN_WORDS:
            graded.append((grade(plain, locale, dictionary), path, plain))
    assert len(graded) > 100, "the walk must reach the content"
    print(f"\n{locale}: {len(graded)} entries, grade median "
          f"{statistics.median(g for g, _, _ in graded):.1f}, highest "
          f"{max(graded)[0]:.1f} ({max(graded)[1]})")
    hard = [f"{g:.1f} {path}: {plain}" for g, path, plain in graded if g > MAX_GRADE]
    assert not hard, "\n".join(hard)
