"""State-by-intent sweep: every reachable conversation state, sent every intent.

States are reached by driving real conversations through lambda/lambda_function.py (never by
writing session attributes by hand): the welcome, the menu, "anything else?", each of the 12
safety questions (and one after a missed answer), each outcome (911 ends the session; see a
provider in its three wordings; home care), each relief step before the check and after home
care, the end of the routine, each yes / no offer (card, relief, reminder, resume, forget), all
for the person themself and for a caregiver asking about him, her or them; in every locale of
skill/content/ (each one's words in tests/data/locales/<locale>.yaml, "sweep"); and under SOAK=1
at every speech rate.

Each state's session is then sent, on its own copy, every intent in interaction_models/<locale>.json
(with the slot values that matter), Alexa's other built-ins, the reminder-permission answers and a
SessionEndedRequest. Rules for every pair:

- a sensible answer: valid SSML (conftest.check_reply), no hidden crash, Alexa's limits, speech
  for every intent, none for SessionEndedRequest, no "I missed that" for an intent the model has,
  and the person asked about stays the same unless the request names someone (or says
  "someone else");
- an open session ends on a question and has a reprompt, both replayable by "repeat";
- Stop and Cancel end the session, and say something;
- no state can be left only by stopping: some other request moves to a different state or ends
  the conversation gracefully, and following such moves from any state reaches a goodbye or
  an outcome without Stop or Cancel.
"""
from __future__ import annotations

import copy
import json
import os
import sys
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass

import pytest

from conftest import CheckedClient, check_reply
from skill import relief, safety
from devkit import envelopes
from devkit.client import Reply
from devkit.model import InteractionModel
from skill.replay_guard import replayable
from skill.state import RATES, Pending
from support import locales
from support.envelope_strategies import BUILT_INS
from support.oracle import asked_permission, check_limits, watch_errors

YES, NO, NOT_SURE = "AMAZON.YesIntent", "AMAZON.NoIntent", "NotSureIntent"
NEXT, STOP, CANCEL = "AMAZON.NextIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent"
EXITS = (STOP, CANCEL)
SUBJECTS = ("you", "he", "she", "they")
STEPS = 8
CLOSED_PORT = "https://127.0.0.1:9"  # the Alexa API stand-in: refuses at once, never Amazon


@dataclass(frozen=True)
class Locale:
    name: str
    caregiver_words: dict  # a caregiver's word for each person: a PERSON_TYPE synonym
    # Slot values for intents that take one: each person type, one outside the type, none;
    # step numbers in and out of range, as digits and as words.
    slot_values: dict

    @property
    def model(self) -> InteractionModel:
        return InteractionModel.load(self.name)


def locale_named(name: str) -> Locale:
    words = locales.section(name, "sweep")
    return Locale(name, words["caregiver"], words["slot_values"])


COUNTS: dict[str, dict[str, int]] = {}  # per locale, for the summary line


def requests(locale: Locale) -> list[tuple[str, dict]]:
    """(label, request) for everything a person or Alexa can send mid-session."""
    model, sent = locale.model, []
    for name in sorted(model.intents):
        slots = [s["name"] for s in model.intents[name].get("slots", [])]
        if not slots:
            sent.append((name, envelopes.intent(name, locale=locale.name)))
        for slot in slots:
            for value in locale.slot_values.get(slot, [None]):
                sent.append((f"{name}({value})",
                             envelopes.intent(name, {slot: value}, locale=locale.name)))
    sent += [(name, envelopes.intent(name, locale=locale.name))
             for name in BUILT_INS if name not in model.intents]
    for code, answer in (("200", "ACCEPTED"), ("200", "DENIED"), ("200", "NOT_ANSWERED"),
                         ("400", None)):
        sent.append((f"Connections.Response({answer or code})", {
            "type": "Connections.Response", "name": "AskFor", "token": "follow-up-reminder",
            "status": {"code": code, "message": "OK"},
            "payload": {"status": answer} if answer else {}}))
    sent.append(("SessionEndedRequest", envelopes.session_ended("USER_INITIATED")))
    return sent


@dataclass(frozen=True)
class State:
    name: str
    subject: str
    user: str
    attributes: dict  # the session attributes the skill sent back

    @property
    def key(self) -> str:
        return state_key(self.attributes.get("state") or {})


def state_key(state: dict) -> str:
    """What makes a state different, for "did this request move anywhere?"."""
    result = safety.assess(state.get("answers") or {}, state.get("subject") or "you")
    return json.dumps([state.get("pending"), state.get("question"), state.get("step"),
                       state.get("rising"), state.get("subject"), safety.outcome_key(result),
                       result.complete,
                       min(state.get("misses") or 0, 1), bool(state.get("then_relief")),
                       state.get("more"), state.get("aside")])


# ---------------------------------------------------------------- reaching every state

def all_clear(subject: str) -> list[str]:
    """The questions a 30-year-old with no sign is asked, in order (skill/safety)."""
    answers: dict[str, str] = {}
    while (q := safety.next_question(answers, subject)) is not None:
        answers[q.id] = "30" if q.number else "no"
    return list(answers)


class Walk:
    """Drives real conversations and records each state it passes through."""

    def __init__(self, handler, locale: Locale, rate: str = "medium"):
        self.handler = handler
        self.locale = locale
        self.rate = rate
        self.requests = requests(locale)
        self.states: list[State] = []
        self.outcomes: dict[str, Reply] = {}

    def client(self, user: str | None = None) -> CheckedClient:
        return CheckedClient(self.handler, locale=self.locale.name,
                             user_id=user or f"amzn1.ask.account.SWEEP-{uuid.uuid4()}")

    def keep(self, name: str, subject: str, client: CheckedClient, reply: Reply) -> None:
        assert not reply.ends_session, f"{name}: the session ended on the way"
        assert reply.state["subject"] == subject, (name, reply.state["subject"])
        rate = "" if self.rate == "medium" else f"/{self.rate}"
        self.states.append(State(f"{name}/{subject}{rate}", subject, client.identity["user_id"],
                                 copy.deepcopy(client.session["attributes"])))

    def menu(self, subject: str) -> tuple[CheckedClient, Reply]:
        """A new conversation at the open menu, about `subject`, at the walk's speech rate."""
        client = self.client()
        client.launch()
        if subject == "you":
            reply = client.say(NO)  # "no" to "shall we start the check?"
        else:
            client.say("ForSomeoneElseIntent", person=self.locale.caregiver_words[subject])
            reply = client.say("AMAZON.NavigateHomeIntent")
        for move in RATE_MOVES[self.rate]:
            reply = client.say(move)
        assert RATES[reply.state["rate"]] == self.rate
        return client, reply

    def answer(self, client: CheckedClient, answers: dict[str, str]) -> Reply:
        """The check from the start, each question answered from `answers` (default no)."""
        reply = client.say("StartCheckIntent")
        while reply.state.get("pending") == "triage" and not reply.ends_session:
            reply = client.say("AgeIntent", age="30") if reply.state["question"] == "age" \
                else client.say(answers.get(reply.state["question"], NO))
        return reply

    def every_state(self) -> None:
        if self.rate == "medium":  # before anyone asks for another pace
            client = self.client()
            self.keep("welcome", "you", client, client.launch())
            self.resume_offer()
        for subject in SUBJECTS:
            self.for_subject(subject)

    def for_subject(self, s: str) -> None:
        client, reply = self.menu(s)
        self.keep("menu", s, client, reply)
        self.keep("anything_else", s, client, client.say("DurationIntent"))
        self.keep("confirm_forget", s, client, client.say("ForgetDataIntent"))

        client, _ = self.menu(s)
        reply = client.say("StartCheckIntent")
        for index, question in enumerate(all_clear(s)):
            assert reply.state["question"] == question
            self.keep(f"triage:{question}", s, client, reply)
            if index == 0:
                missed = self.client(client.identity["user_id"])
                missed.session = copy.deepcopy(client.session)
                self.keep(f"triage:{question}:after_a_miss", s, missed,
                          missed.say("AMAZON.FallbackIntent"))
            reply = client.say("AgeIntent", age="30") if question == "age" else client.say(NO)
        self.keep("outcome:home_care", s, client, reply)
        assert reply.state["pending"] == Pending.OFFER_RELIEF.value
        self.keep("offer_reminder", s, client, client.say(NO))

        for name, answers in (("provider", {"course": YES}),
                              ("today", {"cancer": YES}),
                              ("today_doubt", {"front": NOT_SURE}),
                              ("provider_doubt", {"course": NOT_SURE})):
            client, _ = self.menu(s)
            reply = self.answer(client, answers)
            assert reply.state["pending"] == Pending.OFFER_CARD.value, name
            self.keep(f"outcome:{name}", s, client, reply)

        client, _ = self.menu(s)
        reply = self.answer(client, {"injury": YES, "big_injury": YES})
        assert reply.ends_session and reply.card, "911 ends the session, with a card"
        self.outcomes[f"emergency/{s}"] = reply

        # Relief before any check: the emergency block in one breath, then relief; when it
        # ends, the rest of the check is offered.
        client, _ = self.menu(s)
        self.keep("quick_screen", s, client, client.say("StartReliefIntent"))
        self.relief(s, client, client.say(NO), "before_the_check",
                    Pending.FINISH_CHECK, "finish_check:after_relief")
        # Not sure at the one-breath question: the emergency block one at a time, then relief.
        client, _ = self.menu(s)
        client.say("StartReliefIntent")
        reply = client.say(NOT_SURE)
        assert reply.state["then_relief"] is True
        self.keep("triage:on_the_way_to_relief", s, client, reply)
        # A long topic offers its second part.
        client, _ = self.menu(s)
        self.keep("offer_more", s, client, client.say("WhenToWorryIntent"))
        # A routine finished with nothing answered (relief asked twice: the 911 signs said as a
        # warning, no question): the whole check is offered.
        if s == "you":
            client, _ = self.menu(s)
            client.say("StartReliefIntent")
            client.say("StartReliefIntent")
            reply = client.say("GoToStepIntent", step_number="8")
            self.keep("relief:8:no_check", s, client, reply)
            self.keep("start_check:after_relief", s, client, client.say(NEXT))

        # Getting up, asked for first (the 911 signs said as a warning), then the check offered;
        # and from the end of the in-spasm steps, back to relief after.
        client, _ = self.menu(s)
        self.get_up(s, client, client.say("GetUpIntent"), "from_menu",
                    Pending.START_CHECK, "start_check:after_get_up")
        client, _ = self.menu(s)
        client.say("StartReliefIntent")
        client.say(NO)
        reply = client.say("GoToStepIntent", step_number=str(relief.HOME_CARE_START))
        self.get_up(s, client, client.say("GetUpIntent"), "mid_relief",
                    Pending.RELIEF, "relief:after_get_up")

        # Relief after home care: when it ends, the reminder is offered.
        client, _ = self.menu(s)
        self.answer(client, {})
        self.relief(s, client, client.say(YES), "after_home_care",
                    Pending.OFFER_REMINDER, "offer_reminder:after_relief")

    def relief(self, s, client, reply, when: str, then: Pending, then_label: str) -> None:
        """Keeps every relief step from `reply` on, then the offer that follows the last."""
        for step in range(STEPS):
            assert reply.state["step"] == step
            self.keep(f"relief:{step + 1}:{when}", s, client, reply)
            reply = client.say(NEXT)
        assert reply.state["pending"] == then.value
        self.keep(then_label, s, client, reply)

    def get_up(self, s, client, reply, when: str, then: Pending, then_label: str) -> None:
        """Keeps every getting-up step from `reply` on, then what follows the last."""
        for step in range(len(relief.GET_UP_STEPS)):
            assert reply.state["rising"] == step, reply.state
            self.keep(f"get_up:{step + 1}:{when}", s, client, reply)
            reply = client.say(NEXT)
        assert reply.state["pending"] == then.value
        self.keep(then_label, s, client, reply)

    def resume_offer(self) -> None:
        """A routine stopped at step 3 is offered again at the next launch (memory, SQLite)."""
        user = f"amzn1.ask.account.SWEEP-{uuid.uuid4()}"
        client = self.client(user)
        client.launch()
        client.say("StartReliefIntent")
        client.say(NO)  # no to the one-breath emergency question
        client.say(NEXT)
        client.say(NEXT)
        client.say(STOP)
        client = self.client(user)
        reply = client.launch()
        assert reply.state["pending"] == Pending.OFFER_RESUME.value
        self.keep("offer_resume", "you", client, reply)


# Every speech rate under SOAK=1 (pauses stretch as speech slows: still 10 s at most);
# the default pace otherwise.
SWEPT_RATES = RATES if os.environ.get("SOAK") == "1" else ("medium",)
RATE_MOVES = {"x-slow": ("SlowerIntent", "SlowerIntent"), "slow": ("SlowerIntent",),
              "medium": (), "fast": ("FasterIntent",)}


@pytest.fixture(scope="module", params=[(locale, rate) for locale in locales.LOCALES
                                        for rate in SWEPT_RATES], ids="/".join)
def walk(lambda_handler, request) -> Walk:
    locale, rate = request.param
    walked = Walk(lambda_handler, locale_named(locale), rate)
    walked.every_state()
    return walked


# ---------------------------------------------------------------- one pair

def send(handler, locale: Locale, state: State, request: dict) -> Reply:
    session = envelopes.new_session(user_id=state.user)
    session["new"] = False
    session["attributes"] = copy.deepcopy(state.attributes)
    event = envelopes.envelope(copy.deepcopy(request), session, user_id=state.user,
                               locale=locale.name)
    event["context"]["System"]["apiEndpoint"] = CLOSED_PORT
    return Reply(handler(event, None))


def check_pair(model: InteractionModel, state: State, label: str, request: dict, reply: Reply,
               errors) -> None:
    where = f"{state.name} + {label}"
    assert not errors.errors, f"{where}: a handler failed and was caught: {errors.errors}"
    check_reply(reply)
    check_limits(reply, len(json.dumps(reply.raw).encode()))
    speech = reply.response.get("outputSpeech")
    if request["type"] == "SessionEndedRequest":
        assert speech is None, f"{where}: speech for a SessionEndedRequest"
        return
    assert speech is not None or asked_permission(reply), f"{where}: silence"
    name = request.get("intent", {}).get("name")
    if name in EXITS:
        assert reply.ends_session and reply.speech, f"{where}: stop must end the session"
    if not reply.ends_session and speech is not None:
        assert replayable(reply.ssml) and replayable(reply.reprompt_ssml), \
            f"{where}: 'repeat' could not replay this"
    if name in model.intents and name != "AMAZON.FallbackIntent":
        assert (reply.state.get("misses") or 0) == 0, f"{where}: answered as not understood"
    slots = request.get("intent", {}).get("slots", {}).values()
    names_someone = name in ("ForSomeoneElseIntent", "ForMeIntent") or \
        any(slot.get("value") for slot in slots)
    if reply.state and not names_someone:
        assert reply.state["subject"] == state.subject, f"{where}: the person changed"


# ---------------------------------------------------------------- the sweep

def test_every_state_reached(walk):
    pendings = {json.loads(s.key)[0] for s in walk.states}
    expected = {p.value for p in Pending}
    if walk.rate != "medium":
        expected.remove(Pending.OFFER_RESUME.value)  # offered at launch, before any pace change
    assert pendings == expected, "every kind of open question"
    assert len(walk.outcomes) == len(SUBJECTS)
    for subject in SUBJECTS:
        questions = {json.loads(s.key)[1] for s in walk.states if s.subject == subject}
        assert set(all_clear(subject)) <= questions
        steps = {json.loads(s.key)[2] for s in walk.states
                 if s.subject == subject and json.loads(s.key)[0] == "relief"}
        assert steps == set(range(STEPS))


def test_every_intent_in_every_state(walk, lambda_handler, request):
    exits: dict[str, list[str]] = defaultdict(list)  # state -> where its non-stop requests lead
    pairs, model = 0, walk.locale.model
    with watch_errors() as errors:
        for state in walk.states:
            for label, body in walk.requests:
                errors.errors.clear()
                reply = send(lambda_handler, walk.locale, state, body)
                check_pair(model, state, label, body, reply, errors)
                pairs += 1
                if body["type"] == "SessionEndedRequest" or label in EXITS:
                    continue
                if reply.ends_session:
                    if reply.speech:
                        exits[state.key].append("END")
                elif reply.state:
                    exits[state.key].append(state_key(reply.state))
    COUNTS[f"{walk.locale.name}/{walk.rate}"] = dict(
        pairs=pairs, states=len(walk.states), requests=len(walk.requests),
        intents=len(model.intents), outcomes=len(walk.outcomes),
        built_ins=len([n for n in BUILT_INS if n not in model.intents]))
    line = summary_line()
    print("\n" + line, file=sys.stderr)
    if not request.config.pluginmanager.has_plugin("state-sweep-summary"):
        request.config.pluginmanager.register(_Summary(), "state-sweep-summary")

    # No state can be left only by stopping: some other request moves somewhere else...
    stuck = [s.name for s in walk.states if not [e for e in exits[s.key] if e != s.key]]
    assert not stuck, f"only Stop or Cancel leave: {stuck}"
    # ...and following such moves reaches a graceful end (an outcome, a goodbye) from anywhere.
    ends = reaching_an_end(exits)
    assert not [s.name for s in walk.states if s.key not in ends]


def summary_line() -> str:
    any_walk = next(iter(COUNTS.values()))
    total = sum(c["pairs"] for c in COUNTS.values())
    walks = ", ".join(f"{name} {c['states']} states x {c['requests']} = {c['pairs']}"
                      for name, c in sorted(COUNTS.items()))
    return (f"state sweep: {total} pairs checked ({walks}; requests: {any_walk['intents']} "
            f"model intents with slot values, {any_walk['built_ins']} other built-ins, "
            f"permission answers, session end; plus "
            f"{sum(c['outcomes'] for c in COUNTS.values())} 911 outcomes)")


def reaching_an_end(exits: dict[str, list[str]]) -> set[str]:
    """The states from which some path of non-stop requests ends the conversation gracefully."""
    before: dict[str, set[str]] = defaultdict(set)
    for source, targets in exits.items():
        for target in targets:
            before[target].add(source)
    reached, queue = set(), deque(["END"])
    while queue:
        for source in before[queue.popleft()] - reached:
            reached.add(source)
            queue.append(source)
    return reached


class _Summary:
    """The counts of every locale swept, written when the run ends."""

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_sep("-", "state sweep")
        terminalreporter.write_line(summary_line())
