"""`make bench`: Back Spasm Helper beside a hello-world ASK SDK skill, both run as Lambda runs them.

    .venv/bin/python bench/lambda_bench.py [--runs 7] [--warm-calls 300] [--web-seconds 5]
                                           [--web-runs 3] [--no-web] [--keep]

Both skills are packaged by deploy/package.py (the skill as build/lambda.zip; the hello world of
bench/hello_world/ with ask-sdk-core only, as build/bench/hello.zip), unpacked into read-only
folders, and run by deploy/invoke.py: a fresh `python -I -S -B` per run, with only the unpacked
folder on sys.path (plus boto3 and botocore for the DynamoDB runs, as the Lambda runtime has
them), and no bytecode written. Runs alternate which skill goes first. Each figure is the median
over runs; a ratio is the median of the runs' ratios (skill / hello, measured back to back).

- cold start: import lambda_function, then answer a LaunchRequest, timed inside the child (the
  interpreter's own start is the same for both and left out). CPU time decides, since other
  work on a shared machine inflates wall time; wall time is shown beside it. Measured as
  shipped (no .pyc: Lambda's folder is read-only, so every cold start compiles), and with
  .pyc compiled by this interpreter in unchecked-hash mode, to show what shipping them pays;
- warm turn: the same mid-check AMAZON.NoIntent (session attributes of a real previous turn,
  memory already read) sent --warm-calls times through lambda_handler; hello: HelloWorldIntent;
- peak memory: ru_maxrss of the child after launch, a whole safety check to its outcome and the
  warm turns (hello: launch, its intent and the warm turns); the skill keeps memory in SQLite;
- DynamoDB: the same child with PERSISTENCE=dynamodb against a moto server (tests/moto_server.py)
  behind a proxy that counts calls, for a sample session: launch, the whole check, relief,
  one step, stop;
- as deployed: the three zips built as `make package` builds them, with .pyc compiled by the
  Lambda runtime's Python (python3.12, through deploy/package.py's find_python) and run on it,
  the runtime's boto3 and botocore compiled by it too: the skill with PERSISTENCE=dynamodb, a
  hello world, and an anchor built the way the ASK SDK's own persistent samples are
  (bench/persistent_hello: StandardSkillBuilder with the SDK's DynamoDB adapter, reading the
  user's attributes at launch), both stores on the same moto server; cold start CPU as above;
- zip size: build/lambda.zip's bytes;
- web: bench/web_rps.py (both web services, verification on, wrk when installed).
"""
from __future__ import annotations

import argparse
import compileall
import copy
import json
import os
import platform
import py_compile
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy import package  # noqa: E402
from deploy.invoke import (InvokeError, UnpackedLambda, make_writable,  # noqa: E402
                           read_only, runtime_folder, runtime_sources, unpack)
from devkit import envelopes  # noqa: E402
from devkit.client import Client  # noqa: E402
from devkit.modules import load_file  # noqa: E402

SKILL_ZIP = ROOT / "build" / "lambda.zip"
HELLO_ZIP = ROOT / "build" / "bench" / "hello.zip"
RESULTS = ROOT / "build" / "bench" / "results.json"
MIB = 1024 * 1024
YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"
TABLE = "BackSpasmHelperBench"
# As template.yaml sets them: each request writes its log line with metrics to standard output.
METRICS_ENV = {"METRICS_NAMESPACE": "BackSpasmHelper", "METRICS_SERVICE": "bench"}
WARMUP_CALLS = 30
GOALS = {"cold": 1.25, "warm": 1.5, "memory": 1.5, "dynamodb_mib": 64, "zip_mb": 3.0, "web": 0.8,
         "deployed_vs_anchor": 0.75, "deployed_vs_hello": 2.0}
SESSION_CALLS_GOAL = {"GetItem": 1, "PutItem": 1}  # one read and one write a session
DEPLOYED = {"deployed": "skill", "deployed_hello": "hello", "deployed_anchor": "persistent-hello"}


class BenchError(RuntimeError):
    pass


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# --- folders ------------------------------------------------------------------------------------

def unpack_with_pyc(zip_path: Path, folder: Path) -> Path:
    """The zip unpacked with .pyc for this interpreter, as `package.py --pyc-python` would ship."""
    folder.mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    if not compileall.compile_dir(folder, ddir="/var/task", quiet=2, workers=1,
                                  invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH):
        raise BenchError("compileall failed")
    return read_only(folder)


def compiled_runtime(folder: Path, python: str) -> Path:
    """The Lambda runtime's own packages (boto3, botocore, ...) copied from this interpreter and
    compiled by `python`, as the runtime ships them compiled for its Python."""
    folder.mkdir(parents=True)
    for source in runtime_sources():
        shutil.copytree(source, folder / source.name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    done = subprocess.run([python, "-m", "compileall", "-q", "--invalidation-mode",
                           "unchecked-hash", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"compiling the runtime's packages with {python} failed:\n"
                         f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return read_only(folder)


TLS_PROBE = ("import time; t = time.process_time(); import ssl; "
             "ssl.create_default_context(); print(1000 * (time.process_time() - t))")


def tls_setup_ms(python: str) -> float:
    """CPU ms of what a real, HTTPS endpoint adds to the first call (moto's is plain HTTP):
    importing ssl and a default context, which loads the system's CA certificates."""
    done = subprocess.run([python, "-I", "-S", "-B", "-c", TLS_PROBE], capture_output=True,
                          text=True, check=True)
    return float(done.stdout.strip())


def pycache_dirs(folder: Path) -> list[Path]:
    return list(folder.rglob("__pycache__"))


# --- one run of one skill -----------------------------------------------------------------------

@dataclass
class Run:
    cold_ms: float = 0.0
    cold_cpu_ms: float = 0.0
    import_cpu_ms: float = 0.0
    warm_ms: float | None = None
    warm_cpu_ms: float | None = None
    maxrss_mib: float | None = None
    calls: dict = field(default_factory=dict)
    turns: list = field(default_factory=list)  # DynamoDB calls of each turn of the session
    line_bytes: float | None = None  # the request's log line with its metrics, on average


def hello_intent() -> dict:
    return {"type": "IntentRequest", "dialogState": "STARTED",
            "intent": {"name": "HelloWorldIntent", "confirmationStatus": "NONE", "slots": {}}}


def cold_start(function: UnpackedLambda, client: Client, expect: str) -> tuple[Run, object]:
    reply = client.launch()
    if expect not in reply.speech:
        raise BenchError(f"unexpected launch answer: {reply.speech[:200]!r}")
    run = Run(cold_ms=function.import_ms + function.last_ms,
              cold_cpu_ms=function.import_cpu_ms + function.last_cpu_ms,
              import_cpu_ms=function.import_cpu_ms)
    return run, reply


def warm_turns(function: UnpackedLambda, client: Client, request: dict, calls: int,
               check) -> tuple[float, float]:
    """The same request, with the same session, `calls` times; medians of wall and CPU ms."""
    event = envelopes.envelope(request, copy.deepcopy(client.session),
                               user_id=client.identity["user_id"])
    wall, cpu = [], []
    for index in range(WARMUP_CALLS + calls):
        reply = function(event)
        if index == 0:
            check(reply)
        if index >= WARMUP_CALLS:
            # Set by every call that returned (deploy/invoke.py), so never None here.
            assert function.last_ms is not None and function.last_cpu_ms is not None
            wall.append(function.last_ms)
            cpu.append(function.last_cpu_ms)
    return statistics.median(wall), statistics.median(cpu)


def mid_check(reply: dict) -> None:
    """The warm turn's answer: a "no" to the first safety question moves to the second."""
    state = (reply.get("sessionAttributes") or {}).get("state") or {}
    if reply["response"].get("shouldEndSession") is not False or state.get("question") != "saddle":
        raise BenchError("the mid-check NoIntent did not move to the second question")


def whole_check(client: Client, then_relief: bool = False):
    reply = client.say("StartCheckIntent")
    while reply.state.get("pending") == "triage" and not reply.ends_session:
        reply = client.say("AgeIntent", age="30") if reply.state.get("question") == "age" \
            else client.say(NO)
    if "home" not in reply.speech.lower() and "care" not in reply.speech.lower():
        raise BenchError(f"the check did not end at home care: {reply.speech[:200]!r}")
    if then_relief and not reply.ends_session:
        if client.say(YES).state.get("step") is None:
            raise BenchError("yes to relief after the check did not start the steps")
        client.say("AMAZON.NextIntent")
        if not client.say("AMAZON.StopIntent").ends_session:
            raise BenchError("stop did not end the session")
    return reply


def skill_run(folder: Path, data_dir: Path, warm_calls: int, metrics: bool = True) -> Run:
    """As deployed, each request writes its log line with metrics (METRICS_ENV); without
    them, the line's own cost shows."""
    env = {"PERSISTENCE": "sqlite", "DATA_DIR": str(data_dir), **(METRICS_ENV if metrics else {})}
    with UnpackedLambda(folder, env) as function:
        client = Client(function, user_id=f"amzn1.ask.account.BENCH-{uuid.uuid4()}")
        run, _ = cold_start(function, client, "not medical advice")
        client.say("StartCheckIntent")  # the first safety question is pending now
        run.warm_ms, run.warm_cpu_ms = warm_turns(function, client, envelopes.intent(NO),
                                                  warm_calls, mid_check)
        client.session = None  # a new session for the whole check
        client.launch()
        whole_check(client)
        if metrics:
            run.line_bytes = metric_line_bytes(function.stderr())
        bye = function.close()
    run.maxrss_mib = bye["maxrss_kib"] / 1024
    if bye["outside"]:
        raise BenchError(f"modules loaded from outside the package: {bye['outside'][:5]}")
    return run


def metric_line_bytes(output: str) -> float:
    """The mean size of the request lines the child wrote (its stdout goes to stderr)."""
    sizes = [len(line.encode()) + 1 for line in output.splitlines() if '"_aws"' in line]
    if not sizes:
        raise BenchError("the skill wrote no metrics line with METRICS_NAMESPACE set")
    return statistics.mean(sizes)


def hello_run(folder: Path, warm_calls: int) -> Run:
    with UnpackedLambda(folder, {}) as function:
        client = Client(function, user_id=f"amzn1.ask.account.BENCH-{uuid.uuid4()}")
        run, _ = cold_start(function, client, "Hello world")

        def hello(reply: dict) -> None:
            if "Hello world!" not in reply["response"]["outputSpeech"]["ssml"]:
                raise BenchError("HelloWorldIntent did not say hello")

        run.warm_ms, run.warm_cpu_ms = warm_turns(function, client, hello_intent(), warm_calls,
                                                  hello)
        client.send(hello_intent())
        bye = function.close()
    run.maxrss_mib = bye["maxrss_kib"] / 1024
    if bye["outside"]:
        raise BenchError(f"modules loaded from outside the package: {bye['outside'][:5]}")
    return run


def cold_only(folder: Path, env: dict, expect: str, extra_paths=(),
              python: str = sys.executable) -> Run:
    with UnpackedLambda(folder, env, extra_paths=extra_paths, python=python) as function:
        run, _ = cold_start(function, Client(function, user_id=f"amzn1.ask.account.BENCH-"
                                                               f"{uuid.uuid4()}"), expect)
    return run


# --- DynamoDB -----------------------------------------------------------------------------------

def load_test_module(name: str, path: Path):
    if str(path.parent) not in sys.path:
        sys.path.append(str(path.parent))  # test helpers import their neighbours
    return load_file(name, path)


class DynamoDB:
    """A moto server, the counting proxy in front of it, and the table template.yaml makes."""

    def __init__(self, scratch: Path):
        self.moto_module = load_test_module("bench_moto_server", ROOT / "tests" / "moto_server.py")
        self.moto = self.moto_module.MotoServer().start()
        self.proxy = self.moto_module.FaultProxy(self.moto.port)
        # Lambda sets both region variables; botocore reads AWS_DEFAULT_REGION.
        self.env = {"PERSISTENCE": "dynamodb", "TABLE_NAME": TABLE, "AWS_REGION": "us-east-1",
                    "AWS_DEFAULT_REGION": "us-east-1",
                    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_CONFIG_FILE": str(scratch / "no-aws-config"),
                    "AWS_SHARED_CREDENTIALS_FILE": str(scratch / "no-aws-credentials"),
                    "AWS_EC2_METADATA_DISABLED": "true", "NO_PROXY": "127.0.0.1",
                    "AWS_LAMBDA_FUNCTION_NAME": "back-spasm-helper-bench",
                    "DYNAMODB_ENDPOINT_URL": self.proxy.url, **METRICS_ENV}
        import boto3

        client = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing",
            region_name="us-east-1").client("dynamodb", endpoint_url=self.moto.url)
        client.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])

    def run(self, folder: Path, runtime: Path) -> Run:
        self.proxy.reset()
        turns: list[str] = []
        with UnpackedLambda(folder, self.env, extra_paths=[runtime]) as function:
            def counted(event: dict, context=None) -> dict:
                before = len(self.proxy.calls)
                reply = function(event, context)
                request = event["request"]
                name = (request.get("intent") or {}).get("name") or request["type"]
                turns.append(f"{name.removeprefix('AMAZON.')}"
                             f"[{'+'.join(self.proxy.calls[before:]) or '-'}]")
                return reply

            client = Client(counted, user_id=f"amzn1.ask.account.BENCH-{uuid.uuid4()}")
            run, _ = cold_start(function, client, "not medical advice")
            whole_check(client, then_relief=True)
            bye = function.close()
        run.maxrss_mib = bye["maxrss_kib"] / 1024
        run.calls = {op: self.proxy.calls.count(op) for op in sorted(set(self.proxy.calls))}
        run.turns = turns
        if bye["outside"]:
            raise BenchError(f"modules loaded from outside the package: {bye['outside'][:5]}")
        return run

    def close(self) -> None:
        self.proxy.close()
        self.moto.close()


# --- web ----------------------------------------------------------------------------------------

def web(seconds: int, runs: int) -> dict:
    command = [sys.executable, str(ROOT / "bench" / "web_rps.py"), "--seconds", str(seconds),
               "--runs", str(runs), "--warmup", "1", "--requests", "both"]
    print(f"# web: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                          timeout=60 + 4 * runs * (seconds + 5) * 2)
    sys.stderr.write(done.stderr)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise BenchError(f"web_rps printed no result ({done.returncode}):\n{done.stdout[-2000:]}")
    result = json.loads(lines[-1])
    result["table"] = [line for line in done.stdout.splitlines() if not line.startswith("{")]
    return result


# --- the table ----------------------------------------------------------------------------------

def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("ok" if ok else "MISSED")


def report(figures: dict, args) -> list[dict]:
    rows = []

    def ratio_row(name, skill, hello, unit, goal_key=None, fmt="{:.1f}", higher_better=False,
                  pair=None):
        # Paired: the median of each run's ratio (the two ran back to back, under the same load).
        ratio = (figures["ratios"].get(pair) if pair
                 else skill / hello if skill is not None and hello else None)
        goal = GOALS.get(goal_key)
        ok = None
        if goal is not None and ratio is not None:
            ok = ratio >= goal if higher_better else ratio <= goal
        rows.append({"figure": name, "skill": None if skill is None else fmt.format(skill) + unit,
                     "hello": None if hello is None else fmt.format(hello) + unit,
                     "ratio": None if ratio is None else f"{ratio:.2f}x",
                     "goal": "-" if goal is None else (f">= {goal}x" if higher_better
                                                       else f"<= {goal}x"),
                     "verdict": verdict(ok), "value": ratio})

    skill, hello = figures["skill"], figures["hello"]
    ratio_row("cold start, as shipped (no .pyc): CPU", skill["cold_cpu_ms"], hello["cold_cpu_ms"],
              " ms", "cold", pair="skill/hello/cold_cpu_ms")
    ratio_row("  the same, wall time", skill["cold_ms"], hello["cold_ms"], " ms",
              pair="skill/hello/cold_ms")
    ratio_row("  of which import lambda_function (CPU)", skill["import_cpu_ms"],
              hello["import_cpu_ms"], " ms", pair="skill/hello/import_cpu_ms")
    ratio_row("cold start with .pyc shipped (CPU)", figures["skill_pyc"]["cold_cpu_ms"],
              figures["hello_pyc"]["cold_cpu_ms"], " ms", pair="skill_pyc/hello_pyc/cold_cpu_ms")
    ratio_row("warm turn: mid-check NoIntent (CPU)", skill["warm_cpu_ms"], hello["warm_cpu_ms"],
              " ms", "warm", fmt="{:.3f}", pair="skill/hello/warm_cpu_ms")
    ratio_row("  the same, wall time", skill["warm_ms"], hello["warm_ms"], " ms", fmt="{:.3f}",
              pair="skill/hello/warm_ms")
    ratio_row("  with the metrics line vs without it (CPU)", skill["warm_cpu_ms"],
              figures["skill_plain"]["warm_cpu_ms"], " ms", fmt="{:.3f}",
              pair="skill/skill_plain/warm_cpu_ms")
    line = skill["line_bytes"]
    rows.append({"figure": "metrics line a request (log ingestion)", "skill": f"{line:.0f} bytes",
                 "hello": "-", "ratio": "-", "goal": "-", "verdict": "-", "value": line})
    ratio_row("peak memory, local adapter (SQLite)", skill["maxrss_mib"], hello["maxrss_mib"],
              " MiB", "memory", pair="skill/hello/maxrss_mib")
    dynamo = figures.get("dynamodb")
    if dynamo:
        mib = dynamo["maxrss_mib"]
        rows.append({"figure": "peak memory, DynamoDB adapter (moto)", "skill": f"{mib:.1f} MiB",
                     "hello": "-", "ratio": "-", "goal": f"< {GOALS['dynamodb_mib']} MiB",
                     "verdict": verdict(mib < GOALS["dynamodb_mib"]), "value": mib})
        ratio_row("cold start, DynamoDB adapter (CPU)", dynamo["cold_cpu_ms"],
                  hello["cold_cpu_ms"], " ms", pair="dynamodb/hello/cold_cpu_ms")
        rows.append({"figure": "DynamoDB calls, sample session", "skill": ", ".join(
            f"{op} {n}" for op, n in dynamo["calls"].items()) or "none", "hello": "-",
            "ratio": "-", "goal": ", ".join(f"{op} {n}" for op, n in SESSION_CALLS_GOAL.items()),
            "verdict": verdict(dynamo["calls"] == SESSION_CALLS_GOAL), "value": dynamo["calls"]})
    if figures.get("deployed"):
        deployed = figures["deployed"]["cold_cpu_ms"]
        ratio_row("as deployed (python3.12, .pyc, DynamoDB) vs the SDK's persistent sample (CPU)",
                  deployed, figures["deployed_anchor"]["cold_cpu_ms"], " ms",
                  "deployed_vs_anchor", pair="deployed/deployed_anchor/cold_cpu_ms")
        ratio_row("  the same, wall time", figures["deployed"]["cold_ms"],
                  figures["deployed_anchor"]["cold_ms"], " ms",
                  pair="deployed/deployed_anchor/cold_ms")
        ratio_row("as deployed vs plain hello world (python3.12, .pyc; CPU)", deployed,
                  figures["deployed_hello"]["cold_cpu_ms"], " ms", "deployed_vs_hello",
                  pair="deployed/deployed_hello/cold_cpu_ms")
        tls_ms = figures.get("tls_setup_ms")
        if tls_ms is not None:  # moto speaks HTTP; on AWS both stores pay this at first call
            hello_ms = figures["deployed_hello"]["cold_cpu_ms"]
            rows.append({"figure": "  + TLS set-up on a real endpoint (ssl, CA certificates)",
                         "skill": f"{deployed + tls_ms:.1f} ms", "hello": f"{hello_ms:.1f} ms",
                         "ratio": f"{(deployed + tls_ms) / hello_ms:.2f}x", "goal": "-",
                         "verdict": "-", "value": tls_ms})
    size, hello_size = figures["zip_bytes"], figures["hello_zip_bytes"]
    rows.append({"figure": "zip size", "skill": f"{size / 1e6:.2f} MB",
                 "hello": f"{hello_size / 1e6:.2f} MB", "ratio": f"{size / hello_size:.2f}x",
                 "goal": f"<= {GOALS['zip_mb']} MB",
                 "verdict": verdict(size <= GOALS["zip_mb"] * 1e6),
                 "value": size})
    web_result = figures.get("web")
    if web_result:
        for kind, label, goal_key in (("intent", "web RPS: mid-check NoIntent", "web"),
                                      ("launch", "web RPS: LaunchRequest (SQLite)", None)):
            entry = web_result.get(kind)
            if entry:
                ratio_row(label, entry["skill_rps"], entry["hello_rps"], " /s", goal_key,
                          fmt="{:.0f}", higher_better=True)
                rows[-1]["ratio"] = f"{entry['ratio']:.2f}x"  # median of per-run ratios
                if goal_key:
                    rows[-1]["verdict"] = verdict(entry["ratio"] >= GOALS[goal_key]
                                                  and web_result.get("valid"))
    widths = {k: max(len(k), *(len(str(r[k] if r[k] is not None else "-")) for r in rows))
              for k in ("figure", "skill", "hello", "ratio", "goal", "verdict")}
    line = "  ".join(f"{k:<{w}}" for k, w in widths.items())
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(f"{str(row[k] if row[k] is not None else '-'):<{w}}"
                        for k, w in widths.items()))
    return rows


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bench/lambda_bench.py",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="fresh processes per skill (default 9)")
    parser.add_argument("--warm-calls", type=int, default=300,
                        help="timed warm turns per run (default 300)")
    parser.add_argument("--web-seconds", type=int, default=5, help="web_rps --seconds (default 5)")
    parser.add_argument("--web-runs", type=int, default=3, help="web_rps --runs (default 3)")
    parser.add_argument("--no-web", action="store_true", help="skip the web service figure")
    parser.add_argument("--no-dynamodb", action="store_true", help="skip the moto server figures")
    parser.add_argument("--keep", action="store_true", help="keep the unpacked folders")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="lambda-bench-"))
    dynamodb = None
    try:
        for bundle, out in (("skill", SKILL_ZIP), ("hello", HELLO_ZIP)):
            built = package.build(bundle, out)
            print(f"# built {out.relative_to(ROOT)}: {built['bytes']} bytes", file=sys.stderr)
        folders = {"skill": unpack(SKILL_ZIP, scratch / "skill"),
                   "hello": unpack(HELLO_ZIP, scratch / "hello"),
                   "skill_pyc": unpack_with_pyc(SKILL_ZIP, scratch / "skill-pyc"),
                   "hello_pyc": unpack_with_pyc(HELLO_ZIP, scratch / "hello-pyc")}
        runtime = runtime_folder(scratch / "runtime")
        deployed_python = None
        if not args.no_dynamodb:
            dynamodb = DynamoDB(scratch)
            deployed_python = package.find_python(package.runtime_version())
            for name, bundle in DEPLOYED.items():
                out = ROOT / "build" / "bench" / f"{name}.zip"
                package.build(bundle, out, pyc_python=deployed_python)
                folders[name] = unpack(out, scratch / name)
            runtime_deployed = compiled_runtime(scratch / "runtime-deployed", deployed_python)
            print(f"# as deployed: .pyc by {deployed_python}", file=sys.stderr)
        runs: dict[str, list[Run]] = {k: [] for k in (*folders, "dynamodb", "skill_plain")}
        tls: list[float] = []
        for index in range(args.runs):
            order = ("skill", "hello") if index % 2 == 0 else ("hello", "skill")
            for name in order:
                if name == "skill":
                    runs["skill"].append(skill_run(folders["skill"], scratch / f"data-{index}",
                                                   args.warm_calls))
                    runs["skill_plain"].append(skill_run(
                        folders["skill"], scratch / f"data-plain-{index}", args.warm_calls,
                        metrics=False))
                    runs["skill_pyc"].append(cold_only(
                        folders["skill_pyc"], {"PERSISTENCE": "sqlite",
                                               "DATA_DIR": str(scratch / f"data-pyc-{index}")},
                        "not medical advice"))
                else:
                    runs["hello"].append(hello_run(folders["hello"], args.warm_calls))
                    runs["hello_pyc"].append(cold_only(folders["hello_pyc"], {}, "Hello world"))
            if dynamodb:
                assert deployed_python is not None  # found with the DynamoDB set-up above
                runs["dynamodb"].append(dynamodb.run(folders["skill"], runtime))
                deployed = {
                    "deployed": lambda: cold_only(folders["deployed"], dynamodb.env,
                                                  "not medical advice", [runtime_deployed],
                                                  deployed_python),
                    "deployed_anchor": lambda: cold_only(folders["deployed_anchor"], dynamodb.env,
                                                         "Hello world", [runtime_deployed],
                                                         deployed_python),
                    "deployed_hello": lambda: cold_only(folders["deployed_hello"], {},
                                                        "Hello world", [], deployed_python)}
                names = list(deployed)
                for name in names[index % 3:] + names[:index % 3]:  # each goes first in turn
                    runs[name].append(deployed[name]())
                tls.append(tls_setup_ms(deployed_python))
            print(f"# run {index + 1}/{args.runs}: cold CPU skill "
                  f"{runs['skill'][-1].cold_cpu_ms:.1f} ms, "
                  f"hello {runs['hello'][-1].cold_cpu_ms:.1f} ms",
                  file=sys.stderr, flush=True)
        for name in ("skill", "hello"):
            written = pycache_dirs(folders[name])
            if written:
                raise BenchError(f"bytecode was written into the read-only package: {written[:3]}")
        figures: dict = {}
        for name, measured in runs.items():
            if not measured:
                continue
            figures[name] = {key: median([getattr(r, key) for r in measured])
                             for key in ("cold_ms", "cold_cpu_ms", "import_cpu_ms", "warm_ms",
                                         "warm_cpu_ms", "maxrss_mib", "line_bytes")}
            figures[name]["calls"] = measured[-1].calls
            figures[name]["turns"] = measured[-1].turns
        figures["ratios"] = {}
        for a, b, keys in (("skill", "hello", ("cold_cpu_ms", "cold_ms", "import_cpu_ms",
                                               "warm_cpu_ms", "warm_ms", "maxrss_mib")),
                           ("skill_pyc", "hello_pyc", ("cold_cpu_ms",)),
                           ("skill", "skill_plain", ("warm_cpu_ms",)),
                           ("dynamodb", "hello", ("cold_cpu_ms",)),
                           ("deployed", "deployed_anchor", ("cold_cpu_ms", "cold_ms")),
                           ("deployed", "deployed_hello", ("cold_cpu_ms", "cold_ms"))):
            for key in keys:
                figures["ratios"][f"{a}/{b}/{key}"] = median(
                    [getattr(x, key) / getattr(y, key)
                     for x, y in zip(runs.get(a, []), runs.get(b, []))
                     if getattr(x, key) is not None and getattr(y, key)])
        if dynamodb:
            calls = {json.dumps(r.calls, sort_keys=True) for r in runs["dynamodb"]}
            if len(calls) != 1:
                raise BenchError(f"DynamoDB calls differ between identical sessions: {calls}")
        figures["tls_setup_ms"] = median(tls)
        figures["zip_bytes"] = SKILL_ZIP.stat().st_size
        figures["hello_zip_bytes"] = HELLO_ZIP.stat().st_size
        if dynamodb:
            dynamodb.close()
            dynamodb = None
        if not args.no_web:
            figures["web"] = web(args.web_seconds, args.web_runs)
            print("\n".join(figures["web"].pop("table")), file=sys.stderr)
        print(f"\n# {args.runs} runs each, medians; Python {platform.python_version()} on "
              f"{platform.machine()}, {os.cpu_count()} CPUs, load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        rows = report(figures, args)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps({"figures": figures, "rows": rows,
                                       "runs": {k: [r.__dict__ for r in v]
                                                for k, v in runs.items()}},
                                      indent=1, default=str))
        if figures.get("dynamodb"):
            print(f"\nDynamoDB calls by turn: {' '.join(figures['dynamodb']['turns'])}")
        print(f"\n(details in {RESULTS.relative_to(ROOT)})")
        missed = [r["figure"] for r in rows if r["verdict"] == "MISSED"]
        return 1 if missed else 0
    except (BenchError, package.PackageError, InvokeError) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    finally:
        if dynamodb:
            dynamodb.close()
        if args.keep:
            print(f"# kept {scratch}", file=sys.stderr)
        else:
            make_writable(scratch)
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
