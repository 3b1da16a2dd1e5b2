"""Which requests take speech: one answer for every place that must know (pure, no Alexa imports).

Alexa refuses speech in the response to some requests (the Alexa Skills Kit request types
reference: SessionEndedRequest, AudioPlayer and PlaybackController requests, skill events,
System.ExceptionEncountered, Reminders and Messaging events, an APL runtime error, an APL list
asking for more items) and asks a CanFulfillIntentRequest for a verdict, not words. Whatever
else arrives outside a session is an event no person is waiting on, so it too gets an empty
answer.
"""
from __future__ import annotations

NAME_FREE_QUERY = "CanFulfillIntentRequest"
# What a person said, touched or answered (a consent or purchase prompt, which resumes the
# skill): an answer may speak even outside a session.
FROM_A_PERSON = ("LaunchRequest", "IntentRequest", "Display.ElementSelected",
                 "Alexa.Presentation.APL.UserEvent", "GameEngine.InputHandlerEvent",
                 "Connections.Response", "SessionResumedRequest")
NO_SPEECH_PREFIXES = ("SessionEndedRequest", "System.ExceptionEncountered", "AlexaSkillEvent.",
                      "AudioPlayer.", "PlaybackController.", "Messaging.", "Reminders.",
                      "Alexa.Presentation.APL.RuntimeError",
                      # A list on the screen asking for more items: it wants data, not words.
                      "Alexa.Presentation.APL.Load")


def takes_speech(request_type: str | None, has_session: bool) -> bool:
    """Whether an answer to this request may speak."""
    kind = request_type or ""
    if kind == NAME_FREE_QUERY or kind.startswith(NO_SPEECH_PREFIXES):
        return False
    return has_session or kind in FROM_A_PERSON
