"""`ask dialog --replay` files: the scripted conversations, and the held-out NLU rows.

ask-cli's replay format (lib/model/dialog-replay-file.js): skillId, locale, type "text", and
userInput, typed lines in order. Only the first line opens a new session; after that the CLI
starts one only when the skill ends its session, and ".quit" ends the replay (and writes the
--save-skill-io file; without it the CLI would wait for typing).

Each held-out row gets a session of its own, so no row is read in another row's context: the
skill is opened, the row said, and the session closed with the locale's "stop". A row that
opens the skill itself (LaunchRequest) is said in place of the opening.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tools.nlu_eval.heldout import Row

from .scripts import Conversation, Typist

QUIT = ".quit"
STOP = "AMAZON.StopIntent"
LAUNCH = "LaunchRequest"


@dataclass(frozen=True)
class Line:
    said: str
    row: Row | None = None  # the held-out row this line says; None for an opening or a stop


def replay_file(skill_id: str, locale: str, lines: list[str]) -> dict:
    blank = [index for index, line in enumerate(lines) if not line.strip()]
    if blank:  # the CLI refuses the whole file for one
        raise ValueError(f"replay lines {blank} are empty")
    return {"skillId": skill_id, "locale": locale, "type": "text", "userInput": [*lines, QUIT]}


def for_conversation(conversation: Conversation, skill_id: str) -> dict:
    return replay_file(skill_id, conversation.locale, [t.said for t in conversation.turns])


def nlu_lines(rows: list[Row], typist: Typist) -> list[Line]:
    stop = typist.type(STOP, {})
    lines: list[Line] = []
    for row in rows:
        if row.intent != LAUNCH:
            lines.append(Line(typist.open))
        lines += [Line(row.say.strip(), row), Line(stop)]
    return lines


def write(path: Path, replay: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(replay, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
