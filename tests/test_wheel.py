"""The distribution is the runtime alone: its wheel, installed by itself in a fresh venv, answers
an Echo Show's launch (speech and the screen, whose APL document is a data file of the package)
from outside the checkout. The web service and the developer kit are not in it."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from devkit import envelopes

ROOT = Path(__file__).resolve().parents[1]
RENDER = "Alexa.Presentation.APL.RenderDocument"

ANSWER = """
import json, sys
from skill import build_lambda_handler
from skill.settings import Settings

event = json.load(open(sys.argv[1]))
reply = build_lambda_handler(Settings(persistence="none"))(event, None)
print(json.dumps(reply))
"""


def run(command: list[str], cwd: Path, timeout: int = 600) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, \
        f"{command[:4]} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


def test_the_wheel_alone_answers_an_echo_show(tmp_path):
    # Built from a copy of what the distribution declares: setuptools never cleans its build/
    # folder, so a wheel built in the checkout could carry files an older layout left there.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "skill", source / "skill",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", source)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
         "--disable-pip-version-check",
         "--wheel-dir", str(tmp_path / "dist"), str(source)], cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("back_spasm_helper-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"skill"}, tops
    assert "skill/apl/screen.json" in names
    assert {"skill/content/en-US.yaml", "skill/content/es-US.yaml"} <= set(names)

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         str(wheel)], cwd=tmp_path)
    event = envelopes.envelope(envelopes.launch(), envelopes.new_session(),
                               interfaces=envelopes.SCREEN)
    (tmp_path / "event.json").write_text(json.dumps(event))
    (tmp_path / "answer.py").write_text(ANSWER)
    # -I: no checkout on the path, no user site; only what the venv installed.
    reply = json.loads(run([str(python), "-I", str(tmp_path / "answer.py"),
                            str(tmp_path / "event.json")], cwd=tmp_path).splitlines()[-1])
    response = reply["response"]
    assert "Back Spasm Helper" in response["outputSpeech"]["ssml"]
    assert "went wrong" not in response["outputSpeech"]["ssml"]
    assert [d["type"] for d in response.get("directives", [])] == [RENDER]
