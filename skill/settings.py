"""Settings: the clinic's facts and the deployment's choices, from the environment.

Another clinic re-brands the skill by setting these variables, nothing else.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit


class SettingsError(ValueError):
    """A setting has a value the skill cannot use; the message names it."""


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "back-spasm-helper"


def _on_lambda() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


PERSISTENCE_CHOICES = ("sqlite", "dynamodb", "none")


@dataclass(frozen=True)
class Settings:
    clinic_name: str = "Neuroscience Group"
    clinic_phone: str = "920-725-9373"
    appointment_url: str = "https://www.neurosciencegroup.com/request-an-appointment/"
    # The skill store's privacy and terms pages (skill.json); placeholders until the clinic
    # publishes pages written for the skill.
    privacy_url: str = "https://www.neurosciencegroup.com/privacy-policy/"
    terms_url: str = "https://www.neurosciencegroup.com/terms-of-use/"
    emergency_number: str = "911"
    # Overrides of emergency_number for one locale each, from EMERGENCY_NUMBER_ES_US and the
    # like: (("es-US", "911"),). A request in any other locale hears emergency_number.
    emergency_by_locale: tuple[tuple[str, str], ...] = ()
    skill_id: str | None = None  # when set, requests for other skills are refused
    locale: str = "en-US"  # used when a request carries no locale
    # Memory: SQLite off Lambda, DynamoDB on it (see README, "Memory").
    persistence: str = field(default_factory=lambda: "dynamodb" if _on_lambda() else "sqlite")
    data_dir: Path = field(default_factory=_default_data_dir)
    table_name: str = "BackSpasmHelperMemory"
    ttl_days: int = 30
    reminder_days: int = 7
    # A private CA bundle for the Alexa API's certificate; tests point the API at a local
    # HTTPS server. Unset in production (the system's trusted CAs apply).
    api_ca_bundle: str | None = None

    # Environment variable for each field.
    ENV = {
        "clinic_name": "CLINIC_NAME",
        "clinic_phone": "CLINIC_PHONE",
        "appointment_url": "CLINIC_APPOINTMENT_URL",
        "privacy_url": "PRIVACY_URL",
        "terms_url": "TERMS_URL",
        "emergency_number": "EMERGENCY_NUMBER",
        "skill_id": "SKILL_ID",
        "locale": "DEFAULT_LOCALE",
        "persistence": "PERSISTENCE",
        "data_dir": "DATA_DIR",
        "table_name": "TABLE_NAME",
        "ttl_days": "MEMORY_TTL_DAYS",
        "reminder_days": "REMINDER_DAYS",
        "api_ca_bundle": "ALEXA_API_CA_BUNDLE",
    }

    def __post_init__(self) -> None:
        numbers = [(self.ENV[name], getattr(self, name))
                   for name in ("clinic_phone", "emergency_number")]
        numbers += [(emergency_variable(locale), number)
                    for locale, number in self.emergency_by_locale]
        for variable, value in numbers:
            if not re.search(r"\d", value) or re.search(r"[^\d\s().+-]", value):
                raise SettingsError(f"{variable}={value!r} is not a phone number")
        if not self.clinic_name.strip():
            raise SettingsError(f"{self.ENV['clinic_name']} is empty")
        for name in ("appointment_url", "privacy_url", "terms_url"):
            if not _is_web_address(getattr(self, name)):
                raise SettingsError(f"{self.ENV[name]}={getattr(self, name)!r} is not a web address")
        if self.persistence not in PERSISTENCE_CHOICES:
            raise SettingsError(f"{self.ENV['persistence']}={self.persistence!r}: "
                                f"choose one of {', '.join(PERSISTENCE_CHOICES)}")
        for name in ("ttl_days", "reminder_days"):
            if not 1 <= getattr(self, name) <= 365:
                raise SettingsError(f"{self.ENV[name]} must be a number of days from 1 to 365")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = environ.get(cls.ENV.get(f.name, ""), "").strip()
            if raw:
                values[f.name] = _convert(f.name, raw)
        values["emergency_by_locale"] = tuple(sorted(
            (f"{m.group(1).lower()}-{m.group(2)}", raw.strip()) for m, raw in
            ((_LOCALE_NUMBER.fullmatch(k), v) for k, v in environ.items()) if m and raw.strip()))
        return cls(**values)

    def emergency_for(self, locale: str | None) -> str:
        """The emergency number for a request's locale: its own setting, else EMERGENCY_NUMBER."""
        wanted = (locale or self.locale).lower()
        return next((number for name, number in self.emergency_by_locale if name.lower() == wanted),
                    self.emergency_number)

    def speech_values_for(self, locale: str | None) -> dict[str, str]:
        """The facts content may name: {clinic}, {url}, {emergency}, {days}."""
        return {"clinic": self.clinic_name, "url": self.appointment_url,
                "emergency": self.emergency_for(locale), "days": str(self.reminder_days)}

    @property
    def speech_values(self) -> dict[str, str]:
        """speech_values_for the default locale."""
        return self.speech_values_for(None)


_LOCALE_NUMBER = re.compile(r"EMERGENCY_NUMBER_([A-Z]{2,3})_([A-Z]{2})")


def emergency_variable(locale: str) -> str:
    """The variable that sets a locale's emergency number: es-US -> EMERGENCY_NUMBER_ES_US."""
    return "EMERGENCY_NUMBER_" + locale.upper().replace("-", "_")


def _is_web_address(value: str) -> bool:
    """http(s), a host, and nothing a card or the skill store would show broken."""
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # such as an unclosed [IPv6] bracket
        return False
    return parts.scheme in ("https", "http") and bool(host) and not re.search(r"\s", value)


def _convert(name: str, raw: str) -> object:
    if name == "data_dir":
        return Path(raw).expanduser()
    if name in ("ttl_days", "reminder_days"):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{Settings.ENV[name]}={raw!r} is not a whole number") from None
    return raw
