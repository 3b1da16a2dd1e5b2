"""Refuses a request Alexa already sent: the same request id twice within its timestamp window.

Alexa's own rules stop a replay only once the timestamp is 150 s old (an hour for skill
events): within that window, a captured body and its signature would pass every other check
again. Alexa gives each request a unique ``requestId`` and never resends one, and the signature
covers the body, so the id cannot be changed without breaking it. This verifier remembers the
ids of requests that passed every other check until the timestamp check would refuse them anyway,
and refuses one seen before.

Kept in this process's memory: enough for one service process (which is how the service runs,
with threads); several processes behind one name would each keep their own.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from ask_sdk_webservice_support.verifier import AbstractVerifier, VerificationException
from ask_sdk_webservice_support.verifier_constants import (
    ALEXA_SKILL_EVENT_LIST, MAX_NORMAL_REQUEST_TOLERANCE_IN_MILLIS,
    MAX_SKILL_EVENT_TOLERANCE_IN_MILLIS)

NORMAL_WINDOW_S = MAX_NORMAL_REQUEST_TOLERANCE_IN_MILLIS / 1000
EVENT_WINDOW_S = MAX_SKILL_EVENT_TOLERANCE_IN_MILLIS / 1000
# About 30 requests a second, sustained for the whole 150 s window, before the oldest ids are
# dropped (and, only then, could be replayed until their window ends). A few MiB at most.
MAX_ENTRIES = 5000


class ReplayGuard(AbstractVerifier):
    """Put it after the signature, timestamp and skill id checks, so only real requests count."""

    def __init__(self, max_entries: int = MAX_ENTRIES, clock: Callable[[], float] = time.time):
        self.max_entries = max_entries
        self.clock = clock
        self.refused = 0
        self._seen: OrderedDict[str, float] = OrderedDict()  # id -> when its window ends
        self._lock = threading.Lock()

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        request = getattr(deserialized_request_env, "request", None)
        request_id = getattr(request, "request_id", None)
        if not isinstance(request_id, str) or not request_id:
            raise VerificationException("request has no request id")
        stamp = getattr(request, "timestamp", None)
        window = EVENT_WINDOW_S if getattr(request, "object_type", None) in ALEXA_SKILL_EVENT_LIST \
            else NORMAL_WINDOW_S
        now = self.clock()
        sent = stamp.timestamp() if stamp is not None and hasattr(stamp, "timestamp") else now
        with self._lock:
            self._forget_expired(now)
            if request_id in self._seen:
                self.refused += 1
                raise VerificationException("request id already seen (a replay)")
            # Until then the timestamp check lets the same body through; after it, it refuses.
            self._seen[request_id] = max(sent, now) + window
            while len(self._seen) > self.max_entries:
                self._seen.popitem(last=False)

    def _forget_expired(self, now: float) -> None:
        # Mostly in expiry order (ids arrive in time order); stops at the first live one.
        while self._seen:
            request_id, until = next(iter(self._seen.items()))
            if until > now:
                return
            del self._seen[request_id]

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)
