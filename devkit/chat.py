"""`make run`: talk to the skill as you would to Alexa, typed, through the real Lambda handler.

    python -m devkit.chat                # interactive; piped input works too, a turn a line
    python -m devkit.chat --trace        # also the intent, slots, NLU score and skill state
    python -m devkit.chat --speak DIR    # also each answer as DIR/turn-01.wav ... (espeak-ng)
    python -m devkit.chat --demo         # the sample conversation, both sides printed
    python -m devkit.chat --locale es-US # in Spanish: the es-US model, requests in es-US

What you type goes through the interaction model (devkit/nlu.py) to the request Alexa would
send; the client (devkit/client.py) carries the session, and starts a new one after the
skill ends it, or when you invoke the skill again ("open back spasm helper"; in Spanish "abre
asistente de espasmos de espalda"). Empty lines are ignored; "quit" or end of input leaves.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import envelopes
from .client import Client, Reply
from .modules import load_file
from .model import InteractionModel
from .nlu import NUMBER_TYPE, Parsed, Understanding
from .voice_out import Speaker

LAMBDA_FILE = Path(__file__).resolve().parents[1] / "lambda" / "lambda_function.py"
QUIT = {"quit", "/quit", ":q"}
WIDTH = 96

# The sample conversation (--demo): a caregiver, the check, information, relief, stop.
DEMOS = {
    "en-US": ["open back spasm helper", "my husband has a back spasm", *["no"] * 6, "not sure",
              "no", "yes", "what causes back spasms", "how long will this last", "relief steps",
              "next", "slower", "repeat", "stop"],
    "es-US": ["abre asistente de espasmos de espalda", "mi esposo tiene un espasmo en la espalda",
              *["no"] * 6, "no sé", "no", "sí", "qué causa los espasmos de espalda",
              "cuánto va a durar esto", "pasos de alivio", "siguiente", "más despacio", "repite",
              "alto"],
}
DEMO = DEMOS["en-US"]
ESPEAK_VOICES = {"en": "en-us", "es": "es-419"}  # espeak-ng voices for --speak, by language


def load_lambda_handler():
    """lambda/lambda_function.py's handler, imported as Lambda imports it."""
    return load_file("lambda_function", LAMBDA_FILE).lambda_handler


@dataclass
class Turn:
    said: str
    parsed: Parsed
    reply: Reply
    new_session: bool


class Chat:
    """Typed text -> the request Alexa would send -> the handler's reply, session carried."""

    def __init__(self, handler, model: InteractionModel | None = None, locale: str = "en-US"):
        self.model = model or InteractionModel.load(locale)
        self.understanding = Understanding(self.model)
        self.client = Client(handler, locale=locale)  # every request carries the locale

    def turn(self, said: str) -> Turn:
        parsed = self.understanding.parse(said)
        if parsed.new_session:
            self.leave()  # an invocation starts the skill afresh
        new_session = self.client.session is None
        if parsed.kind == "launch":
            reply = self.client.launch()
        else:
            assert parsed.intent is not None  # only a launch has none
            reply = self.client.say(parsed.intent, **parsed.slots)
        return Turn(said, parsed, reply, new_session)

    def leave(self) -> None:
        """End an open session as Alexa does when the person goes quiet or turns to something
        else: a SessionEndedRequest, which takes no speech (the skill saves its memory then)."""
        if self.client.session is not None:
            self.client.send(envelopes.session_ended("USER_INITIATED"))
            self.client.session = None


def show(turn: Turn, model: InteractionModel, out: TextIO, *, trace: bool = False) -> None:
    def wrap(text: str, lead: str) -> str:
        return textwrap.fill(text, WIDTH, initial_indent=lead, subsequent_indent=" " * len(lead))

    reply = turn.reply
    if turn.new_session:
        print("  (new session)", file=out)
    if trace:
        for line in nlu_trace(turn.parsed, model):
            print(f"  [trace] {line}", file=out)
    if reply.speech:
        print(wrap(reply.speech, "ALEXA  > "), file=out)
    if reply.reprompt:
        print(wrap(reply.reprompt, "  (if you say nothing) "), file=out)
    if reply.card:
        card = reply.card
        print(f"  [card in the Alexa app] {card.get('title') or card.get('type')}", file=out)
        for row in (card.get("content") or card.get("text") or "").splitlines():
            print(f"  |  {row}", file=out)
    print("  (session ends)" if reply.ends_session else "  (listening...)", file=out)
    if trace:
        state = {k: v for k, v in reply.state.items() if k not in ("last_speech", "last_reprompt")}
        print("  [trace] state: " + (" ".join(f"{k}={v}" for k, v in state.items()) or "(none)"),
              file=out)


def nlu_trace(parsed: Parsed, model: InteractionModel) -> list[str]:
    """What the NLU understood, as --trace shows it."""
    if parsed.kind == "launch":
        return ["LaunchRequest (invocation)"]
    assert parsed.intent is not None  # only a launch has none
    lines = [f"{parsed.intent}  score {parsed.score:.0f}"
             + (f'  sample "{parsed.sample}"' if parsed.sample else "")
             + ("  (invoked: new session)" if parsed.new_session else "")]
    if parsed.kind == "fallback" and parsed.score < 100:
        lines[0] += "  (nothing scored well enough)"
    for name, value in parsed.slots.items():
        type_name = model.slot_type(parsed.intent, name) or ""
        if type_name == NUMBER_TYPE:
            lines.append(f'slot {name} = "{value}" ({type_name})')
        else:
            resolved = model.resolve(type_name, value).id or "none (ER_SUCCESS_NO_MATCH)"
            lines.append(f'slot {name} = "{value}" -> id {resolved}')
    return lines


def converse(lines: Iterable[str], chat: Chat, out: TextIO, *, echo: bool, trace: bool = False,
             speaker: Speaker | None = None, prompt: str = "") -> int:
    turns = 0
    for line in lines:
        said = line.strip()
        if not said:
            continue
        if said.lower() in QUIT:
            break
        if echo:
            print(f"\nYOU    > {said}", file=out)
        turn = chat.turn(said)
        turns += 1
        show(turn, chat.model, out, trace=trace)
        if speaker:
            path = speaker.speak(turn.reply.ssml)
            if path:
                print(f"  (audio: {path})", file=out)
        if prompt:
            print(file=out)
    chat.leave()
    return turns


def typed_lines(prompt: str) -> Iterable[str]:
    while True:
        try:
            yield input(prompt)
        except EOFError:
            print()
            return


def main(argv: list[str] | None = None, stdin: TextIO | None = None,
         out: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devkit.chat",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--trace", action="store_true",
                        help="show the intent, slots, NLU score and the skill's state")
    parser.add_argument("--speak", metavar="DIR", type=Path,
                        help="write each answer as DIR/turn-NN.wav (needs espeak-ng)")
    parser.add_argument("--demo", action="store_true", help="play the sample conversation")
    parser.add_argument("--locale", default="en-US",
                        help="the device's language: en-US (default) or es-US; the chat reads "
                             "interaction_models/<locale>.json and sends requests in that locale")
    args = parser.parse_args(argv)
    stdin, out = stdin or sys.stdin, out or sys.stdout
    if args.demo:
        return demo(out, trace=args.trace, speak=args.speak, locale=args.locale)

    chat = Chat(load_lambda_handler(), locale=args.locale)
    speaker = speaker_for(args.speak, out, args.locale)
    if stdin.isatty():
        try:
            import readline  # noqa: F401  (line editing and history for input())
        except ImportError:
            pass
        print(f'Say what you would say to Alexa, e.g. "open {chat.model.invocation_name}". '
              'Type quit or press Ctrl-D to leave.\n', file=out)
        converse(typed_lines("YOU    > "), chat, out, echo=False, trace=args.trace,
                 speaker=speaker, prompt="YOU    > ")
    else:
        converse(stdin, chat, out, echo=True, trace=args.trace, speaker=speaker)
    return 0


def speaker_for(directory: Path | None, out: TextIO, locale: str) -> Speaker | None:
    if directory is None:
        return None
    return Speaker(directory, out, voice=ESPEAK_VOICES.get(locale.split("-")[0], "en-us"))


def demo(out: TextIO, *, trace: bool = False, speak: Path | None = None,
         locale: str = "en-US") -> int:
    """The sample conversation, with an empty memory so that it plays the same every time."""
    saved = os.environ.get("DATA_DIR")
    with tempfile.TemporaryDirectory(prefix="back-spasm-demo-") as fresh:
        os.environ["DATA_DIR"] = fresh
        try:
            chat = Chat(load_lambda_handler(), locale=locale)
        finally:
            os.environ.pop("DATA_DIR") if saved is None else os.environ.update(DATA_DIR=saved)
        script = DEMOS.get(locale) or DEMOS.get(chat.model.locale) or DEMO
        converse(script, chat, out, echo=True, trace=trace, speaker=speaker_for(speak, out, locale))
    return 0


def run() -> int:
    """main(), with a bad setting told in one line (as the web service tells it), not a
    traceback."""
    from skill.settings import SettingsError

    try:
        return main()
    except SettingsError as error:
        print(f"python -m devkit.chat: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    try:
        raise SystemExit(run())
    except BrokenPipeError:  # the reader left (| head): no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1)
