"""The follow-up reminder: asking permission by voice, and setting it."""
from __future__ import annotations

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.services import ServiceException
from ask_sdk_model.ui import AskForPermissionsConsentCard

from .. import reminders
from ..state import Pending
from .base import IntentHandler, RequestTypeHandler
from .turn import Turn

log = logging.getLogger("skill")
ASK_FOR = "AskFor"


def request_reminder(turn: Turn) -> Response:
    """Set it if allowed; otherwise let Alexa ask the person for permission."""
    if reminders.has_permission(turn.input.request_envelope):
        return set_reminder(turn)
    turn.state.pending = Pending.ANYTHING_ELSE  # where the conversation goes on afterwards
    # Imported here: the connections models cost a cold start that asks for nothing.
    from ask_sdk_model.interfaces.connections import SendRequestDirective

    builder = turn.input.response_builder
    builder.add_directive(SendRequestDirective(
        name=ASK_FOR, token="follow-up-reminder",
        payload={"@type": "AskForPermissionsConsentRequest", "@version": "1",
                 "permissionScope": reminders.SCOPE}))
    return builder.response


def set_reminder(turn: Turn) -> Response:
    turn.state.pending = Pending.ANYTHING_ELSE
    envelope = turn.input.request_envelope
    try:
        factory = turn.input.service_client_factory
        plan = reminders.schedule(turn.context.settings.reminder_days,
                                  reminders.device_time_zone(factory, envelope))
        text = turn.say("reminders.text").plain  # no health details: others may hear it
        reminders.create(factory, plan, text, turn.locale or turn.context.settings.locale)
    except Exception as error:  # noqa: BLE001 - 401, 403, 429, 500, timeouts alike
        status = getattr(error, "status_code", None) if isinstance(error, ServiceException) else None
        log.warning("reminder not set: %s %s", type(error).__name__, status or "")
        card = permission_card() if status in (401, 403) else None
        return turn.ask(turn.say("reminders.failed"), card=card)
    if plan.local_time is None:
        return turn.ask(turn.say("reminders.created_relative"))
    when = plan.local_time
    return turn.ask(turn.say("reminders.created",
                             weekday=turn.voice.entry("calendar.weekdays")[when.weekday()],
                             month=turn.voice.entry("calendar.months")[when.month - 1],
                             day=when.day))


def permission_card() -> AskForPermissionsConsentCard:
    return AskForPermissionsConsentCard(permissions=[reminders.SCOPE])


class RemindMeIntentHandler(IntentHandler):
    intent = "RemindMeIntent"

    def respond(self, turn: Turn) -> Response:
        return request_reminder(turn)


class PermissionResponseHandler(RequestTypeHandler):
    """Alexa's answer to AskFor: accepted, denied, not answered, or not supported here."""
    request_type = "Connections.Response"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return super().can_handle(handler_input) and \
            getattr(handler_input.request_envelope.request, "name", None) == ASK_FOR

    def respond(self, turn: Turn) -> Response:
        request = turn.input.request_envelope.request
        turn.state.pending = Pending.ANYTHING_ELSE
        code = str(getattr(getattr(request, "status", None), "code", ""))
        payload = request.payload if isinstance(request.payload, dict) else {}
        if code != "200":
            # Voice consent is not supported here: the card lets them allow it in the app.
            return turn.ask(turn.say("reminders.card_sent"), card=permission_card())
        answer = payload.get("status")
        if answer == "ACCEPTED":
            return set_reminder(turn)
        if answer == "DENIED":
            return turn.ask(turn.say("reminders.declined"))
        return turn.ask(turn.say("reminders.not_answered"))
