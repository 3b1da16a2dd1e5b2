"""Request bodies for the web service tests, and the check every server log must pass."""
from __future__ import annotations

import json
import uuid
from datetime import datetime

from devkit import envelopes
from support import logs

SKILL_ID = envelopes.SKILL_ID


def launch_body(skill_id: str = SKILL_ID, timestamp: datetime | None = None) -> bytes:
    """A first-ever LaunchRequest: a new user each time, so the welcome is the full one."""
    user = f"amzn1.ask.account.TEST-{uuid.uuid4()}"
    body = envelopes.envelope(envelopes.launch(), envelopes.new_session(skill_id, user),
                              skill_id=skill_id, user_id=user)
    if timestamp is not None:
        body["request"]["timestamp"] = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(body).encode()


def assert_clean_log(server) -> None:
    """No traceback, and no user id, device id or token in clear (tests/support/logs.py)."""
    log = server.log()
    assert "Traceback" not in log, log[-3000:]
    found = logs.scan_text(log)
    assert not found, f"ids or tokens in the service's log: {found[:5]}"
