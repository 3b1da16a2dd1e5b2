"""The package's shape: light imports, pure decision modules, a thin Lambda file."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c",
                          code + "\nimport sys; print(' '.join(sys.modules))"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_skill_imports_no_boto3_or_flask():
    loaded = modules_after("import skill, skill.app, skill.handlers, skill.interceptors")
    assert "ask_sdk_core" in loaded, "the probe must really import the skill"
    assert not {m for m in loaded
                if m.split(".")[0] in {"boto3", "botocore", "flask", "flask_ask_sdk"}}


def test_decisions_are_pure():
    loaded = modules_after("import skill.safety, skill.relief, skill.numbers, skill.state, "
                           "skill.dialogue, skill.intents")
    assert {"skill.safety.check", "skill.dialogue.table"} <= loaded
    assert not {m for m in loaded if m.startswith(("ask_sdk", "yaml"))}


def test_lambda_file_is_thin():
    source = (ROOT / "lambda" / "lambda_function.py").read_text()
    code = [line for line in source.splitlines()
            if line.strip() and not line.startswith(('"""', "#"))]
    assert len(code) <= 5
    assert "lambda_handler = build_lambda_handler(Settings.from_env())" in source
