"""Spoken numbers: real Alexa sends AMAZON.NUMBER as digits, test clients as words."""
from __future__ import annotations

import re

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()
_ORDINALS = ("zeroth first second third fourth fifth sixth seventh eighth ninth tenth").split()
# Spanish (es-US): "paso tres", "el tercer paso".
_ES_UNITS = ("cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
             "quince dieciséis diecisiete dieciocho diecinueve veinte").split()
_ES_ORDINALS = {"primero": 1, "primer": 1, "segundo": 2, "tercero": 3, "tercer": 3, "cuarto": 4,
                "quinto": 5, "sexto": 6, "séptimo": 7, "octavo": 8, "noveno": 9, "décimo": 10}
WORDS = {**{w: i for i, w in enumerate(_UNITS)}, **{w: i for i, w in enumerate(_ORDINALS)},
         **{w: i for i, w in enumerate(_ES_UNITS)}, **_ES_ORDINALS}


def parse_number(value: object) -> int | None:
    """An int from "3", "three", "third" or "3rd"; None for anything else."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    match = re.fullmatch(r"(\d{1,6})(?:st|nd|rd|th)?", text)
    if match:
        return int(match.group(1))
    return WORDS.get(text)
