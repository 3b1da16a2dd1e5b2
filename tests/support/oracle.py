"""Rules for a whole response, beyond conftest.check_reply: Alexa's limits, and no hidden crash.

Shared by the fuzzer and the state-by-intent sweep.
"""
from __future__ import annotations

import logging
import re

from devkit.client import Reply

MAX_SPEECH_CHARS = 8000  # Alexa refuses a longer outputSpeech
MAX_RESPONSE_BYTES = 24 * 1024  # Alexa's documented limit for a whole response
MAX_BREAK_MS = 10_000
_BREAK = re.compile(r'<break\b[^>]*\btime="(\d+(?:\.\d+)?)(ms|s)"')


def break_problems(ssml: str) -> list[str]:
    problems = []
    for amount, unit in _BREAK.findall(ssml):
        ms = float(amount) * (1000 if unit == "s" else 1)
        if ms > MAX_BREAK_MS:
            problems.append(f"a {ms / 1000:g} s pause")
    return problems


def check_limits(reply: Reply, body_bytes: int) -> None:
    assert body_bytes <= MAX_RESPONSE_BYTES, f"response of {body_bytes} bytes"
    for ssml in (reply.ssml, reply.reprompt_ssml):
        assert len(ssml) <= MAX_SPEECH_CHARS, f"speech of {len(ssml)} characters"
        assert not break_problems(ssml), break_problems(ssml)


def asked_permission(reply: Reply) -> bool:
    """The reminder flow answers with Alexa's own permission prompt instead of speech."""
    directives = reply.response.get("directives") or ()
    return any(d.get("type") == "Connections.SendRequest" for d in directives)


class ErrorLog(logging.Handler):
    """What the catch-all exception handler logs: a crash it hid is still a crash."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.errors: list[str] = []

    def emit(self, record):
        self.errors.append(record.getMessage())


class watch_errors:
    """Context manager: the skill logger's errors in `.errors`; other records dropped.

    Warnings (an unreadable envelope, a failed reminder) are expected by the thousand
    in a fuzz or sweep; keeping them out of pytest's log capture keeps the memory flat.
    """

    def __enter__(self) -> ErrorLog:
        self.logger = logging.getLogger("skill")
        self.handler, self.level = ErrorLog(), self.logger.level
        self.logger.addHandler(self.handler)
        self.logger.setLevel(logging.ERROR)
        return self.handler

    def __exit__(self, *exc) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(self.level)
