"""Request envelopes shaped as Alexa sends them (ask-sdk-model JSON), without tokens."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from .model import InteractionModel

SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
USER_ID = "amzn1.ask.account.TESTUSER"
DEVICE_ID = "amzn1.ask.device.TESTDEVICE"
# context.System.device.supportedInterfaces of a device with a screen (an Echo Show): APL, with
# the newest runtime version devices report. A speaker lists none.
SCREEN = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2024.3"}}}


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(request: dict, session: dict | None, *, skill_id: str = SKILL_ID,
             user_id: str = USER_ID, locale: str = "en-US",
             interfaces: dict | None = None) -> dict:
    """`interfaces`: the device's supportedInterfaces (SCREEN for an Echo Show; none: a speaker)."""
    body: dict[str, Any] = {
        "version": "1.0",
        "context": {"System": {
            "application": {"applicationId": skill_id},
            "user": {"userId": user_id},
            "device": {"deviceId": DEVICE_ID, "supportedInterfaces": dict(interfaces or {})},
            "apiEndpoint": "https://api.amazonalexa.com",
        }},
        "request": {"requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
                    "timestamp": _now(), "locale": locale, **request},
    }
    if session is not None:
        body["session"] = session
    return body


def new_session(skill_id: str = SKILL_ID, user_id: str = USER_ID) -> dict:
    return {"new": True, "sessionId": f"amzn1.echo-api.session.{uuid.uuid4()}",
            "application": {"applicationId": skill_id}, "user": {"userId": user_id},
            "attributes": {}}


def launch() -> dict:
    return {"type": "LaunchRequest"}


def user_event(*arguments: Any, token: str = "backSpasmHelperScreen") -> dict:
    """A touch on a screen: what a SendEvent command sends, with the button's arguments."""
    return {"type": "Alexa.Presentation.APL.UserEvent", "token": token,
            "arguments": list(arguments),
            "source": {"type": "TouchWrapper", "handler": "Press", "id": "button"}}


def session_ended(reason: str = "USER_INITIATED") -> dict:
    return {"type": "SessionEndedRequest", "reason": reason}


def intent(name: str, slots: dict[str, str | None] | None = None, *,
           model: InteractionModel | None = None, skill_id: str = SKILL_ID,
           locale: str = "en-US") -> dict:
    """An IntentRequest; custom-type slots carry entity resolutions from the locale's model."""
    model = model or InteractionModel.load(locale)
    built: dict[str, dict[str, Any]] = {}
    for slot, value in (slots or {}).items():
        built[slot] = {"name": slot, "confirmationStatus": "NONE"}
        if value is None:
            continue
        built[slot]["value"] = value
        type_name = model.slot_type(name, slot)
        if type_name and not type_name.startswith("AMAZON."):
            built[slot]["resolutions"] = _resolutions(model, type_name, value, skill_id)
    return {"type": "IntentRequest", "dialogState": "STARTED",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": built}}


def can_fulfill(name: str, slots: dict[str, str | None] | None = None, *,
                model: InteractionModel | None = None, skill_id: str = SKILL_ID,
                locale: str = "en-US") -> dict:
    """A CanFulfillIntentRequest: Alexa asking, before choosing a skill, about this intent."""
    request = intent(name, slots, model=model, skill_id=skill_id, locale=locale)
    del request["dialogState"]
    return {**request, "type": "CanFulfillIntentRequest"}


def _resolutions(model: InteractionModel, type_name: str, value: str, skill_id: str) -> dict:
    match = model.resolve(type_name, value)
    authority: dict[str, Any] = {
        "authority": f"amzn1.er-authority.echo-sdk.{skill_id}.{type_name}"}
    if match.id is None:
        authority["status"] = {"code": "ER_SUCCESS_NO_MATCH"}
    else:
        authority["status"] = {"code": "ER_SUCCESS_MATCH"}
        authority["values"] = [{"value": {"name": match.name, "id": match.id}}]
    return {"resolutionsPerAuthority": [authority]}
