"""The code stays checked: ruff and mypy, as `make lint` runs them, find nothing.

`.ci/run` runs `make lint` before the suite; this test makes `make test` (and any other way the
suite is run) fail on a new lint or type error too. Both take their settings from pyproject.toml
([tool.ruff], [tool.mypy]) and run from the repository's root, as make runs them.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.parametrize("command", [["ruff", "check", "."], ["mypy"]], ids=["ruff", "mypy"])
def test_no_lint_or_type_errors(command):
    done = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
