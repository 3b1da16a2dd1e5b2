"""Settings: the clinic's facts and the deployment's choices, from the environment.

Another clinic re-brands the skill by setting these variables, nothing else.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from typing import Mapping


class SettingsError(ValueError):
    """A setting has a value the skill cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    clinic_name: str = "Neuroscience Group"
    clinic_phone: str = "920-725-9373"
    appointment_url: str = "https://www.neurosciencegroup.com/request-an-appointment/"
    emergency_number: str = "911"
    skill_id: str | None = None  # when set, requests for other skills are refused
    locale: str = "en-US"  # used when a request carries no locale

    # Environment variable for each field.
    ENV = {
        "clinic_name": "CLINIC_NAME",
        "clinic_phone": "CLINIC_PHONE",
        "appointment_url": "CLINIC_APPOINTMENT_URL",
        "emergency_number": "EMERGENCY_NUMBER",
        "skill_id": "SKILL_ID",
        "locale": "DEFAULT_LOCALE",
    }

    def __post_init__(self) -> None:
        for name in ("clinic_phone", "emergency_number"):
            value = getattr(self, name)
            if not re.search(r"\d", value) or re.search(r"[^\d\s().+-]", value):
                raise SettingsError(f"{self.ENV[name]}={value!r} is not a phone number")
        if not self.clinic_name.strip():
            raise SettingsError(f"{self.ENV['clinic_name']} is empty")
        if not self.appointment_url.startswith(("https://", "http://")):
            raise SettingsError(
                f"{self.ENV['appointment_url']}={self.appointment_url!r} is not a web address")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        environ = os.environ if environ is None else environ
        values = {
            f.name: environ[cls.ENV[f.name]].strip()
            for f in fields(cls)
            if environ.get(cls.ENV[f.name], "").strip()
        }
        return cls(**values)

    @property
    def speech_values(self) -> dict[str, str]:
        """The clinic facts content may name: {clinic}, {url}, {emergency}."""
        return {"clinic": self.clinic_name, "url": self.appointment_url,
                "emergency": self.emergency_number}
