"""Conversations that several test modules drive against different stores."""
from __future__ import annotations

YES, NO, NOT_SURE = "AMAZON.YesIntent", "AMAZON.NoIntent", "NotSureIntent"

# One answer pattern per outcome: emergency, urgent provider, provider, home care.
EVERY_OUTCOME = ({"bladder_bowel": YES}, {"fever": NOT_SURE}, {"risk_history": YES}, {})

SKILL_DISABLED = {"type": "AlexaSkillEvent.SkillDisabled", "eventCreationTime": "2026-11-25T12:00:00Z",
                  "body": {"userInformation": {"consent": None}}}


def week_of_use(talk) -> int:
    """Every outcome, then relief and a slower voice where the session stays open.

    `talk()` returns a new session-carrying client for the same user. Returns
    the number of sessions, each of which counts as a visit.
    """
    for answers in EVERY_OUTCOME:
        client = talk()
        client.launch()
        reply = client.say("StartCheckIntent")
        while reply.state.get("pending") == "triage" and not reply.ends_session:
            reply = client.say(answers.get(reply.state["question"], NO))
        if not reply.ends_session:
            client.say(YES)
            client.say("AMAZON.NextIntent")
            client.say("SlowerIntent")
            client.say("AMAZON.StopIntent")
    return len(EVERY_OUTCOME)


def check_then_a_question(client) -> None:
    """A 15-turn session that changes nothing remembered but the visit: launch, the whole
    check answered no, no relief, then a question about causes. The session stays open."""
    client.launch()
    client.say("StartCheckIntent")
    for _ in range(11):
        client.say(NO)
    client.say(NO)  # no relief
    client.say("CausesIntent")
    assert client.session is not None and len(client.replies) == 15
