"""The embedded store for the chat and the web service: one SQLite file.

Safe with several threads (a connection per thread) and several processes
(WAL journal, a busy timeout, and single-statement upserts).
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

from ..identity import user_key

_SET_UP_LOCK = threading.Lock()

SCHEMA = """
CREATE TABLE IF NOT EXISTS memory (
    id TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    expires_at INTEGER NOT NULL
)
"""


class SQLiteAdapter(AbstractPersistenceAdapter):
    def __init__(self, path: Path | str, ttl_days: int = 30, busy_timeout_s: float = 2.0):
        self.path = Path(path)
        self.ttl_seconds = ttl_days * 24 * 60 * 60
        self.busy_timeout_s = busy_timeout_s
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=self.busy_timeout_s,
                                         isolation_level=None)  # autocommit: one statement each
            self._set_up(connection)
            self._local.connection = connection
        return connection

    def _set_up(self, connection: sqlite3.Connection) -> None:
        # Switching to WAL and creating the table take locks for which SQLite does not always
        # wait on the busy timeout: when several threads or processes open a new file at once,
        # one of them can get "database is locked" at once. So the set-up is retried, within
        # the same time budget as an ordinary busy wait.
        deadline = time.monotonic() + self.busy_timeout_s
        while True:
            try:
                with _SET_UP_LOCK:  # threads of one process take turns; processes retry
                    connection.execute("PRAGMA journal_mode=WAL")
                    # No fsync at every commit (WAL's NORMAL): the file cannot be corrupted, and
                    # a power cut may lose the last few writes of a visit count or a relief step.
                    # FULL made each session's first turn wait on the disk, under a lock.
                    connection.execute("PRAGMA synchronous=NORMAL")
                    connection.execute(SCHEMA)
                return
            except sqlite3.OperationalError:
                if time.monotonic() >= deadline:
                    connection.close()
                    raise
                time.sleep(0.02)

    def _run(self, sql: str, *params: Any) -> list[tuple]:
        try:
            return self._connection().execute(sql, params).fetchall()
        except (sqlite3.Error, OSError) as error:
            raise PersistenceException(
                f"SQLite store failed: {type(error).__name__}: {error}") from error

    def get_attributes(self, request_envelope) -> dict:
        rows = self._run("SELECT attributes FROM memory WHERE id = ? AND expires_at > ?",
                         user_key(request_envelope), int(time.time()))
        if not rows:
            return {}
        try:
            data = json.loads(rows[0][0])
        except ValueError:
            return {}  # a damaged row is treated as no memory, never as a crash
        return data if isinstance(data, dict) else {}

    def save_attributes(self, request_envelope, attributes: dict) -> None:
        self._run("INSERT INTO memory (id, attributes, expires_at) VALUES (?, ?, ?) "
                  "ON CONFLICT(id) DO UPDATE SET attributes = excluded.attributes, "
                  "expires_at = excluded.expires_at",
                  user_key(request_envelope), json.dumps(attributes, sort_keys=True),
                  int(time.time()) + self.ttl_seconds)

    def delete_attributes(self, request_envelope) -> None:
        self._run("DELETE FROM memory WHERE id = ?", user_key(request_envelope))
