"""A client that talks to a handler the way Alexa does: one session, turn after turn."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable

from . import envelopes
from .ssml import readable


@dataclass
class Reply:
    """One response, with the parts a test or a person looks at."""
    raw: dict

    @property
    def response(self) -> dict:
        return self.raw.get("response") or {}

    @property
    def ssml(self) -> str:
        return (self.response.get("outputSpeech") or {}).get("ssml", "")

    @property
    def speech(self) -> str:
        return readable(self.ssml)

    @property
    def reprompt_ssml(self) -> str:
        return ((self.response.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml", "")

    @property
    def reprompt(self) -> str:
        return readable(self.reprompt_ssml)

    @property
    def card(self) -> dict | None:
        return self.response.get("card")

    @property
    def directives(self) -> list[dict]:
        return self.response.get("directives") or []

    @property
    def screen(self) -> dict | None:
        """The APL document and data sent to a screen, if any."""
        return next((d for d in self.directives
                     if d.get("type") == "Alexa.Presentation.APL.RenderDocument"), None)

    @property
    def ends_session(self) -> bool:
        return self.response.get("shouldEndSession") is not False

    @property
    def state(self) -> dict:
        return (self.raw.get("sessionAttributes") or {}).get("state") or {}


class Client:
    """Carries session attributes from each response into the next request."""

    def __init__(self, handler: Callable[[dict, Any], dict], locale: str = "en-US",
                 interfaces: dict | None = None, **identity: str):
        self.handler = handler
        self.locale = locale  # every request carries it, as Alexa sends the device's language
        self.interfaces = interfaces  # the device's: envelopes.SCREEN for an Echo Show
        self.identity = identity
        self.session: dict | None = None
        self.replies: list[Reply] = []

    def send(self, request: dict) -> Reply:
        if self.session is None:
            self.session = envelopes.new_session(**self.identity)
        event = envelopes.envelope(request, copy.deepcopy(self.session), locale=self.locale,
                                   interfaces=self.interfaces, **self.identity)
        reply = Reply(self.handler(event, None))
        self.replies.append(reply)
        if reply.ends_session:
            self.session = None  # Alexa starts a new session next time
        else:
            self.session["new"] = False
            self.session["attributes"] = reply.raw.get("sessionAttributes") or {}
        return reply

    def launch(self) -> Reply:
        return self.send(envelopes.launch())

    def touch(self, *arguments: Any) -> Reply:
        """A touch on a screen's button that sends `arguments`."""
        return self.send(envelopes.user_event(*arguments))

    def say(self, intent: str, **slots: str | None) -> Reply:
        skill_id = self.identity.get("skill_id", envelopes.SKILL_ID)
        return self.send(envelopes.intent(intent, slots, locale=self.locale, skill_id=skill_id))
