"""`make run`: a sample conversation through the real Lambda handler, both sides printed.

The interactive chat replaces this in a later step; until then this shows
what the skill says, shows and asks, turn by turn.
"""
from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

from .dev.client import Client, Reply

LAMBDA_FILE = Path(__file__).resolve().parents[1] / "lambda" / "lambda_function.py"

# (what the user says, the request it becomes)
SCRIPT = [
    ("open back spasm helper", ("launch",)),
    ("my husband has a back spasm", ("StartCheckIntent", {"person": "husband"})),
    *[("no", ("AMAZON.NoIntent", {}))] * 6,
    ("not sure", ("NotSureIntent", {})),
    ("no", ("AMAZON.NoIntent", {})),
    ("yes", ("AMAZON.YesIntent", {})),
    ("what causes back spasms", ("CausesIntent", {})),
    ("how long will this last", ("DurationIntent", {})),
    ("relief steps", ("StartReliefIntent", {})),
    ("next", ("AMAZON.NextIntent", {})),
    ("slower", ("SlowerIntent", {})),
    ("repeat", ("AMAZON.RepeatIntent", {})),
    ("stop", ("AMAZON.StopIntent", {})),
]


def load_lambda_handler():
    spec = importlib.util.spec_from_file_location("lambda_function", LAMBDA_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.lambda_handler


def show(utterance: str, reply: Reply, out=sys.stdout) -> None:
    wrap = lambda text, lead: textwrap.fill(text, 96, initial_indent=lead,  # noqa: E731
                                            subsequent_indent=" " * len(lead))
    print(f"\nYOU    > {utterance}", file=out)
    if reply.speech:
        print(wrap(reply.speech, "ALEXA  > "), file=out)
    if reply.reprompt:
        print(wrap(reply.reprompt, "  (if you say nothing) "), file=out)
    if reply.card:
        card = reply.card
        print(f"  [card in the Alexa app] {card.get('title')}", file=out)
        for row in (card.get("content") or card.get("text") or "").splitlines():
            print(f"  |  {row}", file=out)
    print("  (session ends)" if reply.ends_session else "  (listening...)", file=out)


def main() -> int:
    client = Client(load_lambda_handler())
    for utterance, (kind, *rest) in SCRIPT:
        reply = client.launch() if kind == "launch" else client.say(kind, **rest[0])
        show(utterance, reply)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
