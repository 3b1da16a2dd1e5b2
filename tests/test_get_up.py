"""Getting up from the floor (CLINICAL.md, home care and relief), through
lambda_function.lambda_handler, turn after turn, in every locale: asked for at any time, the 911
signs first when they are not ruled out, one move a turn, offered at the end of the in-spasm
steps, and relief or the check picked up afterwards where they were."""
from __future__ import annotations

from support import locales
from support.spoken import says
from test_conversation_v2 import client, locale  # noqa: F401  (the same fixtures: every locale)

from skill import relief, speech
from skill.dialogue import get_up
from skill.state import ConversationState, Pending

NO, NEXT = "AMAZON.NoIntent", "AMAZON.NextIntent"


def test_asked_first_the_911_signs_come_first_then_one_move_a_turn(client, locale):
    client.launch()
    first = client.say("GetUpIntent")
    assert says(first, locale, "triage.quick.warning")
    assert says(first, locale, "get_up.steps.side")
    assert first.state["pending"] == "get_up" and first.state["rising"] == 0
    moves = [first]
    for _ in relief.GET_UP_STEPS[1:]:
        moves.append(client.say(NEXT))
    for move, step in zip(moves, relief.GET_UP_STEPS):
        assert says(move, locale, f"get_up.steps.{step}")
    assert [m.state["rising"] for m in moves] == list(range(len(relief.GET_UP_STEPS)))
    last = client.say(NEXT)
    assert says(last, locale, "get_up.done")
    assert last.state["rising"] is None
    assert last.state["pending"] == "start_check", "nothing was screened: the check is offered"


def test_offered_at_the_end_of_the_in_spasm_steps_and_relief_goes_on_after(client, locale):
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)  # no to the one-breath 911 question
    last_in_spasm = client.say("GoToStepIntent", step_number=str(relief.HOME_CARE_START))
    assert says(last_in_spasm, locale, "relief.steps.avoid_moves")
    offer = speech.load_content(locale)["relief"]["steps"]["avoid_moves"]["say"]
    phrase = offer.split("*")[1]  # the words it tells the person to say
    assert phrase in last_in_spasm.speech
    up = client.say("GetUpIntent")
    assert not says(up, locale, "triage.quick.warning"), "already ruled out"
    assert up.state["rising"] == 0 and up.state["step"] == relief.HOME_CARE_START - 1
    again = client.say("AMAZON.RepeatIntent")
    assert again.ssml == up.ssml
    back = client.say("AMAZON.PreviousIntent")
    assert back.state["rising"] == 0
    for _ in relief.GET_UP_STEPS:
        reply = client.say("AMAZON.YesIntent")
    assert says(reply, locale, "get_up.back_to_relief")
    assert reply.state["pending"] == "relief"
    following = client.say(NEXT)
    assert following.state["step"] == relief.HOME_CARE_START, "relief went on where it was"


def test_no_while_getting_up_waits(client, locale):
    client.launch()
    client.say("GetUpIntent")
    client.say(NEXT)
    wait = client.say(NO)
    assert wait.state["pending"] == "get_up" and wait.state["rising"] == 1


def test_a_caregiver_hears_how_to_help_them_up(client, locale):
    word = locales.section(locale, "persons.caregiver.he")
    client.launch()
    client.say("ForSomeoneElseIntent", person=word)
    up = client.say("GetUpIntent")
    assert says(up, locale, "get_up.steps.side", "he")


def test_getting_up_is_dropped_when_anything_else_is_taken_up():
    """Pure: a half-finished getting-up never lingers in a state that is not getting up."""
    state = ConversationState(pending=Pending.GET_UP, rising=2)
    assert get_up.getting_up(state)
    restored = ConversationState.from_attributes({"state": {"pending": "get_up"}})
    assert restored.pending is Pending.MENU and restored.rising is None
    stray = ConversationState.from_attributes({"state": {"pending": "menu", "rising": 3}})
    assert stray.rising is None and not get_up.getting_up(stray)
    wild = ConversationState.from_attributes({"state": {"pending": "get_up", "rising": 99}})
    assert wild.pending is Pending.MENU and wild.rising is None
