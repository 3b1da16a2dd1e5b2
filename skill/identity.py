"""Alexa ids, hashed before they are kept or logged: one place for every hash of an id.

Two hashes of the same sha256, for two uses:

- ``user_key``: a store's record key for the person (skill/storage/), the full digest, so no
  store ever holds an Alexa user id in clear and two people never share a record.
- ``redact``: a short, stable tag for log lines, so logs can follow a user without holding
  their id.

And a filter that keeps Alexa ids out of the libraries' logs, not only the skill's own. Libraries
log what they do: at DEBUG, urllib3 writes every request line, and the Alexa API's paths carry
the device id (``GET /v2/devices/amzn1.ask.device.../settings/System.timeZone``); its retry and
connection warnings quote the URL too. ``RedactAlexaIds`` on those loggers puts the ``redact``
tag in place of any Alexa id, so turning DEBUG on to chase a problem never writes an id in clear.
"""
from __future__ import annotations

import hashlib
import logging
import re
from typing import TYPE_CHECKING

from ask_sdk_core.exceptions import PersistenceException

if TYPE_CHECKING:  # for the annotation only: nothing more imported on a cold start
    from ask_sdk_model import RequestEnvelope

ALEXA_ID = re.compile(r"amzn1\.ask\.(?:account|device|person)\.[\w.-]+")
# A filter on a logger sees only records logged there, not its children's: each one that can
# quote a request URL is named.
URL_LOGGERS = ("urllib3.connectionpool", "urllib3.connection", "urllib3.poolmanager",
               "urllib3.response", "urllib3.util.retry")


def user_key(request_envelope: RequestEnvelope) -> str:
    """The record key for the request's user; PersistenceException when it names none."""
    context = getattr(request_envelope, "context", None)
    user = getattr(getattr(context, "system", None), "user", None)
    user_id = getattr(user, "user_id", None)
    if not isinstance(user_id, str) or not user_id:
        raise PersistenceException("the request carries no user id")
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()


def redact(identifier: str | None) -> str:
    """A stable, non-reversible tag, so logs can follow a user without holding their id."""
    if not identifier:
        return "-"
    return hashlib.sha256(identifier.encode()).hexdigest()[:12]


class RedactAlexaIds(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record: let logging report it as usual
            return True
        if "amzn1." in message:
            record.msg = ALEXA_ID.sub(lambda match: f"<id {redact(match.group(0))}>", message)
            record.args = None
        return True


def install_log_filter() -> None:
    """Puts RedactAlexaIds on the URL loggers. Idempotent; creating the loggers imports nothing."""
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactAlexaIds) for f in logger.filters):
            logger.addFilter(RedactAlexaIds())
