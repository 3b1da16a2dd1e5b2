"""Assembles the skill from its parts, and the Lambda entry point around it."""
from __future__ import annotations

import json
import logging
import random
from typing import Any, Callable

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope, ResponseEnvelope

from .handlers import REQUEST_HANDLERS
from .handlers.errors import CatchAllExceptionHandler
from .handlers.screen import ShowScreen
from .handlers.turn import SkillContext
from .interceptors import (BeginRequestLine, EndRequestLine, LoadMemory, LoadTurn, SaveMemory,
                           SaveTurn)
from . import snapstart
from .metrics import Recorder, count
from .reminders import TimeoutApiClient
from .serializer import AlexaSerializer
from .settings import Settings
from .speech import load_content
from .storage import build_adapter

log = logging.getLogger("skill")


_FROM_SETTINGS: Any = object()  # "build the store the settings name"


def build_skill(settings: Settings | None = None, rng: random.Random | None = None,
                adapter: Any = _FROM_SETTINGS) -> CustomSkill:
    return _build(_context(settings, rng), adapter)


def _context(settings: Settings | None, rng: random.Random | None) -> SkillContext:
    settings = settings or Settings()
    return SkillContext(settings, Recorder(settings.metrics_namespace, settings.metrics_service),
                        rng or random.Random())


def _build(context: SkillContext, adapter: Any = _FROM_SETTINGS) -> CustomSkill:
    settings = context.settings
    load_content(settings.locale)  # fail at start-up, not in someone's first turn
    if adapter is _FROM_SETTINGS:
        adapter = build_adapter(settings)
    api_client = TimeoutApiClient(ca_bundle=settings.api_ca_bundle)
    builder = CustomSkillBuilder(persistence_adapter=adapter, api_client=api_client)
    builder.skill_id = settings.skill_id
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
    skill = builder.create()
    # Read by the Lambda handler below and by the web service's adapter alike.
    skill.serializer = AlexaSerializer()
    return skill


def build_lambda_handler(settings: Settings | None = None, rng: random.Random | None = None,
                         adapter: Any = _FROM_SETTINGS) -> Callable[[Any, Any], dict]:
    """A Lambda handler that answers even an envelope the SDK cannot read.

    The SDK's own wrapper builds a new skill on every call and lets a
    malformed envelope raise; this one reuses the skill and speaks instead.
    """
    context = _context(settings, rng)
    skill = _build(context, adapter)
    recorder = context.recorder
    serializer = skill.serializer
    apology = context.apology()

    def handler(event: Any, context: Any) -> dict:
        try:
            if isinstance(event, dict):  # parsed JSON, as Lambda hands it over
                envelope = serializer.deserialize_data(event, RequestEnvelope)
            else:
                payload = event if isinstance(event, str) else json.dumps(event)
                envelope = serializer.deserialize(payload=payload, obj_type=RequestEnvelope)
            if envelope is None or envelope.request is None:
                raise ValueError("no request in the envelope")
            system = getattr(envelope.context, "system", None)
            if system is None:
                # The SDK reads context.System before any handler runs, and would raise.
                raise ValueError("no context.System in the envelope")
        except Exception as error:  # noqa: BLE001 - malformed input of any shape
            log.warning("unreadable request envelope: %s", type(error).__name__)
            recorder.begin("?", None, None, new_session=False)
            count("ErrorsAnswered")
            recorder.end()
            return serializer.serialize(_apology_envelope(apology))
        if skill.skill_id is not None and \
                getattr(system.application, "application_id", None) != skill.skill_id:
            # The SDK's own refusal, also when the id is missing (where the SDK would crash).
            raise AskSdkException("Skill ID Verification failed!!")
        return serializer.serialize(skill.invoke(request_envelope=envelope, context=context))

    # For Lambda SnapStart (skill/snapstart.py; lambda_function.py registers them).
    handler.before_snapshot, handler.after_restore = snapstart.hooks(  # type: ignore[attr-defined]
        skill.persistence_adapter, context.rng)
    return handler


def _apology_envelope(text: str) -> ResponseEnvelope:
    response = ResponseFactory().speak(text).set_should_end_session(True).response
    return ResponseEnvelope(version="1.0", response=response)
