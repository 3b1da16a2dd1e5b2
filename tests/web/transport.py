"""Alexa's side of the wire: each envelope signed and POSTed to the web service, keep-alive.

A ``SignedTransport`` is a handler for ``devkit.client.Client`` (and so ``CheckedClient``):
the client builds each envelope (a fresh request id and timestamp, the session carried over),
the transport signs the exact bytes it sends with the test PKI, as Alexa signs its own, and
returns the response envelope. Each thread keeps one HTTP/1.1 connection open, as Alexa's
fleet does, and every request's latency is recorded.
"""
from __future__ import annotations

import http.client
import json
import threading
import time

REQUEST_TIMEOUT_S = 30  # generous: an answer is expected, not a fast one


class HttpError(AssertionError):
    """The service answered something other than 200."""

    def __init__(self, status: int, body: bytes):
        super().__init__(f"HTTP {status}: {body[:300]!r}")
        self.status = status
        self.body = body


class SignedTransport:
    def __init__(self, port: int, pki, chain: str = "good.pem",
                 timeout: float = REQUEST_TIMEOUT_S):
        self.port = port
        self.pki = pki
        self.chain = chain
        self.timeout = timeout
        self.latencies: list[float] = []  # seconds, one per answered request
        self._local = threading.local()
        self._connections: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def __call__(self, event: dict, context=None) -> dict:
        body = json.dumps(event, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json; charset=utf-8",
                   **self.pki.headers(body, self.chain)}
        begun = time.perf_counter()
        status, payload = self._post(body, headers)
        self.latencies.append(time.perf_counter() - begun)
        if status != 200:
            raise HttpError(status, payload)
        return json.loads(payload)

    def _post(self, body: bytes, headers: dict) -> tuple[int, bytes]:
        connection = getattr(self._local, "connection", None)
        reused = connection is not None
        if connection is None:
            connection = self._connect()
        try:
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            connection.close()
            self._local.connection = None
            if not reused:
                raise
            # The service closed a kept-alive connection before reading this request (an idle
            # timeout): send it once more on a new one, as HTTP clients do.
            connection = self._connect()
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        if response.will_close:
            connection.close()
            self._local.connection = None
        return response.status, payload

    def _connect(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        self._local.connection = connection
        with self._lock:
            self._connections.append(connection)
        return connection

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
