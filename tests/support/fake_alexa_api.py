"""A stand-in for the Alexa API over HTTPS on loopback: records requests, answers as told."""
from __future__ import annotations

import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .tls import TestCertificates


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: object


@dataclass
class Behaviour:
    time_zone: str | None = "America/Chicago"  # None: the time zone lookup fails (404)
    reminder_status: int = 201
    delay_s: float = 0.0  # before every answer


@dataclass
class FakeAlexaApi:
    certificates: TestCertificates
    behaviour: Behaviour = field(default_factory=Behaviour)
    requests: list[Recorded] = field(default_factory=list)

    def start(self) -> str:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _answer(self, status: int, body: object) -> None:
                time.sleep(api.behaviour.delay_s)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                    pass  # the skill gave up waiting, as it should

            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                api.requests.append(Recorded(self.command, self.path, dict(self.headers),
                                             json.loads(raw) if raw else None))

            def do_GET(self):
                self._record()
                if self.path.endswith("/settings/System.timeZone") and api.behaviour.time_zone:
                    self._answer(200, api.behaviour.time_zone)
                else:
                    self._answer(404, {"code": "NOT_FOUND", "message": "no such setting"})

            def do_POST(self):
                self._record()
                status = api.behaviour.reminder_status
                if status == 201:
                    self._answer(201, {"alertToken": "a1",
                                       "createdTime": "2026-11-25T12:00:00.000Z",
                                       "updatedTime": "2026-11-25T12:00:00.000Z",
                                       "status": "ON", "version": "1",
                                       "href": "/v1/alerts/reminders/a1"})
                else:
                    self._answer(status, {"code": "ERROR", "message": f"status {status}"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False  # don't wait out a deliberately slow answer
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certificates.cert_file, self.certificates.key_file)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"https://localhost:{self.server.server_address[1]}"
        return self.url

    def pointed_at(self, handler, token: str, granted: bool):
        """``handler`` with each envelope's apiEndpoint set to this stand-in, the API token,
        and (if ``granted``) the reminders permission, as Alexa sends them."""
        from skill.reminders import SCOPE

        def with_api(event, context):
            system = event["context"]["System"]
            system["apiEndpoint"] = self.url
            system["apiAccessToken"] = token
            if granted:
                system["user"]["permissions"] = {"scopes": {SCOPE: {"status": "GRANTED"}}}
            return handler(event, context)

        return with_api

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reminder_posts(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path == "/v1/alerts/reminders"]
