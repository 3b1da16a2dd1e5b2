"""Settings: the clinic's facts and the deployment's choices, from the environment.

Another clinic re-brands the skill by configuration alone: a clinic file named by
CLINIC_SETTINGS (JSON, see clinics/neuroscience-group.json) and / or these variables, which
win over the file. Nothing the skill says, shows or sends names a clinic any other way.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit


class SettingsError(ValueError):
    """A setting has a value the skill cannot use; the message names it."""


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "back-spasm-helper"


def _on_lambda() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


PERSISTENCE_CHOICES = ("sqlite", "dynamodb", "none")
# The default clinic's store icon. Only `make skill-package` reads it (a path into this
# repository, absent from the Lambda zip, where nothing asks for it).
DEFAULT_ICON = Path(__file__).resolve().parents[1] / "clinics" / "neuroscience-group" / "icon.svg"


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
    # CloudWatch metrics from each request's log line (skill/metrics.py): the namespace, or
    # None for a plain INFO line (the chat, the web service, tests); the stack's name tells
    # stacks apart on the dashboard.
    metrics_namespace: str | None = None
    metrics_service: str = "back-spasm-helper"
    icon: Path = DEFAULT_ICON  # the SVG the store icons are drawn from (deploy/skill_icons.py)

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
        "metrics_namespace": "METRICS_NAMESPACE",
        "metrics_service": "METRICS_SERVICE",
        "icon": "CLINIC_ICON",
    }

    def __post_init__(self) -> None:
        numbers = [(self.ENV[name], getattr(self, name))
                   for name in ("clinic_phone", "emergency_number")]
        numbers += [(emergency_variable(locale), number)
                    for locale, number in self.emergency_by_locale]
        for variable, value in numbers:
            if not _is_phone_number(value):
                raise SettingsError(f"{variable}={value!r} is not a phone number")
        if not self.clinic_name.strip():
            raise SettingsError(f"{self.ENV['clinic_name']} is empty")
        for name in ("appointment_url", "privacy_url", "terms_url"):
            if not _is_web_address(getattr(self, name)):
                raise SettingsError(
                    f"{self.ENV[name]}={getattr(self, name)!r} is not a web address")
        if self.persistence not in PERSISTENCE_CHOICES:
            raise SettingsError(f"{self.ENV['persistence']}={self.persistence!r}: "
                                f"choose one of {', '.join(PERSISTENCE_CHOICES)}")
        for name in ("ttl_days", "reminder_days"):
            if not 1 <= getattr(self, name) <= 365:
                raise SettingsError(f"{self.ENV[name]} must be a number of days from 1 to 365")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """The clinic file named by CLINIC_SETTINGS, if any, then the variables over it."""
        environ = os.environ if environ is None else environ
        path = environ.get(CLINIC_SETTINGS, "").strip()
        values: dict[str, Any]  # checked by __post_init__, not here
        values, by_locale = read_clinic_file(Path(path).expanduser()) if path else ({}, {})
        for f in fields(cls):
            raw = environ.get(cls.ENV.get(f.name, ""), "").strip()
            if raw:
                values[f.name] = _convert(f.name, raw)
        for key, raw in environ.items():
            match = LOCALE_EMERGENCY_VARIABLE.fullmatch(key)
            if match and raw.strip():
                by_locale[f"{match.group(1).lower()}-{match.group(2)}"] = raw.strip()
        values["emergency_by_locale"] = tuple(sorted(by_locale.items()))
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


LOCALE_EMERGENCY_VARIABLE = re.compile(r"EMERGENCY_NUMBER_([A-Z]{2,3})_([A-Z]{2})")
_LOCALE = re.compile(r"([a-z]{2,3})-([A-Z]{2})")

# The clinic file: the variable naming it, and each key it may hold -> the setting it fills.
CLINIC_SETTINGS = "CLINIC_SETTINGS"
CLINIC_FILE_KEYS = {
    "name": "clinic_name",
    "phone": "clinic_phone",
    "appointment_url": "appointment_url",
    "privacy_url": "privacy_url",
    "terms_url": "terms_url",
    "emergency_number": "emergency_number",
    "icon": "icon",
}
EMERGENCY_BY_LOCALE_KEY = "emergency_number_by_locale"  # {"es-US": "911", ...}
COMMENT_KEY = "_comment"  # JSON has no comments; this key is skipped


def read_clinic_file(path: Path) -> tuple[dict[str, object], dict[str, str]]:
    """A clinic's facts from its JSON file: (settings by field, emergency number by locale).

    JSON rather than YAML: the standard library reads it, so a cold start imports nothing more.
    Every key and value is checked here, so a mistake names the file and the key.
    """
    import json

    where = f"{CLINIC_SETTINGS}={str(path)!r}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"{where}: cannot read it ({error.strerror or error})") from None
    except ValueError as error:
        raise SettingsError(f"{where}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{where}: must hold one JSON object of clinic facts")
    known = [*CLINIC_FILE_KEYS, EMERGENCY_BY_LOCALE_KEY, COMMENT_KEY]
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise SettingsError(f"{where}: unknown key {unknown[0]!r}; the keys are {', '.join(known)}")
    values: dict[str, object] = {}
    for key, name in CLINIC_FILE_KEYS.items():
        if key in data:
            values[name] = _file_value(where, key, data[key], name)
    if "icon" in values:  # beside the clinic file, wherever it is read from
        values["icon"] = (path.parent / str(values["icon"])).expanduser().resolve()
    by_locale = data.get(EMERGENCY_BY_LOCALE_KEY, {})
    if not isinstance(by_locale, dict):
        raise SettingsError(f"{where}: {EMERGENCY_BY_LOCALE_KEY!r} must be an object such as "
                            '{"es-US": "911"}')
    numbers: dict[str, str] = {}
    for locale, number in by_locale.items():
        if not _LOCALE.fullmatch(locale):
            raise SettingsError(f"{where}: {EMERGENCY_BY_LOCALE_KEY!r} has {locale!r}, "
                                "which is not a locale such as es-US")
        numbers[locale] = _file_value(where, f"{EMERGENCY_BY_LOCALE_KEY}.{locale}", number,
                                      "emergency_number")
    return values, numbers


def _file_value(where: str, key: str, value: object, name: str) -> str:
    """A value from the clinic file, checked as the setting `name` checks its variable."""
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{where}: {key!r} must be a non-empty string, not {value!r}")
    value = value.strip()
    if name in ("clinic_phone", "emergency_number") and not _is_phone_number(value):
        raise SettingsError(f"{where}: {key!r} = {value!r} is not a phone number")
    if name.endswith("_url") and not _is_web_address(value):
        raise SettingsError(f"{where}: {key!r} = {value!r} is not a web address")
    return value


def _is_phone_number(value: str) -> bool:
    """Digits, with only the spacing and punctuation people write numbers with."""
    return bool(re.search(r"\d", value)) and not re.search(r"[^\d\s().+-]", value)


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
    if name in ("data_dir", "icon"):
        return Path(raw).expanduser()
    if name in ("ttl_days", "reminder_days"):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{Settings.ENV[name]}={raw!r} is not a whole number") from None
    return raw
