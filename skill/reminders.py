"""The follow-up reminder: when it fires, and the Alexa Reminders API call.

The SDK's DefaultApiClient calls `requests` with no timeout at all; a slow
Alexa API would then eat the whole 8-second answer budget and leave a person
in pain with silence. TimeoutApiClient bounds every call. It imports
`requests` at its first call, not at start-up: the requests / urllib3 stack
cost most of the skill's cold start, and only a reminder needs it.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClient, ApiClientResponse

log = logging.getLogger("skill")

SCOPE = "alexa::alerts:reminders:skill:readwrite"
REMINDER_HOUR = 10  # local time: late enough not to wake anyone, early enough to call the clinic


class TimeoutApiClient(ApiClient):
    """The SDK's DefaultApiClient, with connect and read timeouts and an optional private CA bundle.

    The time zone lookup only decides how the time is said, so it gets a
    shorter leash: both calls together stay under two seconds.
    """

    def __init__(self, connect_s: float = 0.5, read_s: float = 1.0, ca_bundle: str | None = None,
                 lookup_read_s: float = 0.4):
        self.timeout = (connect_s, read_s)
        self.lookup_timeout = (connect_s, lookup_read_s)
        self.ca_bundle = ca_bundle
        self._session: Any = None

    @property
    def session(self) -> Any:
        """The requests Session, made (and requests imported) at the first call."""
        if self._session is None:
            import requests

            session = requests.Session()
            session.trust_env = False  # no proxies or CA bundles picked up from the environment
            session.verify = self.ca_bundle or True
            self._session = session
        return self._session

    def invoke(self, request) -> ApiClientResponse:
        if not (request.url or "").startswith("https://"):
            raise ApiClientException("Requests against non-HTTPS endpoints are not allowed.")
        headers = _header_dict(request.headers)
        body = request.body
        if body is not None and "json" in (headers.get("Content-type") or ""):
            body = json.dumps(body)
        session = self.session
        import requests  # already loaded by the session above

        try:
            timeout = self.lookup_timeout if request.method == "GET" else self.timeout
            response = session.request(request.method, request.url, headers=headers,
                                       data=body, timeout=timeout)
        except requests.RequestException as error:
            raise ApiClientException(f"Alexa API call failed: {type(error).__name__}") from error
        return ApiClientResponse(headers=_header_pairs(response.headers),
                                 status_code=response.status_code, body=response.text)


def _header_dict(pairs: list[tuple[str, str]] | None) -> dict[str, str]:
    """Header pairs as one dict, repeated names joined with commas (as DefaultApiClient does)."""
    headers: dict[str, str] = {}
    for name, value in pairs or ():
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _header_pairs(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """Response headers as pairs, comma-joined values split (as DefaultApiClient does)."""
    return [(name, part.strip()) for name, value in headers.items()
            for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class Schedule:
    """When the reminder fires: at a local date and time, or (no time zone) after an offset."""
    local_time: datetime | None
    time_zone: str | None
    offset_seconds: int | None


def schedule(days: int, time_zone: str | None, now: datetime | None = None) -> Schedule:
    now = now or datetime.now(timezone.utc)
    if time_zone:
        try:
            from zoneinfo import ZoneInfo
            local = now.astimezone(ZoneInfo(time_zone))
        except (ValueError, KeyError, ImportError, OSError):
            local = None
        if local is not None:
            when = (local + timedelta(days=days)).replace(
                hour=REMINDER_HOUR, minute=0, second=0, microsecond=0, tzinfo=None)
            return Schedule(when, time_zone, None)
    return Schedule(None, None, days * 24 * 60 * 60)


def has_permission(request_envelope: Any) -> bool:
    """Whether the user has already granted the reminders permission."""
    system = getattr(getattr(request_envelope, "context", None), "system", None)
    scopes = getattr(getattr(getattr(system, "user", None), "permissions", None), "scopes", None)
    scope = (scopes or {}).get(SCOPE) if isinstance(scopes, dict) else None
    status = getattr(getattr(scope, "status", None), "value", getattr(scope, "status", None))
    return status == "GRANTED"


def device_time_zone(service_client_factory: Any, request_envelope: Any) -> str | None:
    """The device's time zone, or None if it cannot be had quickly."""
    system = getattr(getattr(request_envelope, "context", None), "system", None)
    device = getattr(system, "device", None)
    device_id = getattr(device, "device_id", None)
    if not device_id:
        return None
    try:
        zone = service_client_factory.get_ups_service().get_system_time_zone(device_id)
    except Exception as error:  # noqa: BLE001 - a missing zone only changes how the time is said
        log.info("time zone lookup failed: %s", type(error).__name__)
        return None
    return zone if isinstance(zone, str) and zone else None


def create(service_client_factory: Any, plan: Schedule, text: str, locale: str) -> None:
    """Create the reminder; raises on any API failure (the caller speaks for it)."""
    from ask_sdk_model.services.reminder_management import (AlertInfo, PushNotification,
                                                            PushNotificationStatus, ReminderRequest,
                                                            SpokenInfo, SpokenText, Trigger,
                                                            TriggerType)
    if plan.local_time is not None:
        trigger = Trigger(object_type=TriggerType.SCHEDULED_ABSOLUTE,
                          scheduled_time=plan.local_time, time_zone_id=plan.time_zone)
    else:
        trigger = Trigger(object_type=TriggerType.SCHEDULED_RELATIVE,
                          offset_in_seconds=plan.offset_seconds)
    request = ReminderRequest(
        request_time=datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0),
        trigger=trigger,
        alert_info=AlertInfo(
            spoken_info=SpokenInfo(content=[SpokenText(locale=locale, text=text)])),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED))
    service_client_factory.get_reminder_management_service().create_reminder(request)
