"""`make smoke`: the deployed skill, driven through the ASK CLI's simulator, against the tests.

    python -m tools.smoke                       # both locales: conversations and held-out rows
    python -m tools.smoke --locale es-US --nlu-rows 50 --only nlu

Each conversation and each locale's held-out rows become an `ask dialog --replay` file under
build/smoke/replay/, run by `make ask` (the pinned CLI, for ASK_PROFILE) with --save-skill-io;
what the skill did is compared with what was expected. Prints what differs, writes
build/smoke/report.json; exit 0 when nothing differs, 1 when something does, 2 when the CLI
could not simulate at all (not signed in, no network, skill not enabled for testing).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from tools.nlu_eval.heldout import LOCALES, HeldoutError, load_checked, load_model

from . import compare, replay
from .scripts import ROOT, ScriptError, Typist, conversations

RUNNER = ROOT / "deploy" / "ask_cli.py"
SECONDS_PER_LINE = 60  # a simulation and its polls; the CLI gives up on its own before this


class SmokeError(Exception):
    """Nothing could be compared; the message says why and what to do."""


def skill_id_for(profile: str, build_dir: Path) -> str:
    """$SKILL_ID, else the id `make skill-package` wrote for the profile."""
    if os.environ.get("SKILL_ID"):
        return os.environ["SKILL_ID"].strip()
    states = build_dir / ".ask" / "ask-states.json"
    try:
        found = json.loads(states.read_text())["profiles"][profile]["skillId"]
    except (OSError, ValueError, KeyError, TypeError):
        found = None
    if not found:
        raise SmokeError(f"no skill id: set SKILL_ID, or build the package with it for profile "
                         f"{profile!r} (make skill-package SKILL_ID=... ASK_PROFILE={profile})")
    return found


def simulate(replay_path: Path, lines: int, build_dir: Path) -> list[compare.Got]:
    """`ask dialog --replay` through the pinned CLI; the turns it saved."""
    saved = replay_path.with_suffix(".skill-io.json")
    saved.unlink(missing_ok=True)
    log = replay_path.with_suffix(".log")
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run([sys.executable, str(RUNNER), "--dir", str(build_dir), "--",
                               "dialog", "--replay", str(replay_path), "--save-skill-io",
                               str(saved)], stdin=subprocess.DEVNULL, stdout=out,
                              stderr=subprocess.STDOUT, timeout=SECONDS_PER_LINE * (lines + 2))
    if not saved.exists():
        said = log.read_text(encoding="utf-8").strip().splitlines()
        raise SmokeError(f"`ask dialog --replay {replay_path.name}` simulated nothing "
                         f"(exit {done.returncode}); it said:\n  " + "\n  ".join(said[-8:]) +
                         "\nSign in with make ask ARGS=configure, and enable the skill for "
                         "testing (see README, 'Smoke test after deploying').")
    return compare.read_skill_io(saved)


def run(locales: list[str], skill_id: str, out: Path, build_dir: Path, only: str | None,
        nlu_rows: int | None) -> dict:
    differences, scores, played = [], [], {}
    for locale in locales:
        if only != "nlu":
            for conversation in conversations(locale):
                path = replay.write(out / "replay" / locale / f"{conversation.name}.json",
                                    replay.for_conversation(conversation, skill_id))
                got = simulate(path, len(conversation.turns), build_dir)
                differences += compare.conversation_differences(conversation, got)
                played[f"{conversation.name} ({locale})"] = {
                    "expected": [asdict(t) for t in conversation.turns],
                    "got": [asdict(g) for g in got]}
        if only != "conversations":
            rows = load_checked(locale, load_model(locale), skip_unfit=True)[0][:nlu_rows]
            lines = replay.nlu_lines(rows, Typist(locale))
            path = replay.write(out / "replay" / locale / "heldout.json",
                                replay.replay_file(skill_id, locale, [x.said for x in lines]))
            scores.append(compare.nlu_score(locale, lines, simulate(path, len(lines), build_dir)))
    return compare.as_json(differences, scores, played)


def summary(report: dict) -> list[str]:
    said = [f"conversations: {len(report['conversations'])} replayed, "
            f"{len(report['differences'])} differences"]
    said += [f"  {d['where']} turn {d['turn']}, said {d['said']!r}: {d['what']} expected "
             f"{d['expected']!r}, got {d['got']!r}" for d in report["differences"]]
    for locale, score in report["nlu"].items():
        said.append(f"held-out {locale}: {score['correct']}/{score['rows']} intents as labelled "
                    f"({100 * score['accuracy']:.1f}%), {len(score['misses'])} misses")
        said += [f"  row {m['turn']} {m['said']!r}: expected {m['expected']}, got {m['got']}"
                 for m in score["misses"]]
    return said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locale", action="append", choices=LOCALES,
                        help="one locale (repeatable; default: all)")
    parser.add_argument("--only", choices=("conversations", "nlu"))
    parser.add_argument("--nlu-rows", type=int, help="the first N held-out rows of each locale")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "smoke")
    parser.add_argument("--build", type=Path, default=ROOT / "build",
                        help="the folder `make skill-package` wrote (its .ask/ask-states.json)")
    args = parser.parse_args(argv)
    profile = os.environ.get("ASK_PROFILE") or os.environ.get("ASK_DEFAULT_PROFILE") or "default"
    try:
        skill_id = skill_id_for(profile, args.build)
        report = run(args.locale or list(LOCALES), skill_id, args.out, args.build, args.only,
                     args.nlu_rows)
    except (SmokeError, ScriptError, HeldoutError, ValueError) as error:
        print(f"smoke: {error}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    print("\n".join([f"smoke: skill {skill_id}, ASK CLI profile {profile!r}",
                     *summary(report), f"report: {args.out / 'report.json'}"]))
    failed = report["differences"] or any(s["misses"] for s in report["nlu"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
