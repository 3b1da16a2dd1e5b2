"""What an Echo Show shows: one view of the conversation's state, in large print.

Pure (no Alexa SDK): which view a state calls for, the data that fills the APL document
(skill/apl/screen.json) from the same content as the speech, and which spoken answer each
button stands for. skill/handlers/screen.py sends it, and answers the buttons.

The view follows the state, as reprompts and help do, so every response shows where the
person is: the safety question being asked (Yes, No, Not sure), the relief step (Back,
Next), the outcome once the check is done (with the offer that follows, Yes or No), or the
question the skill asked last. The clinic's number is on every screen.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from . import intents, relief, safety, speech
from .dialogue.check import quick_screen_values
from .state import ConversationState, Pending

DOCUMENT_PATH = Path(__file__).parent / "apl" / "screen.json"
TOKEN = "backSpasmHelperScreen"  # names the document in the touch events it sends

# Each button's event, and the intent whose words it stands for (the intent registry's).
TOUCH_INTENTS = intents.TOUCH_INTENTS
ANSWER_BUTTONS = ("yes", "no", "not_sure")
OFFER_BUTTONS = ("yes", "no")
STEP_BUTTONS = ("previous", "next")
# Questions the skill asks that a yes or a no answers (the menu is an open question).
YES_NO_OFFERS = frozenset(Pending) - {Pending.MENU, Pending.TRIAGE, Pending.RELIEF,
                                      Pending.QUICK_SCREEN}


@dataclass(frozen=True)
class View:
    kind: str  # "question", "step", "outcome", "prompt" or "goodbye"
    buttons: tuple[str, ...] = ()
    offer: Pending | None = None  # the question asked last, shown below an outcome or alone
    result: safety.Assessment | None = None


def view_of(state: ConversationState, listening: bool) -> View:
    """The view for the state a response leaves, the session open (`listening`) or not."""
    if listening and ((state.pending is Pending.TRIAGE and state.question)
                      or state.pending is Pending.QUICK_SCREEN):
        return View("question", ANSWER_BUTTONS)
    if listening and state.pending is Pending.RELIEF and state.step is not None:
        return View("step", STEP_BUTTONS)
    offer = state.pending if listening and state.pending in YES_NO_OFFERS else None
    buttons = OFFER_BUTTONS if offer else ()
    result = safety.assess(state.answers, state.subject)
    # A finished check keeps its outcome on screen; a check stopped early shows what it found.
    if safety.outcome_key(result) is not None and (result.complete or not listening):
        return View("outcome", buttons, offer, result)
    if listening:
        return View("prompt", buttons, state.pending)
    return View("goodbye")


def datasource(view: View, state: ConversationState, voice: speech.Voice,
               said: Mapping[str, speech.Line] | None = None) -> dict[str, Any]:
    """The document's `payload`: every field always present, plain text only.

    `said`: what this turn said, by content key; the screen shows those very words, and the
    first wording of anything else (so it stays put while the voice varies).
    """
    def text(key: str, **values: Any) -> str:
        if said and key in said:
            return said[key].plain
        entry = voice.entry(key)
        return voice.render(speech.variants(entry, caregiver=state.caregiver)[0], **values).plain

    number, total = (state.step or 0) + 1, len(relief.STEPS)
    emergency = view.result is not None and view.result.level is safety.Level.EMERGENCY
    heading, body, prompt = text("screen.title"), "", ""
    if view.kind == "question":
        if state.pending is Pending.TRIAGE:
            body = text(f"triage.questions.{state.question}")
        else:
            body = text("pending.quick_screen.prompt", **quick_screen_values(voice, state))
        heading = text("screen.question")
    elif view.kind == "step":
        heading = text("relief.step_number", number=number, total=total).rstrip(".")
        body = text(f"relief.steps.{relief.step_id(state.step or 0)}")
    elif view.kind == "outcome" and view.result is not None:
        finding = safety.outcome_key(view.result)
        topic = text(f"triage.topics.{view.result.findings[0].id}") \
            if view.result.findings else ""
        if emergency:
            heading = text("outcome.emergency.card_title")
            body = text("outcome.emergency.card_text", topic=topic)
        else:
            heading = text(f"screen.outcome.{finding}")
            body = text(f"outcome.{finding}", topic=topic)
    elif view.kind == "goodbye":
        body = text("goodbye")
    if view.offer is not None:
        prompt = text(f"pending.{view.offer.value}.prompt", number=number, total=total)
        if view.kind == "prompt":
            body, prompt = prompt, ""
    # The hint teaches what to say; beside an offer and its buttons it would only repeat it.
    hinted = view.kind != "goodbye" and not emergency and not prompt
    return {"screen": {
        "kind": view.kind,
        "emergency": emergency,
        "heading": heading,
        "text": body,
        "prompt": prompt,
        "hint": text(_hint_for(view, state)) if hinted else "",
        "buttons": [{"event": event, "label": text(f"screen.buttons.{event}")}
                    for event in view.buttons],
        "clinic": text("screen.clinic"),
        "emergencyLine": "" if emergency else text("screen.emergency"),
    }}


def _hint_for(view: View, state: ConversationState) -> str:
    if view.kind == "question":
        return state.hint_key if state.pending is Pending.TRIAGE else "pending.triage.hint"
    if view.kind == "step":
        return "pending.relief.hint"
    return f"pending.{(view.offer or state.pending).value}.hint"


@lru_cache(maxsize=None)
def document() -> dict[str, Any]:
    """The APL document, read on first use: a device without a screen never pays for it."""
    return json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))


def version_tuple(version: str) -> tuple[int, ...]:
    """"1.4" -> (1, 4); "2023.3" -> (2023, 3): APL versions compare as numbers."""
    return tuple(int(part) for part in version.split("."))


def runs_on(max_version: Any) -> bool:
    """Whether a device whose APL runtime reports `max_version` can show the document.

    A device that reports nothing is taken at its word that it speaks APL.
    """
    if not isinstance(max_version, str) or not max_version:
        return True
    try:
        return version_tuple(max_version) >= version_tuple(document()["version"])
    except ValueError:
        return True
