"""Every request handler, in dispatch order: specific ones first, the catch-all last.

Each turns a request into an event of the dialogue table (skill/dialogue) and renders the
decision; which intents exist is the intent registry's (skill/intents.py).
"""
from __future__ import annotations

from ..intents import HANDLED_INTENTS
from .dialogue import IntentRequestHandler, LaunchRequestHandler, SessionEndedRequestHandler
from .memory import SkillDisabledEventHandler
from .name_free import CanFulfillIntentRequestHandler
from .reminders import PermissionResponseHandler
from .screen import ScreenErrorHandler, TouchEventHandler
from .unknown import UnknownRequestHandler

REQUEST_HANDLERS = (
    CanFulfillIntentRequestHandler,  # first: it answers for any intent, and must run no other
    LaunchRequestHandler,
    IntentRequestHandler,
    SkillDisabledEventHandler,
    PermissionResponseHandler,
    TouchEventHandler,
    ScreenErrorHandler,
    SessionEndedRequestHandler,
    UnknownRequestHandler,  # must stay last: it accepts anything
)

__all__ = ["HANDLED_INTENTS", "REQUEST_HANDLERS"]
