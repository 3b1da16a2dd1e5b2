"""Conversations that several test modules drive against different stores."""
from __future__ import annotations

YES, NO, NOT_SURE = "AMAZON.YesIntent", "AMAZON.NoIntent", "NotSureIntent"
AGE = "AgeIntent"

# One answer pattern per outcome: emergency, today (a doubt about a 911 sign; a sign), a
# provider, home care.
EVERY_OUTCOME = ({"bladder": YES}, {"front": NOT_SURE}, {"cancer": YES}, {"course": YES}, {})


def answer(client, reply, answers: dict | None = None, age: str = "30"):
    """One answer to the safety question asked: the age as a number, else `answers`' intent
    for the question, "no" by default."""
    question = reply.state.get("question")
    if question == "age":
        return client.say(AGE, age=age)
    return client.say((answers or {}).get(question, NO))


def answer_all(client, reply, answers: dict | None = None, age: str = "30"):
    """Answer the questions until the check is over; the reply that ends it."""
    while reply.state.get("pending") == "triage" and not reply.ends_session:
        reply = answer(client, reply, answers, age)
    return reply


def walk_away(client) -> None:
    """The person says nothing more: Alexa ends the session with a SessionEndedRequest, which
    takes no speech."""
    from devkit import envelopes

    reply = client.send(envelopes.session_ended("EXCEEDED_MAX_REPROMPTS"))
    assert reply.response.get("outputSpeech") is None and client.session is None


SKILL_DISABLED = {"type": "AlexaSkillEvent.SkillDisabled",
                  "eventCreationTime": "2026-11-25T12:00:00Z",
                  "body": {"userInformation": {"consent": None}}}


def week_of_use(talk) -> int:
    """Every outcome, then relief and a slower voice where the session stays open.

    `talk()` returns a new session-carrying client for the same user. Returns
    the number of sessions, each of which counts as a visit.
    """
    for answers in EVERY_OUTCOME:
        client = talk()
        client.launch()
        reply = answer_all(client, client.say("StartCheckIntent"), answers)
        if not reply.ends_session:
            client.say(YES)
            client.say("AMAZON.NextIntent")
            client.say("SlowerIntent")
            client.say("AMAZON.StopIntent")
    return len(EVERY_OUTCOME)


def check_then_a_question(client) -> None:
    """A 16-turn session that changes nothing remembered but the visit: launch, the whole
    check answered no (aged 30), no relief, then a question about causes. The session stays
    open."""
    client.launch()
    answer_all(client, client.say("StartCheckIntent"))
    client.say(NO)  # no relief
    client.say("CausesIntent")
    assert client.session is not None and len(client.replies) == 16
