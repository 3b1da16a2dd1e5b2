"""Flask-Ask-SDK's SkillAdapter, answering every bad request with a short JSON 4xx.

The SDK's ``dispatch_request`` turns anything but a failed verifier into a 500 with a traceback
(malformed JSON, a body that is not UTF-8, a wrong skill id), and logs a traceback for each
failed verification too. This one checks the request step by step:

    413 body over the limit; 415 not application/json (UTF-8);
    400 not UTF-8, malformed JSON, not an Alexa request envelope (an object with a request);
    400 signature, certificate chain, timestamp or skill id refused (as Alexa asks).

Then the request goes through the same front door as on Lambda (skill/front_door.py): read
once, answered by the skill, or by its kind when the SDK cannot read it.

(405 for other methods and 404 for other paths come from Flask, as JSON too.)

Logs say what was refused and why, never a body, user id or token.
"""
from __future__ import annotations

import json
import logging

from ask_sdk_webservice_support.verifier import VerificationException
from flask import Response, jsonify, request
from flask_ask_sdk.skill_adapter import SkillAdapter

from skill import front_door

log = logging.getLogger("webservice")

JSON_CHARSETS = {"utf-8", "utf8"}


def refuse(status: int, reason: str, detail: str | None = None) -> Response:
    """A JSON error answer; ``detail`` goes to the log only."""
    log.warning("refused %s %s with %d: %s%s", request.method, request.path, status, reason,
                f" ({_one_line(detail)})" if detail else "")
    response = jsonify(error=reason)
    response.status_code = status
    return response


def _one_line(text: str, limit: int = 300) -> str:
    return " ".join(str(text).split())[:limit]


class CheckedSkillAdapter(SkillAdapter):
    def __init__(self, skill, skill_id, verifiers, app, max_body_bytes: int):
        self.max_body_bytes = max_body_bytes
        super().__init__(skill=skill, skill_id=skill_id, verifiers=verifiers, app=app)

    @property
    def verifiers(self) -> list:
        return list(self._verifiers)

    def dispatch_request(self) -> Response:
        length = request.content_length
        if length is not None and length > self.max_body_bytes:
            return refuse(413, "request body too large", f"{length} bytes")
        if request.mimetype != "application/json":
            return refuse(415, "expected application/json", request.mimetype or "no type")
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in JSON_CHARSETS:
            return refuse(415, "expected UTF-8 JSON", charset)
        body = request.get_data(cache=False)  # Werkzeug enforces the limit on chunked bodies
        try:
            text = body.decode("utf-8")
            parsed = json.loads(text)
        except UnicodeDecodeError:
            return refuse(400, "body is not UTF-8")
        except (ValueError, RecursionError) as error:
            return refuse(400, "malformed JSON", type(error).__name__)
        arrival = front_door.read(parsed)  # the body is parsed once
        if not arrival.is_alexa_request:
            return refuse(400, "not an Alexa request")
        checked = front_door.for_verifiers(arrival)
        for verifier in self._verifiers:
            try:
                verifier.verify(headers=request.headers, serialized_request_env=text,
                                deserialized_request_env=checked)
            except VerificationException as error:
                reason = error.args[0] if error.args else type(error).__name__
                return refuse(400, "request verification failed",
                              f"{type(verifier).__name__}: {reason}")
        return jsonify(self._skill.front_door.respond(arrival))
