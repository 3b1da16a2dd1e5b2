"""Every log the test run writes, kept together and scanned once at the end for ids and tokens.

Two kinds of log:

- in-process: ``start_capture`` puts a handler on the root logger at DEBUG, so every record of
  every library (the skill, the ASK SDK, botocore, urllib3...) from every test lands in one file;
- files written by servers the tests start (the web service, moto): ``new_file`` hands out a
  path in the same directory, ``register`` adds one written elsewhere.

``scan`` reads them all and lists each place an Alexa user, device or person id, or a token,
appears in clear. tests/conftest.py runs it when the session finishes and fails the run on a
finding. Hashed ids (the skill's ``redact`` tag, the storage key) are not ids in clear and pass.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from devkit import envelopes

PATTERNS = {
    "Alexa user id": re.compile(r"amzn1\.ask\.account\.[\w.-]*"),
    "Alexa device id": re.compile(r"amzn1\.ask\.device\.[\w.-]*"),
    "Alexa person id": re.compile(r"amzn1\.ask\.person\.[\w.-]*"),
    "bearer token": re.compile(r"\bBearer\s+[\w.~+/-]+=*", re.IGNORECASE),
    "JSON web token": re.compile(r"\beyJ[\w-]{8,}\.[\w-]{8,}"),  # Alexa's apiAccessToken shape
}
IN_PROCESS = "in-process.log"

_lock = threading.Lock()
_directory: Path | None = None
_files: list[Path] = []
_watched: set[str] = {envelopes.USER_ID, envelopes.DEVICE_ID}


def directory() -> Path:
    global _directory
    with _lock:
        if _directory is None:
            _directory = Path(tempfile.mkdtemp(prefix="back-spasm-test-logs-"))
        return _directory


def new_file(name: str) -> Path:
    """A fresh path for a server's log, scanned at the end."""
    handle, path = tempfile.mkstemp(prefix=f"{name}-", suffix=".log", dir=directory())
    os.close(handle)
    register(Path(path))
    return Path(path)


def register(path: Path) -> None:
    with _lock:
        if Path(path) not in _files:
            _files.append(Path(path))


def watch(*secrets: str) -> None:
    """Strings a test sends (tokens, ids without the usual prefix) that no log may hold."""
    with _lock:
        _watched.update(s for s in secrets if s)


def files() -> list[Path]:
    with _lock:
        return list(_files)


class _CaptureHandler(logging.FileHandler):
    """Formats everything, exceptions and stack included, as a log file would hold it."""


def collecting() -> bool:
    """Whether a test session is gathering logs (outside one, e.g. in bench/, nobody scans)."""
    return any(isinstance(h, _CaptureHandler) for h in logging.getLogger().handlers)


def start_capture() -> logging.Handler:
    """Root logger to DEBUG with a handler writing to ``in-process.log``; idempotent."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, _CaptureHandler):
            return handler
    path = directory() / IN_PROCESS
    handler = _CaptureHandler(path, encoding="utf-8", delay=False)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    register(path)
    return handler


def stop_capture() -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _CaptureHandler):
            root.removeHandler(handler)
            handler.close()


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    kind: str
    excerpt: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.kind}: {self.excerpt}"


@dataclass
class ScanResult:
    files: int
    lines: int
    bytes: int
    findings: list[Finding]

    @property
    def summary(self) -> str:
        return (f"log privacy scan: {self.files} log files, {self.lines} lines, "
                f"{self.bytes / 1024:.0f} KiB; {len(self.findings)} ids or tokens in clear")


def scan_text(text: str, watched: set[str] | None = None) -> list[tuple[int, str, str]]:
    """(line number, kind, the match) for each id or token in ``text``."""
    watched = _watched if watched is None else watched
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for kind, pattern in PATTERNS.items():
            found += [(number, kind, m.group(0)) for m in pattern.finditer(line)]
        found += [(number, "a secret a test used", s) for s in watched if s in line]
    return found


def scan(paths: list[Path] | None = None) -> ScanResult:
    paths = files() if paths is None else paths
    findings: list[Finding] = []
    lines = size = scanned = 0
    with _lock:
        watched = set(_watched)
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            continue  # a tmp_path pytest already removed: nothing to leak any more
        scanned += 1
        size += len(text.encode("utf-8", "replace"))
        lines += text.count("\n")
        findings += [Finding(str(path), n, kind, match[:120])
                     for n, kind, match in scan_text(text, watched)]
    return ScanResult(scanned, lines, size, findings)


def kept_directory() -> Path | None:
    with _lock:
        return _directory


def remove_directory() -> None:
    """After a clean scan: the collected copies are no longer needed."""
    global _directory
    with _lock:
        if _directory is not None:
            shutil.rmtree(_directory, ignore_errors=True)
            _directory = None
