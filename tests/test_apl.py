"""Echo Show screens (APL): what a screen shows turn after turn, what a speaker never gets,
touches answered as the voice, and the document itself (skill/apl/screen.json).

Through the real Lambda handler, in both locales: a device that lists
Alexa.Presentation.APL in its supported interfaces gets a RenderDocument directive with
every spoken response; a speaker gets the very same response without it. A walk of the
conversation graph (tests/support/responses.py) sends every request to every state on both
kinds of device at once, so every view the skill can show is checked against the document.
"""
from __future__ import annotations

import copy
import functools
import json
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import ROOT, CheckedClient, load_lambda_module
from skill import build_lambda_handler, relief, safety, screen, speech
from devkit import envelopes
from devkit.client import Client, Reply
from devkit.model import InteractionModel
from skill.settings import Settings
from skill.state import SUBJECTS
from support import locales
from support import node, responses
from support.oracle import MAX_RESPONSE_BYTES

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy import package  # noqa: E402
from deploy.invoke import UnpackedLambda, make_writable, unpack  # noqa: E402

DOCUMENT_TEXT = screen.DOCUMENT_PATH.read_text(encoding="utf-8")
DOCUMENT = json.loads(DOCUMENT_TEXT)
APL_CHECK_DIR = ROOT / "tests" / "apl_check"
RENDER = "Alexa.Presentation.APL.RenderDocument"
YES, NO, NOT_SURE = "AMAZON.YesIntent", "AMAZON.NoIntent", "NotSureIntent"
LOCALES = tuple(locales.LOCALES)  # every locale the content folder holds

# APL versions Alexa has published (the document must name one a device knows).
APL_VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9",
                "2022.1", "2022.2", "2023.1", "2023.2", "2023.3", "2024.1", "2024.2", "2024.3")
# Components and commands of APL 1.4, the document's version.
COMPONENTS_1_4 = {"Container", "EditText", "Frame", "GridSequence", "Image", "Pager",
                  "ScrollView", "Sequence", "Text", "TouchWrapper", "VectorGraphic", "Video"}
COMMANDS_1_4 = {"SendEvent", "SetValue", "SetState", "SetFocus", "ClearFocus", "Idle",
                "Sequential", "Parallel", "SpeakItem", "SpeakList", "Scroll", "ScrollToIndex",
                "ScrollToComponent", "SetPage", "AutoPage", "AnimateItem", "OpenURL", "Select",
                "Finish", "Reinflate"}
# Names every APL expression may use besides the document's parameters and bindings.
APL_GLOBALS = {"viewport", "environment", "state", "Math", "String", "Array", "Time", "index",
               "ordinal", "length", "event", "elapsedTime", "localTime", "utcTime", "true",
               "false", "null"}


# --- helpers ------------------------------------------------------------------------------

def screen_client(handler, locale: str = "en-US", **identity) -> CheckedClient:
    return CheckedClient(handler, locale=locale, interfaces=envelopes.SCREEN, **identity)


def payload(reply: Reply) -> dict:
    assert reply.screen is not None, f"no screen for: {reply.speech}"
    return reply.screen["datasources"]["screen"]


def words(text: str) -> str:
    """Text as a reader compares it: the chat's pause markers out, spaces folded."""
    return re.sub(r"\s+", " ", re.sub(r"\[[^\]]*\]", " ", text)).strip()


def through_check(client: Client, answers: dict[str, str] | None = None,
                  default: str = NO) -> list[Reply]:
    """Launch, start the check, answer each question (by its id, else `default`) to the end."""
    replies = [client.launch(), client.say("StartCheckIntent")]
    while replies[-1].state.get("pending") == "triage" and not replies[-1].ends_session:
        asked = replies[-1].state["question"]
        if asked == "age":
            replies.append(client.say("AgeIntent", age="30"))
        else:
            replies.append(client.say((answers or {}).get(asked, default)))
    return replies


def seeded_handler(seed: int = 7):
    """The Lambda handler as lambda_function.py builds it, with a seeded choice of wording."""
    return build_lambda_handler(Settings.from_env(), rng=random.Random(seed))


# --- a screen device, turn after turn -----------------------------------------------------------

@pytest.mark.parametrize("locale", LOCALES)
def test_a_screen_shows_each_question_with_yes_no_and_not_sure(lambda_handler, locale):
    content = speech.load_content(locale)
    labels = content["screen"]["buttons"]
    client = screen_client(lambda_handler, locale)
    replies = through_check(client)
    launch = payload(replies[0])
    assert launch["kind"] == "prompt" and launch["buttons"] == [
        {"event": "yes", "label": labels["yes"]}, {"event": "no", "label": labels["no"]}]
    questions = [r for r in replies if r.state.get("pending") == "triage"]
    assert len(questions) == 12  # the all-clear path at 30
    for reply in questions:
        shown = payload(reply)
        assert shown["kind"] == "question" and shown["emergency"] is False
        assert shown["heading"] == content["screen"]["question"]
        # The question on screen is the question just asked, word for word.
        assert shown["text"] and shown["text"] in reply.speech
        assert shown["text"] == words(speech.Voice(content, {}, "").render(
            content["triage"]["questions"][reply.state["question"]]["say"]).plain)
        assert [b["event"] for b in shown["buttons"]] == ["yes", "no", "not_sure"]
        assert [b["label"] for b in shown["buttons"]] == [labels[e] for e in
                                                          ("yes", "no", "not_sure")]
        assert shown["clinic"] == f"{Settings().clinic_name}: {Settings().clinic_phone}"
        assert "911" in shown["emergencyLine"]
    home = payload(replies[-1])
    assert home["kind"] == "outcome" and home["emergency"] is False
    assert home["heading"] == content["screen"]["outcome"]["home_care"]
    assert home["text"] in replies[-1].speech
    assert home["prompt"] in replies[-1].speech  # the offer of relief, with Yes and No
    assert [b["event"] for b in home["buttons"]] == ["yes", "no"]


@pytest.mark.parametrize("locale", LOCALES)
def test_a_screen_shows_each_relief_step_as_step_n_of_total(lambda_handler, locale):
    content = speech.load_content(locale)
    client = screen_client(lambda_handler, locale)
    client.launch()
    client.say("StartReliefIntent")  # the one-breath emergency question first
    replies = [client.say(NO)]
    while replies[-1].state.get("pending") == "relief":
        replies.append(client.say("AMAZON.NextIntent"))
    steps = replies[:-1]
    assert len(steps) == len(relief.STEPS)
    for number, reply in enumerate(steps, 1):
        shown = payload(reply)
        assert shown["kind"] == "step"
        expected = content["relief"]["step_number"].format(number=number, total=len(relief.STEPS))
        assert shown["heading"] == expected.rstrip(".")
        assert words(shown["text"]) in words(reply.speech)
        assert [b["event"] for b in shown["buttons"]] == ["previous", "next"]
    finished = payload(replies[-1])
    assert finished["kind"] == "prompt" and finished["text"] in replies[-1].speech


@pytest.mark.parametrize("locale", LOCALES)
def test_the_emergency_screen_is_high_contrast_with_the_number_to_call(lambda_handler, locale):
    content = speech.load_content(locale)
    client = screen_client(lambda_handler, locale)
    replies = through_check(client, {"legs": YES, "both_legs": YES})
    reply = replies[-1]
    assert reply.ends_session and reply.card is not None  # the card is still sent
    shown = payload(reply)
    assert shown["kind"] == "outcome" and shown["emergency"] is True
    assert shown["heading"] == content["outcome"]["emergency"]["card_title"].format(emergency="911")
    assert shown["heading"] == reply.card["title"] and shown["text"] == reply.card["content"]
    assert "911" in shown["heading"] and "911" in shown["text"]
    assert shown["buttons"] == [] and shown["hint"] == "" and shown["prompt"] == ""
    assert shown["clinic"].endswith(Settings().clinic_phone)
    # The document turns to the emergency palette on that flag (checked for contrast below).
    background = DOCUMENT["mainTemplate"]["items"][0]["backgroundColor"]
    assert background == "${payload.screen.emergency ? @emergencyBackground : @background}"


@pytest.mark.parametrize("word, pronoun, heading", [("him", "his", "He should see"),
                                                    ("her", "her", "She should see")])
def test_a_caregivers_screen_speaks_of_the_person_as_the_voice_does(lambda_handler, word,
                                                                     pronoun, heading):
    client = screen_client(lambda_handler)
    client.launch()
    replies = [client.say("ForSomeoneElseIntent", person=word)]
    while replies[-1].state.get("pending") == "triage":
        shown = payload(replies[-1])
        assert shown["kind"] == "question" and shown["text"] in replies[-1].speech
        asked = replies[-1].state["question"]
        replies.append(client.say("AgeIntent", age="40") if asked == "age"
                       else client.say(YES if asked == "course" else NO))
    assert any(f" {pronoun} " in f" {payload(r)['text']} " for r in replies[:-1])
    assert payload(replies[-1])["heading"].startswith(heading)
    assert payload(screen_client(lambda_handler).launch())["kind"] == "prompt"


def test_a_provider_outcome_keeps_its_heading_while_the_offers_follow(lambda_handler):
    client = screen_client(lambda_handler)
    replies = through_check(client, {"front": NOT_SURE})
    shown = payload(replies[-1])
    assert shown["heading"] == speech.load_content()["screen"]["outcome"]["today_doubt"] \
        .replace("{They}", "You")
    assert shown["prompt"] and [b["event"] for b in shown["buttons"]] == ["yes", "no"]
    after = payload(client.say(YES))  # the card is sent; "anything else?"
    assert after["kind"] == "outcome" and after["heading"] == shown["heading"]
    assert after["prompt"] != shown["prompt"]


def test_a_speaker_gets_nothing_visual_but_keeps_its_cards(lambda_handler):
    client = CheckedClient(lambda_handler)
    replies = through_check(client, {"saddle": YES})
    other = CheckedClient(lambda_handler)
    replies += through_check(other, {"cancer": YES}) + [other.say(YES)]
    other.launch()
    replies += [other.say("StartReliefIntent"), other.say("AMAZON.NextIntent")]
    assert not [r for r in replies if r.directives]
    assert [r.card["title"] for r in replies if r.card] == ["Call 911 now", Settings().clinic_name]


def test_an_older_apl_runtime_gets_no_screen_it_could_not_show(lambda_handler):
    too_old = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "1.3"}}}
    enough = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": DOCUMENT["version"]}}}
    silent = {"Alexa.Presentation.APL": {}}  # no version reported: taken at its word
    for interfaces, shown in ((too_old, False), (enough, True), (silent, True)):
        reply = Client(lambda_handler, interfaces=interfaces).launch()
        assert (reply.screen is not None) is shown, interfaces


def test_no_screen_for_the_end_of_a_session_or_a_permission_request(lambda_handler):
    client = screen_client(lambda_handler)
    client.launch()
    ended = client.send(envelopes.session_ended())
    assert ended.directives == [] and "outputSpeech" not in ended.response
    client = screen_client(lambda_handler)
    through_check(client)
    assert client.say(NO).state["pending"] == "offer_reminder"  # relief declined
    asked = client.say(YES)  # a reminder: Alexa asks for the permission itself
    types = [d["type"] for d in asked.directives]
    assert types == ["Connections.SendRequest"], types  # the permission prompt stands alone


# --- touches answer as the voice does ---------------------------------------------------------

def lockstep(moves: list[tuple[str, str | None]],
             locale: str = "en-US") -> list[tuple[Reply, Reply]]:
    """Two screen devices, two users, the same seeded wording: one says each intent, the
    other touches the button that stands for it (None: both say it). Their replies, paired."""
    spoken = screen_client(seeded_handler(), locale)
    touched = screen_client(seeded_handler(), locale)
    pairs = [(spoken.launch(), touched.launch())]
    for intent, event in moves:
        said = spoken.say(intent)
        pressed = touched.touch(event) if event else touched.say(intent)
        pairs.append((said, pressed))
    return pairs


def same_answer(said: Reply, pressed: Reply) -> None:
    assert pressed.ssml == said.ssml
    assert pressed.reprompt_ssml == said.reprompt_ssml
    assert pressed.card == said.card
    assert pressed.ends_session == said.ends_session
    assert pressed.state == said.state
    assert pressed.screen == said.screen


@pytest.mark.parametrize("locale", LOCALES)
def test_touching_yes_on_an_emergency_question_calls_for_911_as_saying_yes_does(locale):
    moves = [("StartCheckIntent", None), (NO, "no"), (NOT_SURE, "not_sure"), (YES, "yes"),
             (YES, "yes")]
    pairs = lockstep(moves, locale)
    for said, pressed in pairs:
        same_answer(said, pressed)
    last_said, last_pressed = pairs[-1]
    assert last_pressed.ends_session and payload(last_pressed)["emergency"] is True
    assert "911" in last_pressed.speech and "911" in last_pressed.card["title"]
    assert last_pressed.state["answers"] == {"bladder": "no", "saddle": "unsure", "legs": "yes",
                                             "both_legs": "yes"}


@pytest.mark.parametrize("locale", LOCALES)
def test_touching_through_the_whole_check_and_relief_matches_the_voice(locale):
    # Nine questions no, the age not sure (a screen has no number buttons), pregnancy no.
    moves = [("StartCheckIntent", None)] + [(NO, "no")] * 9 + [(NOT_SURE, "not_sure"), (NO, "no")]
    moves += [(NO, "no"), ("StartReliefIntent", None), ("AMAZON.NextIntent", "next"),
              ("AMAZON.NextIntent", "next"), ("AMAZON.PreviousIntent", "previous"),
              ("AMAZON.PreviousIntent", "previous"), ("AMAZON.PreviousIntent", "previous")]
    pairs = lockstep(moves, locale)
    for said, pressed in pairs:
        same_answer(said, pressed)
    kinds = [payload(pressed)["kind"] for _, pressed in pairs]
    assert kinds.count("question") == 11 and "outcome" in kinds
    assert kinds[-5:] == ["step"] * 5
    assert pairs[-1][1].state["step"] == 0  # back past the first step stays on it


def test_a_touch_nobody_offered_is_a_miss_not_a_crash(lambda_handler):
    client = screen_client(lambda_handler)
    client.launch()
    client.say("StartCheckIntent")
    for arguments in (("dance",), (), (42,), ({"event": "yes"},), ("YES",)):
        reply = client.touch(*arguments)
        assert not reply.ends_session and reply.state["pending"] == "triage"
        assert reply.state["answers"] == {}, "an unknown touch answered a question"
        assert payload(reply)["kind"] == "question"


def test_a_screen_that_failed_is_logged_without_speech(lambda_handler, caplog):
    request = {"type": "Alexa.Presentation.APL.RuntimeError", "token": screen.TOKEN,
               "errors": [{"type": "LIST_ERROR", "reason": "LIST_INDEX_OUT_OF_RANGE",
                           "message": "amzn1.ask.account.LEAKED"}]}
    with caplog.at_level("WARNING", logger="skill"):
        for errors in (request["errors"], None):
            reply = screen_client(lambda_handler).send({**request, "errors": errors})
            assert "outputSpeech" not in reply.response and reply.directives == []
    logged = [r.getMessage() for r in caplog.records if "screen runtime error" in r.getMessage()]
    # The kind of error only: never its message, which could hold anything.
    assert logged == ["screen runtime error: LIST_ERROR", "screen runtime error: no details"]


# --- every state, on both kinds of device at once ----------------------------------------------

class Twins:
    """Sends each event to a speaker and to a screen device with the same session: the two
    replies must be the same but for the screen; the walk goes on with the screen's."""

    def __init__(self, handler):
        self.handler = handler
        self.pairs: list[tuple[dict, dict, dict]] = []  # (event, speaker reply, screen reply)

    def __call__(self, event: dict, context: Any) -> dict:
        heard = self.handler(copy.deepcopy(event), context)
        on_screen = copy.deepcopy(event)
        on_screen["context"]["System"]["device"]["supportedInterfaces"] = dict(envelopes.SCREEN)
        shown = self.handler(on_screen, context)
        self.pairs.append((on_screen, heard, shown))
        return shown


@pytest.fixture(scope="module", params=[("en-US", "you"), ("es-US", "she")],
                ids=["en-US-you", "es-US-she"])
def walked(request):
    locale, subject = request.param
    handler = build_lambda_handler(Settings(persistence="none"), rng=responses.LongestWording())
    twins = Twins(lambda event, context: handler({**event, "request": {
        **event["request"], "locale": locale}}, context))
    said, states = responses.walk(twins, InteractionModel.load(locale), subject, 2)
    return locale, twins, said, states


def test_a_speaker_and_a_screen_get_the_same_response_but_the_screen(walked):
    locale, twins, said, states = walked
    assert states > 100 and len(twins.pairs) >= len(said)  # and the roots' own set-up
    shown = 0
    for event, heard, on_screen in twins.pairs:
        directives = [d for d in on_screen["response"].get("directives", [])]
        renders = [d for d in directives if d["type"] == RENDER]
        assert not [d for d in heard["response"].get("directives", []) if d["type"] == RENDER]
        without = copy.deepcopy(on_screen)
        without["response"]["directives"] = [d for d in directives if d["type"] != RENDER]
        if not without["response"]["directives"]:
            del without["response"]["directives"]
        assert without == heard, event["request"]
        speaks = "outputSpeech" in on_screen["response"]
        alone = not heard["response"].get("directives")
        assert len(renders) == (1 if speaks and alone else 0), event["request"]
        shown += len(renders)
    print(f"walk {locale}: {states} states, {len(twins.pairs)} requests, {shown} screens")
    assert shown > len(twins.pairs) // 2


def sent_screens(twins: Twins) -> Iterator[tuple[dict, dict, dict]]:
    """(event, reply, directive) for every screen the walk was sent."""
    for event, _, shown in twins.pairs:
        for directive in shown["response"].get("directives", []):
            if directive["type"] == RENDER:
                yield event, shown, directive


def test_every_screen_sent_is_whole_and_within_alexas_limits(walked):
    locale, twins, _, _ = walked
    kinds, biggest = set(), 0
    for event, reply, directive in sent_screens(twins):
        assert directive["token"] == screen.TOKEN
        assert directive["document"] == DOCUMENT  # the file, as it is
        shown = directive["datasources"]["screen"]
        assert set(shown) == set(FIELD_TYPES)
        for field, kind in FIELD_TYPES.items():
            assert isinstance(shown[field], kind), (field, shown[field])
        for field in ("heading", "text", "clinic"):
            assert shown[field].strip(), (field, event["request"])
        for text in [shown[f] for f in TEXT_FIELDS] + [b["label"] for b in shown["buttons"]]:
            assert not re.search(r"[{}*]|\[(phone|digits|pause)", text), text
        for button in shown["buttons"]:
            assert set(button) == {"event", "label"} and button["event"] in screen.TOUCH_INTENTS
        kinds.add(shown["kind"])
        biggest = max(biggest, len(json.dumps(reply).encode()))
    print(f"largest response with a screen, {locale}: {biggest} bytes")
    assert biggest <= MAX_RESPONSE_BYTES
    assert kinds == {"question", "step", "outcome", "prompt", "goodbye"}


def test_every_button_shown_answers_as_the_words_it_stands_for(walked):
    """From each state a screen showed buttons in, each button against its words."""
    locale, twins, _, _ = walked
    handler = build_lambda_handler(Settings(persistence="none"), rng=responses.LongestWording())
    tried: set[tuple[str, str]] = set()
    for _, reply, directive in sent_screens(twins):
        session = reply.get("sessionAttributes")
        if reply["response"].get("shouldEndSession") is not False:
            continue
        # A state, as far as what a button does: not what was said last.
        state = {k: v for k, v in session["state"].items() if not k.startswith("last_")}
        for button in directive["datasources"]["screen"]["buttons"]:
            key = (json.dumps(state, sort_keys=True), button["event"])
            if key in tried:
                continue
            tried.add(key)
            following = {**envelopes.new_session(), "new": False, "attributes": session}
            said = handler(envelopes.envelope(
                envelopes.intent(screen.TOUCH_INTENTS[button["event"]], locale=locale),
                copy.deepcopy(following), locale=locale, interfaces=envelopes.SCREEN), None)
            pressed = handler(envelopes.envelope(
                envelopes.user_event(button["event"]), copy.deepcopy(following),
                locale=locale, interfaces=envelopes.SCREEN), None)
            assert pressed == said, (session, button)
    print(f"buttons tried against their words, {locale}: {len(tried)}")
    assert len(tried) > 100


# --- the document ---------------------------------------------------------------------------

FIELD_TYPES = {"kind": str, "emergency": bool, "heading": str, "text": str, "prompt": str,
               "hint": str, "buttons": list, "clinic": str, "emergencyLine": str}
TEXT_FIELDS = ("heading", "text", "prompt", "hint", "clinic", "emergencyLine")
_EXPRESSION = re.compile(r"\$\{(.*?)\}")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NAME_PATH = re.compile(r"(?<![\w.@])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")
_RESOURCE = re.compile(r"@([A-Za-z_]\w*)")
COMPONENT_SLOTS = ("items", "item", "firstItem", "lastItem")


def expressions(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield from _EXPRESSION.findall(value)
    elif isinstance(value, list):
        for item in value:
            yield from expressions(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from expressions(item)


def names_in(expression: str) -> list[str]:
    """Dotted names an expression reads (string literals and @resources left out)."""
    bare = _RESOURCE.sub(" ", _QUOTED.sub(" ", expression))
    return _NAME_PATH.findall(bare)


def components(node: Any, binds: frozenset[str] = frozenset(), data_path: str | None = None,
               ) -> Iterator[tuple[dict, frozenset[str], str | None]]:
    """Every component with the names bound around it and the list its `data` comes from."""
    if isinstance(node, list):
        for item in node:
            yield from components(item, binds, data_path)
        return
    if not isinstance(node, dict):
        return
    own = binds | {b["name"] for b in node.get("bind", [])}
    yield node, own, data_path
    inner = data_path
    if isinstance(node.get("data"), str):
        (expression,) = _EXPRESSION.findall(node["data"])
        inner = expression.strip()
    for slot in COMPONENT_SLOTS:
        if slot in node:
            yield from components(node[slot], own, inner)


def resolve(data: Any, path: list[str]) -> list[Any]:
    """The values at `path` in data (lists: in each element; `.length` of a list is fine)."""
    if not path:
        return [data]
    head, rest = path[0], path[1:]
    if isinstance(data, list):
        if head == "length":
            return [len(data)]
        return [value for item in data for value in resolve(item, path)]
    if isinstance(data, dict) and head in data:
        return resolve(data[head], rest)
    raise KeyError(".".join(path))


def used_fields(document: dict) -> set[tuple[str, str | None]]:
    """(payload path, list the path is read in, for `data.` names) for every name the
    document's components read; fails on a name it cannot place."""
    parameters = set(document["mainTemplate"]["parameters"])
    every_bind = {b["name"] for c, _, _ in components(document["mainTemplate"]["items"])
                  for b in c.get("bind", [])}
    used: set[tuple[str, str | None]] = set()
    unknown = []
    for component, binds, data_path in components(document["mainTemplate"]["items"]):
        for key, value in component.items():
            if key in COMPONENT_SLOTS:
                continue
            for expression in expressions(value):
                for name in names_in(expression):
                    root = name.split(".")[0]
                    if root in parameters:
                        used.add((name, None))
                    elif root == "data" and data_path is not None and key != "data":
                        used.add((name, data_path))
                    elif root not in binds | APL_GLOBALS:
                        unknown.append((component.get("type"), key, name))
    for style in document.get("styles", {}).values():
        for expression in expressions(style):
            unknown += [("style", "when", n) for n in names_in(expression)
                        if n.split(".")[0] not in every_bind | APL_GLOBALS]
    assert unknown == [], "names the document reads but nothing defines"
    return used


def check_fields(document: dict, datasources: dict) -> None:
    """Every field the document reads exists in these datasources."""
    for name, listed in used_fields(document):
        if listed is None:
            resolve(datasources, name.split(".")[1:])
        else:
            for item in resolve(datasources, listed.split(".")[1:]):
                for element in item:
                    resolve(element, name.split(".")[1:])


@functools.lru_cache(maxsize=None)
def _handler():
    return load_lambda_module("lambda_function_for_apl").lambda_handler


def datasources_sent(locale: str = "en-US") -> list[dict]:
    """The datasources of a few conversations: a question, a step, each outcome, an offer."""
    handler = _handler()
    sent = []
    for answers in ({}, {"front": NOT_SURE}, {"bladder": YES}, {"cancer": YES}, {"course": YES}):
        client = screen_client(handler, locale)
        replies = through_check(client, answers)
        if not replies[-1].ends_session:
            replies += [client.say("StartReliefIntent"), client.say("AMAZON.StopIntent")]
        sent += [r.screen["datasources"] for r in replies if r.screen]
    client = screen_client(handler, locale)
    sent += [r.screen["datasources"] for r in (client.launch(), client.say("AMAZON.StopIntent"))]
    return sent


@pytest.mark.parametrize("locale", LOCALES)
def test_every_field_the_document_reads_is_in_the_data_the_skill_sends(locale):
    used = used_fields(DOCUMENT)
    # The parse must find the fields, or it proves nothing.
    assert {("payload.screen.text", None), ("payload.screen.buttons", None),
            ("data.label", "payload.screen.buttons"),
            ("data.event", "payload.screen.buttons")} <= used
    sent = datasources_sent(locale)
    assert len({d["screen"]["kind"] for d in sent}) == 5
    for datasources in sent:
        check_fields(DOCUMENT, datasources)
    # And every field the skill sends is shown somewhere (kind names the view for tests).
    read = {name.split(".")[-1] for name, listed in used if listed is None}
    assert set(FIELD_TYPES) - read == {"kind"}


def find(document: dict, **wanted: str) -> dict:
    """The one component of the document with these properties."""
    found = [c for c, _, _ in components(document["mainTemplate"]["items"])
             if all(c.get(k) == v for k, v in wanted.items())]
    assert len(found) == 1, wanted
    return found[0]


@pytest.mark.parametrize("wanted, change", [
    ({"id": "heading"}, {"text": "${payload.screen.title}"}),  # a field nobody sends
    ({"text": "${data.label}"}, {"text": "${data.caption}"}),  # a button field nobody sends
    ({"id": "clinic"}, {"color": "${tint}"}),  # a name nothing binds
])
def test_the_field_check_finds_a_field_nobody_sends(wanted, change):
    broken = copy.deepcopy(DOCUMENT)
    find(broken, **wanted).update(change)
    sent = datasources_sent()
    for datasources in sent:
        check_fields(DOCUMENT, datasources)
    with pytest.raises((KeyError, AssertionError)):
        for datasources in sent:
            check_fields(broken, datasources)


def test_the_document_is_apl_of_a_version_every_screen_device_knows():
    assert isinstance(DOCUMENT, dict) and DOCUMENT["type"] == "APL"
    assert DOCUMENT["version"] in APL_VERSIONS
    assert screen.version_tuple(DOCUMENT["version"]) <= screen.version_tuple(
        envelopes.SCREEN["Alexa.Presentation.APL"]["runtime"]["maxVersion"])
    assert DOCUMENT["mainTemplate"]["parameters"] == ["payload"]
    assert "import" not in DOCUMENT, "no packages fetched over the network at render time"
    types = {c.get("type") for c, _, _ in components(DOCUMENT["mainTemplate"]["items"])}
    assert types <= COMPONENTS_1_4, types - COMPONENTS_1_4
    commands = set()
    for component, _, _ in components(DOCUMENT["mainTemplate"]["items"]):
        for handler in ("onPress", "onMount", "onDown", "onUp"):
            commands |= {c["type"] for c in component.get(handler, [])}
    assert commands == {"SendEvent"}


def test_every_resource_and_style_the_document_names_is_defined():
    defined = set()
    for block in DOCUMENT["resources"]:
        for kind in ("colors", "dimensions", "strings", "numbers", "booleans"):
            defined |= set(block.get(kind, {}))
    text = json.dumps(DOCUMENT)
    assert set(_RESOURCE.findall(text)) - {"viewport"} <= defined
    styles = {c["style"] for c, _, _ in components(DOCUMENT["mainTemplate"]["items"])
              if "style" in c}
    assert styles and styles <= set(DOCUMENT["styles"])


def _luminance(color: str) -> float:
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("foreground, background", [
    ("text", "background"), ("muted", "background"), ("accent", "background"),
    ("text", "button"), ("text", "buttonPressed"),
    ("emergencyText", "emergencyBackground"), ("emergencyAccent", "emergencyBackground"),
    ("emergencyText", "emergencyButton"),
])
def test_text_is_high_contrast_on_every_background_it_sits_on(foreground, background):
    colors = DOCUMENT["resources"][0]["colors"]
    # WCAG AAA for normal text: 7:1. People read this in pain, from the floor.
    assert contrast(colors[foreground], colors[background]) >= 7.0


def test_main_text_is_large_print_on_every_screen_size():
    sizes = [block["dimensions"]["textSize"] for block in DOCUMENT["resources"]
             if "textSize" in block.get("dimensions", {})]
    assert sizes and min(int(s.removesuffix("dp")) for s in sizes) >= 28


def test_screen_labels_exist_in_every_locale_for_every_person():
    for locale in speech.available_locales():
        content = speech.load_content(locale)
        assert set(content["screen"]["buttons"]) == set(screen.TOUCH_INTENTS)
        for subject in SUBJECTS:
            voice = speech.Voice(content, Settings().speech_values_for(locale), "555-0100",
                                 subject=subject)
            for key in ("title", "question", "clinic", "emergency",
                        *(f"outcome.{k}" for k in content["screen"]["outcome"])):
                shown = voice.render(voice.entry(f"screen.{key}")).plain
                assert shown and not re.search(r"[{}\[\]*]", shown), (locale, subject, key)
    # Every finding a non-emergency outcome can have has a heading.
    findings = {"today", "today_doubt", "today_pregnant", "provider", "provider_doubt",
                "home_care"}
    assert set(speech.load_content()["screen"]["outcome"]) == findings
    # ... which are every outcome the check can reach short of 911.
    reached = {safety.outcome_key(safety.assess(answers, "she")) for answers in (
        {"front": "unsure"}, {"cancer": "yes"}, {"pregnant": "yes", "labour": "no"},
        {"course": "yes"}, {"course": "unsure"})}
    assert reached == findings - {"home_care"}


# --- Amazon's APL linter ---------------------------------------------------------------------

def apl_suggester(items: list[dict], tmp_path: Path) -> dict:
    node.ensure_installed(APL_CHECK_DIR, "apl-suggester")
    batch = tmp_path / "documents.json"
    batch.write_text(json.dumps(items), encoding="utf-8")
    done = subprocess.run([node.tool("node"), "check.js", str(batch)], cwd=APL_CHECK_DIR,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_apl_suggester_finds_nothing_in_the_document_and_what_fills_it(tmp_path):
    sent = datasources_sent("en-US") + datasources_sent("es-US")
    items = [{"id": f"sent-{i}", "document": DOCUMENT, "datasources": d} for i, d in
             enumerate(sent)]
    broken = copy.deepcopy(DOCUMENT)
    find(broken, id="heading")["fontSize"] = "huge"
    find(broken, id="clinic")["colour"] = "red"
    items.append({"id": "broken", "document": broken, "datasources": None})
    verdict = apl_suggester(items, tmp_path)
    print(f"{verdict['validator']}: {verdict['checked']} documents")
    findings = {r["id"]: r["findings"] for r in verdict["results"]}
    assert len(findings["broken"]) >= 2, "the linter must catch a deliberately broken copy"
    del findings["broken"]
    assert {k: v for k, v in findings.items() if v} == {}
    assert len(findings) == len(sent) >= 10


# --- loaded once, and only for a screen ---------------------------------------------------------

PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from skill import build_lambda_handler
from skill.settings import Settings
from devkit import envelopes
handler = build_lambda_handler(Settings(persistence="none"))
APL_PACKAGE = "ask_sdk_model.interfaces.alexa.presentation.apl"

def turn(interfaces):
    session = envelopes.new_session()
    for request in (envelopes.launch(), envelopes.intent("AMAZON.YesIntent")):
        reply = handler(envelopes.envelope(request, session, interfaces=interfaces), None)
        session = {**session, "new": False, "attributes": reply["sessionAttributes"]}
    return reply

def seen():
    screen = sys.modules.get("skill.screen")
    info = screen.document.cache_info() if screen else None
    return {"screen_module": screen is not None, "loaded": info.currsize if info else 0,
            "reads": info.misses if info else 0, "apl_models": APL_PACKAGE in sys.modules}

report = {}
turn(None); turn(None)
report["speaker"] = seen()
for _ in range(3):
    turn(envelopes.SCREEN)
report["screen"] = seen()
print(json.dumps(report))
"""


def test_the_document_is_read_once_on_first_use_and_never_for_a_speaker():
    """A speaker's requests load neither skill.screen, nor the document, nor the SDK's APL
    models; a screen's first request loads all three, and later ones read nothing again."""
    done = subprocess.run([sys.executable, "-c", PROBE, str(ROOT)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["speaker"] == {"screen_module": False, "loaded": 0, "reads": 0,
                                 "apl_models": False}
    assert report["screen"] == {"screen_module": True, "loaded": 1, "reads": 1,
                                "apl_models": True}


# --- in the Lambda zip --------------------------------------------------------------------------

def test_the_lambda_zip_carries_the_document_and_shows_it(tmp_path):
    built = Path(package.build("skill", tmp_path / "lambda.zip")["zip"])
    with zipfile.ZipFile(built) as archive:
        assert json.loads(archive.read("skill/apl/screen.json")) == DOCUMENT
    folder = unpack(built, tmp_path / "task")
    try:
        with UnpackedLambda(folder, {"PERSISTENCE": "none"}) as function:
            client = screen_client(function)
            client.launch()
            shown = payload(client.say(YES))
            speaker = CheckedClient(function).launch()
            function.close()
    finally:
        make_writable(folder)
    assert shown["kind"] == "question" and shown["buttons"]
    assert speaker.directives == []


# --- the README's pictures ----------------------------------------------------------------------

def test_the_readme_pictures_are_of_this_document_drawn_by_a_real_renderer():
    """docs/echo-show-*.png come from `make screens`; a changed document needs new pictures."""
    import hashlib

    drawn = json.loads((ROOT / "docs" / "echo-show-screens.json").read_text(encoding="utf-8"))
    assert drawn["document_sha256"] == hashlib.sha256(DOCUMENT_TEXT.encode()).hexdigest(), \
        "skill/apl/screen.json changed since the pictures were drawn: run make screens"
    assert drawn["renderer"].startswith("apl-viewhost-web@")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(drawn["scenes"]) >= 3
    for scene in drawn["scenes"]:
        picture = ROOT / "docs" / scene["png"]
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", scene["png"]
        assert f"docs/{scene['png']}" in readme, f"the README does not show {scene['png']}"
        assert all(press["same_reply"] for press in scene["buttons_pressed"])
    pressed = {p["sent"][0] for scene in drawn["scenes"] for p in scene["buttons_pressed"]}
    assert pressed == set(screen.TOUCH_INTENTS), "every kind of button pressed in the renderer"
