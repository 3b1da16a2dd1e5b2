"""Every request handler, in dispatch order: specific ones first, the catch-all last."""
from __future__ import annotations

from .check import (ForSomeoneElseIntentHandler, NoIntentHandler, NotSureIntentHandler,
                    StartCheckIntentHandler, YesIntentHandler)
from .clinic import AppointmentIntentHandler, ClinicNumberIntentHandler, SendCardIntentHandler
from .help import (FallbackIntentHandler, HelpIntentHandler, RepeatIntentHandler,
                   UnknownRequestHandler)
from .memory import ForgetDataIntentHandler, SkillDisabledEventHandler
from .name_free import CanFulfillIntentRequestHandler
from .reminders import PermissionResponseHandler, RemindMeIntentHandler
from .screen import ScreenErrorHandler, TouchEventHandler
from .info import (AboutSpasmsIntentHandler, CausesIntentHandler, DurationIntentHandler,
                   HomeCareIntentHandler, WhenToWorryIntentHandler)
from .relief import (FasterIntentHandler, GoToStepIntentHandler, NextIntentHandler,
                     PreviousIntentHandler, SlowerIntentHandler, StartOverIntentHandler,
                     StartReliefIntentHandler)
from .session import (CancelIntentHandler, LaunchRequestHandler, NavigateHomeIntentHandler,
                      SessionEndedRequestHandler, StopIntentHandler)

REQUEST_HANDLERS = (
    CanFulfillIntentRequestHandler,  # first: it answers for any intent, and must run no other
    LaunchRequestHandler,
    StartCheckIntentHandler,
    ForSomeoneElseIntentHandler,
    YesIntentHandler,
    NoIntentHandler,
    NotSureIntentHandler,
    StartReliefIntentHandler,
    NextIntentHandler,
    PreviousIntentHandler,
    StartOverIntentHandler,
    GoToStepIntentHandler,
    SlowerIntentHandler,
    FasterIntentHandler,
    AboutSpasmsIntentHandler,
    CausesIntentHandler,
    DurationIntentHandler,
    HomeCareIntentHandler,
    WhenToWorryIntentHandler,
    ClinicNumberIntentHandler,
    SendCardIntentHandler,
    AppointmentIntentHandler,
    ForgetDataIntentHandler,
    SkillDisabledEventHandler,
    RemindMeIntentHandler,
    PermissionResponseHandler,
    TouchEventHandler,
    ScreenErrorHandler,
    HelpIntentHandler,
    RepeatIntentHandler,
    StopIntentHandler,
    CancelIntentHandler,
    NavigateHomeIntentHandler,
    FallbackIntentHandler,
    SessionEndedRequestHandler,
    UnknownRequestHandler,  # must stay last: it accepts anything
)

HANDLED_INTENTS = frozenset(h.intent for h in REQUEST_HANDLERS
                            if getattr(h, "intent", "") and not hasattr(h, "request_type"))
