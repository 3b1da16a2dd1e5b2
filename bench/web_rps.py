"""Requests per second of the web service, against a hello-world skill on the same service.

    .venv/bin/python bench/web_rps.py [--seconds 10] [--connections 8] [--threads 2] [--runs 3]
                                      [--server-threads 4] [--requests both|intent|launch]
                                      [--warmup 2] [--load auto|wrk|python] [--keep]

Two servers on 127.0.0.1, free ports, verification ON (Signature-256 checked on every request
with the certificate validated once and then cached, timestamp, skill id), trusting a throwaway
PKI made here with tests/web/pki.py through the test-only WEB_TEST_TRUST_ROOT and
WEB_TEST_CERT_CHAIN_DIR:

- skill: ``python -m webservice``, PERSISTENCE=sqlite in a temporary DATA_DIR;
- hello: ``python bench/hello_world_web.py``, the same service with the hello-world skill of
  bench/hello_world/ in place of Back Spasm Helper (same adapter, verifiers, waitress, threads).

The service refuses a request id it has already seen (webservice/replay.py), so each measured run
sends --bodies distinct signed bodies (fresh request ids and timestamp), more than the replay guard
remembers, in rotation: a body comes round again only after the guard has forgotten it. Each wrk
thread (or Python connection) takes its own share, so two never send the same body at once.

Request types:

- intent: AMAZON.NoIntent in the middle of the safety check, with the session attributes of a
  real previous turn (memory already read; written only when a session ends: a warm turn
  touches no store). The hello skill gets the same envelope with the intent renamed
  HelloWorldIntent.
- launch: a LaunchRequest opening a new session (the same user each time: the skill reads that
  user's SQLite row on every one; it writes when a session ends). The hello skill gets the
  identical envelope.

Load comes from wrk (Debian package ``wrk``) with a Lua script that counts non-200 answers; without
wrk, from a Python keep-alive client (threads), which says so and is likely client-bound. Runs
alternate which server goes first. A run with any error is invalid; so is the whole result.

Prints a table, then one JSON line: medians over runs of skill_rps, hello_rps and ratio
(skill/hello, the median of each run's ratio) for the intent request, the same under "launch",
latencies, and the machine. Exit status: 0 valid, 1 a run had errors, 2 could not set up.
"""
from __future__ import annotations

import argparse
import ctypes
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKI_FILE = ROOT / "tests" / "web" / "pki.py"
HELLO_SERVER = ROOT / "bench" / "hello_world_web.py"
START_TIMEOUT_S = 60
MAX_SECONDS = 100  # a signed body's timestamp is accepted for 150 s
WRK_TIMEOUT = "5s"  # a response slower than this counts as an error
# webservice/replay.py remembers this many request ids; a body sent again before it has seen that
# many others since is refused as a replay. Every sender's share of the rotation must outlast it.
REPLAY_REMEMBERS = 5000
BODIES_MIN = REPLAY_REMEMBERS + 200
BODIES_DEFAULT = REPLAY_REMEMBERS + 1500

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class BenchError(RuntimeError):
    """Setting up or checking the benchmark failed; the message says why."""


# --- the PKI and the requests -----------------------------------------------------------------


def load_pki_module():
    """tests/web/pki.py, loaded from its file (no test package on the path)."""
    from devkit.modules import load_file

    return load_file("bench_test_pki", PKI_FILE)


def stamp(template: dict) -> bytes:
    """The envelope with a fresh request id and timestamp, as bytes to sign and send."""
    body = json.loads(json.dumps(template))
    body["request"]["requestId"] = f"amzn1.echo-api.request.{uuid.uuid4()}"
    body["request"]["timestamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(body, separators=(",", ":")).encode()


@dataclass
class Signed:
    body: bytes
    headers: dict[str, str]


def signed(pki, template: dict) -> Signed:
    body = stamp(template)
    return Signed(body, {"Content-Type": "application/json", **pki.headers(body)})


def signed_many(pki, template: dict, count: int) -> list[Signed]:
    """`count` signings of the template, each with its own request id."""
    return [signed(pki, template) for _ in range(count)]


# --- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM it if this process dies without stopping it (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - best effort; the finally blocks stop servers anyway
        pass


@dataclass
class Answer:
    status: int
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


def call(port: int, method: str, path: str, body: bytes | None = None,
         headers: dict | None = None, timeout: float = 30) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.read())
    finally:
        connection.close()


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self, attempts: int = 3) -> None:
        for attempt in range(attempts):
            self.port = free_port()
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(
                    [*self.command, "--host", "127.0.0.1", "--port", str(self.port)],
                    cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                    stderr=subprocess.STDOUT,
                    preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
            try:
                self._wait_ready()
                return
            except BenchError:
                self.stop()
                if "cannot listen" not in self.log() or attempt == attempts - 1:
                    raise

    def _wait_ready(self) -> None:
        assert self.process is not None  # called by start(), right after it began the process
        process = self.process
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise BenchError(f"the {self.name} server exited ({process.returncode}) "
                                 f"before answering /healthz:\n{self.log()[-3000:]}")
            try:
                if call(self.port, "GET", "/healthz", timeout=5).status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise BenchError(f"the {self.name} server gave no /healthz within "
                                 f"{START_TIMEOUT_S} s:\n{self.log()[-3000:]}")
            time.sleep(0.1)

    def health(self) -> dict:
        return call(self.port, "GET", "/healthz").json()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Terminate the process this script started (by its id), then kill it if need be."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_env(pki, data_dir: Path, server_threads: int, skill_id: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("WEB_") and k not in ("SKILL_ID", "PERSISTENCE", "DATA_DIR",
                                                     "AWS_LAMBDA_FUNCTION_NAME")}
    env.update({"PYTHONUNBUFFERED": "1", "SKILL_ID": skill_id, "PERSISTENCE": "sqlite",
                "DATA_DIR": str(data_dir), "WEB_THREADS": str(server_threads),
                "WEB_TEST_TRUST_ROOT": str(pki.root_file),
                "WEB_TEST_CERT_CHAIN_DIR": str(pki.chain_dir)})
    return env


# --- load generators ----------------------------------------------------------------------------

WRK_SCRIPT = r"""
-- Written by bench/web_rps.py: POST signed bodies in rotation (each thread its own share of
-- the lines "signature<TAB>body"), count answers that are not 200.
local threads = {}
local started = 0

function setup(thread)
  thread:set("id", started)
  started = started + 1
  table.insert(threads, thread)
end

function init(args)
  ok = 0
  bad = 0
  signatures, bodies, count, index = {}, {}, 0, 0
  for line in io.lines([==[%(bodies_path)s]==]) do
    if index %% %(threads)s == id then
      local tab = line:find("\t", 1, true)
      count = count + 1
      signatures[count] = line:sub(1, tab - 1)
      bodies[count] = line:sub(tab + 1)
    end
    index = index + 1
  end
  turn = 0
end

function request()
  turn = turn %% count + 1
  return wrk.format("POST", "/", {["Content-Type"] = "application/json",
                                  ["Signature-256"] = signatures[turn],
                                  ["SignatureCertChainUrl"] = [==[%(chain_url)s]==]},
                    bodies[turn])
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local o, b = 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    b = b + t:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%%d,"duration_us":%%d,"ok":%%d,"not_200":%%d,' ..
    '"connect":%%d,"read":%%d,"write":%%d,"timeout":%%d,"status":%%d,' ..
    '"mean_us":%%.1f,"p50_us":%%d,"p90_us":%%d,"p99_us":%%d,"max_us":%%d}\n',
    summary.requests, summary.duration, o, b, e.connect, e.read, e.write, e.timeout, e.status,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
"""


@dataclass
class Result:
    rps: float
    requests: int
    errors: int
    p50_ms: float | None = None
    p90_ms: float | None = None
    p99_ms: float | None = None
    mean_ms: float | None = None
    detail: dict = field(default_factory=dict)


class WrkLoad:
    name = "wrk"

    def __init__(self, binary: str, threads: int, connections: int, scratch: Path):
        self.binary = binary
        self.threads = threads
        self.connections = connections
        self.scratch = scratch
        version = subprocess.run([binary, "-v"], capture_output=True, text=True, timeout=10)
        self.version = (version.stdout + version.stderr).split("Copyright")[0].strip()

    def run(self, port: int, requests: list[Signed], seconds: float, chain_url: str) -> Result:
        bodies_path = self.scratch / "bodies.tsv"
        if any(b"\n" in r.body or b"\t" in r.body for r in requests):
            raise BenchError("a body holds a tab or a newline; cannot write it one per line")
        bodies_path.write_bytes(b"".join(r.headers["Signature-256"].encode() + b"\t" + r.body
                                         + b"\n" for r in requests))
        script = self.scratch / "post.lua"
        values = {"bodies_path": str(bodies_path), "chain_url": chain_url,
                  "threads": str(self.threads)}
        if any("]==]" in v for v in values.values()):
            raise BenchError("cannot quote a value for the wrk script")
        script.write_text(WRK_SCRIPT % values)
        command = [self.binary, "-t", str(self.threads), "-c", str(self.connections),
                   "-d", f"{seconds:g}s", "--timeout", WRK_TIMEOUT, "-s", str(script),
                   f"http://127.0.0.1:{port}/"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60,
                              cwd=self.scratch)
        lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH_RESULT ")]
        if done.returncode != 0 or not lines:
            raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        data = json.loads(lines[-1].removeprefix("BENCH_RESULT "))
        errors = (data["not_200"] + data["connect"] + data["read"] + data["write"]
                  + data["timeout"])
        duration_s = data["duration_us"] / 1e6
        return Result(rps=data["requests"] / duration_s, requests=data["requests"],
                      errors=errors, p50_ms=data["p50_us"] / 1000, p90_ms=data["p90_us"] / 1000,
                      p99_ms=data["p99_us"] / 1000, mean_ms=data["mean_us"] / 1000, detail=data)


class PythonLoad:
    """Fallback: one thread and one keep-alive connection per --connections. Likely client-bound."""
    name = "python"

    def __init__(self, connections: int):
        self.connections = connections
        self.version = f"http.client, {connections} threads (Python {platform.python_version()})"

    def run(self, port: int, requests: list[Signed], seconds: float, chain_url: str) -> Result:
        deadline_box = [0.0]
        latencies: list[list[float]] = [[] for _ in range(self.connections)]
        errors = [0] * self.connections
        start_gate = threading.Barrier(self.connections + 1)

        def worker(index: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            share = requests[index::self.connections]  # this connection's own bodies
            turn = 0
            start_gate.wait()
            mine = latencies[index]
            try:
                while True:
                    begun = time.perf_counter()
                    if begun >= deadline_box[0]:
                        return
                    request = share[turn % len(share)]
                    turn += 1
                    try:
                        connection.request("POST", "/", body=request.body,
                                           headers=request.headers)
                        response = connection.getresponse()
                        response.read()
                        if response.status != 200:
                            errors[index] += 1
                            continue
                    except (OSError, http.client.HTTPException):
                        errors[index] += 1
                        connection.close()
                        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                        continue
                    mine.append(time.perf_counter() - begun)
            finally:
                connection.close()

        workers = [threading.Thread(target=worker, args=(i,), daemon=True)
                   for i in range(self.connections)]
        for thread in workers:
            thread.start()
        begun = time.perf_counter()
        deadline_box[0] = begun + seconds
        start_gate.wait()
        for thread in workers:
            thread.join(seconds + 30)
        elapsed = time.perf_counter() - begun
        every = sorted(x for per in latencies for x in per)
        if not every:
            return Result(0.0, 0, sum(errors))

        def pct(p: float) -> float:
            return every[min(len(every) - 1, int(p / 100 * len(every)))] * 1000

        return Result(rps=len(every) / elapsed, requests=len(every), errors=sum(errors),
                      p50_ms=pct(50), p90_ms=pct(90), p99_ms=pct(99),
                      mean_ms=statistics.fmean(every) * 1000)


# --- the benchmark ------------------------------------------------------------------------------


@dataclass
class Kind:
    """One request type, as each server gets it."""
    name: str
    label: str
    templates: dict[str, dict]  # server name -> envelope
    expect: dict[str, str]  # server name -> text its answer must contain


def conversation(skill: Server, pki, envelopes, skill_id: str) -> tuple[dict, dict]:
    """A real start of a session on the skill: launch, the check, no. Returns the launch envelope
    and the next "no" (mid-check), carrying the session attributes of the last real turn."""
    user = f"amzn1.ask.account.BENCH-{uuid.uuid4()}"
    session = envelopes.new_session(skill_id, user)
    launch = envelopes.envelope(envelopes.launch(), session, skill_id=skill_id, user_id=user)
    reply = post_checked(skill.port, signed(pki, launch), "launch (conversation)")
    for intent in ("StartCheckIntent", "AMAZON.NoIntent"):
        if reply["response"].get("shouldEndSession") is not False:
            raise BenchError(f"the skill ended the session before {intent}: {reply}")
        session = {**session, "new": False, "attributes": reply.get("sessionAttributes") or {}}
        turn = envelopes.envelope(envelopes.intent(intent, skill_id=skill_id), session,
                                  skill_id=skill_id, user_id=user)
        reply = post_checked(skill.port, signed(pki, turn), intent)
    session = {**session, "new": False, "attributes": reply.get("sessionAttributes") or {}}
    state = session["attributes"].get("state") or {}
    memory = session["attributes"].get("memory") or {}
    if state.get("pending") != "triage":
        raise BenchError(f"expected to be mid-check after launch, the check, no; state is {state}")
    if memory.get("stored") is None:  # read at the launch; written only when a session ends
        raise BenchError(f"expected the memory read by now; it is {memory}")
    no = envelopes.envelope(envelopes.intent("AMAZON.NoIntent", skill_id=skill_id), session,
                            skill_id=skill_id, user_id=user)
    return launch, no


def post_checked(port: int, request: Signed, what: str) -> dict:
    answer = call(port, "POST", "/", request.body, request.headers)
    if answer.status != 200:
        raise BenchError(f"{what}: HTTP {answer.status}: {answer.body[:500]!r}")
    return answer.json()


def speech(reply: dict) -> str:
    return ((reply.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")


def store_files(data_dir: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(data_dir.glob("memory.sqlite3*"))}


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/web_rps.py",
        description="Requests per second of the web service (verification on) against a "
                    "hello-world skill on the same service; prints a table and a JSON line.")

    def bounded(low: int, high: int):
        def parse(text: str) -> int:
            value = int(text)
            if not low <= value <= high:
                raise argparse.ArgumentTypeError(f"{value} is outside {low}..{high}")
            return value
        return parse

    parser.add_argument("--seconds", type=bounded(1, MAX_SECONDS), default=10,
                        help=f"length of each measured run (default 10, at most {MAX_SECONDS}: "
                             "a signed timestamp holds 150 s)")
    parser.add_argument("--connections", type=bounded(1, 100), default=8,
                        help="open keep-alive connections (default 8)")
    parser.add_argument("--threads", type=bounded(1, 64), default=2,
                        help="wrk threads, the load generator's (default 2)")
    parser.add_argument("--runs", type=bounded(1, 50), default=3,
                        help="measured runs of each server and request type (default 3)")
    parser.add_argument("--server-threads", type=bounded(1, 64), default=4,
                        help="waitress worker threads of both servers, WEB_THREADS "
                             "(default 4, the service's default)")
    parser.add_argument("--requests", choices=("both", "intent", "launch"), default="both",
                        help="request types to measure (default both)")
    parser.add_argument("--warmup", type=bounded(0, 30), default=2,
                        help="seconds of unmeasured load per server and type first (default 2)")
    parser.add_argument("--load", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator: wrk when installed (auto), or the Python fallback")
    parser.add_argument("--bodies", type=bounded(BODIES_MIN, 100_000), default=BODIES_DEFAULT,
                        help=f"distinct signed bodies a run rotates through (default "
                             f"{BODIES_DEFAULT}: more than the replay guard's {REPLAY_REMEMBERS})")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory (logs, PKI) and print its path")
    args = parser.parse_args(argv)
    if args.threads > args.connections:
        parser.error("--threads cannot exceed --connections (wrk gives each thread connections)")
    return args


def choose_load(args: argparse.Namespace, scratch: Path):
    binary = shutil.which("wrk")
    if args.load == "wrk" and binary is None:
        raise BenchError("--load wrk: wrk is not installed (Debian: apt-get install -y wrk)")
    if args.load != "python" and binary is not None:
        return WrkLoad(binary, args.threads, args.connections, scratch), None
    note = ("FALLBACK LOAD GENERATOR: wrk not found (Debian: apt-get install -y wrk); using a "
            "Python keep-alive client, which is likely the bottleneck: compare ratios, not RPS"
            if binary is None else "Python load generator chosen with --load python")
    return PythonLoad(args.connections), note


def run(args: argparse.Namespace, scratch: Path) -> int:
    try:
        from devkit import envelopes
        pki_module = load_pki_module()
    except ImportError as error:
        raise BenchError(f"{error}: run with the project's venv (.venv/bin/python)") from None

    cpus = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    load, load_note = choose_load(args, scratch)
    pki = pki_module.make_pki(scratch / "pki")
    chain_url = pki.url()
    skill_id = envelopes.SKILL_ID

    servers: dict[str, Server] = {}
    for name, command in (("skill", [sys.executable, "-m", "webservice"]),
                          ("hello", [sys.executable, str(HELLO_SERVER)])):
        data_dir = scratch / f"data-{name}"
        data_dir.mkdir()
        servers[name] = Server(name, command,
                               server_env(pki, data_dir, args.server_threads, skill_id),
                               scratch / f"{name}.log")
    skill_data = scratch / "data-skill"
    try:
        for server in servers.values():
            server.start()
            health = server.health()
            checks = health.get("verification") or {}
            # Both servers are the same service: any further check (replay) is on for both.
            if (not all(checks.get(k) is True for k in ("signature", "timestamp", "skill_id"))
                    or health.get("test_hooks") is not True):
                raise BenchError(f"{server.name}: verification not fully on: {health}")

        launch, no = conversation(servers["skill"], pki, envelopes, skill_id)
        hello_intent = json.loads(json.dumps(no))
        hello_intent["request"]["intent"]["name"] = "HelloWorldIntent"
        kinds = {
            "intent": Kind("intent", "AMAZON.NoIntent mid-check (warm turn, no store access)",
                           {"skill": no, "hello": hello_intent},
                           {"skill": "", "hello": "Hello world!"}),
            "launch": Kind("launch", "LaunchRequest, new session (skill reads SQLite)",
                           {"skill": launch, "hello": launch},
                           {"skill": "safety check", "hello": "Hello world. What would you like?"}),
        }
        chosen = [kinds[k] for k in (("intent", "launch") if args.requests == "both"
                                     else (args.requests,))]

        def measure(kind: Kind, name: str, seconds: float) -> Result:
            server = servers[name]
            # Fresh request ids and timestamp for this run; the first one checks the answer.
            first, *requests = signed_many(pki, kind.templates[name], args.bodies + 1)
            reply = post_checked(server.port, first, f"{name} {kind.name}")
            text = speech(reply)
            if kind.expect[name] not in text or (name == "skill" and "Hello world" in text):
                raise BenchError(f"{name} {kind.name}: unexpected answer {text[:200]!r}")
            if name == "skill" and kind.name == "intent" and \
                    reply["response"].get("shouldEndSession") is not False:
                raise BenchError("the mid-check NoIntent ended the session")
            before = store_files(skill_data)
            result = load.run(server.port, requests, seconds, chain_url)
            if not server.alive():
                raise BenchError(f"the {name} server died during a run:\n{server.log()[-3000:]}")
            if name == "skill" and kind.name == "intent" and store_files(skill_data) != before:
                result.detail["store_changed"] = True
            return result

        print(f"# web_rps: {cpus} CPUs ({usable} usable), loadavg "
              f"{' '.join(f'{x:.2f}' for x in load_before) if load_before else '-'}; "
              f"load: {load.version}; {args.connections} connections"
              f"{f', {args.threads} wrk threads' if load.name == 'wrk' else ''}; "
              f"waitress {args.server_threads} threads each; {args.runs} x {args.seconds} s",
              file=sys.stderr, flush=True)
        if load_note:
            print(f"# {load_note}", file=sys.stderr, flush=True)
        if args.warmup:
            for kind in chosen:
                for name in servers:
                    warm = measure(kind, name, args.warmup)
                    if warm.errors:
                        raise BenchError(f"warm-up {name} {kind.name}: {warm.errors} errors: "
                                         f"{warm.detail}\n{servers[name].log()[-2000:]}")

        results: dict[str, dict[str, list[Result]]] = {
            k.name: {"skill": [], "hello": []} for k in chosen}
        for index in range(args.runs):
            for kind in chosen:
                order = ("skill", "hello") if index % 2 == 0 else ("hello", "skill")
                for name in order:
                    result = measure(kind, name, args.seconds)
                    results[kind.name][name].append(result)
                    print(f"# run {index + 1}/{args.runs} {kind.name:6} {name}: "
                          f"{result.rps:8.1f} req/s, p50 {fmt(result.p50_ms, 2)} ms, "
                          f"p99 {fmt(result.p99_ms, 2)} ms, {result.errors} errors",
                          file=sys.stderr, flush=True)

        health = {name: server.health() for name, server in servers.items()}
        refusals = {name: server.log().count("refused ") for name, server in servers.items()}
        tracebacks = {name: server.log().count("Traceback") for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()

    return report(args, chosen, results, load, load_note, cpus, usable, load_before, health,
                  refusals, tracebacks)


def report(args, chosen, results, load, load_note, cpus, usable, load_before, health,
           refusals, tracebacks) -> int:
    summary: dict = {}
    errors_total = 0
    store_writes = False
    header = (f"{'request':8} {'server':6} " + " ".join(f"{'run ' + str(i + 1):>9}"
                                                         for i in range(args.runs))
              + f" {'median':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'errors':>6}")
    print(header)
    print("-" * len(header))
    for kind in chosen:
        per = results[kind.name]
        entry: dict = {}
        for name in ("skill", "hello"):
            runs = per[name]
            errors = sum(r.errors for r in runs)
            errors_total += errors
            store_writes |= any(r.detail.get("store_changed") for r in runs)
            rps = statistics.median([r.rps for r in runs])  # one a run, and --runs is at least 1
            lat = {p: median([getattr(r, f"{p}_ms") for r in runs
                              if getattr(r, f"{p}_ms") is not None]) for p in ("p50", "p90", "p99")}
            entry[f"{name}_rps"] = round(rps, 1)
            entry[f"{name}_latency_ms"] = {p: None if v is None else round(v, 2)
                                           for p, v in lat.items()}
            entry[f"{name}_errors"] = errors
            print(f"{kind.name:8} {name:6} " + " ".join(f"{r.rps:9.1f}" for r in runs)
                  + f" {rps:9.1f} {fmt(lat['p50'], 2):>8} {fmt(lat['p90'], 2):>8}"
                  f" {fmt(lat['p99'], 2):>8} {errors:6d}")
        ratios = [s.rps / h.rps if h.rps else 0.0 for s, h in zip(per["skill"], per["hello"])]
        entry["ratio"] = round(statistics.median(ratios), 3)  # one a run, as above
        entry["ratios"] = [round(r, 3) for r in ratios]
        print(f"{kind.name:8} {'ratio':6} " + " ".join(f"{r:9.3f}" for r in ratios)
              + f" {entry['ratio']:9.3f}   (skill/hello; {kind.label})")
        summary[kind.name] = entry
    print()
    notes = [
        "verification on for both: Signature-256 on every request, chain validated once then "
        "cached (downloads: " + ", ".join(
            f"{n} {h.get('certificates', {}).get('downloads')}" for n, h in health.items())
        + "), timestamp, skill id; test-only trust hooks set (test PKI)",
        "skill: PERSISTENCE=sqlite in a temp DATA_DIR; intent = a warm mid-check turn (no store "
        "read or write" + (" -- BUT THE STORE FILES CHANGED DURING IT" if store_writes else "")
        + "); launch = a new session each time (one SQLite read each)",
        "the skill logs one INFO line per request (to a file here); hello logs none",
        "client and servers share this machine's CPUs; ratios are steadier than absolute RPS",
    ]
    if load_note:
        notes.insert(0, load_note)
    if any(refusals.values()) or any(tracebacks.values()):
        notes.append(f"server logs: refusals {refusals}, tracebacks {tracebacks}")
    for note in notes:
        print(f"note: {note}")
    valid = (errors_total == 0 and not any(refusals.values()) and not any(tracebacks.values()))
    if not valid:
        print("INVALID: some requests failed (see errors above); figures are not comparable")
    first = summary[chosen[0].name]
    line = {
        "bench": "web_rps",
        "request": chosen[0].name,
        "skill_rps": first["skill_rps"],
        "hello_rps": first["hello_rps"],
        "ratio": first["ratio"],
        **{k.name: summary[k.name] for k in chosen},
        "valid": valid,
        "errors": errors_total,
        "load_generator": load.name,
        "load_version": load.version,
        "seconds": args.seconds,
        "runs": args.runs,
        "connections": args.connections,
        "wrk_threads": args.threads if load.name == "wrk" else None,
        "server_threads": args.server_threads,
        "cpus": cpus,
        "cpus_usable": usable,
        "loadavg_at_start": [round(x, 2) for x in load_before] if load_before else None,
        "python": platform.python_version(),
    }
    print(json.dumps(line, separators=(",", ":")))
    return 0 if valid else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def stop_on_term(signum, frame):
        print("web_rps: terminated; stopping the servers", file=sys.stderr)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop_on_term)
    scratch = Path(tempfile.mkdtemp(prefix="web-rps-"))
    try:
        return run(args, scratch)
    except BenchError as error:
        print(f"web_rps: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("web_rps: interrupted; servers stopped", file=sys.stderr)
        return 130
    finally:
        if args.keep:
            print(f"# kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
