"""What the clinic may count: one line a request, aggregate numbers only.

Each request ends in one JSON line (the skill's one log line a request). On Lambda, with
METRICS_NAMESPACE set, it is written to standard output in CloudWatch's Embedded Metric Format,
and CloudWatch Logs turns its numbers into metrics; elsewhere it is logged at INFO without the
metric directive. The line names the request type, intent and locale, and counts: never a user,
device or session id, not even hashed, because it may also say that an outcome was given, and
an outcome tied to a person (even by a hash) is health data kept per person.

Counts come from what the skill said (the content keys of the dialogue table's decision) and
from the places where something failed; pure apart from the per-request tally below.
"""
from __future__ import annotations

import json
import logging
import sys
import time
from contextvars import ContextVar
from typing import Any, Callable, Iterable

log = logging.getLogger("skill")

# Every metric, with its CloudWatch unit: template.yaml's dashboard and alarms name only these
# (tests/test_metrics.py holds them to it).
UNITS = {
    "Requests": "Count",
    "Sessions": "Count",
    "OutcomeEmergency": "Count",
    "OutcomeToday": "Count",
    "OutcomeProvider": "Count",
    "OutcomeHomeCare": "Count",
    "ReliefSteps": "Count",
    "ReliefFinished": "Count",
    "CardsSent": "Count",
    "RemindersSet": "Count",
    "ErrorsAnswered": "Count",
    "MemoryFailures": "Count",
    "Latency": "Milliseconds",
}
DIMENSION = "Service"  # one dimension, the stack's name: a dimension per fact would multiply cost

# The outcome said in full, by content key -> its tier. "outcome.before_relief" (the today
# outcome in brief, said again in full later) and "outcome.stopped_early" (the 911 signs not
# yet asked) are not outcomes of their own.
OUTCOME_TIERS = {
    "outcome.emergency": "OutcomeEmergency",
    "emergency_request": "OutcomeEmergency",  # "I can't feel my legs": 911 without the check
    "outcome.today": "OutcomeToday",
    "outcome.today_doubt": "OutcomeToday",
    "outcome.today_pregnant": "OutcomeToday",
    "outcome.provider": "OutcomeProvider",
    "outcome.provider_doubt": "OutcomeProvider",
    "outcome.home_care": "OutcomeHomeCare",
}
STEP_KEY = "relief.step_number"  # said with every relief step
FINISHED_KEYS = frozenset({"relief.finished", "relief.finished_short"})


def counts_said(keys: Iterable[str], card: bool) -> dict[str, int]:
    """The counts one response adds, from the content keys it says and whether it sends a card."""
    counts: dict[str, int] = {}
    for key in keys:
        name = OUTCOME_TIERS.get(key)
        if name is None:
            name = ("ReliefSteps" if key == STEP_KEY
                    else "ReliefFinished" if key in FINISHED_KEYS else None)
        if name is not None:
            counts[name] = counts.get(name, 0) + 1
    if card:
        counts["CardsSent"] = 1
    return counts


class Tally:
    """One request's counts, from its first interceptor to its last."""

    __slots__ = ("started", "counts", "facts")

    def __init__(self, facts: dict[str, str]) -> None:
        self.started = time.perf_counter()
        self.counts: dict[str, int] = {"Requests": 1}
        self.facts = facts  # request type, intent, locale: never an id


_current: ContextVar[Tally | None] = ContextVar("metrics_tally", default=None)


def count(name: str, amount: int = 1) -> None:
    """Add to this request's tally; nothing outside a request (tools, tests of a part)."""
    if name not in UNITS:
        raise KeyError(f"{name} is not a metric (skill/metrics.py UNITS)")
    tally = _current.get()
    if tally is not None:
        tally.counts[name] = tally.counts.get(name, 0) + amount


def count_all(counts: dict[str, int]) -> None:
    for name, amount in counts.items():
        count(name, amount)


class Recorder:
    """Starts a request's tally and writes its line; built once with the skill."""

    def __init__(self, namespace: str | None, service: str,
                 write: Callable[[str], Any] | None = None) -> None:
        self.namespace = namespace
        self.service = service
        self._write = write or _stdout_line
        self._service_json = json.dumps(service)
        self._directives: dict[tuple[str, ...], str] = {}

    def begin(self, request_type: str, intent: str | None, locale: str | None,
              new_session: bool) -> None:
        tally = Tally({"type": request_type, "intent": intent or "-", "locale": locale or "-"})
        if new_session:
            tally.counts["Sessions"] = 1
        _current.set(tally)

    def end(self) -> None:
        """Write the line of the request under way, once; nothing when none is."""
        tally = _current.get()
        if tally is None:
            return
        _current.set(None)
        if self.namespace is None:
            log.info("request %s", json.dumps(self.document(tally, 0), separators=(",", ":")))
        else:
            self._write(self.line(tally, int(time.time() * 1000)))

    def document(self, tally: Tally, now_ms: int) -> dict[str, Any]:
        """The line as data: with the metric directive when there is a namespace."""
        latency = round((time.perf_counter() - tally.started) * 1000, 2)
        document: dict[str, Any] = {**tally.facts, **tally.counts, "Latency": latency}
        if self.namespace is not None:
            document[DIMENSION] = self.service
            document["_aws"] = {"Timestamp": now_ms, "CloudWatchMetrics": [
                self._directive((*tally.counts, "Latency"))]}
        return document

    def line(self, tally: Tally, now_ms: int) -> str:
        """The document as one JSON line, built from parts: it is written on every request,
        and json.dumps of the nested document cost more than the rest of the line's work."""
        latency = round((time.perf_counter() - tally.started) * 1000, 2)
        names = (*tally.counts, "Latency")
        facts = json.dumps(tally.facts, separators=(",", ":"))[:-1]  # '{"type":...' less '}'
        counts = "".join(f',"{name}":{amount}' for name, amount in tally.counts.items())
        return (f'{facts}{counts},"Latency":{latency},"{DIMENSION}":{self._service_json},'
                f'"_aws":{{"Timestamp":{now_ms},"CloudWatchMetrics":['
                f'{self._directive_json(names)}]}}}}')

    def _directive(self, names: tuple[str, ...]) -> dict[str, Any]:
        return {"Namespace": self.namespace, "Dimensions": [[DIMENSION]],
                "Metrics": [{"Name": name, "Unit": UNITS[name]} for name in names]}

    def _directive_json(self, names: tuple[str, ...]) -> str:
        # A few sets of names recur (a "no" mid-check, a relief step): each serialised once.
        cached = self._directives.get(names)
        if cached is None:
            cached = self._directives[names] = json.dumps(self._directive(names),
                                                          separators=(",", ":"))
        return cached


def _stdout_line(line: str) -> None:
    # Straight to standard output: Lambda's JSON log format would wrap a logging record in
    # {"message": ...}, where CloudWatch no longer finds the metrics.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
