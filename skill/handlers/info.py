"""Information: what a spasm is, causes, how long, home care, when to worry."""
from __future__ import annotations

from ask_sdk_model import Response

from . import flows
from .base import IntentHandler
from .turn import Turn


class InfoHandler(IntentHandler):
    """Says one information topic, then returns to wherever the person was."""
    topic = ""

    def respond(self, turn: Turn) -> Response:
        return flows.carry_on(turn, turn.say(f"info.{self.topic}"))


class AboutSpasmsIntentHandler(InfoHandler):
    intent = "AboutSpasmsIntent"
    topic = "about"


class CausesIntentHandler(InfoHandler):
    intent = "CausesIntent"
    topic = "causes"


class DurationIntentHandler(InfoHandler):
    intent = "DurationIntent"
    topic = "duration"


class HomeCareIntentHandler(InfoHandler):
    intent = "HomeCareIntent"
    topic = "home_care"


class WhenToWorryIntentHandler(InfoHandler):
    intent = "WhenToWorryIntent"
    topic = "when_to_worry"
