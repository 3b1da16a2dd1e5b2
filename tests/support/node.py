"""Node tools for tests: find node and npm, and install a pinned package with `npm ci`.

node_modules is never committed; a test installs it from package-lock.json on first use,
and again whenever the installed version differs from the pin in package.json.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

NPM_CI_TIMEOUT = 300


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is not on PATH: this test needs Node 18+ and npm "
                    "(CI has them; install Node.js to run it locally)", pytrace=False)
    return path


def installed_version(js_dir: Path, package: str) -> str | None:
    try:
        manifest = json.loads((js_dir / "node_modules" / package / "package.json").read_text())
    except (OSError, ValueError):
        return None
    return manifest.get("version")


def ensure_installed(js_dir: Path, package: str) -> str:
    """`npm ci` in js_dir unless the pinned version of `package` is there; its version."""
    pinned = json.loads((js_dir / "package.json").read_text())["dependencies"][package]
    if installed_version(js_dir, package) == pinned:
        return pinned
    try:
        done = subprocess.run([tool("npm"), "ci", "--no-audit", "--no-fund"], cwd=js_dir,
                              capture_output=True, text=True, timeout=NPM_CI_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`npm ci` in {js_dir} took more than {NPM_CI_TIMEOUT} s", pytrace=False)
    if done.returncode != 0 or installed_version(js_dir, package) != pinned:
        pytest.fail(f"`npm ci` in {js_dir} failed ({done.returncode}):\n{done.stderr[-3000:]}",
                    pytrace=False)
    return pinned
