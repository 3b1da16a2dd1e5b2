"""The self-hosted web service, run for real: waitress on loopback, requests over HTTP.

Signed requests go through the real verification code: a test CA (tests/web/pki.py) is trusted
through WEB_TEST_TRUST_ROOT and chain URLs are read from WEB_TEST_CERT_CHAIN_DIR; everything
else (URL rules, chain validation, SAN, dates, Signature-256, timestamp, skill id) is production.
"""
from __future__ import annotations

import ctypes.util
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from web import server as webserver
from web.bodies import assert_clean_log, launch_body
from web.pki import make_pki, sign

from devkit import envelopes
from devkit.client import Reply

SKILL_ID = envelopes.SKILL_ID


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def verified(pki, tmp_path_factory):
    """Verification on (the default), with the test-only trust root and chain directory."""
    scratch = tmp_path_factory.mktemp("verified")
    server = webserver.start([], {"SKILL_ID": SKILL_ID, "DATA_DIR": str(scratch),
                                  "WEB_TEST_TRUST_ROOT": str(pki.root_file),
                                  "WEB_TEST_CERT_CHAIN_DIR": str(pki.chain_dir)},
                             scratch / "server.log")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def unverified(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("unverified")
    server = webserver.start(["--no-verify"], {"SKILL_ID": SKILL_ID, "DATA_DIR": str(scratch)},
                             scratch / "server.log")
    yield server
    server.stop()


# --- serving ---------------------------------------------------------------------------------


def test_healthz_reports_the_service(verified):
    answer = verified.get("/healthz")
    assert answer.status == 200 and answer.content_type.startswith("application/json")
    health = answer.json
    assert health["status"] == "ok" and health["skill"] == "ready"
    assert health["verification"] == {"signature": True, "timestamp": True, "skill_id": True,
                                      "replay": True}
    assert health["test_hooks"] is True
    assert health["max_body_bytes"] == 128 * 1024


def test_signed_launch_gets_the_welcome(verified, pki):
    body = launch_body()
    answer = verified.post(body, pki.headers(body))
    assert answer.status == 200, answer.body
    reply = Reply(answer.json)
    assert "not medical advice" in reply.speech
    assert not reply.ends_session
    assert_clean_log(verified)


def test_a_signed_conversation_carries_its_session(verified, pki):
    first = envelopes.envelope(envelopes.launch(), envelopes.new_session())
    body = json.dumps(first).encode()
    reply = Reply(verified.post(body, pki.headers(body)).json)
    session = {**first["session"], "new": False, "attributes": reply.raw["sessionAttributes"]}
    second = envelopes.envelope(envelopes.intent("AMAZON.StopIntent"), session)
    body = json.dumps(second).encode()
    answer = verified.post(body, pki.headers(body))
    assert answer.status == 200, answer.body
    assert Reply(answer.json).ends_session


def test_a_chain_is_downloaded_once_then_cached(verified, pki):
    before = verified.get("/healthz").json["certificates"]
    for _ in range(3):
        body = launch_body()
        assert verified.post(body, pki.headers(body, chain="cached.pem")).status == 200
    after = verified.get("/healthz").json["certificates"]
    assert after["downloads"] == before["downloads"] + 1
    assert after["cached"] == before["cached"] + 1


# --- refusals: never a 500, never a traceback ------------------------------------------------


def _chain_url(url: str):
    return lambda p, b: {**p.headers(b), "SignatureCertChainUrl": url}


def _chain(name: str):
    return lambda p, b: p.headers(b, name)


def _signed(p, b):
    return p.headers(b)


def _at(seconds: int):
    return lambda: launch_body(timestamp=datetime.now(UTC) + timedelta(seconds=seconds))


SIGNED_REFUSALS = {
    # name: (body maker, headers maker(pki, body), why, as the log says)
    "forged signature": (launch_body, lambda p, b: {
        **p.headers(b), "Signature-256": sign(p.keys["stranger"], b)}, "does not match the body"),
    "body changed after signing": (
        launch_body, lambda p, b: p.headers(b.replace(b"en-US", b"en-GB")),
        "does not match the body"),
    "signature not base64": (launch_body, lambda p, b: {**p.headers(b), "Signature-256": "%%%"},
                             "not base64"),
    "no Signature-256": (launch_body, lambda p, b: {"SignatureCertChainUrl": p.url()},
                         "missing Signature-256"),
    "only the SHA-1 Signature header": (launch_body, lambda p, b: {
        "Signature": p.headers(b)["Signature-256"], "SignatureCertChainUrl": p.url()},
        "missing Signature-256"),
    "no chain URL": (launch_body, lambda p, b: {"Signature-256": p.headers(b)["Signature-256"]},
                     "SignatureCertChainUrl"),
    "chain URL over http": (launch_body, _chain_url("http://s3.amazonaws.com/echo.api/good.pem"),
                            "invalid protocol"),
    "chain URL on another host": (
        launch_body, _chain_url("https://evil.example.com/echo.api/good.pem"), "invalid hostname"),
    "chain URL outside echo.api": (
        launch_body, _chain_url("https://s3.amazonaws.com/echo.api/../good.pem"), "invalid path"),
    "chain URL on another port": (
        launch_body, _chain_url("https://s3.amazonaws.com:8443/echo.api/good.pem"), "invalid port"),
    "chain that cannot be fetched": (
        launch_body, _chain_url("https://s3.amazonaws.com/echo.api/missing.pem"),
        "no such certificate chain"),
    "chain from an untrusted CA": (launch_body, _chain("untrusted.pem"), "PathBuildingError"),
    "expired signing certificate": (launch_body, _chain("expired.pem"), "expired"),
    "certificate for another domain": (launch_body, _chain("wrong-san.pem"),
                                       "echo-api.amazon.com missing"),
    "certificate without a SAN": (launch_body, _chain("no-san.pem"), "no subject alternative"),
    "certificate not for signing": (launch_body, _chain("no-signing-usage.pem"),
                                    "digital signature"),
    "timestamp 200 s old": (_at(-200), _signed, "TimestampCheck"),
    "timestamp 200 s ahead": (_at(200), _signed, "TimestampCheck"),
    "another skill's id": (lambda: launch_body(skill_id="amzn1.ask.skill.someone-else"), _signed,
                           "SkillIdVerifier: request is for another skill id"),
}


@pytest.mark.parametrize("case", list(SIGNED_REFUSALS))
def test_requests_failing_verification_get_400(verified, pki, case):
    make_body, make_headers, why = SIGNED_REFUSALS[case]
    body = make_body()
    answer = verified.post(body, make_headers(pki, body))
    assert answer.status == 400, (case, answer.status, answer.body)
    assert answer.json == {"error": "request verification failed"}
    refusals = [line for line in verified.log().splitlines() if "refused POST / with" in line]
    assert refusals and why in refusals[-1], (case, refusals[-1:])
    assert_clean_log(verified)


BAD_REQUESTS = {
    # name: (body, content type, status, error)
    "malformed JSON": (b'{"version": "1.0", "request": ', "application/json", 400,
                       "malformed JSON"),
    "JSON nested too deep": (b"[" * 100_000, "application/json", 400, "malformed JSON"),
    "not UTF-8": (b'{"request": "\xff\xfe"}', "application/json", 400, "body is not UTF-8"),
    "JSON that is not an envelope": (b'["LaunchRequest"]', "application/json", 400,
                                     "not an Alexa request"),
    "envelope without a request": (b'{"version": "1.0", "session": {}}', "application/json", 400,
                                   "not an Alexa request"),
    "oversized body": (b'{"pad": "' + b"x" * (128 * 1024) + b'"}', "application/json", 413,
                       "request body too large"),
    "form content type": (b"{}", "application/x-www-form-urlencoded", 415,
                          "expected application/json"),
    "no content type": (b"{}", None, 415, "expected application/json"),
    "JSON in Latin-1": (b"{}", "application/json; charset=latin-1", 415, "expected UTF-8 JSON"),
}


@pytest.mark.parametrize("case", list(BAD_REQUESTS))
def test_bad_requests_get_a_short_json_error(verified, pki, case):
    body, content_type, status, error = BAD_REQUESTS[case]
    answer = verified.post(body, pki.headers(body), content_type=content_type)
    assert (answer.status, answer.json) == (status, {"error": error}), case
    assert answer.content_type.startswith("application/json")
    assert_clean_log(verified)


def test_other_methods_and_paths_get_json_4xx(verified):
    answer = verified.get("/")
    assert (answer.status, answer.json) == (405, {"error": "method not allowed"})
    assert verified.get("/nowhere").status == 404
    assert_clean_log(verified)


# --- switched off, and refusing to start -----------------------------------------------------


def test_no_verify_serves_unsigned_requests_and_says_so_loudly(unverified):
    assert "WARNING" in unverified.log() and "REQUEST VERIFICATION IS OFF" in unverified.log()
    health = unverified.get("/healthz").json
    assert health["verification"] == {"signature": False, "timestamp": False, "skill_id": True,
                                      "replay": False}
    answer = unverified.post(launch_body())
    assert answer.status == 200 and "not medical advice" in Reply(answer.json).speech
    # SKILL_ID is still enforced when set: it is the skill's own setting, not a signature check.
    assert unverified.post(launch_body(skill_id="amzn1.ask.skill.other")).status == 400
    assert_clean_log(unverified)


def test_refuses_to_start_with_verification_but_no_skill_id(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SKILL_ID" and not k.startswith("WEB_")}
    command = [sys.executable, "-m", "webservice.service", "--port", str(webserver.free_port())]
    done = subprocess.run(command, cwd=webserver.ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "SKILL_ID is not set" in done.stderr and "--no-verify" in done.stderr
    assert "Traceback" not in done.stderr


def test_dev_server_flag_serves_too(tmp_path):
    server = webserver.start(["--dev", "--no-verify"], {"DATA_DIR": str(tmp_path)},
                             tmp_path / "dev.log")
    try:
        assert server.post(launch_body()).status == 200
        assert "development server" in server.log()
    finally:
        server.stop()


# --- the oscrypto fix ------------------------------------------------------------------------

OLD_OSCRYPTO_REGEX = r"\b(\d\.\d\.\d[a-z]*)\b"


def _libcrypto_version() -> str | None:
    """What oscrypto reads: OpenSSL_version(0) of the libcrypto ctypes finds."""
    path = ctypes.util.find_library("crypto")
    if not path:
        return None
    library = ctypes.CDLL(path)
    library.OpenSSL_version.restype = ctypes.c_char_p
    library.OpenSSL_version.argtypes = [ctypes.c_int]
    return library.OpenSSL_version(0).decode()


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=webserver.ROOT, capture_output=True,
                          text=True, timeout=120)


def test_without_the_fix_oscrypto_fails_on_this_machine():
    version = _libcrypto_version()
    if version is None or re.search(OLD_OSCRYPTO_REGEX, version):
        pytest.skip(f"oscrypto 1.3.0 can read this OpenSSL version: {version!r}")
    done = _python("import oscrypto.asymmetric")
    assert done.returncode != 0
    assert "Error detecting the version of libcrypto" in done.stderr


@pytest.mark.parametrize("backend", ["cffi", "ctypes"])
def test_with_the_fix_certvalidator_validates_a_chain(pki, backend):
    good = pki.chain_dir / "good.pem"
    done = _python(f"""
from webservice import oscrypto_fix  # installs the fix
import oscrypto
if {backend!r} == "ctypes":
    oscrypto.use_ctypes()
import oscrypto.asymmetric
from asn1crypto import pem
from certvalidator import CertificateValidator, ValidationContext
from oscrypto._openssl import _libcrypto
chain = [der for _, _, der in pem.unarmor(open({str(good)!r}, "rb").read(), multiple=True)]
root = open({str(pki.root_file)!r}, "rb").read()
path = CertificateValidator(chain[0], chain[1:], ValidationContext(trust_roots=[root])) \\
    .validate_usage({{"digital_signature"}})
print(len(path), _libcrypto.libcrypto_version_info, sorted(oscrypto_fix.patched))
""")
    assert done.returncode == 0, done.stderr
    length, _ = done.stdout.split(" ", 1)
    assert length == "3"  # leaf, intermediate, root
    if not re.search(OLD_OSCRYPTO_REGEX, _libcrypto_version() or "0.0.0"):
        assert f"oscrypto._openssl._libcrypto_{backend}" in done.stdout


def test_the_fix_steps_aside_for_a_fixed_oscrypto(tmp_path):
    from webservice.oscrypto_fix import NEW_REGEX, OLD_REGEX, OscryptoVersionFix
    package = tmp_path / "oscrypto" / "_openssl"
    package.mkdir(parents=True)
    name = "oscrypto._openssl._libcrypto_cffi"
    module = package / "_libcrypto_cffi.py"
    module.write_text(f"import re\nversion = re.search({NEW_REGEX}, 'OpenSSL 3.0.19').group(1)\n")
    assert OscryptoVersionFix().find_spec(name, [str(package)]) is None
    module.write_text(f"import re\nversion = re.search({OLD_REGEX}, 'OpenSSL 3.0.19').group(1)\n")
    spec = OscryptoVersionFix().find_spec(name, [str(package)])
    assert spec is not None
    namespace: dict = {}
    exec(spec.loader.get_code(name), namespace)
    assert namespace["version"] == "3.0.19"
    assert OscryptoVersionFix().find_spec("oscrypto.asymmetric", [str(package)]) is None


# --- the certificate cache -------------------------------------------------------------------


def test_certificate_cache_respects_expiry_age_and_size():
    from webservice.certcache import CertificateCache
    now = [1000.0]
    cache = CertificateCache(max_age=100, max_entries=2, clock=lambda: now[0])
    cache.put("a", "cert-a", not_after=1050)  # expires before max_age
    cache.put("b", "cert-b", not_after=10_000)  # max_age wins: 1100
    assert (cache.get("a"), cache.get("b")) == ("cert-a", "cert-b")
    now[0] = 1050
    assert cache.get("a") is None and cache.get("b") == "cert-b"
    now[0] = 1100
    assert cache.get("b") is None and len(cache) == 0
    for url in "xyz":
        cache.put(url, url, not_after=10_000)
    assert len(cache) == 2 and cache.get("x") is None  # the oldest went first
