"""Flask-Ask-SDK's SkillAdapter, answering every bad request with a short JSON 4xx.

The SDK's ``dispatch_request`` turns anything but a failed verifier into a 500 with a traceback
(malformed JSON, a body that is not UTF-8, a wrong skill id), and logs a traceback for each
failed verification too. This one checks the request step by step:

    413 body over the limit; 415 not application/json (UTF-8);
    400 not UTF-8, malformed JSON, not an Alexa request envelope;
    400 signature, certificate chain, timestamp or skill id refused (as Alexa asks).

(405 for other methods and 404 for other paths come from Flask, as JSON too.)

Logs say what was refused and why, never a body, user id or token.
"""
from __future__ import annotations

import json
import logging

from ask_sdk_model import RequestEnvelope
from ask_sdk_webservice_support.verifier import VerificationException
from flask import Response, jsonify, request
from flask_ask_sdk.skill_adapter import SkillAdapter

log = logging.getLogger("skill.web")

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
        envelope = self._envelope(text, parsed)
        if envelope is None:
            return refuse(400, "not an Alexa request")
        for verifier in self._verifiers:
            try:
                verifier.verify(headers=request.headers, serialized_request_env=text,
                                deserialized_request_env=envelope)
            except VerificationException as error:
                reason = error.args[0] if error.args else type(error).__name__
                return refuse(400, "request verification failed",
                              f"{type(verifier).__name__}: {reason}")
        response = self._skill.invoke(request_envelope=envelope, context=None)
        return jsonify(self._skill.serializer.serialize(response))

    def _envelope(self, text: str, parsed: object) -> RequestEnvelope | None:
        if not isinstance(parsed, dict) or not isinstance(parsed.get("request"), dict):
            return None
        try:
            envelope = self._skill.serializer.deserialize(payload=text, obj_type=RequestEnvelope)
        except Exception:
            return None
        if envelope is None or envelope.request is None:
            return None
        system = getattr(envelope.context, "system", None)
        if getattr(getattr(system, "application", None), "application_id", None) is None:
            # Alexa always sends context.System.application; the SDK reads it before any handler
            return None
        return envelope
