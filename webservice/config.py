"""The web service's own settings, from the environment; command-line flags override them.

The skill's settings (clinic, SKILL_ID...) stay in ``skill.settings``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Mapping

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


class ConfigError(ValueError):
    """A web setting has a value the service cannot use; the message names it."""


@dataclass(frozen=True)
class WebConfig:
    host: str = "127.0.0.1"
    port: int = 3000
    verify: bool = True  # signature, timestamp and skill id; off only on purpose
    max_body_bytes: int = 128 * 1024  # Alexa's requests are a few KiB
    threads: int = 4
    # Slow or idle clients: waitress reads each request whole before a worker thread sees it, so
    # they hold only a connection. An idle one is closed after channel_timeout seconds (Alexa
    # sends each request at once; a reverse proxy reconnects), and at most connection_limit are
    # open at a time (each is a file descriptor; beyond it, new connections wait).
    channel_timeout: int = 30
    connection_limit: int = 200
    # Test-only hooks, off unless set. See README, "Web service".
    test_trust_root: Path | None = None  # an extra root CA (PEM) trusted for signing chains
    test_cert_chain_dir: Path | None = None  # chains read from here instead of downloaded

    @property
    def test_hooks(self) -> bool:
        return self.test_trust_root is not None or self.test_cert_chain_dir is not None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WebConfig:
        env = os.environ if environ is None else environ
        values: dict = {}
        if env.get("WEB_HOST", "").strip():
            values["host"] = env["WEB_HOST"].strip()
        for name, var, low, high in (("port", "WEB_PORT", 0, 65535),
                                     ("max_body_bytes", "WEB_MAX_BODY_BYTES", 1024, 16 << 20),
                                     ("threads", "WEB_THREADS", 1, 64),
                                     ("channel_timeout", "WEB_CHANNEL_TIMEOUT", 1, 3600),
                                     ("connection_limit", "WEB_CONNECTION_LIMIT", 8, 900)):
            if env.get(var, "").strip():
                values[name] = parse_int(var, env[var], low, high)
        if env.get("WEB_VERIFY", "").strip():
            values["verify"] = parse_bool("WEB_VERIFY", env["WEB_VERIFY"])
        for name, var in (("test_trust_root", "WEB_TEST_TRUST_ROOT"),
                          ("test_cert_chain_dir", "WEB_TEST_CERT_CHAIN_DIR")):
            if env.get(var, "").strip():
                values[name] = Path(env[var].strip())
        return cls(**values)


def parse_int(name: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ConfigError(f"{name}={text!r} is not a whole number") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={value} is outside {low}..{high}")
    return value


def parse_bool(name: str, text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE | FALSE:
        return word in TRUE
    raise ConfigError(f"{name}={text!r}: use 1 or 0")
