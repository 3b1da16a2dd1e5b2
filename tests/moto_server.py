"""Local DynamoDB for tests: a moto server subprocess, and a proxy that can inject faults.

Everything listens on 127.0.0.1 and every wait is bounded. Speaks plain
http.client, so no HTTP(S)_PROXY variable of the machine gets in the way.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from support import logs

HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0
TABLE = "BackSpasmHelperMemory-test"
ENDPOINT_ENV = "DYNAMODB_ENDPOINT_URL"  # skill.storage.dynamodb.ENDPOINT_ENV
# Variables of the machine that could point boto3 elsewhere; removed (None) for the tests.
AWS_UNSET = ("AWS_REGION", "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
             "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE")


def aws_environment(scratch: Path, endpoint: str | None) -> dict[str, str | None]:
    """Fake credentials and a region, nothing read from the developer's ~/.aws, and the skill's
    DynamoDB endpoint (None: unset). A value of None means "remove this variable"."""
    env: dict[str, str | None] = {name: None for name in AWS_UNSET}
    env.update({
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(scratch / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(scratch / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
        ENDPOINT_ENV: endpoint})
    return env


class Table:
    """Direct access to a moto table, as an operator with the console would have."""

    def __init__(self, server: MotoServer, name: str = TABLE):
        import boto3

        self.name = name
        options = {"endpoint_url": server.url, "region_name": "us-east-1",
                   "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        self.client = boto3.client("dynamodb", **options)
        self.resource = boto3.resource("dynamodb", **options).Table(name)

    def create(self) -> Table:
        """As template.yaml does: on demand, string key "id", TTL on "expires_at"."""
        self.client.create_table(
            TableName=self.name, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
        self.client.get_waiter("table_exists").wait(
            TableName=self.name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
        self.client.update_time_to_live(
            TableName=self.name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"})
        return self

    def items(self) -> list[dict]:
        """Every item, through all pages of the scan."""
        found, start = [], {}
        while True:
            page = self.resource.scan(ConsistentRead=True, **start)
            found += page["Items"]
            if "LastEvaluatedKey" not in page:
                return found
            start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}

    def item(self, user_id: str) -> dict | None:
        return self.resource.get_item(Key={"id": sha256(user_id)},
                                      ConsistentRead=True).get("Item")


def sha256(text: str) -> str:
    """The record key the skill uses for a user id (written out here, not imported)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _request(port: int, method: str, path: str, body: bytes = b"", timeout: float = 5.0):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class MotoServer:
    """`python -m moto.server` on a loopback port; stop() kills it, start() brings it back."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        if logs.collecting():  # in a test session: kept, and scanned when it ends
            self.log = open(logs.new_file("moto-server"), "wb")
        else:  # bench/ and other callers: a temporary file, deleted by close()
            self.log = tempfile.NamedTemporaryFile(prefix="moto-server-", suffix=".log",
                                                   delete=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> MotoServer:
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(self.port)],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                self.process = None
                raise RuntimeError(f"moto server exited at start:\n{self._log_tail()}")
            try:
                if _request(self.port, "POST", "/moto-api/reset", timeout=1.0)[0] == 200:
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"moto server not ready in {START_TIMEOUT_S} s:\n{self._log_tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        """Kill it: the way a crashed or unreachable database looks to the skill."""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        self.log.close()
        if not logs.collecting():
            os.unlink(self.log.name)

    def reset(self) -> None:
        status, body = _request(self.port, "POST", "/moto-api/reset")
        assert status == 200, body

    def _log_tail(self) -> str:
        self.log.flush()
        with open(self.log.name, "rb") as f:
            return f.read()[-2000:].decode("utf-8", "replace")


class FaultProxy:
    """An HTTP proxy in front of the moto server that counts calls and injects faults.

    - `calls`: DynamoDB operations that reached moto (GetItem, PutItem...);
    - `throttle(n, code)`: the next n requests get DynamoDB's throttling answer;
    - `stall(n, seconds)`: the next n requests wait before being forwarded (read timeouts);
    - `go_down()` / `come_back()`: the database is stopped (connections refused, open ones
      dropped without an answer) until it is started again, with its data.
    """

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.lock = threading.Lock()
        self.down = False
        self.dropped = 0  # requests cut off on open connections while down
        self.reset()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as botocore expects

            def do_POST(self):  # noqa: N802 - http.server's naming
                proxy._handle(self)

            do_GET = do_PUT = do_DELETE = do_POST

            def log_message(self, *args):
                pass

        self._handler = Handler
        self.port = 0
        self._listen()

    def _listen(self) -> None:
        self.server = ThreadingHTTPServer((HOST, self.port), self._handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def go_down(self) -> None:
        """Like a stopped server: new connections are refused; a request arriving on a kept-alive
        connection is dropped unanswered (a moto restart would lose the table, this keeps it)."""
        with self.lock:
            self.down = True
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def come_back(self) -> None:
        """Listening again on the same port, the data as it was."""
        self._listen()
        with self.lock:
            self.down = False

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def reset(self) -> None:
        with self.lock:
            self.calls: list[str] = []
            self.throttled: list[str] = []
            self.stalled: list[str] = []
            self._throttle_left = 0
            self._throttle_code = ""
            self._stall_left = 0
            self._stall_s = 0.0

    def throttle(self, n: int, code: str = "ProvisionedThroughputExceededException") -> None:
        with self.lock:
            self._throttle_left, self._throttle_code = n, code

    def stall(self, n: int, seconds: float) -> None:
        with self.lock:
            self._stall_left, self._stall_s = n, seconds

    def count(self, operation: str) -> int:
        with self.lock:
            return self.calls.count(operation)

    def close(self) -> None:
        if not self.down:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=10)

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        with self.lock:
            down = self.down
            self.dropped += down
        if down:
            request.close_connection = True  # no answer at all, as from a dead server
            try:
                request.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        operation = (request.headers.get("X-Amz-Target") or "?").rsplit(".", 1)[-1]
        with self.lock:
            throttle = self._throttle_left > 0
            stall = not throttle and self._stall_left > 0
            if throttle:
                self._throttle_left -= 1
                self.throttled.append(operation)
                code = self._throttle_code
            elif stall:
                self._stall_left -= 1
                self.stalled.append(operation)
                pause = self._stall_s
        if throttle:
            self._answer(request, 400, json.dumps(
                {"__type": f"com.amazonaws.dynamodb.v20120810#{code}",
                 "message": "throttled"}).encode(),
                {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "fault-proxy"})
            return
        if stall:
            time.sleep(pause)  # the client gives up first; its socket is gone by now
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in ("connection", "keep-alive", "proxy-connection")}
        upstream = http.client.HTTPConnection(HOST, self.upstream_port, timeout=10)
        try:
            upstream.request(request.command, request.path, body=body, headers=headers)
            response = upstream.getresponse()
            payload = response.read()
            reply_headers = {k: v for k, v in response.getheaders()
                             if k.lower() not in ("connection", "transfer-encoding", "server",
                                                  "date", "content-length", "keep-alive")}
            status = response.status
        except OSError:
            status, payload, reply_headers = 502, b"upstream unreachable", {}
        finally:
            upstream.close()
        if status != 502:
            with self.lock:
                self.calls.append(operation)
        self._answer(request, status, payload, reply_headers)

    @staticmethod
    def _answer(request: BaseHTTPRequestHandler, status: int, body: bytes,
                headers: dict[str, str]) -> None:
        try:
            request.send_response(status)
            for name, value in headers.items():
                request.send_header(name, value)
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)
            request.wfile.flush()
        except OSError:
            request.close_connection = True
