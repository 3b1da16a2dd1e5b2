"""The self-hosted web service: the skill behind Flask-Ask-SDK, on waitress.

    python -m webservice [--host H] [--port P] [--no-verify] [--dev]

Alexa's request checks are on unless ``--no-verify`` (or WEB_VERIFY=0) turns them off; with them
on, SKILL_ID must be set. See README, "Web service". Importing ``skill`` never imports this.
"""
from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
from pathlib import Path
from collections.abc import Sequence

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from skill import build_skill
from skill.settings import Settings, SettingsError
from . import oscrypto_fix  # webservice installs it before its modules import certvalidator
from .adapter import CheckedSkillAdapter
from .config import ConfigError, WebConfig
from .replay import ReplayGuard
from .verify import (AlexaSignatureVerifier, DirectoryChainLoader, SkillIdVerifier,
                     TimestampCheck, warm_up)

log = logging.getLogger("webservice")

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Alexa's headers are about 1 KiB (the signature, the chain URL); waitress answers 431 beyond.
MAX_HEADER_BYTES = 32 * 1024

NO_VERIFY_WARNING = (
    "REQUEST VERIFICATION IS OFF (--no-verify or WEB_VERIFY=0): anyone who can reach this port "
    "can talk to the skill as if they were Alexa. Use this for local testing only.")


class StartupError(RuntimeError):
    """The service cannot start as configured; the message says what to change."""


def create_app(config: WebConfig | None = None, settings: Settings | None = None) -> Flask:
    config = config or WebConfig.from_env()
    settings = settings or Settings.from_env()
    if config.verify and not settings.skill_id:
        raise StartupError(
            "SKILL_ID is not set. With request verification on, the service needs the skill id "
            "to refuse requests signed by Alexa for other skills. Set SKILL_ID=amzn1.ask.skill..."
            " (developer console, the skill's 'Copy Skill ID'), or pass --no-verify for local "
            "testing only.")
    signature, verifiers = _verifiers(config, settings)
    app = Flask("webservice.service")
    app.config.update(
        ASK_SDK_VERIFY_SIGNATURE=False,  # the SDK's own verifiers: ours replace them
        ASK_SDK_VERIFY_TIMESTAMP=False,
        MAX_CONTENT_LENGTH=config.max_body_bytes)
    adapter = CheckedSkillAdapter(build_skill(settings), settings.skill_id or "any", verifiers,
                                  app, config.max_body_bytes)
    adapter.register(app, "/")

    @app.get("/healthz")
    def healthz():
        body = {
            "status": "ok",
            "skill": "ready",
            "verification": {"signature": signature is not None,
                             "timestamp": any(isinstance(v, TimestampCheck) for v in verifiers),
                             "skill_id": any(isinstance(v, SkillIdVerifier) for v in verifiers),
                             "replay": any(isinstance(v, ReplayGuard) for v in verifiers)},
            "max_body_bytes": config.max_body_bytes,
            "oscrypto_fix": "applied" if oscrypto_fix.patched else "not needed",
            "test_hooks": signature is not None and config.test_hooks,
        }
        if signature is not None:
            body["certificates"] = {"cached": len(signature.cache),
                                    "downloads": signature.cache.downloads}
        return jsonify(body)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = jsonify(error=(error.name or "error").lower())
        response.status_code = error.code or 500
        return response

    @app.errorhandler(Exception)
    def internal_error(error: Exception):
        log.exception("internal error while answering a request")
        response = jsonify(error="internal error")
        response.status_code = 500
        return response

    return app


def _verifiers(config: WebConfig, settings: Settings):
    signature = None
    verifiers: list = []
    if config.verify:
        try:
            warm_up()
        except Exception as error:  # noqa: BLE001 - reported, and start-up stops
            raise StartupError(f"request verification cannot work here: libcrypto or the "
                               f"system's trusted CA certificates failed to load "
                               f"({type(error).__name__}: {error})") from None
        signature = AlexaSignatureVerifier(**_test_hooks(config))
        verifiers += [signature, TimestampCheck()]
    else:
        log.warning(NO_VERIFY_WARNING)
        if config.test_hooks:
            log.warning("WEB_TEST_* settings ignored: verification is off")
    if settings.skill_id:
        verifiers.append(SkillIdVerifier(settings.skill_id))
    if config.verify:
        verifiers.append(ReplayGuard())  # last: only requests that passed every check count
    return signature, verifiers


def _test_hooks(config: WebConfig) -> dict:
    hooks: dict = {}
    if config.test_trust_root is not None:
        log.warning("TEST HOOK: trusting the extra root CA in %s (WEB_TEST_TRUST_ROOT)",
                    config.test_trust_root)
        try:
            hooks["extra_trust_roots"] = [Path(config.test_trust_root).read_bytes()]
        except OSError as error:
            raise StartupError(f"WEB_TEST_TRUST_ROOT: {error}") from None
    if config.test_cert_chain_dir is not None:
        log.warning("TEST HOOK: certificate chains read from %s, not downloaded "
                    "(WEB_TEST_CERT_CHAIN_DIR)", config.test_cert_chain_dir)
        if not Path(config.test_cert_chain_dir).is_dir():
            raise StartupError(f"WEB_TEST_CERT_CHAIN_DIR={config.test_cert_chain_dir} is not a "
                               "directory")
        hooks["loader"] = DirectoryChainLoader(config.test_cert_chain_dir)
    return hooks


def port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m webservice",
        description="Serve the skill to Alexa over HTTP (POST /, GET /healthz).")
    parser.add_argument("--host", help="address to listen on (WEB_HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=port, help="port (WEB_PORT, default 3000)")
    parser.add_argument("--no-verify", action="store_true",
                        help="turn off signature, timestamp checks (WEB_VERIFY=0); testing only")
    parser.add_argument("--dev", action="store_true",
                        help="Flask's development server instead of waitress; debugging only")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    level = "DEBUG" if args.dev else os.environ.get("WEB_LOG_LEVEL", "").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        print(f"webservice.service: cannot start: WEB_LOG_LEVEL={level!r}: use one of "
              f"{', '.join(LOG_LEVELS)}", file=sys.stderr)
        return 2
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = WebConfig.from_env()
        overrides = {"host": args.host, "port": args.port, "verify": False if args.no_verify
                     else None}
        config = dataclasses.replace(
            config, **{k: v for k, v in overrides.items() if v is not None})
        app = create_app(config, Settings.from_env())
    except (ConfigError, SettingsError, StartupError) as error:
        print(f"webservice.service: cannot start: {error}", file=sys.stderr)
        return 2
    state = "on" if config.verify else "OFF"
    try:
        if args.dev:
            log.warning("Flask development server: for local debugging only, never for Alexa")
            if config.host not in ("127.0.0.1", "localhost", "::1"):
                log.warning("the development server is listening beyond this machine: %s",
                            config.host)
            log.info("serving on http://%s:%d (verification %s)", config.host, config.port, state)
            app.run(host=config.host, port=config.port, debug=False, use_reloader=False)
        else:
            import waitress
            log.info("serving on http://%s:%d with waitress (verification %s)",
                     config.host, config.port, state)
            waitress.serve(app, host=config.host, port=config.port, threads=config.threads,
                           # Flask answers 413 up to 4x the limit; waitress refuses beyond
                           max_request_body_size=max(4 * config.max_body_bytes, 1 << 20),
                           max_request_header_size=MAX_HEADER_BYTES,
                           channel_timeout=config.channel_timeout,
                           # idle connections are looked for this often
                           cleanup_interval=min(10, config.channel_timeout),
                           connection_limit=config.connection_limit,
                           asyncore_use_poll=True,  # select() stops at 1024 descriptors
                           ident="back-spasm-helper")
    except OSError as error:
        print(f"webservice.service: cannot listen on {config.host}:{config.port}: {error}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
