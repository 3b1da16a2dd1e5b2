"""The log privacy scan itself: it captures, it finds, and the skill keeps ids out of library logs.

The scan of the whole run happens when the session finishes (tests/conftest.py); these tests
show it is not vacuous. Planted ids go to a logger of their own that does not reach the run's
capture, so they cannot fail the real scan.
"""
from __future__ import annotations

import logging
import uuid

from support import logs

from skill import build_skill
from devkit import envelopes
from skill.identity import redact


def test_every_kind_of_id_and_token_is_found_in_a_log_file(tmp_path):
    path = tmp_path / "planted.log"
    planted = logging.getLogger(f"planted.{uuid.uuid4()}")
    planted.propagate = False  # not into the run's own capture
    handler = logging.FileHandler(path)
    planted.addHandler(handler)
    try:
        planted.warning("user %s on %s", envelopes.USER_ID, envelopes.DEVICE_ID)
        planted.warning("person amzn1.ask.person.ABC said hi")
        planted.warning("headers {'Authorization': 'Bearer abc.def-123'}")
        planted.warning("token eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2Fw.x")
        planted.warning("user=%s key=%s", redact(envelopes.USER_ID), "ab" * 32)  # hashed: fine
    finally:
        planted.removeHandler(handler)
        handler.close()
    result = logs.scan([path])
    kinds = [(f.line, f.kind) for f in result.findings]
    assert (1, "Alexa user id") in kinds and (1, "Alexa device id") in kinds
    assert (1, "a secret a test used") in kinds  # the fixed ids of devkit/envelopes.py
    assert (2, "Alexa person id") in kinds and (3, "bearer token") in kinds
    assert (4, "JSON web token") in kinds
    assert not [k for line, k in kinds if line == 5], "a hash is not an id in clear"
    assert result.files == 1 and result.lines == 5


def test_tokens_a_test_registers_are_found():
    logs.watch("tok-" + "x" * 12)
    assert logs.scan_text("sent tok-xxxxxxxxxxxx to the API")[0][1] == "a secret a test used"


def test_the_run_captures_every_logger_at_debug():
    root = logging.getLogger()
    assert root.level == logging.DEBUG
    marker = f"capture-check-{uuid.uuid4()}"
    logging.getLogger("some.library").debug("%s", marker)
    in_process = logs.directory() / logs.IN_PROCESS
    assert in_process in logs.files()
    for handler in root.handlers:
        handler.flush()
    assert marker in in_process.read_text()


def test_library_request_lines_name_devices_by_hash_only(caplog):
    """urllib3 logs each Alexa API request line at DEBUG, and its path holds the device id
    (/v2/devices/{deviceId}/settings/System.timeZone); a built skill has it replaced."""
    build_skill()
    line = '%s://%s:%s "%s %s %s" %s %s'  # urllib3.connectionpool's own format
    path = f"/v2/devices/{envelopes.DEVICE_ID}/settings/System.timeZone"
    with caplog.at_level(logging.DEBUG, logger="urllib3.connectionpool"):
        logging.getLogger("urllib3.connectionpool").debug(
            line, "https", "api.amazonalexa.com", 443, "GET", path, "HTTP/1.1", 200, 17)
        logging.getLogger("urllib3.util.retry").debug(
            "Incremented Retry for (url='%s'): Retry(total=0)", path)
    assert envelopes.DEVICE_ID not in caplog.text
    assert f"/v2/devices/<id {redact(envelopes.DEVICE_ID)}>/settings" in caplog.text
    assert caplog.text.count("<id ") == 2
