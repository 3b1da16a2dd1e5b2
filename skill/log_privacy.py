"""Alexa ids kept out of the libraries' logs, not only the skill's own.

The skill's own lines name a user by a hash (``interceptors.redact``). Libraries log what they
do: at DEBUG, urllib3 writes every request line, and the Alexa API's paths carry the device id
(``GET /v2/devices/amzn1.ask.device.../settings/System.timeZone``); its retry and connection
warnings quote the URL too. A filter on those loggers puts the same hash tag in place of any
Alexa id, so turning DEBUG on to chase a problem never writes an id in clear.
"""
from __future__ import annotations

import logging
import re

from .interceptors import redact

ALEXA_ID = re.compile(r"amzn1\.ask\.(?:account|device|person)\.[\w.-]+")
# A filter on a logger sees only records logged there, not its children's: each one that can
# quote a request URL is named.
URL_LOGGERS = ("urllib3.connectionpool", "urllib3.connection", "urllib3.poolmanager",
               "urllib3.response", "urllib3.util.retry")


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


def install() -> None:
    """Idempotent; creating the loggers imports nothing."""
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactAlexaIds) for f in logger.filters):
            logger.addFilter(RedactAlexaIds())
