"""Hypothesis strategies for Alexa request envelopes: plausible, odd and broken.

`envelopes()` builds an envelope the way Alexa shapes one (every request type the
skill may meet, intents from the model, built-ins and junk, slots with odd values
and odd resolutions, session attributes from valid to garbage, locales), each
field now and then wrong-typed or missing; one envelope in four is then broken
further (`_mutate`): fields deleted, values swapped for ones of the wrong type or
a megabyte long, unknown fields added. About half stay readable and reach deep
into the handlers; the rest test the answer to an unreadable envelope.

`turns()` draws a conversation instead (from a launch: mostly answers, any intent
with sensible or odd slots, and now and then corrupted session attributes or an
odd request), for a caller that carries the session from one reply to the next,
as Alexa does.

No envelope carries a real token or reaches the network: the API endpoint is a
closed loopback port, a non-HTTPS address or junk, so a reminder attempt fails
at once instead of calling Amazon.
"""
from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from skill import relief, safety
from devkit.envelopes import SKILL_ID
from devkit.model import InteractionModel
from skill.reminders import SCOPE
from skill.state import RATES, SUBJECTS, Pending

MODEL = InteractionModel.load("en-US")
MODEL_INTENTS = tuple(sorted(MODEL.intents))
# Built-ins Alexa may send whether or not the model lists them.
BUILT_INS = (
    "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent",
    "AMAZON.CancelIntent", "AMAZON.RepeatIntent", "AMAZON.NextIntent", "AMAZON.PreviousIntent",
    "AMAZON.StartOverIntent", "AMAZON.FallbackIntent", "AMAZON.NavigateHomeIntent",
    "AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.MoreIntent", "AMAZON.SelectIntent",
    "AMAZON.ScrollDownIntent", "AMAZON.ScrollUpIntent", "AMAZON.PageUpIntent",
    "AMAZON.PageDownIntent", "AMAZON.NavigateSettingsIntent", "AMAZON.LoopOffIntent",
    "AMAZON.ShuffleOnIntent", "AMAZON.SendToPhoneIntent",
)
JUNK_INTENTS = ("OrderPizzaIntent", "", " ", "AMAZON.", "startcheckintent", "AMAZON.YesIntent ",
                "Intent", "../../etc/passwd", "<speak>", "NULL")
REQUEST_TYPES = (
    "LaunchRequest", "IntentRequest", "SessionEndedRequest", "AlexaSkillEvent.SkillDisabled",
    "AlexaSkillEvent.SkillEnabled", "AlexaSkillEvent.SkillPermissionAccepted",
    "Connections.Response", "System.ExceptionEncountered", "CanFulfillIntentRequest",
    "Alexa.Presentation.APL.UserEvent", "Alexa.Presentation.APL.RuntimeError",
)
UNKNOWN_TYPES = ("AudioPlayer.PlaybackStarted", "PlaybackController.NextCommandIssued",
                 "Display.ElementSelected", "Alexa.Presentation.APLT.UserEvent",
                 "Messaging.MessageReceived", "Dialog.InputRequest", "", "intentrequest")
# Request types that carry an intent; the rest take their own fields.
INTENT_TYPES = ("IntentRequest", "CanFulfillIntentRequest")
LOCALES = ("en-US", "es-US", "fr-FR", "en-GB", "de-DE", "en-us", "EN-US", "xx-XX", "", "en",
           "en_US", "zz-ZZ-x-private")
MISSING = object()  # "leave this field out"

# Values a person (or a buggy client) might fill a slot with.
ODD_SLOT_VALUES = (
    "he", "she", "they", "my wife", "my husband", "my dad", "my mom", "my patient", "goldfish",
    "3", "three", "third", "3rd", "8", "eight", "0", "nine", "42", "-1", "1.5", "?", "",
    " ", "9" * 40, "１２", "三", "&", "<", "<speak>", "]]>", "&amp;", "\u0000", "\ud7ff",
    "👍", "e\u0301", "null", "NaN", "true", "[pause 40s]", "*next*", "{they}", "[phone]",
)
STATUS_CODES = ("ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH", "ER_ERROR_TIMEOUT",
                "ER_ERROR_EXCEPTION", "UNKNOWN_CODE", "")
PERSON_IDS = ("HE", "SHE", "THEY", "he", "IT", "", "NOBODY")

# ---------------------------------------------------------------- basic values

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
)
# Any JSON value, nested a little.
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=8,
)
# Wrong-typed stand-ins for a field that should hold a string, a dict, a number...
odd_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
    st.builds(list), st.builds(dict), st.lists(scalars, max_size=3),  # fresh, never shared
    st.dictionaries(st.text(max_size=5), scalars, max_size=3),
)


@st.composite
def huge_strings(draw) -> str:
    """Very long strings: a repeated piece, up to a megabyte."""
    piece = draw(st.sampled_from(["a", "yes ", "<", "&", "é", "👍", "he ", "\n", "9"]) |
                 st.text(min_size=1, max_size=8))
    return piece * draw(st.integers(min_value=1_000, max_value=1_000_000 // max(len(piece), 1)))


text_values = st.one_of(st.sampled_from(ODD_SLOT_VALUES), st.text(max_size=40),
                        huge_strings())


ROLL = st.integers(0, 39)


def field(draw, plausible: Any, odd: st.SearchStrategy = odd_values) -> Any:
    """Mostly the plausible value (a constant, or drawn from a strategy); one time in forty
    a wrong-typed one, one in forty left out (MISSING).

    An envelope has a couple of dozen fields, so a higher rate would make nearly every
    envelope unreadable and the fuzz would seldom reach the handlers. Plain functions
    taking `draw`, not composites, because building a strategy per field is what made
    drawing slow.
    """
    roll = draw(ROLL)
    if roll == 1:
        return draw(odd)
    if roll == 2:
        return MISSING
    return draw(plausible) if isinstance(plausible, st.SearchStrategy) else plausible


def drop_missing(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if v is not MISSING}


# ---------------------------------------------------------------- slots

RESOLUTION_SHAPES = st.sampled_from(["match", "match", "no_match", "empty", "odd_values", "odd",
                                     "none"])
EMPTY_RESOLUTIONS = st.sampled_from([{}, {"resolutionsPerAuthority": []},
                                     {"resolutionsPerAuthority": None}])
ODD_RESOLUTION_VALUES = st.sampled_from([
    [], None, [{}], [{"value": None}], [{"value": {"name": "he"}}],
    [{"value": {"id": None, "name": None}}], [{"value": {"id": 7}}]])
SLOT_NAMES = st.sampled_from(["person", "step_number", "number", "unknown_slot", ""])
EXTRA_SLOTS = st.lists(SLOT_NAMES, max_size=2)
CONFIRMATIONS = st.sampled_from(["NONE", "CONFIRMED", "DENIED"])
SOURCES = st.sampled_from([MISSING, "USER", "junk"])
ODD_SLOT_VALUE = st.sampled_from(ODD_SLOT_VALUES)
PERSON_ID = st.sampled_from(PERSON_IDS)
STATUS_CODE = st.sampled_from(STATUS_CODES)
SEND_SLOT = st.integers(0, 4)  # 0: a declared slot is not sent at all
ODD_JSON_LIST = st.lists(json_values, max_size=3)


def _resolutions(draw, type_name: str | None) -> Any:
    """Entity resolutions of every shape, from Alexa's own to nonsense."""
    shape = draw(RESOLUTION_SHAPES)
    authority = {"authority": f"amzn1.er-authority.echo-sdk.{SKILL_ID}.{type_name or 'X'}"}
    if shape == "none":
        return MISSING
    if shape == "match":
        authority["status"] = {"code": "ER_SUCCESS_MATCH"}
        authority["values"] = [{"value": {"name": draw(ODD_SLOT_VALUE), "id": draw(PERSON_ID)}}]
    elif shape == "no_match":
        authority["status"] = {"code": draw(STATUS_CODE)}
    elif shape == "empty":
        return draw(EMPTY_RESOLUTIONS)
    elif shape == "odd_values":
        authority["status"] = {"code": "ER_SUCCESS_MATCH"}
        authority["values"] = draw(ODD_RESOLUTION_VALUES)
    else:
        return {"resolutionsPerAuthority": draw(ODD_JSON_LIST)}
    return {"resolutionsPerAuthority": [authority]}


def _slot(draw, name: str, type_name: str | None) -> dict:
    return drop_missing({"name": field(draw, name),
                         "confirmationStatus": field(draw, CONFIRMATIONS),
                         "value": field(draw, text_values),
                         "source": draw(SOURCES),
                         "resolutions": _resolutions(draw, type_name)})


def _slots(draw, intent_name: str) -> Any:
    declared = {s["name"]: s["type"]
                for s in (MODEL.intents.get(intent_name) or {}).get("slots", [])}
    names = list(declared) + draw(EXTRA_SLOTS)
    chosen = {n: _slot(draw, n, declared.get(n)) for n in names if draw(SEND_SLOT) > 0}
    return field(draw, chosen)


intent_names = st.one_of(st.sampled_from(MODEL_INTENTS), st.sampled_from(MODEL_INTENTS),
                         st.sampled_from(BUILT_INS), st.sampled_from(JUNK_INTENTS),
                         st.text(max_size=30))


def _intent(draw) -> Any:
    name = draw(intent_names)
    return field(draw, drop_missing({"name": field(draw, name),
                                     "confirmationStatus": field(draw, "NONE"),
                                     "slots": _slots(draw, name)}))


# ---------------------------------------------------------------- requests

KIND_ROLL = st.integers(0, 19)
# People send intents far more often than anything else, so the fuzz does too.
KNOWN_TYPE = st.sampled_from(REQUEST_TYPES + ("IntentRequest",) * 6 + ("LaunchRequest",))
UNKNOWN_TYPE = st.sampled_from(UNKNOWN_TYPES)
JUNK_TYPE = st.text(max_size=20)
TIMESTAMPS = st.sampled_from(["2026-11-25T12:00:00Z", "2026-11-25T12:00:00.123Z"])
ODD_TIMESTAMPS = st.sampled_from(["yesterday", "", "0", None, 0])
LOCALE = st.sampled_from(LOCALES) | st.text(max_size=12)
DIALOG_STATES = st.sampled_from(["STARTED", "IN_PROGRESS", "COMPLETED", "WEIRD"])
END_REASONS = st.sampled_from(["USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS",
                               "SOMETHING_NEW"])
ERRORS = st.fixed_dictionaries(
    {"type": st.sampled_from(["INVALID_RESPONSE", "INTERNAL_SERVICE_ERROR",
                              "DEVICE_COMMUNICATION_ERROR", "X"]),
     "message": st.text(max_size=30)})
CONNECTION_NAMES = st.sampled_from(["AskFor", "AskFor", "Buy", "Upsell", "askfor"])
CONNECTION_STATUS = st.fixed_dictionaries(
    {"code": st.sampled_from(["200", "200", "204", "400", "500", 200, "OK"]),
     "message": st.sampled_from(["OK", "No Content", ""])})
CONSENT_ANSWERS = st.sampled_from(["ACCEPTED", "DENIED", "NOT_ANSWERED", "WHAT"])
# A touch on a screen: the events the skill's buttons send, and anything else.
TOUCH_ARGUMENTS = st.sampled_from([["yes"], ["no"], ["not_sure"], ["next"], ["previous"]]) | \
    st.lists(st.sampled_from(["yes", "next", "YES", "dance", ""]) | scalars, max_size=3)
SCREEN_ERRORS = st.lists(st.fixed_dictionaries(
    {"type": st.just("LIST_ERROR"),
     "reason": st.sampled_from(["LIST_INDEX_OUT_OF_RANGE", "INVALID_LIST_ID", "NOT_A_REASON"]),
     "message": st.text(max_size=30)}), max_size=2)


def _request(draw) -> dict:
    roll = draw(KIND_ROLL)
    kind = draw(UNKNOWN_TYPE if roll == 0 else JUNK_TYPE if roll == 1 else KNOWN_TYPE)
    body: dict[str, Any] = {
        "type": field(draw, kind),
        "requestId": field(draw, "amzn1.echo-api.request.fuzz"),
        "timestamp": field(draw, TIMESTAMPS, odd=ODD_TIMESTAMPS),
        "locale": field(draw, LOCALE),
    }
    if kind in INTENT_TYPES:
        body["intent"] = _intent(draw)
        if kind == "IntentRequest":
            body["dialogState"] = field(draw, DIALOG_STATES)
    elif kind == "SessionEndedRequest":
        body["reason"] = field(draw, END_REASONS)
        body["error"] = draw(st.just(MISSING) | ERRORS)
    elif kind.startswith("AlexaSkillEvent."):
        body["eventCreationTime"] = field(draw, "2026-11-25T12:00:00Z")
        body["body"] = field(draw, {"userInformation": {"consent": None}})
    elif kind == "Connections.Response":
        body["name"] = field(draw, CONNECTION_NAMES)
        body["token"] = field(draw, "follow-up-reminder")
        body["status"] = field(draw, CONNECTION_STATUS)
        body["payload"] = field(draw, drop_missing({"status": field(draw, CONSENT_ANSWERS),
                                                    "permissionScope": field(draw, SCOPE)}))
    elif kind == "Alexa.Presentation.APL.UserEvent":
        body["token"] = field(draw, "backSpasmHelperScreen")
        body["arguments"] = field(draw, TOUCH_ARGUMENTS)
    elif kind == "Alexa.Presentation.APL.RuntimeError":
        body["token"] = field(draw, "backSpasmHelperScreen")
        body["errors"] = field(draw, SCREEN_ERRORS)
    elif kind == "System.ExceptionEncountered":
        body["error"] = field(draw, ERRORS)
        body["cause"] = field(draw, {"requestId": "amzn1.echo-api.request.earlier"})
    return drop_missing(body)


@st.composite
def requests(draw) -> dict:
    """A request of any type, with its own fields, some odd or missing."""
    return _request(draw)


# ---------------------------------------------------------------- session attributes

ssml_samples = st.sampled_from([
    "<speak>Shall we start?</speak>", "<speak>Ready?</speak>", "Ready?", "<speak>",
    "<speak>a & b?</speak>", '<speak><break time="60s"/>Ready?</speak>',
    '<speak><audio src="https://example.com/a.mp3"/>Ready?</speak>', "<speak>No question.</speak>",
    "", "</speak>", "<speak><speak>Twice?</speak></speak>",
])

state_attributes = st.fixed_dictionaries({}, optional={
    "subject": st.sampled_from(SUBJECTS) | odd_values,
    "pending": st.sampled_from([p.value for p in Pending]) | odd_values,
    "question": st.sampled_from(safety.QUESTION_IDS) | odd_values,
    "answers": st.dictionaries(st.sampled_from(safety.QUESTION_IDS) | st.text(max_size=10),
                               st.sampled_from([a.value for a in safety.Answer] + ["45"])
                               | odd_values,
                               max_size=6) | odd_values,
    "step": st.integers(-3, len(relief.STEPS) + 3) | odd_values,
    "rate": st.integers(-2, len(RATES) + 2) | odd_values,
    "misses": st.integers(-1, 5) | odd_values,
    "last_speech": ssml_samples | text_values | odd_values,
    "last_reprompt": ssml_samples | text_values | odd_values,
})

memory_record = st.fixed_dictionaries({}, optional={
    "relief_step": st.integers(-2, 10) | odd_values,
    "relief_saved_at": st.integers(0, 2**40) | odd_values,
    "speech_rate": st.integers(-1, 5) | odd_values,
    "visits": st.integers(-5, 2**40) | odd_values,
    "last_visit": st.integers(0, 2**40) | odd_values,
})
memory_attributes = st.fixed_dictionaries({}, optional={
    "current": memory_record | odd_values, "stored": memory_record | odd_values,
    "touched": st.lists(st.sampled_from(["visits", "speech_rate", "relief_step", "x"]) |
                        odd_values, max_size=4) | odd_values,
    "paused": st.booleans() | odd_values,
})

session_attributes = st.one_of(
    st.builds(dict),
    st.fixed_dictionaries({"state": state_attributes},
                          optional={"memory": memory_attributes, "extra": json_values}),
    st.fixed_dictionaries({"state": state_attributes}),
    st.fixed_dictionaries({}, optional={"state": odd_values, "memory": odd_values}),
    json_values,
)

# ---------------------------------------------------------------- context and session

USER_IDS = tuple(f"amzn1.ask.account.FUZZ-{n}" for n in range(8))  # few, so memory is reused
API_ENDPOINTS = ("https://127.0.0.1:9", "http://127.0.0.1:9", "not a url", "", "https://")
PERMISSIONS = st.sampled_from([
    MISSING, MISSING, MISSING, MISSING, {}, {"consentToken": "fuzz-consent"},
    {"scopes": {SCOPE: {"status": "GRANTED"}}}, {"scopes": {SCOPE: {"status": "DENIED"}}},
    {"scopes": {SCOPE: None}}, {"scopes": []}])
USER_ID = st.sampled_from(USER_IDS)
APPLICATIONS = st.sampled_from([{"applicationId": SKILL_ID}, {"applicationId": SKILL_ID},
                                {"applicationId": "amzn1.ask.skill.someone-else"}])
DEVICES = st.sampled_from([{"deviceId": "amzn1.ask.device.FUZZ", "supportedInterfaces": {}},
                           {"supportedInterfaces": {"Alexa.Presentation.APL": {}}},
                           {"supportedInterfaces": {"Alexa.Presentation.APL": {
                               "runtime": {"maxVersion": "2024.3"}}}},
                           {"supportedInterfaces": {"Alexa.Presentation.APL": {
                               "runtime": {"maxVersion": "1.2"}}}},
                           {"supportedInterfaces": {"Alexa.Presentation.APL": {
                               "runtime": {"maxVersion": "next"}}}}])
API_ENDPOINT = st.sampled_from(API_ENDPOINTS)
BOOLEANS = st.booleans()
SESSION_ROLL = st.integers(0, 2)  # 0: no session, as for skill events


def _context(draw) -> Any:
    user = drop_missing({"userId": field(draw, USER_ID), "permissions": draw(PERMISSIONS)})
    system = drop_missing({
        "application": field(draw, APPLICATIONS),
        "user": field(draw, user),
        "device": field(draw, DEVICES),
        "apiEndpoint": field(draw, API_ENDPOINT),
        "apiAccessToken": field(draw, "fuzz-api-token"),
    })
    return field(draw, drop_missing({"System": field(draw, system)}))


def _session(draw) -> Any:
    return field(draw, drop_missing({
        "new": field(draw, BOOLEANS),
        "sessionId": field(draw, "amzn1.echo-api.session.fuzz"),
        "application": field(draw, {"applicationId": SKILL_ID}),
        "user": field(draw, {"userId": draw(USER_ID)}),
        "attributes": field(draw, session_attributes),
    }))


MUTATE_ROLL = st.integers(0, 3)  # 0: break the envelope further


@st.composite
def envelopes(draw) -> Any:
    """One request envelope, from nearly valid to broken."""
    body = drop_missing({
        "version": field(draw, "1.0"),
        "context": _context(draw),
        "request": field(draw, requests()),
        "session": _session(draw) if draw(SESSION_ROLL) else MISSING,
    })
    if draw(MUTATE_ROLL) == 0:
        body = _mutate(draw, body)
    return body


# ---------------------------------------------------------------- mutation

def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place inside a JSON value that can be deleted or replaced."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, prefix + (index,))
    return found


def _get(root: Any, path: tuple) -> Any:
    for part in path:
        root = root[part]
    return root


MUTATIONS = st.integers(1, 4)
ACTIONS = st.sampled_from(["delete", "retype", "retype", "huge", "add"])
NEW_KEY = st.text(max_size=12)
REPLACEMENT = odd_values | json_values


def _mutate(draw, value: Any) -> Any:
    """A copy with one to four fields deleted, retyped, stretched or joined by unknown ones."""
    # A copy: drawn values share objects with the constants above, which must stay intact.
    value = copy.deepcopy(value)
    for _ in range(draw(MUTATIONS)):
        paths = _paths(value)
        path = paths[draw(st.integers(0, len(paths) - 1))]
        action = draw(ACTIONS)
        if not path:  # the envelope itself
            if action == "retype":
                return copy.deepcopy(draw(REPLACEMENT))
            if action == "huge":
                return draw(huge_strings())
            continue
        parent, key = _get(value, path[:-1]), path[-1]
        if action == "delete":
            del parent[key]
        elif action == "retype":
            parent[key] = copy.deepcopy(draw(REPLACEMENT))  # a later "add" may change it
        elif action == "huge":
            parent[key] = draw(huge_strings())
        elif isinstance(parent[key], dict):
            parent[key][draw(NEW_KEY)] = copy.deepcopy(draw(json_values))
    return value


# ---------------------------------------------------------------- conversations

SENSIBLE_SLOTS = {
    "person": st.sampled_from(["he", "she", "they", "my wife", "my dad", "my mom", "my patient",
                               "goldfish", ""]) | st.none(),
    "step_number": st.sampled_from(["1", "3", "three", "third", "8", "eight", "0", "nine",
                                    "42", "banana"]) | st.none(),
}
EVERY_INTENT = tuple(sorted(set(MODEL_INTENTS) | set(BUILT_INS)))
TURN_ROLL = st.integers(0, 39)
ANY_SENSIBLE_INTENT = st.sampled_from(EVERY_INTENT)
# To a safety question mostly "no", as most people answer; to an offer mostly "yes". So
# conversations get to the end of the check, through relief, to the reminder and beyond.
TO_A_QUESTION = st.sampled_from(["AMAZON.NoIntent"] * 12 + ["AMAZON.YesIntent", "NotSureIntent"])
TO_AN_OFFER = st.sampled_from(["AMAZON.YesIntent"] * 4 + ["AMAZON.NoIntent"])


@st.composite
def turns(draw, min_turns: int = 1, max_turns: int = 30) -> list[dict]:
    """A conversation from a launch: what the person says at each turn, with slot values,
    most of them answers; now and then a new session, an odd request or corrupted attributes.

    An answer turn holds two answers: the caller says `to_question` when the skill's last
    reply asked a safety question, `to_offer` otherwise. A `rest_no` turn is "no" to each
    safety question left, one turn each."""
    drawn = [{"kind": "launch"}]
    for _ in range(draw(st.integers(min_turns, max_turns)) - 1):
        roll = draw(TURN_ROLL)
        if roll == 0:
            drawn.append({"kind": "launch"})
        elif roll == 1:
            drawn.append({"kind": "corrupt", "attributes": draw(session_attributes)})
        elif roll == 2:
            drawn.append({"kind": "request", "request": _request(draw)})
        elif roll < 5:
            # "No" to every question left, as most people answer: to the end of the check.
            drawn.append({"kind": "rest_no"})
        elif roll < 28:
            drawn.append({"kind": "answer", "to_question": draw(TO_A_QUESTION),
                          "to_offer": draw(TO_AN_OFFER)})
        else:
            name = draw(ANY_SENSIBLE_INTENT if roll > 29 else intent_names)
            declared = [s["name"] for s in (MODEL.intents.get(name) or {}).get("slots", [])]
            chosen = {s: draw(SENSIBLE_SLOTS.get(s, st.none())) for s in declared}
            drawn.append({"kind": "intent", "name": name, "slots": chosen})
    return drawn
