"""The real web service (``python -m webservice``) in a subprocess; a small HTTP client."""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from support import logs

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60  # generous: a busy 2-core machine; the loop ends as soon as /healthz answers
REQUEST_TIMEOUT_S = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


def call(port: int, method: str, path: str, body: bytes | None = None,
         headers: dict | None = None) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.getheader("Content-Type", ""), response.read())
    finally:
        connection.close()


class Server:
    """Started by ``start``; ``stop`` always ends it (terminate, then kill)."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path):
        self.port = free_port()
        self.command = [sys.executable, "-m", "webservice", "--port", str(self.port), *args]
        self.log_path = log_path
        logs.register(log_path)  # scanned for ids and tokens when the test session ends
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def post(self, body: bytes, headers: dict | None = None,
             content_type: str | None = "application/json; charset=utf-8") -> Answer:
        headers = dict(headers or {})
        if content_type is not None:
            headers["Content-Type"] = content_type
        return call(self.port, "POST", "/", body, headers)

    def get(self, path: str) -> Answer:
        return call(self.port, "GET", path)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the web service exited ({self.process.returncode}) before "
                                   f"answering /healthz:\n{self.log()[-3000:]}")
            try:
                if self.get("/healthz").status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"no answer on /healthz within {START_TIMEOUT_S} s:\n"
                                   f"{self.log()[-3000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(args: list[str], env_extra: dict[str, str | None], log_path: Path,
          attempts: int = 3) -> Server:
    """A ready server; retried on another port if the free one was taken meanwhile.
    A variable given as None in ``env_extra`` is removed from the server's environment."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("WEB_") and k != "SKILL_ID"}
    env.update({"PYTHONUNBUFFERED": "1", **env_extra})
    env = {k: v for k, v in env.items() if v is not None}
    for attempt in range(attempts):
        server = Server(args, env, log_path)
        try:
            server.wait_ready()
            return server
        except RuntimeError:
            server.stop()
            if "cannot listen" not in server.log() or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
