"""The one registry of intents: each declared once, every other list derived from it.

For each intent of the interaction model (and Alexa's built-ins the skill answers): the
event it stands for in the dialogue table (skill/dialogue), its answer to a name-free
CanFulfillIntentRequest (skill/name_free.py, with the reason when it is NO), and the screen
button that stands for it (skill/screen.py). Dispatch, CanFulfillIntentRequest, the screens,
the model lint and the tests read these lists; adding an intent touches the models, the
content and one entry here. Pure: no Alexa imports.
"""
from __future__ import annotations

from dataclasses import dataclass

YES, MAYBE, NO = "YES", "MAYBE", "NO"


@dataclass(frozen=True)
class Intent:
    name: str
    event: str  # what the person did, as the dialogue table knows it
    name_free: str = NO  # YES / MAYBE / NO for a request without the skill's name
    why_not: str = ""  # for NO: why Alexa must not route it here without the name
    touch: str | None = None  # the screen button (its event id) that stands for it


INTENTS: tuple[Intent, ...] = (
    # "Call 911", "I need an ambulance": said to the skill, what to do at once; without its
    # name, Alexa answers that itself.
    Intent("EmergencyIntent", "emergency_request", NO, "Alexa answers emergency requests itself"),
    Intent("StartCheckIntent", "check", YES),  # "I threw my back out", "my husband's back"
    Intent("ForSomeoneElseIntent", "for_someone", YES),
    Intent("ForMeIntent", "for_me", NO, "an answer to who the questions are about"),
    Intent("StartReliefIntent", "relief", YES),
    # "How do I get up off the floor": it can help, but without the skill's name the request
    # may follow a fall that no one has screened.
    Intent("GetUpIntent", "get_up", MAYBE),
    Intent("AboutSpasmsIntent", "info.about", YES),
    Intent("CausesIntent", "info.causes", YES),
    Intent("DurationIntent", "info.duration", YES),
    Intent("HomeCareIntent", "info.home_care", YES),
    Intent("WhenToWorryIntent", "info.when_to_worry", YES),
    Intent("ClinicNumberIntent", "number", YES),  # the skill is the clinic's own
    Intent("AppointmentIntent", "appointment", YES),
    # "Send me the number": which number depends on a conversation Alexa cannot see.
    Intent("SendCardIntent", "send_card", MAYBE),
    Intent("NotSureIntent", "not_sure", NO, "an answer to a question the skill asked",
           touch="not_sure"),
    Intent("MaybeIntent", "maybe", NO, "a hedged answer to a question the skill asked"),
    Intent("ExplainIntent", "explain", NO, "asks about a question the skill asked"),
    Intent("AgeIntent", "age", NO, "an answer to a question the skill asked"),
    Intent("GoToStepIntent", "go_to_step", NO, "moves within a relief routine already going"),
    Intent("WaitIntent", "wait", NO, "a pause in a conversation already going"),
    Intent("SlowerIntent", "slower", NO, "changes the pace of a routine already going"),
    Intent("FasterIntent", "faster", NO, "changes the pace of a routine already going"),
    Intent("ForgetDataIntent", "forget", NO,
           "about this skill's memory: deleting must be asked of it by name"),
    Intent("RemindMeIntent", "remind", NO, "'set a reminder' belongs to Alexa's own reminders"),
    Intent("AMAZON.YesIntent", "yes", NO, "an answer", touch="yes"),
    Intent("AMAZON.NoIntent", "no", NO, "an answer", touch="no"),
    Intent("AMAZON.HelpIntent", "help", NO, "help with whatever is open"),
    Intent("AMAZON.StopIntent", "stop", NO, "stops whatever is open"),
    Intent("AMAZON.CancelIntent", "stop", NO, "cancels whatever is open"),
    Intent("AMAZON.FallbackIntent", "fallback", NO, "nothing understood"),
    Intent("AMAZON.RepeatIntent", "repeat", NO, "repeats whatever was said"),
    Intent("AMAZON.NextIntent", "next", NO, "navigation", touch="next"),
    Intent("AMAZON.PreviousIntent", "previous", NO, "navigation", touch="previous"),
    Intent("AMAZON.StartOverIntent", "start_over", NO, "navigation"),
    Intent("AMAZON.NavigateHomeIntent", "home", NO, "navigation"),
)

BY_NAME: dict[str, Intent] = {intent.name: intent for intent in INTENTS}
HANDLED_INTENTS = frozenset(BY_NAME)
# Each screen button's event, and the intent it stands for.
TOUCH_INTENTS: dict[str, str] = {i.touch: i.name for i in INTENTS if i.touch}
# Slots whose value says who the questions are about.
PERSON_SLOT = "person"
STEP_SLOT = "step_number"
AGE_SLOT = "age"
