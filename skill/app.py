"""Assembles the skill from its parts, and the Lambda entry point around it."""
from __future__ import annotations

import logging
import random
from typing import Any, Callable

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from . import front_door, numbers, snapstart
from .handlers import REQUEST_HANDLERS
from .handlers.errors import CatchAllExceptionHandler
from .handlers.screen import ShowScreen
from .handlers.turn import SkillContext
from .interceptors import (BeginRequestLine, EndRequestLine, LoadMemory, LoadTurn, SaveMemory,
                           SaveTurn)
from .metrics import Recorder
from .front_door import FrontDoor
from .reminders import TimeoutApiClient
from .serializer import AlexaSerializer
from .settings import Settings
from .speech import load_content
from .storage import build_adapter

log = logging.getLogger("skill")


_FROM_SETTINGS: Any = object()  # "build the store the settings name"


class Skill(CustomSkill):
    """The SDK's skill and its front door, which the Lambda handler below and the web service's
    adapter answer through (the door needs the skill, so it is set once both exist)."""
    front_door: FrontDoor


def build_skill(settings: Settings | None = None, rng: random.Random | None = None,
                adapter: Any = _FROM_SETTINGS) -> Skill:
    return _build(_context(settings, rng), adapter)


def _context(settings: Settings | None, rng: random.Random | None) -> SkillContext:
    settings = settings or Settings()
    return SkillContext(settings, Recorder(settings.metrics_namespace, settings.metrics_service),
                        rng or random.Random())


def _build(context: SkillContext, adapter: Any = _FROM_SETTINGS) -> Skill:
    settings = context.settings
    # Fail at start-up, not in someone's first turn; every locale's number words are
    # read now rather than at the first one someone says.
    load_content(settings.locale)
    numbers.words()
    if adapter is _FROM_SETTINGS:
        adapter = build_adapter(settings)
    api_client = TimeoutApiClient(ca_bundle=settings.api_ca_bundle)
    builder = CustomSkillBuilder(persistence_adapter=adapter, api_client=api_client)
    for handler in REQUEST_HANDLERS:
        builder.add_request_handler(handler())
    builder.add_exception_handler(CatchAllExceptionHandler(context))
    recorder = context.recorder
    builder.add_global_request_interceptor(BeginRequestLine(recorder))
    builder.add_global_request_interceptor(LoadTurn(context))
    builder.add_global_response_interceptor(SaveTurn())
    builder.add_global_response_interceptor(ShowScreen())  # devices with a screen only
    if adapter is not None:
        # After LoadTurn / SaveTurn: memory sits beside the state in the session.
        builder.add_global_request_interceptor(LoadMemory())
        builder.add_global_response_interceptor(SaveMemory())
    builder.add_global_response_interceptor(EndRequestLine(recorder))  # last: counts are in
    skill = Skill(skill_configuration=builder.skill_configuration)  # builder.create(), typed
    # Read by the Lambda handler below and by the web service's adapter alike.
    skill.serializer = AlexaSerializer()
    skill.front_door = FrontDoor(skill, context.apology_in, context.recorder)
    return skill


def build_lambda_handler(settings: Settings | None = None, rng: random.Random | None = None,
                         adapter: Any = _FROM_SETTINGS) -> Callable[[Any, Any], dict]:
    """A Lambda handler that answers even an envelope the SDK cannot read (skill/front_door.py).

    The SDK's own wrapper builds a new skill on every call and lets a malformed envelope
    raise; this one reuses the skill and answers by the request's kind instead.
    """
    context = _context(settings, rng)
    skill = _build(context, adapter)
    door = skill.front_door
    skill_id = context.settings.skill_id

    def handler(event: Any, lambda_context: Any) -> dict:
        arrival = front_door.read(event)
        problem = front_door.skill_id_problem(arrival, skill_id)
        if problem is not None and arrival.is_alexa_request:
            raise AskSdkException(f"Skill ID Verification failed: {problem}")
        return door.respond(arrival, lambda_context)

    # For Lambda SnapStart (skill/snapstart.py; lambda_function.py registers them). Attributes
    # on a function are plain Python, but mypy's function type has none to set.
    handler.before_snapshot, handler.after_restore = snapstart.hooks(  # type: ignore[attr-defined]
        skill.persistence_adapter, context.rng)
    return handler
