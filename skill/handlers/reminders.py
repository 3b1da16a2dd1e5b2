"""The follow-up reminder: asking permission by voice, and setting it (effects of the table)."""
from __future__ import annotations

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.services import ServiceException

from .. import metrics, reminders
from ..dialogue import Event
from .base import RequestTypeHandler
from .dialogue import answer
from .turn import Turn

log = logging.getLogger("skill")
ASK_FOR = "AskFor"


def request_reminder(turn: Turn) -> Event | Response:
    """Set it if allowed (the result, as an event); otherwise let Alexa ask for permission."""
    if reminders.has_permission(turn.input.request_envelope):
        return set_reminder(turn)
    # Imported here: the connections models cost a cold start that asks for nothing.
    from ask_sdk_model.interfaces.connections import SendRequestDirective

    builder = turn.input.response_builder
    builder.add_directive(SendRequestDirective(
        name=ASK_FOR, token="follow-up-reminder",
        payload={"@type": "AskForPermissionsConsentRequest", "@version": "1",
                 "permissionScope": reminders.SCOPE}))
    return builder.response


def set_reminder(turn: Turn) -> Event:
    envelope = turn.input.request_envelope
    try:
        factory = turn.input.service_client_factory
        plan = reminders.schedule(turn.context.settings.reminder_days,
                                  reminders.device_time_zone(factory, envelope))
        text = turn.say("reminders.text").plain  # no health details: others may hear it
        reminders.create(factory, plan, text, turn.locale or turn.context.settings.locale)
    except Exception as error:  # noqa: BLE001 - 401, 403, 429, 500, timeouts alike
        status = getattr(error, "status_code", None) \
            if isinstance(error, ServiceException) else None
        log.warning("reminder not set: %s %s", type(error).__name__, status or "")
        return Event("reminder_failed", auth_failed=status in (401, 403))
    metrics.count("RemindersSet")
    when = plan.local_time
    if when is None:
        return Event("reminder_set")
    return Event("reminder_set", when=(when.weekday(), when.month - 1, when.day))


class PermissionResponseHandler(RequestTypeHandler):
    """Alexa's answer to AskFor: accepted, denied, not answered, or not supported here."""
    request_type = "Connections.Response"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return super().can_handle(handler_input) and \
            getattr(handler_input.request_envelope.request, "name", None) == ASK_FOR

    def respond(self, turn: Turn) -> Response:
        request = turn.input.request_envelope.request
        code = str(getattr(getattr(request, "status", None), "code", ""))
        payload = getattr(request, "payload", None)
        payload = payload if isinstance(payload, dict) else {}
        status = payload.get("status")
        if code != "200":
            event = Event("permission_unsupported")
        elif status == "ACCEPTED":
            event = set_reminder(turn)
        elif status == "DENIED":
            event = Event("permission_denied")
        else:
            event = Event("permission_unanswered")
        return answer(turn, event)
