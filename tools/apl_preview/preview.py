"""Renders what an Echo Show shows, with Amazon's own APL renderer, for the README.

    make screens                     # or: .venv/bin/python tools/apl_preview/preview.py

Each scene is a real conversation through the skill's Lambda handler on a device with a
screen; the RenderDocument directive of its last reply is drawn by apl-viewhost-web (the
APL view host Amazon publishes: apl-core compiled to WebAssembly, APL 1.4) in headless
Chromium, at the scene's device size, into docs/echo-show-*.png. Then the buttons on that
screen are pressed in the renderer: what each one's SendEvent sends goes back to the skill
as a UserEvent, and must get the very reply its spoken words get.

Needs Node 18+ and Chromium (Debian: `apt-get install chromium`; or set CHROMIUM to a
Chrome or Chromium binary). The device font, Amazon Ember, cannot be fetched offline:
Liberation Sans stands in. docs/echo-show-screens.json records what was drawn, with what,
and the document's hash (tests/test_apl.py checks the pictures are of the current document).
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from skill import build_lambda_handler, screen  # noqa: E402
from devkit import envelopes  # noqa: E402
from devkit.client import Client  # noqa: E402
from skill.settings import Settings  # noqa: E402

HERE = Path(__file__).resolve().parent
DOCS = ROOT / "docs"
MANIFEST = DOCS / "echo-show-screens.json"
YES, NO, NOT_SURE = "AMAZON.YesIntent", "AMAZON.NoIntent", "NotSureIntent"

# Viewport profiles of Echo Show devices, in dp (Alexa's hub landscape sizes).
DEVICES = {
    "Echo Show 5": {"width": 960, "height": 480, "dpi": 160, "shape": "rectangle"},
    "Echo Show 8": {"width": 960, "height": 600, "dpi": 213, "shape": "rectangle"},
    "Echo Show 10": {"width": 1280, "height": 800, "dpi": 160, "shape": "rectangle"},
}


@dataclass(frozen=True)
class Scene:
    name: str  # docs/<name>.png
    locale: str
    device: str
    moves: tuple[str, ...]  # intents said after the launch; the last reply is drawn
    caption: str


SCENES = (
    Scene("echo-show-step", "en-US", "Echo Show 10",
          ("StartReliefIntent", "AMAZON.NextIntent"), "Relief step 2 of 8, with Back and Next"),
    Scene("echo-show-question", "en-US", "Echo Show 8",
          (YES, NO), "A safety question, with Yes, No and Not sure"),
    Scene("echo-show-emergency", "en-US", "Echo Show 5",
          (YES, NO, NO, YES), "The emergency outcome: call 911 from your phone"),
    Scene("echo-show-provider-es", "es-US", "Echo Show 10",
          (YES, NO, NO, NO, NO, NO, NOT_SURE), "Spanish: get checked today, and the offer of "
                                               "the clinic's number"),
)


def chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser",
                      "google-chrome"):
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    sys.exit("preview: no Chromium found; install it (Debian: apt-get install chromium) "
             "or set CHROMIUM to a Chrome or Chromium binary")


def npm_ci() -> None:
    pinned = json.loads((HERE / "package.json").read_text())["dependencies"]
    for package, version in pinned.items():
        installed = HERE / "node_modules" / package / "package.json"
        if not installed.is_file() or json.loads(installed.read_text())["version"] != version:
            subprocess.run([shutil.which("npm") or "npm", "ci", "--no-audit", "--no-fund"],
                           cwd=HERE, check=True)
            return


def play(handler, scene: Scene) -> Client:
    client = Client(handler, locale=scene.locale, interfaces=envelopes.SCREEN,
                    user_id=f"amzn1.ask.account.PREVIEW-{scene.name}")
    client.launch()
    for intent in scene.moves:
        client.say(intent)
    return client


class FirstWording:
    """Stands in for the random choice of wording, so two replies can be compared."""

    def choice(self, options):
        return options[0]


def forked(client: Client, handler) -> Client:
    twin = Client(handler, locale=client.locale, interfaces=client.interfaces,
                  **client.identity)
    twin.session = copy.deepcopy(client.session)
    return twin


def main() -> int:
    npm_ci()
    # A fixed choice of wording, and no memory written to the developer's data folder.
    handler = build_lambda_handler(Settings(persistence="none"), rng=random.Random(1))
    played = {scene.name: play(handler, scene) for scene in SCENES}
    judge = build_lambda_handler(Settings(persistence="none"), rng=FirstWording())
    jobs = []
    for scene in SCENES:
        shown = played[scene.name].replies[-1].screen
        assert shown is not None, f"{scene.name}: no screen in the last reply"
        jobs.append({"id": scene.name, "document": shown["document"],
                     "datasources": shown["datasources"],
                     "viewport": DEVICES[scene.device], "png": str(DOCS / f"{scene.name}.png"),
                     "press": [b["label"] for b in shown["datasources"]["screen"]["buttons"]]})
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="apl-preview-") as scratch:
        batch = Path(scratch) / "jobs.json"
        batch.write_text(json.dumps({"chromium": chromium(), "jobs": jobs}), encoding="utf-8")
        done = subprocess.run(["node", "render.js", str(batch)], cwd=HERE, capture_output=True,
                              text=True, timeout=300)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        return 1
    report = json.loads(done.stdout)
    problems, scenes = [], []
    for scene, job, result in zip(SCENES, jobs, report["results"]):
        problems += [f"{scene.name}: {error}" for error in result["errors"]]
        client = played[scene.name]
        buttons = job["datasources"]["screen"]["buttons"]
        pressed = []
        for button, press in zip(buttons, result["presses"]):
            if press["sent"] != [[button["event"]]]:
                problems.append(f"{scene.name}: {button['label']} sent {press['sent']}")
                continue
            touched = forked(client, judge).touch(*press["sent"][0])
            spoken = forked(client, judge).say(screen.TOUCH_INTENTS[button["event"]])
            same = touched.raw == spoken.raw
            if not same:
                problems.append(f"{scene.name}: {button['label']} answered unlike its words")
            pressed.append({"label": button["label"], "sent": press["sent"][0],
                            "answered_as": screen.TOUCH_INTENTS[button["event"]],
                            "same_reply": same})
        print(f"{scene.name}.png  {scene.device} ({scene.locale}): "
              + ", ".join(f"{p['label']} -> {p['sent']} = {p['answered_as']}" for p in pressed))
        scenes.append({"png": f"{scene.name}.png", "caption": scene.caption,
                       "locale": scene.locale, "device": scene.device,
                       "viewport_dp": DEVICES[scene.device],
                       "said": ["LaunchRequest", *scene.moves], "buttons_pressed": pressed})
    MANIFEST.write_text(json.dumps({
        "renderer": report["renderer"], "browser": report["browser"],
        "font": "Liberation Sans in place of Amazon Ember (not available offline)",
        "document": str(screen.DOCUMENT_PATH.relative_to(ROOT)),
        "document_sha256": hashlib.sha256(screen.DOCUMENT_PATH.read_bytes()).hexdigest(),
        "scenes": scenes}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for problem in problems:
        print("PROBLEM", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
