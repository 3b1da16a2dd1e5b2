"""The dialogue table: decide(state, event) -> Decision, the meaning of everything said.

One row an event; a row reads the question the skill asked last (`state.pending`) where the
same words mean different things ("yes" to a safety question, to the card, to the next
step). Nothing here knows about Alexa: skill/handlers turns a request into an Event and a
Decision into a response, so voice, card and screen all come from one decision.
"""
from __future__ import annotations

from typing import Callable

from .. import relief, safety
from ..intents import INTENTS, YES
from ..safety import Answer
from ..state import DEFAULT_RATE, MORE_TOPICS, RATES, ConversationState, Pending
from . import check, get_up, routine
from .reply import Card, Decision, Event, Pick, Reply

MISSES_BEFORE_MENU = 2
# Events that may open a session by themselves (a one-shot: "ask back spasm helper to ..."),
# the questions the skill answers in full from a standing start (the registry's name-free YES);
# on a first visit the disclaimer comes first.
ONE_SHOT_OPENERS = frozenset(i.event for i in INTENTS if i.name_free == YES)

Row = Callable[[Reply, Event], Decision]


def decide(state: ConversationState, event: Event) -> Decision:
    """The next state and what to say, for one thing the person did."""
    working = state.copy()
    previous_aside, working.aside = working.aside, None
    reply = Reply(working, previous_aside)
    if event.new_session and not event.returning and event.name in ONE_SHOT_OPENERS:
        reply.say("launch.disclaimer")
    row = TABLE.get(event.name) or (info if event.name.startswith("info.") else fallback)
    decision = row(reply, event)
    after = decision.state
    if not decision.missed:
        after.misses = 0
    # What belongs to one open question does not outlive it.
    if after.pending is not Pending.OFFER_MORE:
        after.more = None
    if after.pending is not Pending.TRIAGE:
        after.then_relief = False
    if after.pending is not Pending.GET_UP:
        after.rising = None
    return decision


# --- answers: yes, no, not sure, a hedge -----------------------------------------------

def yes(reply: Reply, event: Event) -> Decision:
    state = reply.state
    pending = state.pending
    answered = check.answer(reply, Answer.YES)
    if answered:
        return answered
    if pending in (Pending.WELCOME, Pending.OFFER_RELIEF):
        return routine.request(reply)
    if pending in (Pending.START_CHECK, Pending.FINISH_CHECK):
        return check.resume(reply)
    if pending is Pending.OFFER_CARD:
        return send_card(reply, event)
    if pending is Pending.RELIEF and state.step is not None:
        return routine.move(reply, relief.Move.NEXT)
    if get_up.getting_up(state):
        return get_up.move(reply, relief.Move.NEXT)
    if pending is Pending.OFFER_RESUME and state.step is not None:
        return routine.show(reply, state.step)
    if pending is Pending.OFFER_MORE and state.more:
        # The anti-inflammatory, when a pregnancy is possible, as the relief step says it.
        medicine = state.more == "home_care" and routine.pregnancy_possible(state)
        reply.say("relief.pregnancy.anti_inflammatory" if medicine else f"info.{state.more}_more")
        state.more, state.pending = None, Pending.ANYTHING_ELSE
        return reply.ask()
    if pending is Pending.CONFIRM_FORGET:
        state.pending = Pending.ANYTHING_ELSE
        return reply.effect("forget")
    if pending is Pending.OFFER_REMINDER:
        return remind(reply, event)
    if pending is Pending.ANYTHING_ELSE:
        state.pending = Pending.MENU
    reply.say(f"pending.{state.pending.value}.hint")  # "yes" to "what would you like?"
    return reply.ask()


def no(reply: Reply, event: Event) -> Decision:
    state = reply.state
    pending = state.pending
    answered = check.answer(reply, Answer.NO)
    if answered:
        return answered
    if pending in (Pending.RELIEF, Pending.GET_UP):
        reply.say("no_rush").say(f"pending.{pending.value}.hint")
        return reply.ask()
    if pending in (Pending.ANYTHING_ELSE, Pending.MENU):
        return goodbye(reply)
    if pending is Pending.WELCOME:  # no to relief now: the check is offered instead
        state.pending = Pending.START_CHECK
        reply.say("acknowledge")
        return reply.ask()
    if pending is Pending.START_CHECK:
        state.pending = Pending.MENU
        reply.say("acknowledge").say("pending.menu.hint")
        return reply.ask()
    if pending is Pending.OFFER_RESUME:
        state.step = None  # declined: the old place is forgotten
        state.pending = Pending.WELCOME
        reply.say("acknowledge")
        return reply.ask()
    if pending is Pending.CONFIRM_FORGET:
        state.pending = Pending.ANYTHING_ELSE
        reply.say("memory.kept")
        return reply.ask()
    if pending is Pending.OFFER_RELIEF:
        state.pending = routine.next_offer(state)
        if state.pending is not Pending.OFFER_REMINDER:
            state.pending = Pending.ANYTHING_ELSE
        reply.say("acknowledge")
        return reply.ask()
    state.more = None
    state.pending = Pending.ANYTHING_ELSE
    reply.say("acknowledge")
    return reply.ask()


def not_sure(reply: Reply, event: Event) -> Decision:
    state = reply.state
    answered = check.answer(reply, Answer.UNSURE)
    if answered:
        return answered
    # "Not sure" to an offer: explain the choice and ask again.
    reply.say(f"pending.{state.pending.value}.help").say(f"pending.{state.pending.value}.hint")
    return reply.ask()


def maybe(reply: Reply, event: Event) -> Decision:
    """A hedge ("I think so", "kind of"): doubt on a safety question, a yes to an offer."""
    if check.asking(reply.state):
        return not_sure(reply, event)
    return yes(reply, event)


def explain(reply: Reply, event: Event) -> Decision:
    """"What do you mean?": the question in other words; never an answer."""
    state = reply.state
    reply.repeatable = False
    if state.pending in (Pending.TRIAGE, Pending.QUICK_SCREEN):
        asked = f"triage.questions.{state.question}" if state.pending is Pending.TRIAGE \
            else "triage.quick"
        # Asked twice in a row: the same words did not help, so say what the question is for,
        # and that not knowing is an answer.
        again = reply.previous_aside == "explained"
        reply.say("triage.explain_again" if again else f"{asked}.explain")
        state.aside = "explained"
    else:
        reply.say(f"pending.{state.pending.value}.help")
    return reply.ask()


# --- who the questions are about ----------------------------------------------------------

def for_someone(reply: Reply, event: Event) -> Decision:
    return _switch(reply, event.subject or "they", "caregiver.noted")


def for_me(reply: Reply, event: Event) -> Decision:
    return _switch(reply, "you", "caregiver.for_me")


def _switch(reply: Reply, subject: str, noted: str) -> Decision:
    """Who the questions are about. Answers about one person say nothing about another:
    mid-check the questions start again about the person named (a "no" given about a husband
    must not stand for his wife); afterwards the answers are set aside and the emergency
    block comes first again."""
    state = reply.state
    changed = subject != state.subject
    state.subject = subject
    state.screened = state.screened and not changed  # the breath was about the other person
    if changed and state.answers and check.asking(state):
        then_relief = state.then_relief
        state.start_check()
        state.then_relief = then_relief
        reply.say("caregiver.start_again")
        return reply.ask()
    if changed and state.answers:
        state.answers = {}  # the check was about someone else: this person's comes first
    if not check.asking(state) and not routine.in_routine(state):
        return check.begin(reply)  # its opening names who the questions are about
    reply.say(noted)
    if check.asking(state):
        return reply.ask()  # a correction mid-check: the same question, now about them
    if changed:
        return check.quick_screen(reply)  # then the routine goes on where it was
    return routine.show(reply, state.step or relief.FIRST)


# --- the check and relief ------------------------------------------------------------------

def start_check(reply: Reply, event: Event) -> Decision:
    state = reply.state
    if check.asking(state):
        # Mid-check, a person named in passing ("the baby moves, but no pain") is no request
        # to ask about them: only "it's for my husband" or "it's for me" switches.
        return check.carry_on(reply)
    if event.subject is not None and event.subject != state.subject:
        state.subject, state.screened = event.subject, False
        return check.begin(reply)  # answers about someone else do not carry over
    return check.resume(reply)


def emergency_request(reply: Reply, event: Event) -> Decision:
    """Asked for 911 or an ambulance, anywhere: what to do, at once, and the card. The session
    ends, so that "Alexa, call for help" can be said next."""
    reply.state.pending, reply.state.question = Pending.MENU, None
    reply.say("emergency_request")
    reply.send_card("outcome.emergency.card_title", "emergency_request.card_text")
    return reply.tell()


def start_relief(reply: Reply, event: Event) -> Decision:
    state = reply.state
    if state.relieved and state.pending is Pending.FINISH_CHECK:
        # Relief is done: "no more questions, just help" at the offer to finish the check
        # declines the check; it does not start the steps over ("start over" does).
        return no(reply, event)
    return routine.request(reply)


def start_get_up(reply: Reply, event: Event) -> Decision:
    return get_up.request(reply)


def step_move(move: relief.Move) -> Row:
    def row(reply: Reply, event: Event) -> Decision:
        state = reply.state
        if get_up.getting_up(state):
            return get_up.move(reply, move)
        if routine.in_routine(state):
            return routine.move(reply, move)
        if move is relief.Move.START_OVER:
            return check.begin(reply)  # anywhere but the routine, the beginning is the check
        if state.pending is Pending.TRIAGE and move is relief.Move.PREVIOUS:
            return check.back_one(reply)
        if check.asking(state) and move is relief.Move.NEXT and not state.then_relief:
            # "Ok, what now?" mid-check: a wish to move on, taken as a wish for relief (the 911
            # signs in one breath first; the rest of the check after). Never a skipped answer.
            return routine.request(reply)
        if check.asking(state):
            reply.repeatable = False
            reply.say(state.hint_key)
            return reply.ask()
        if state.pending in (Pending.OFFER_RELIEF, Pending.WELCOME):
            return routine.request(reply)
        if state.pending in (Pending.START_CHECK, Pending.FINISH_CHECK):
            return check.resume(reply)  # "go on", to "shall we do the questions?"
        state.pending = Pending.OFFER_RELIEF
        reply.say("relief.not_started")
        return reply.ask()
    return row


def go_to_step(reply: Reply, event: Event) -> Decision:
    answered = check.answer_age(reply, event.number)  # a bare number is an age when one is asked
    if answered:
        return answered
    index = relief.go_to(event.number)
    if index is None:
        if not routine.in_routine(reply.state):
            reply.state.pending = Pending.OFFER_RELIEF
        reply.say("relief.no_such_step", total=len(relief.STEPS))
        return reply.ask()
    if not routine.in_routine(reply.state) and check.emergency_block_open(reply.state):
        reply.state.step = index  # where relief starts once the 911 signs are ruled out
        return check.quick_screen(reply)
    return routine.show(reply, index)


def age(reply: Reply, event: Event) -> Decision:
    """"I'm forty-five", or a bare number: the age when it is asked; in the routine, a step
    ("three"); anywhere else, how to answer what is asked (understood, but not asked for)."""
    answered = check.answer_age(reply, event.number)
    if answered:
        return answered
    if routine.in_routine(reply.state) and event.number is not None:
        return go_to_step(reply, event)
    reply.repeatable = False
    reply.say(reply.state.hint_key)
    return reply.ask()


def rate(change: int) -> Row:
    """Slower or faster: kept for the session; the step, or the number just read, again."""
    def row(reply: Reply, event: Event) -> Decision:
        state = reply.state
        wanted = state.rate + change
        if not 0 <= wanted < len(RATES):
            reply.say("rate.slowest" if change < 0 else "rate.fastest")
        else:
            state.rate = wanted
            reply.say("rate.slower" if change < 0 else "rate.faster")
        if reply.previous_aside == "number":  # "slower" just after the number: the number
            reply.say("clinic.number")
            state.aside = "number"
            return reply.ask()
        if get_up.getting_up(state):
            return get_up.show(reply, state.rising or 0)
        if routine.in_routine(state):
            return routine.show(reply, state.step or relief.FIRST)
        return reply.ask()
    return row


# --- information and the clinic ------------------------------------------------------------

def info(reply: Reply, event: Event) -> Decision:
    topic = event.name.split(".", 1)[1]
    reply.say(f"info.{topic}")
    state = reply.state
    if topic in MORE_TOPICS and not _busy(state):
        state.more, state.pending = topic, Pending.OFFER_MORE
        return reply.ask()
    return carry_on(reply)


def number(reply: Reply, event: Event) -> Decision:
    reply.state.aside = "number"
    return _clinic_fact(reply, "clinic.number")


def appointment(reply: Reply, event: Event) -> Decision:
    return _clinic_fact(reply, "clinic.appointment")


def _clinic_fact(reply: Reply, key: str) -> Decision:
    """Say a clinic fact, then offer the card, unless that would lose the person's place."""
    reply.say(key)
    if _busy(reply.state):
        return carry_on(reply)
    reply.state.pending = Pending.OFFER_CARD
    return reply.ask()


def send_card(reply: Reply, event: Event) -> Decision:
    state = reply.state
    reply.send_card("clinic.card_title", "clinic.card_text")
    if state.pending is Pending.OFFER_CARD:
        state.pending = Pending.ANYTHING_ELSE
    reply.say("clinic.card_sent")
    return carry_on(reply)


def carry_on(reply: Reply) -> Decision:
    """After an aside, back to the open question: mid-check or mid-routine the person keeps
    their place; otherwise "anything else?"."""
    state = reply.state
    if _busy(state):
        reply.say("info.back_to")
        return reply.ask()
    if state.pending in (Pending.MENU, Pending.OFFER_MORE):
        state.pending, state.more = Pending.ANYTHING_ELSE, None
    return reply.ask()


def _busy(state: ConversationState) -> bool:
    return check.asking(state) or routine.in_routine(state) or get_up.getting_up(state)


# --- memory and reminders -----------------------------------------------------------------

def forget(reply: Reply, event: Event) -> Decision:
    reply.state.pending = Pending.CONFIRM_FORGET
    return reply.ask()


def forgotten(reply: Reply, event: Event) -> Decision:
    state = reply.state
    state.pending, state.rate, state.step = Pending.ANYTHING_ELSE, DEFAULT_RATE, None
    reply.say("memory.deleted")
    return reply.ask()


def forget_failed(reply: Reply, event: Event) -> Decision:
    reply.state.pending = Pending.ANYTHING_ELSE
    reply.say("memory.delete_failed")
    return reply.ask()


def remind(reply: Reply, event: Event) -> Decision:
    reply.state.pending = Pending.ANYTHING_ELSE  # where the conversation goes on afterwards
    return reply.effect("reminder")


def reminder_set(reply: Reply, event: Event) -> Decision:
    reply.state.pending = Pending.ANYTHING_ELSE
    if event.when is None:
        reply.say("reminders.created_relative")
    else:
        weekday, month, day = event.when
        reply.say("reminders.created", weekday=Pick("calendar.weekdays", weekday),
                  month=Pick("calendar.months", month), day=day)
    return reply.ask()


def reminder_failed(reply: Reply, event: Event) -> Decision:
    reply.state.pending = Pending.ANYTHING_ELSE
    reply.say("reminders.failed")
    decision = reply.ask()
    if event.auth_failed:
        decision.card = _permission_card()
    return decision


def permission_unsupported(reply: Reply, event: Event) -> Decision:
    # Voice consent is not supported here: the card lets them allow it in the app.
    reply.state.pending = Pending.ANYTHING_ELSE
    reply.say("reminders.card_sent")
    decision = reply.ask()
    decision.card = _permission_card()
    return decision


def _permission_card() -> Card:
    return Card("permission")


def _said(key: str) -> Row:
    def row(reply: Reply, event: Event) -> Decision:
        reply.state.pending = Pending.ANYTHING_ELSE
        reply.say(key)
        return reply.ask()
    return row


# --- opening, help, repeat, misses, closing ------------------------------------------------

def launch(reply: Reply, event: Event) -> Decision:
    state = reply.state
    reply.say("launch.welcome_back" if event.returning else "launch.welcome")
    if event.resume_at is not None:
        state.step, state.pending = relief.clamp(event.resume_at), Pending.OFFER_RESUME
    else:
        state.pending = Pending.WELCOME
    return reply.ask()


def wait(reply: Reply, event: Event) -> Decision:
    """"Hold on", "let me ask her": nothing is answered or lost; the same question stands."""
    reply.repeatable = False
    reply.say("no_rush").say(reply.state.hint_key)
    return reply.ask()


def help_(reply: Reply, event: Event) -> Decision:
    pending = reply.state.pending.value
    reply.repeatable = False
    reply.say(f"pending.{pending}.help").say(reply.state.hint_key)
    return reply.ask()


def repeat(reply: Reply, event: Event) -> Decision:
    state = reply.state
    reply.repeatable = False
    state.aside = reply.previous_aside
    if state.last_speech and state.last_reprompt:
        return reply.effect("replay")
    reply.say(state.hint_key)
    return reply.ask()


def fallback(reply: Reply, event: Event) -> Decision:
    """Not understood: say what can be said here, in one breath; never taken as an answer."""
    state = reply.state
    reply.missed, reply.repeatable = True, False
    state.misses += 1
    # No "I didn't understand" loops: the second miss gets the short menu.
    reply.say("fallback.menu" if state.misses >= MISSES_BEFORE_MENU else "fallback.missed")
    reply.say(state.hint_key)
    return reply.ask()


def home(reply: Reply, event: Event) -> Decision:
    state = reply.state
    state.pending, state.step = Pending.MENU, None
    reply.say("pending.menu.hint")
    return reply.ask()


def stop(reply: Reply, event: Event) -> Decision:
    """Stop and cancel end the session everywhere; mid-check the outcome so far comes first."""
    if check.asking(reply.state):
        check.stop_lines(reply)
        reply.state.pending = Pending.MENU
        reply.say("goodbye_short")  # the warning was the last word that matters
        return reply.tell()
    return goodbye(reply)


def goodbye(reply: Reply) -> Decision:
    """The last words: what the check found, when it calls for a visit, said once more."""
    state = reply.state
    state.pending = Pending.MENU
    result = safety.assess(state.answers, state.subject)
    if result.complete and safety.Level.PROVIDER <= result.level < safety.Level.EMERGENCY:
        outcome = (safety.outcome_key(result) or "").removesuffix("_doubt")  # said as sure
        reply.say(f"goodbye_after.{outcome}")
    else:
        reply.say("goodbye")
    return reply.tell()


def session_end(reply: Reply, event: Event) -> Decision:
    return reply.silence()  # Alexa accepts no speech here


TABLE: dict[str, Row] = {
    "launch": launch,
    "yes": yes,
    "no": no,
    "not_sure": not_sure,
    "maybe": maybe,
    "explain": explain,
    "check": start_check,
    "for_someone": for_someone,
    "for_me": for_me,
    "relief": start_relief,
    "get_up": start_get_up,
    "emergency_request": emergency_request,
    "next": step_move(relief.Move.NEXT),
    "previous": step_move(relief.Move.PREVIOUS),
    "start_over": step_move(relief.Move.START_OVER),
    "go_to_step": go_to_step,
    "age": age,
    "slower": rate(-1),
    "faster": rate(+1),
    "number": number,
    "appointment": appointment,
    "send_card": send_card,
    "forget": forget,
    "forgotten": forgotten,
    "forget_failed": forget_failed,
    "remind": remind,
    "reminder_set": reminder_set,
    "reminder_failed": reminder_failed,
    "permission_unsupported": permission_unsupported,
    "permission_denied": _said("reminders.declined"),
    "permission_unanswered": _said("reminders.not_answered"),
    "help": help_,
    "wait": wait,
    "repeat": repeat,
    "fallback": fallback,
    "home": home,
    "stop": stop,
    "session_end": session_end,
}
# Every event the table answers: its rows, and the information topics of the registry.
EVENTS = frozenset(TABLE) | {i.event for i in INTENTS if i.event.startswith("info.")}
