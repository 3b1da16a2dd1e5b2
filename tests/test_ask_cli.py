"""`make ask`: the pinned ASK CLI installs, runs, and reads the package `make skill-package`
builds for the chosen profile, as far as this machine's network goes (no Amazon here).

The CLI is installed into deploy/ask_cli/node_modules with `npm ci` on first use; every test
gives it a temporary HOME, so nobody's ~/.ask is read or written.
"""
from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from support.node import ensure_installed, tool
from test_manifest import MADE_UP, clean_environ

CLI_DIR = ROOT / "deploy" / "ask_cli"
SKILL_ID = "amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef"
RESOURCES_CONFIG = CLI_DIR / "node_modules/ask-cli/dist/lib/model/resources-config"
# The CLI's own loader of ask-resources.json and .ask/ask-states.json, asked what `ask deploy`
# and `ask dialog` ask it.
READ_PROJECT = """
const ResourcesConfig = require(process.argv[1]);
const config = new ResourcesConfig(process.argv[2] + "/ask-resources.json");
const profile = process.argv[3];
const read = (get) => { try { return get() ?? null; } catch (error) { return null; } };
console.log(JSON.stringify({skillId: read(() => config.getSkillId(profile)),
                            src: read(() => config.getSkillMetaSrc(profile))}));
"""


@pytest.fixture(scope="module")
def pinned() -> str:
    return ensure_installed(CLI_DIR, "ask-cli")


def free_port() -> int:
    """A loopback port nothing listens on: a connection there is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dummy_home(home: Path, profile: str) -> Path:
    """An ~/.ask/cli_config with one profile and fake, expired tokens: the CLI's first network
    call is then the token refresh."""
    (home / ".ask").mkdir(parents=True)
    token = {"access_token": "Atza|fake", "refresh_token": "Atzr|fake", "token_type": "bearer",
             "expires_in": 3600, "expires_at": "2020-01-01T00:00:00.000Z"}
    config = {"profiles": {profile: {"token": token, "vendor_id": "M0FAKEVENDOR"}}}
    (home / ".ask" / "cli_config").write_text(json.dumps(config))
    return home


def cli_environ(home: Path, **values: str) -> dict[str, str]:
    return clean_environ(HOME=str(home), ASK_SHARE_USAGE="false",
                         ASK_LWA_TOKEN_HOST=f"http://127.0.0.1:{free_port()}",
                         ASK_SMAPI_SERVER_BASE_URL=f"http://127.0.0.1:{free_port()}", **values)


def build_package(out: Path, profile: str) -> Path:
    result = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "skill_package.py"), "--out", str(out)],
        env=clean_environ(LAMBDA_ARN=MADE_UP["LAMBDA_ARN"], SKILL_ID=SKILL_ID,
                          ASK_PROFILE=profile),
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return out


def load_runner():
    sys.path.insert(0, str(ROOT / "deploy"))  # the runner imports skill_package beside it
    try:
        spec = importlib.util.spec_from_file_location("ask_cli_under_test",
                                                      ROOT / "deploy" / "ask_cli.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "deploy"))


def test_make_ask_runs_the_pinned_cli_with_the_antlr4ts_fix(pinned, tmp_path):
    antlr = json.loads((CLI_DIR / "node_modules/antlr4ts/package.json").read_text())
    assert antlr["version"] == "0.5.0-alpha.4", "the override that keeps the CLI from crashing"
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "ask", f"PY={sys.executable}",
         "ARGS=--version"], env=cli_environ(tmp_path), cwd=ROOT, capture_output=True, text=True,
        timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == pinned


@pytest.mark.parametrize("built_for, expected", [("clinic", SKILL_ID), ("default", None)])
def test_the_clis_own_loader_reads_the_skill_id_for_the_profile(pinned, tmp_path, built_for,
                                                                expected):
    """Built for "default" (as the script once always did), `--profile clinic` finds no skill
    id, so `ask deploy` would create a second skill."""
    out = build_package(tmp_path / "build", built_for)
    done = subprocess.run([tool("node"), "-e", READ_PROJECT, str(RESOURCES_CONFIG), str(out),
                           "clinic"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    project = json.loads(done.stdout)
    assert project["skillId"] == expected
    if expected:
        assert (out / project["src"]).resolve() == (out / "skill-package").resolve()
        assert (out / project["src"] / "skill.json").is_file()


def test_deploy_for_a_profile_gets_as_far_as_the_network(pinned, tmp_path):
    out = build_package(tmp_path / "build", "clinic")
    home = dummy_home(tmp_path / "home", "clinic")
    env = cli_environ(home, ASK_PROFILE="clinic")
    result = subprocess.run([sys.executable, str(ROOT / "deploy" / "ask_cli.py"), "--dir",
                             str(out), "--", "deploy"], env=env, capture_output=True, text=True,
                            timeout=60)
    said = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Deploy project for profile [clinic]" in said
    assert f"Using pre-existing skill id: {SKILL_ID}" in said, said
    assert f"{env['ASK_LWA_TOKEN_HOST']}/auth/o2/token failed" in said, said
    assert "ECONNREFUSED" in said


def test_deploy_of_a_package_for_another_profile_stops_before_the_network(pinned, tmp_path):
    out = build_package(tmp_path / "build", "default")
    home = dummy_home(tmp_path / "home", "clinic")
    result = subprocess.run([sys.executable, str(ROOT / "deploy" / "ask_cli.py"), "--dir",
                             str(out), "--", "deploy"],
                            env=cli_environ(home, ASK_PROFILE="clinic"),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Profile [clinic] does not exist" in result.stdout + result.stderr
    assert "auth/o2/token" not in result.stdout + result.stderr


def test_configure_is_told_the_profile_and_a_second_profile_is_refused():
    runner = load_runner()
    ask = Path("/x/ask")
    assert runner.command_line(ask, ["configure"], "clinic") == [
        "/x/ask", "configure", "--profile", "clinic"]
    assert runner.command_line(ask, ["deploy"], "clinic") == ["/x/ask", "deploy"]
    assert runner.command_line(ask, ["deploy", "-p", "clinic"], "clinic")[-1] == "clinic"
    with pytest.raises(runner.AskCliError, match="ASK_PROFILE=other"):
        runner.command_line(ask, ["deploy", "--profile=other"], "clinic")
    assert runner.environment("clinic", {})["ASK_DEFAULT_PROFILE"] == "clinic"


def test_without_node_the_message_says_to_install_it(tmp_path, monkeypatch):
    runner = load_runner()
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"ask-cli": "2.30.7"}}))
    monkeypatch.setenv("PATH", str(tmp_path))  # no node, no npm
    with pytest.raises(runner.AskCliError, match="Node.js 18 or newer"):
        runner.ensure_installed(tmp_path, quiet=True)


def test_a_bad_profile_stops_make_ask_with_a_message(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "ask_cli.py"), "--dir", str(tmp_path), "--",
         "--version"], env=clean_environ(HOME=str(tmp_path), ASK_PROFILE="my clinic"),
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "ASK_PROFILE='my clinic'" in result.stderr and "Traceback" not in result.stderr
