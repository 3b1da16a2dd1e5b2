"""Whole responses from real conversations: a walk of the conversation graph.

Starting from a launch (a first-time user, and a returning one offered to resume), every
reachable state is sent every intent in the model (with slot values that matter) and the
reminder-permission answers; each new state is explored in turn. Two states are the same
when they differ only in what was said or in answers that lead to the same finding so far,
so the walk ends. The skill picks the longest wording of every sentence, so the walk meets
the longest responses each handler can build, for every person and speech rate.
"""
from __future__ import annotations

import copy
import json
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from skill import safety
from skill.state import DEFAULT_RATE
from devkit import envelopes
from devkit.client import Client, Reply
from devkit.model import InteractionModel
from support import locales


def caregiver_words(locale: str) -> list[str]:
    """One word per PERSON_TYPE id (HE, SHE, THEY), in the locale's model."""
    return locales.section(locale, "persons.per_id")


STEP_WORDS = ("1", "5", "8", "12")  # first, home-care start, last, no such step
PERMISSION_ANSWERS = (("200", "DENIED"), ("200", "NOT_ANSWERED"), ("400", None))


class LongestWording:
    """Stands in for the voice's random choice: always the longest variant."""

    def choice(self, options):
        return max(options, key=len)


@dataclass(frozen=True)
class Said:
    path: tuple[str, ...]  # what the user said, from the launch
    reply: Reply


def requests(model: InteractionModel) -> list[tuple[str, dict]]:
    """(label, request) for every intent in the model, and the reminder-permission answers."""
    sent: list[tuple[str, dict]] = []
    for name, intent in model.intents.items():
        slot_names = [slot["name"] for slot in intent.get("slots", [])]
        if "person" in slot_names:
            sent += [(f"{name}({w})", envelopes.intent(name, {"person": w}))
                     for w in caregiver_words(model.locale)]
        if "step_number" in slot_names:
            sent += [(f"{name}({w})", envelopes.intent(name, {"step_number": w}))
                     for w in STEP_WORDS]
        sent.append((name, envelopes.intent(name, {s: None for s in slot_names})))
    for code, status in PERMISSION_ANSWERS:
        request = {"type": "Connections.Response", "name": "AskFor", "token": "follow-up-reminder",
                   "status": {"code": code, "message": "OK" if code == "200" else "Bad Request"},
                   "payload": {"status": status} if status else {}}
        sent.append((f"Connections.Response({status or code})", request))
    return sent


def state_key(reply: Reply) -> str:
    """A state as far as what comes next is concerned.

    Left out: what was said, and who is spoken of at what rate (they change the wording,
    not the flow). The answers count only as far as they can change a response: the
    finding so far while questions are asked (an outcome or a stop says it), elsewhere only
    whether the check is done and found home care (what relief leads to) and whether it
    has begun (whether it resumes). A question counts only while asked, a step only while
    the routine is on or offered, and misses only as "one before" (the next gets the menu).
    """
    state = reply.state
    answers = state.get("answers", {})
    result = safety.assess(answers, state.get("subject", "you"))
    pending = state.get("pending")
    if pending == "triage":
        finding = [safety.outcome_key(result), result.ids[:1]]
    else:
        finding = [result.complete, result.level is safety.Level.HOME_CARE, bool(answers)]
    return json.dumps({
        "pending": pending,
        "question": state.get("question") if pending == "triage" else None,
        "step": state.get("step") if pending in ("relief", "offer_resume") else None,
        "finding": finding,
        "misses": min(state.get("misses", 0), 1),
        "then_relief": bool(state.get("then_relief")) if pending == "triage" else None,
        "more": state.get("more") if pending == "offer_more" else None,
        # "explained" changes only the words of a second "what do you mean?" (the same length
        # or less: tests/test_conversation_v2.py), and would double every question's states.
        "aside": None if state.get("aside") == "explained" else state.get("aside"),
    }, sort_keys=True)


def fork(client: Client) -> Client:
    twin = Client(client.handler, locale=client.locale, interfaces=client.interfaces,
                  **client.identity)
    twin.session = copy.deepcopy(client.session)
    return twin


def _user() -> dict[str, str]:
    return {"user_id": f"amzn1.ask.account.SWEEP-{uuid.uuid4()}"}


def _roots(handler: Callable, subject: str, rate: int,
           locale: str) -> list[tuple[tuple[str, ...], Client, list[Reply]]]:
    """Where walks start: a first-time user's launch turned to `subject` at `rate`, and a
    returning user's launch, offered to resume the routine where it stopped."""
    newcomer = Client(handler, locale=locale, **_user())
    path: tuple[str, ...] = ("Launch",)
    replies = [newcomer.launch()]
    if subject != "you":
        word = caregiver_words(locale)[("he", "she", "they").index(subject)]
        path += (f"ForSomeoneElseIntent({word})",)
        replies.append(newcomer.say("ForSomeoneElseIntent", person=word))
    change = "SlowerIntent" if rate < DEFAULT_RATE else "FasterIntent"
    for _ in range(abs(rate - DEFAULT_RATE)):
        path += (change,)
        replies.append(newcomer.say(change))
    returning = Client(handler, locale=locale, **_user())
    returning.launch()
    for intent in ("StartReliefIntent", "AMAZON.NoIntent", "AMAZON.NextIntent", "AMAZON.NextIntent",
                   "AMAZON.StopIntent"):
        returning.say(intent)
    return [(path, newcomer, replies),
            (("(stopped at step 3)", "Launch"), returning, [returning.launch()])]


def walk(handler: Callable, model: InteractionModel, subject: str, rate: int,
         max_states: int = 1000) -> tuple[list[Said], int]:
    """Every response met from launches turned to `subject` at `rate`, and how many
    distinct states were explored."""
    sent = requests(model)
    said: list[Said] = []
    seen: set[str] = set()
    queue: deque[tuple[tuple[str, ...], Client]] = deque()
    for path, client, replies in _roots(handler, subject, rate, model.locale):
        said += [Said(path[:len(path) - len(replies) + 1 + i], r) for i, r in enumerate(replies)]
        seen.add(state_key(replies[-1]))
        queue.append((path, client))
    while queue:
        path, client = queue.popleft()
        for label, request in sent:
            twin = fork(client)
            reply = twin.send(copy.deepcopy(request))
            said.append(Said(path + (label,), reply))
            key = state_key(reply)
            if not reply.ends_session and key not in seen:
                if len(seen) >= max_states:
                    raise RuntimeError(f"more than {max_states} states: is the state key too fine?")
                seen.add(key)
                queue.append((path + (label,), twin))
    return said, len(seen)


def spoken(said: list[Said]) -> Iterator[tuple[str, str, Any]]:
    """(what, ssml, said) for every speech and reprompt met."""
    for item in said:
        if item.reply.ssml:
            yield "speech", item.reply.ssml, item
        if item.reply.reprompt_ssml:
            yield "reprompt", item.reply.reprompt_ssml, item
