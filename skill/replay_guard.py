"""Whether SSML handed back in the session may be replayed on "repeat".

The skill keeps its last words in session attributes, and the client sends
them back. Replayed as they come, a forged or damaged value would reach the
person as broken SSML, a minute of silence, an audio clip from anywhere, or a
prompt that asks nothing while the microphone stays open. So a value is
replayed only if it looks like something this skill says: well-formed, a
<speak> root, the few tags the skill uses, pauses within Alexa's 10 s, within
Alexa's 8,000 characters, and ending on a question.
"""
from __future__ import annotations

import re
import threading

MAX_CHARS = 8000
MAX_BREAK_MS = 10_000
OWN_TAGS = frozenset({"speak", "break", "prosody", "say-as"})
_BREAK_TIME = re.compile(r"(\d+(?:\.\d+)?)(ms|s)")

# What this process said last, so the next turn's check is a lookup, not an XML parse (that
# parse cost more than the rest of a turn). Bounded; a turn that reaches another process
# (a fresh Lambda container) is simply parsed.
REMEMBERED = 512
_said: dict[str, None] = {}
_said_lock = threading.Lock()


def remember(ssml: str) -> None:
    """Note SSML this skill has just said: it may be replayed without parsing it again."""
    with _said_lock:
        _said.pop(ssml, None)
        _said[ssml] = None
        if len(_said) > REMEMBERED:
            del _said[next(iter(_said))]


def replayable(ssml: object) -> bool:
    if not isinstance(ssml, str) or len(ssml) > MAX_CHARS:
        return False
    if ssml in _said:
        return True
    import xml.etree.ElementTree as ET  # not at start-up: a launch has nothing to check

    try:
        root = ET.fromstring(ssml)
    except ET.ParseError:
        return False
    if root.tag != "speak":
        return False
    for element in root.iter():
        if element.tag not in OWN_TAGS:
            return False
        if element.tag == "break" and not _short_pause(element.get("time", "")):
            return False
    return "".join(root.itertext()).rstrip().endswith("?")


def _short_pause(time: str) -> bool:
    match = _BREAK_TIME.fullmatch(time)
    if match is None:
        return False
    ms = float(match.group(1)) * (1 if match.group(2) == "ms" else 1000)
    return ms <= MAX_BREAK_MS
