"""The clinic: its number, digit by digit; the card in the Alexa app; appointments."""
from __future__ import annotations

from ask_sdk_model import Response

from ..state import Pending
from . import flows
from .base import IntentHandler
from .turn import Turn


def offer_card(turn: Turn, key: str) -> Response:
    """Say a clinic fact, then offer the card, unless that would lose the person's place."""
    if turn.state.pending in (Pending.TRIAGE, Pending.RELIEF):
        return flows.carry_on(turn, turn.say(key))
    turn.state.pending = Pending.OFFER_CARD
    return turn.ask(turn.say(key))


class ClinicNumberIntentHandler(IntentHandler):
    intent = "ClinicNumberIntent"

    def respond(self, turn: Turn) -> Response:
        return offer_card(turn, "clinic.number")


class AppointmentIntentHandler(IntentHandler):
    intent = "AppointmentIntent"

    def respond(self, turn: Turn) -> Response:
        return offer_card(turn, "clinic.appointment")


class SendCardIntentHandler(IntentHandler):
    intent = "SendCardIntent"

    def respond(self, turn: Turn) -> Response:
        return flows.send_clinic_card(turn)
