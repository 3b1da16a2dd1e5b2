"""Around every handler: load the state and memory, save them, log safely."""
from __future__ import annotations

import logging
import time
from typing import Any

from ask_sdk_core.dispatch_components import (AbstractRequestInterceptor,
                                              AbstractResponseInterceptor)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SsmlOutputSpeech

from .handlers.name_free import is_name_free_query
from .handlers.turn import TURN, SkillContext, Turn
from .identity import install_log_filter
from .memory import Memory, SessionMemory
from .metrics import Recorder, count
from .replay_guard import remember
from .state import ConversationState, Pending

log = logging.getLogger("skill")


def _has_session(handler_input: HandlerInput) -> bool:
    # Skill events arrive without a session; session attributes would raise.
    return handler_input.request_envelope.session is not None


def _keeps_state(handler_input: HandlerInput) -> bool:
    """A request that has a conversation to load and save: not an event, not a name-free query.

    Alexa sends a CanFulfillIntentRequest before anyone chose the skill; answering it must
    read and write nothing, neither session state nor memory.
    """
    return _has_session(handler_input) and not is_name_free_query(handler_input)


def _session_attributes(handler_input: HandlerInput) -> dict[str, Any]:
    """For a request with a session, where the SDK's Optional is never None (it raises instead
    for a request without one)."""
    attributes = handler_input.attributes_manager.session_attributes
    assert attributes is not None
    return attributes


def _ssml(speech: object) -> str | None:
    # The response builder speaks SSML only; the SDK types the field as the base OutputSpeech.
    return speech.ssml if isinstance(speech, SsmlOutputSpeech) else None


def _session_ends(handler_input: HandlerInput, response: Response | None) -> bool:
    """Whether this is the session's last response: Alexa ended it, or the skill does."""
    request = handler_input.request_envelope.request
    if getattr(request, "object_type", None) == "SessionEndedRequest":
        return True
    return response is None or response.should_end_session is not False


class LoadTurn(AbstractRequestInterceptor):
    def __init__(self, context: SkillContext):
        self.context = context

    def process(self, handler_input: HandlerInput) -> None:
        if is_name_free_query(handler_input):
            return  # no Turn: nothing after it loads, saves or speaks
        attributes = (handler_input.attributes_manager.session_attributes
                      if _has_session(handler_input) else None)
        state = ConversationState.from_attributes(attributes)
        handler_input.attributes_manager.request_attributes[TURN] = Turn(
            handler_input, self.context, state)


class SaveTurn(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = Turn.find(handler_input)
        if turn is None or not _keeps_state(handler_input) or response is None:
            return
        state = turn.state
        if not turn.missed:
            state.misses = 0
        if response.output_speech is not None and response.should_end_session is False \
                and turn.repeatable:
            state.last_speech = turn.replay or _ssml(response.output_speech)
            state.last_reprompt = (_ssml(response.reprompt.output_speech)
                                   if response.reprompt else None)
            for ssml in (state.last_speech, state.last_reprompt):
                if ssml:
                    remember(ssml)  # the next turn's replay check is then a lookup
        handler_input.attributes_manager.session_attributes = state.to_attributes()


class BeginRequestLine(AbstractRequestInterceptor):
    """Starts the request's one log line (skill/metrics.py): its type, intent and counts.

    Built once with the skill, it also keeps Alexa ids out of the libraries' logs (identity).
    """

    def __init__(self, recorder: Recorder) -> None:
        install_log_filter()
        self.recorder = recorder

    def process(self, handler_input: HandlerInput) -> None:
        envelope = handler_input.request_envelope
        request = envelope.request
        intent = getattr(getattr(request, "intent", None), "name", None)
        session = envelope.session
        self.recorder.begin(getattr(request, "object_type", None) or "?", intent,
                            getattr(request, "locale", None),
                            new_session=bool(session is not None and session.new))


class EndRequestLine(AbstractResponseInterceptor):
    """Writes the line, after every other interceptor (a memory write may fail in one)."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        self.recorder.end()


class LoadMemory(AbstractRequestInterceptor):
    """Reads the store once a session, at its first request (or until a read works)."""

    def process(self, handler_input: HandlerInput) -> None:
        turn = Turn.find(handler_input)
        manager = handler_input.attributes_manager
        if turn is None or not _keeps_state(handler_input):
            return
        memory = SessionMemory.from_attributes(_session_attributes(handler_input).get("memory"))
        if memory is None:
            memory = SessionMemory()
            memory.count_visit(int(time.time()))
        if not memory.loaded:
            try:
                memory.rebase(Memory.from_record(manager.persistent_attributes))
            except Exception as error:  # noqa: BLE001 - the person still gets an answer
                log.warning("memory read failed, going on without it: %s", type(error).__name__)
                count("MemoryFailures")
        if "speech_rate" not in memory.touched:
            turn.state.rate = memory.current.speech_rate
        turn.memory = memory


class SaveMemory(AbstractResponseInterceptor):
    """Writes once a session, when it ends, and only when something stored changed.

    A session ends when the skill ends it (stop, goodbye, an outcome that closes) or Alexa does
    (SessionEndedRequest: the person walked away, said something to Alexa, or an error): both
    come here with the session's last state, so the routine's place is kept either way. Until
    then the changes ride in the session attributes, which Alexa carries from turn to turn; a
    write that fails at the end is logged and lost (the memory is a convenience: a place to
    resume, a speech rate, a visit count), never the person's answer.
    """

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = Turn.find(handler_input)
        memory = turn.memory if turn is not None else None
        if turn is None or memory is None or not _keeps_state(handler_input):
            return
        now = int(time.time())
        memory.set_rate(turn.state.rate)
        in_routine = turn.state.step is not None and turn.state.pending is Pending.RELIEF
        if in_routine or turn.state.step is None:
            memory.set_relief(turn.state.step, now)
        if memory.needs_write and _session_ends(handler_input, response):
            manager = handler_input.attributes_manager
            try:
                # A copy typed as the SDK types the record: Dict[str, object].
                manager.persistent_attributes = dict(memory.current.to_record())
                manager.save_persistent_attributes()
                memory.written()
            except Exception as error:  # noqa: BLE001 - the person still gets the answer
                log.warning("memory write failed at the end of a session: %s",
                            type(error).__name__)
                count("MemoryFailures")
        _session_attributes(handler_input)["memory"] = memory.to_attributes()
