"""Load and a database outage: 200 concurrent sessions x 20 turns through the real web service.

The service runs as in production (waitress, every request's signature, timestamp, skill id and
replay checked) with PERSISTENCE=dynamodb on a moto server over HTTP, behind the fault proxy of
tests/moto_server.py. A pool of HTTP clients (threads, one keep-alive connection each) takes the
sessions in turn, round robin, so all of them are open at once, each a different user, each a
different conversation (tests/support/load_plans.py). Every reply must be a 200 with speech whose
session holds the step and rate the conversation implies.

In the middle the database stops: connections refused, open ones dropped, for two turns of every
session, while new users start their sessions. Conversations must go on, what was done while it
was down rides in the session, and the session's one write, when it ends, saves it (README,
"Memory"): a session that stops is written then; every other one ends as when a person walks
away (a SessionEndedRequest). Then the table is read with boto3: every user's relief step,
speech rate and visits must be what the conversation implies.

p50 and p99 latencies are printed (never asserted). SOAK=1 (make soak) runs 1,000 sessions.
"""
from __future__ import annotations

import os
import random
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field

import pytest
from moto_server import TABLE, FaultProxy, Table, aws_environment, sha256
from support.figures import percentiles_ms, report
from support.conversations import walk_away
from support.load_plans import KINDS, Plan, build
from web import server as webserver
from web.bodies import SKILL_ID, assert_clean_log
from web.pki import make_pki
from web.transport import SignedTransport

from conftest import CheckedClient

pytest.importorskip("boto3")

SOAK = os.environ.get("SOAK") == "1"
SESSIONS = 1000 if SOAK else 200
LATE_SESSIONS = SESSIONS // 10  # new users who start while the database is down
TURNS = 20
OUTAGE_TURNS = (8, 10)  # the database is down for turns 8 and 9 of every session
CLIENTS = 32  # HTTP clients, each a thread with one keep-alive connection
SERVER_THREADS = 8  # waitress threads: turns wait on the database (and on retries while it is down)
SEED = 20261125


@pytest.fixture(scope="module")
def service(moto, proxy, tmp_path_factory):
    scratch = tmp_path_factory.mktemp("load")
    pki = make_pki(scratch / "pki")
    Table(moto).create()
    env = {"SKILL_ID": SKILL_ID, "DATA_DIR": str(scratch),
           "WEB_TEST_TRUST_ROOT": str(pki.root_file), "WEB_TEST_CERT_CHAIN_DIR": str(pki.chain_dir),
           "WEB_THREADS": str(SERVER_THREADS), "PERSISTENCE": "dynamodb", "TABLE_NAME": TABLE,
           **aws_environment(scratch, proxy.url)}
    server = webserver.start([], env, scratch / "server.log")
    server.pki = pki
    yield server
    server.stop()


# --- sessions and the round robin --------------------------------------------------------------


class Session:
    """One user's conversation, a turn at a time; a wrong reply ends it with the reason."""

    def __init__(self, plan: Plan, transport: SignedTransport):
        self.plan = plan
        self.client = CheckedClient(transport, user_id=plan.user)
        self.done = 0
        self.error: str | None = None

    @property
    def finished(self) -> bool:
        return self.error is not None or self.done == len(self.plan.turns)

    def take_turn(self) -> None:
        turn = self.plan.turns[self.done]
        said = "launch" if turn.intent is None else turn.intent
        try:
            reply = (self.client.launch() if turn.intent is None
                     else self.client.say(turn.intent, **turn.slots))
            assert reply.speech, "no speech"
            assert reply.ends_session == turn.ends, f"ends the session: {reply.ends_session}"
            if not turn.ends:
                state = reply.state
                assert (state.get("step"), state.get("rate")) == (turn.step, turn.rate), \
                    f"step, rate {state.get('step')}, {state.get('rate')} (wanted " \
                    f"{turn.step}, {turn.rate})"
                if turn.offers_resume:
                    assert state.get("pending") == "offer_resume", state.get("pending")
        except Exception as error:  # noqa: BLE001 - counted and described, not raised mid-load
            self.error = f"{self.plan.kind} {self.plan.user[-8:]} turn {self.done} ({said}): " \
                         f"{type(error).__name__}: {str(error)[:300]}"
        self.done += 1


@dataclass
class Run:
    """What the round robin saw: answers, latencies, and the outage as the clients met it."""
    requests: int = 0
    latencies: list[float] = field(default_factory=list)
    outage_latencies: list[float] = field(default_factory=list)
    answered_while_down: int = 0
    outage_started_at: int | None = None
    outage_ended_at: int | None = None
    seconds: float = 0.0


def run_round_robin(sessions: list[Session], late: list[Session], proxy: FaultProxy) -> Run:
    """CLIENTS threads take the next session from a queue, send its next turn, and put it back
    at the end; the database goes down after OUTAGE_TURNS[0] turns of every session (the late
    sessions join then) and comes back two rounds later."""
    run = Run()
    queue = deque(sessions)
    lock = threading.Condition()
    down_at = SESSIONS * OUTAGE_TURNS[0]
    up_at = down_at + (OUTAGE_TURNS[1] - OUTAGE_TURNS[0]) * (SESSIONS + len(late))
    open_sessions = [len(sessions) + len(late)]
    state = {"down": False}

    def worker() -> None:
        while True:
            with lock:
                while not queue and open_sessions[0] > 0:
                    lock.wait(timeout=1)
                if not queue:
                    return
                session = queue.popleft()
                down_before = state["down"]
            begun = time.perf_counter()
            session.take_turn()
            elapsed = time.perf_counter() - begun
            action = None
            with lock:
                run.requests += 1
                run.latencies.append(elapsed)
                if down_before and state["down"]:
                    run.answered_while_down += session.error is None
                    run.outage_latencies.append(elapsed)
                if run.requests == down_at:
                    action = "down"
                elif run.requests == up_at:
                    action = "up"
                if session.finished:
                    open_sessions[0] -= 1
                else:
                    queue.append(session)
                lock.notify_all()
            if action == "down":
                with lock:  # down from now: the proxy drops what comes while it shuts down
                    state["down"] = True
                    run.outage_started_at = run.requests
                proxy.go_down()
                with lock:
                    # New users, while the database is down: first in line, so that their
                    # first turns meet it down however fast the turns before them go.
                    queue.extendleft(reversed(late))
                    lock.notify_all()
            elif action == "up":
                proxy.come_back()
                with lock:
                    state["down"] = False
                    run.outage_ended_at = run.requests

    begun = time.perf_counter()
    threads = [threading.Thread(target=worker, name=f"client-{n}") for n in range(CLIENTS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        if proxy.down:
            proxy.come_back()
    run.seconds = time.perf_counter() - begun
    return run


def plans() -> tuple[list[Plan], list[Plan]]:
    rng = random.Random(SEED)
    regular = [build(f"amzn1.ask.account.LOAD-{n}-{uuid.uuid4()}", KINDS[n % len(KINDS)], rng,
                     TURNS, OUTAGE_TURNS) for n in range(SESSIONS)]
    late = [build(f"amzn1.ask.account.LATE-{n}-{uuid.uuid4()}", "late", rng, TURNS,
                  OUTAGE_TURNS) for n in range(LATE_SESSIONS)]
    return regular, late


# --- the test ----------------------------------------------------------------------------------


def test_concurrent_sessions_with_the_database_stopped_midway(service, moto, proxy, request):
    transport = SignedTransport(service.port, service.pki)
    regular, late = plans()
    sessions = [Session(plan, transport) for plan in regular]
    late_sessions = [Session(plan, transport) for plan in late]
    try:
        run = run_round_robin(sessions, late_sessions, proxy)
        for session in sessions + late_sessions:
            if session.client.session is not None:  # still open: the person walks away
                walk_away(session.client)
    finally:
        transport.close()

    everyone = sessions + late_sessions
    errors = [s.error for s in everyone if s.error]
    stored = {item["id"]: item["attributes"] for item in Table(moto).items()}
    wrong = []
    for session in everyone:
        attributes = stored.get(sha256(session.plan.user))
        found = None if attributes is None else {
            k: int(attributes[k]) for k in ("relief_step", "speech_rate", "visits")
            if k in attributes}
        if found != session.plan.stored:
            wrong.append(f"{session.plan.kind} {session.plan.user[-8:]}: stored {found}, "
                         f"wanted {session.plan.stored}")
    log = service.log()
    write_failures = log.count("memory write failed")
    read_failures = log.count("memory read failed")
    quiet = [s for s in sessions if s.plan.changed_only_while_down(OUTAGE_TURNS)]

    total = sum(len(p.turns) for p in regular + late)
    report(request.config, "load", (
        f"{len(everyone)} sessions ({SESSIONS} + {LATE_SESSIONS} started during the outage) x "
        f"{TURNS} turns = {run.requests} signed requests through the web service in "
        f"{run.seconds:.1f} s ({run.requests / run.seconds:.0f}/s, {CLIENTS} clients, "
        f"{SERVER_THREADS} server threads, DynamoDB on moto): {len(errors)} errors; "
        f"{percentiles_ms(run.latencies)}"))
    report(request.config, "load", (
        f"database stopped from request {run.outage_started_at} to {run.outage_ended_at}: "
        f"{run.answered_while_down} requests answered while it was down "
        f"({percentiles_ms(run.outage_latencies)}), {write_failures} writes and "
        f"{read_failures} reads failed and {proxy.dropped} requests were dropped on open "
        f"connections; {len(everyone) - len(wrong)}/{len(everyone)} stored records right "
        f"afterwards ({len(quiet)} of them right only because turns made while it was down "
        f"were saved at the end)"))

    assert run.requests == total and not errors, \
        f"{len(errors)} conversations went wrong:\n" + "\n".join(errors[:10])
    assert not wrong, f"{len(wrong)} stored records wrong:\n" + "\n".join(wrong[:10])
    # The fault really happened: turns met a stopped database (the late users' first reads), and
    # were answered all the same; and some records can only be right because turns made while
    # it was down were saved later.
    assert run.answered_while_down > 0 and read_failures > 0
    assert len(quiet) >= SESSIONS // 5
    assert_clean_log(service)
