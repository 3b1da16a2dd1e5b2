"""Run an unpacked Lambda zip's handler the way Lambda loads it, and nothing else.

    from deploy.invoke import unpack, UnpackedLambda
    folder = unpack("build/lambda.zip", tmp / "task")         # read-only, like /var/task
    with UnpackedLambda(folder, env={"PERSISTENCE": "none"}) as function:
        reply = function(event)                               # lambda_handler(event, None)

The handler runs in a child interpreter started with `-I -S -B`: no environment variables of
Python's own, no site-packages (so nothing of this project's venv), no script folder, and no
bytecode written. Its sys.path is the unpacked folder, then `extra_paths` (standing in for
what the Lambda runtime carries itself, such as boto3), then the standard library. The child
imports only the standard library itself; events go in on stdin and replies come back on
stdout, one JSON line each. It reports its import time and each call's time (wall and CPU),
its peak memory, and every loaded module that came from anywhere else than those folders and
the standard library.
"""
from __future__ import annotations

import json
import os
import select
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import IO, Any, Mapping, Sequence

from .package import RUNTIME_PROVIDED

CHILD = r"""
import sys, time
started, started_cpu = time.perf_counter(), time.process_time()
folder, extra = sys.argv[1], sys.argv[2:]
sys.path[:0] = [folder]
sys.path.extend(extra)
protocol = sys.stdout
sys.stdout = sys.stderr  # whatever the skill prints cannot break the protocol
import json

def send(message):
    protocol.write(json.dumps(message) + "\n")
    protocol.flush()

try:
    import lambda_function
    handler = lambda_function.lambda_handler
except BaseException as error:
    import traceback
    send({"error": traceback.format_exc()})
    raise SystemExit(1)
send({"ready": {"import_ms": (time.perf_counter() - started) * 1000,
                "import_cpu_ms": (time.process_time() - started_cpu) * 1000}})
for line in sys.stdin:
    event = json.loads(line)
    before, before_cpu = time.perf_counter(), time.process_time()
    try:
        reply = handler(event, None)
    except BaseException:
        import traceback
        send({"error": traceback.format_exc()})
        continue
    send({"reply": reply, "ms": (time.perf_counter() - before) * 1000,
          "cpu_ms": (time.process_time() - before_cpu) * 1000})

import os, resource, sysconfig
allowed = [os.path.abspath(p) for p in [folder, *extra, sysconfig.get_paths()["stdlib"],
                                         sysconfig.get_paths()["platstdlib"]]]
outside = sorted(
    name for name, module in list(sys.modules.items())
    if getattr(module, "__file__", None)
    and not any(os.path.abspath(module.__file__).startswith(p + os.sep) for p in allowed))
def peak_kib():
    # VmHWM: this process's own peak. ru_maxrss would also count the parent's size at fork.
    try:
        with open("/proc/self/status") as status:
            for row in status:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

send({"bye": {"maxrss_kib": peak_kib(),
              "outside": outside, "modules": len(sys.modules),
              "top_level": sorted({name.split(".")[0] for name in sys.modules})}})
"""


class InvokeError(RuntimeError):
    """The child failed: it could not import the handler, the handler raised, or it went away."""


def unpack(zip_path: str | os.PathLike, folder: str | os.PathLike) -> Path:
    """Extract the zip into an empty folder and make it read-only, as Lambda's /var/task is."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=False)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    return read_only(folder)


def read_only(folder: Path) -> Path:
    """No write bits anywhere in the folder (a non-root user then cannot write __pycache__)."""
    for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
        path.chmod(0o555 if path.is_dir() else 0o444)
    folder.chmod(0o555)
    return folder


# What the Lambda Python runtime carries itself, and so the zip leaves out.
RUNTIME_PACKAGES = tuple(sorted(RUNTIME_PROVIDED))


def runtime_sources() -> list[Path]:
    """This interpreter's boto3, botocore, s3transfer and jmespath: their package folders."""
    import importlib.util

    sources = []
    for name in RUNTIME_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise InvokeError(f"{name} is not installed here (pip install '.[aws]')")
        sources.append(Path(spec.submodule_search_locations[0]))
    return sources


def runtime_folder(folder: str | os.PathLike) -> Path:
    """A folder holding only this interpreter's boto3, botocore, s3transfer and jmespath (as
    links): pass it in `extra_paths` to stand in for the Lambda runtime's own copies."""
    folder = Path(folder)
    folder.mkdir(parents=True)
    for source in runtime_sources():
        (folder / source.name).symlink_to(source, target_is_directory=True)
    return folder


def make_writable(folder: str | os.PathLike) -> None:
    """Undo unpack()'s read-only modes, so the folder can be deleted."""
    folder = Path(folder)
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


class UnpackedLambda:
    """A child interpreter holding lambda_function.lambda_handler from one folder."""

    def __init__(self, folder: str | os.PathLike, env: Mapping[str, str] | None = None,
                 extra_paths: Sequence[str | os.PathLike] = (), python: str = sys.executable,
                 timeout_s: float = 60.0):
        self.timeout_s = timeout_s
        self.last_ms: float | None = None  # the last call's wall time, in the child
        self.last_cpu_ms: float | None = None  # and its CPU time (steadier on a busy machine)
        self.bye: dict | None = None
        self._buffer = b""
        child_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
                     "TZ": "UTC", "HOME": os.environ.get("HOME", "/tmp"), **(env or {})}
        self._stderr = tempfile.TemporaryFile()  # a file, so a chatty child never blocks on it
        self.process = subprocess.Popen(
            [python, "-I", "-S", "-B", "-c", CHILD, str(folder), *map(str, extra_paths)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            env=child_env, cwd=str(folder))
        # Popen types its pipes Optional; both are PIPE above, so never None.
        assert self.process.stdin is not None and self.process.stdout is not None
        self._to_child: IO[bytes] = self.process.stdin
        self._from_child: IO[bytes] = self.process.stdout
        try:
            ready = self._receive()
        except BaseException:
            self.kill()
            raise
        self.import_ms = ready["ready"]["import_ms"]
        self.import_cpu_ms = ready["ready"]["import_cpu_ms"]

    def __call__(self, event: dict, context: Any = None) -> dict:
        self._to_child.write(json.dumps(event).encode() + b"\n")
        self._to_child.flush()
        answer = self._receive()
        self.last_ms, self.last_cpu_ms = answer["ms"], answer["cpu_ms"]
        return answer["reply"]

    def close(self) -> dict:
        """End the child; returns its report: peak memory (maxrss_kib), modules from outside,
        how many modules were loaded, and the top-level names of all of them."""
        if self.bye is None and self.process.poll() is None:
            self._to_child.close()
            self.bye = self._receive()["bye"]
            self.process.wait(timeout=self.timeout_s)
        return self.bye or {}

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> "UnpackedLambda":
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            if exc[0] is None:
                self.close()
        finally:
            self.kill()
            for stream in (self.process.stdin, self.process.stdout, self._stderr):
                if stream and not stream.closed:
                    stream.close()

    def stderr(self) -> str:
        """What the child wrote to stderr so far (logs, warnings)."""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def _receive(self) -> dict:
        deadline = time.monotonic() + self.timeout_s
        fd = self._from_child.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise InvokeError(f"no answer within {self.timeout_s} s")
            if select.select([fd], [], [], left)[0]:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    self.process.wait(timeout=5)
                    raise InvokeError(f"the child exited ({self.process.returncode}):\n"
                                      f"{self.stderr()[-3000:]}")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        message = json.loads(line)
        if "error" in message:
            raise InvokeError(message["error"])
        return message
