"""`make ask ARGS="..."`: the pinned ASK CLI (deploy/ask_cli/), run in the skill package's folder.

`npm install -g ask-cli` gets ask-cli 2.30.x with antlr4ts 0.5.0-dev (through @alexa/acdl),
which crashes on every command; deploy/ask_cli/package.json pins ask-cli and overrides antlr4ts
to 0.5.0-alpha.4, and its package-lock.json is installed with `npm ci` on first use (and again
when the pin changes). node_modules is never committed.

The CLI runs in build/ (where `make skill-package` writes ask-resources.json) with
ASK_DEFAULT_PROFILE set to the profile the package was keyed by, so `ask deploy`, `ask dialog`
and `ask smapi ...` all act for the same skill id.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Mapping, Sequence

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script, only deploy/ is on the path
    sys.path.insert(0, str(ROOT))
# One rule for the profile, both scripts.
from deploy.skill_package import PackageError, ask_profile  # noqa: E402

CLI_DIR = ROOT / "deploy" / "ask_cli"
PACKAGE = "ask-cli"
NPM_CI_TIMEOUT = 600
# `configure` ignores ASK_DEFAULT_PROFILE (it asks, offering "default"), so it is told outright.
TAKES_PROFILE_FLAG = {"configure"}


class AskCliError(Exception):
    """The CLI cannot be installed or run; the message says what to do."""


def pinned_version(cli_dir: Path = CLI_DIR) -> str:
    return json.loads((cli_dir / "package.json").read_text())["dependencies"][PACKAGE]


def installed_version(cli_dir: Path = CLI_DIR) -> str | None:
    try:
        manifest = (cli_dir / "node_modules" / PACKAGE / "package.json").read_text()
        return json.loads(manifest).get("version")
    except (OSError, ValueError):
        return None


def need(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise AskCliError(f"`{program}` is not on PATH: the ASK CLI needs Node.js 18 or newer "
                          "with npm (https://nodejs.org, or your package manager's nodejs)")
    return path


def ensure_installed(cli_dir: Path = CLI_DIR, quiet: bool = False) -> Path:
    """The pinned CLI's `ask`, installed with `npm ci` unless that version is already there."""
    ask = cli_dir / "node_modules" / ".bin" / "ask"
    if installed_version(cli_dir) == pinned_version(cli_dir) and ask.exists():
        return ask
    need("node")
    if not quiet:
        print(f"ask: installing ask-cli {pinned_version(cli_dir)} into {cli_dir}/node_modules "
              "(npm ci, once)", file=sys.stderr)
    try:
        done = subprocess.run([need("npm"), "ci", "--no-audit", "--no-fund"], cwd=cli_dir,
                              capture_output=True, text=True, timeout=NPM_CI_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise AskCliError(f"`npm ci` in {cli_dir} took over {NPM_CI_TIMEOUT} s: "
                          "is the npm registry reachable?") from None
    if done.returncode != 0 or installed_version(cli_dir) != pinned_version(cli_dir):
        raise AskCliError(f"`npm ci` in {cli_dir} failed ({done.returncode}); "
                          f"its last words:\n{done.stderr[-2000:]}")
    return ask


def profile_in(args: Sequence[str]) -> str | None:
    for index, arg in enumerate(args):
        if arg in ("-p", "--profile") and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--profile="):
            return arg.split("=", 1)[1]
    return None


def command_line(ask: Path, args: Sequence[str], profile: str) -> list[str]:
    given = profile_in(args)
    if given is not None and given != profile:
        raise AskCliError(f"ARGS name profile {given!r} but ASK_PROFILE is {profile!r}: set "
                          f"ASK_PROFILE={given} (and build the package with it, so "
                          "ask-states.json keys the skill id by it)")
    extra = ["--profile", profile] if given is None and args[:1] and \
        args[0] in TAKES_PROFILE_FLAG else []
    return [str(ask), *args, *extra]


def environment(profile: str, base: Mapping[str, str] = os.environ) -> dict[str, str]:
    env = dict(base)
    env["ASK_DEFAULT_PROFILE"] = profile
    # The version is pinned on purpose; the reminder would only suggest the broken 2.30.x.
    env.setdefault("ASK_SKIP_NEW_VERSION_REMINDER", "true")
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default=None, help="ASK CLI profile (default: $ASK_PROFILE,"
                        " else $ASK_DEFAULT_PROFILE, else default)")
    parser.add_argument("--dir", type=Path, default=ROOT / "build",
                        help="folder to run in: the one holding ask-resources.json")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the CLI's arguments, after --")
    options = parser.parse_args(argv)
    args = options.args[1:] if options.args[:1] == ["--"] else options.args
    try:
        profile = ask_profile(os.environ, options.profile)
        line = command_line(ensure_installed(), args, profile)
    except (AskCliError, PackageError) as error:
        print(f"ask: {error}", file=sys.stderr)
        return 2
    options.dir.mkdir(parents=True, exist_ok=True)
    return subprocess.run(line, cwd=options.dir, env=environment(profile)).returncode


if __name__ == "__main__":
    sys.exit(main())
