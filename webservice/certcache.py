"""Signing certificates whose chains passed validation, kept by chain URL.

Alexa signs with one certificate for weeks, so most requests need no download and no chain
validation. An entry lives until the first certificate of its chain expires, and at most
``max_age`` seconds (so a revoked or replaced chain is picked up again within that time).
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any
from collections.abc import Callable

MAX_AGE_S = 6 * 3600
MAX_ENTRIES = 16


class CertificateCache:
    def __init__(self, max_age: float = MAX_AGE_S, max_entries: int = MAX_ENTRIES,
                 clock: Callable[[], float] = time.time):
        self.max_age = max_age
        self.max_entries = max_entries
        self.clock = clock
        self.downloads = 0
        self._entries: OrderedDict[str, tuple[Any, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str) -> Any | None:
        with self._lock:
            entry = self._entries.get(url)
            if entry is None:
                return None
            if self.clock() >= entry[1]:
                del self._entries[url]
                return None
            self._entries.move_to_end(url)
            return entry[0]

    def put(self, url: str, certificate: Any, not_after: float) -> None:
        """``not_after``: when the chain's first certificate expires (seconds since the epoch)."""
        expires = min(not_after, self.clock() + self.max_age)
        with self._lock:
            self._entries[url] = (certificate, expires)
            self._entries.move_to_end(url)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def count_download(self) -> None:
        with self._lock:
            self.downloads += 1

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
