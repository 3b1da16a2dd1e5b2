"""`make skill-package`: the skill manifest and interaction models, laid out for the ASK CLI.

skill.json (at the top of the repo) holds placeholders such as {{LAMBDA_ARN}}; this script fills
them from the skill's settings and the environment, and writes, under --out (default build/):

    skill-package/skill.json                                    the filled manifest
    skill-package/interactionModels/custom/<locale>.json        one per interaction_models/*.json
    skill-package/assets/images/<locale>_{small,large}Icon.png  the clinic's icon (CLINIC_ICON)
    privacy.md                                                  docs/privacy.md filled, to host
    ask-resources.json                                          the ASK CLI v2 project file
    .ask/ask-states.json                                        the skill id, only when
                                                                SKILL_ID is set

Both CLI files key everything by ASK CLI profile, so the package is built for one: ASK_PROFILE
(or --profile), else the CLI's own ASK_DEFAULT_PROFILE, else "default", the order in which
`make ask` and the CLI pick theirs. A package keyed by another profile makes `ask deploy
--profile clinic` create a second skill instead of updating SKILL_ID's.

SAM (template.yaml) deploys the Lambda function, so ask-resources.json names no code and no
infrastructure: `ask deploy`, run in the output folder, uploads the skill package only.

Everything is checked before anything is written, so a bad setting leaves the last package as it
was and exits 2 with a message naming the variable.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Mapping, NamedTuple

from skill.settings import Settings, SettingsError, emergency_variable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script, only deploy/ is on the path
    sys.path.insert(0, str(ROOT))
from deploy import skill_icons  # noqa: E402

NOTICE = Path("docs") / "privacy.md"  # the privacy notice the clinic hosts at PRIVACY_URL
# The notice says how long logs are kept: the stack's LogRetentionDays. The package is built
# apart from the stack, so the deployer passes it; the default and choices are template.yaml's
# (tests/test_privacy_notice.py holds them equal).
LOG_RETENTION_DAYS = "LOG_RETENTION_DAYS"
LOG_RETENTION_CHOICES = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365)
DEFAULT_LOG_RETENTION = 30
PLACEHOLDER = re.compile(r"\{\{([A-Z0-9_]+)\}\}")
# A function ARN, optionally with a version or alias: what SAM's SkillFunctionArn output gives.
LAMBDA_ARN = re.compile(r"arn:aws[a-z-]*:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:"
                        r"[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_-]{1,128})?")
SKILL_ID = re.compile(r"amzn1\.ask\.skill\.[0-9a-fA-F-]+")  # as template.yaml's SkillId
ASK_CLI_VERSION = "2020-03-31"  # askcliResourcesVersion and askcliStatesVersion of ASK CLI v2
# ask-cli's own rule for profile names (utils/constants.js); its placeholder for a profile made
# of environment variables is not one a package can be built for.
PROFILE_NAME = re.compile(r"[a-zA-Z0-9_-]+")
ENVIRONMENT_PROFILE = "__ENVIRONMENT_ASK_PROFILE__"


class PackageError(Exception):
    """The package cannot be built; the message says what to fix."""


def log_retention(environ: Mapping[str, str]) -> int:
    raw = environ.get(LOG_RETENTION_DAYS, "").strip() or str(DEFAULT_LOG_RETENTION)
    if not raw.isdigit() or int(raw) not in LOG_RETENTION_CHOICES:
        raise PackageError(f"{LOG_RETENTION_DAYS}={raw!r}: give the stack's LogRetentionDays, "
                           f"one of {', '.join(map(str, LOG_RETENTION_CHOICES))}")
    return int(raw)


def placeholder_values(settings: Settings, lambda_arn: str | None,
                       locales: tuple[str, ...] = (),
                       log_days: int = DEFAULT_LOG_RETENTION) -> dict[str, str]:
    if not lambda_arn:
        raise PackageError(
            "LAMBDA_ARN is not set: deploy the function with SAM (template.yaml) first, then pass "
            "the stack's SkillFunctionArn output, e.g. "
            "make skill-package LAMBDA_ARN=arn:aws:lambda:us-east-1:123456789012:function:NAME")
    if not LAMBDA_ARN.fullmatch(lambda_arn):
        raise PackageError(f"LAMBDA_ARN={lambda_arn!r} is not a Lambda function ARN "
                           "(arn:aws:lambda:REGION:ACCOUNT:function:NAME)")
    return {"LAMBDA_ARN": lambda_arn,
            "PRIVACY_URL": settings.privacy_url,
            "TERMS_URL": settings.terms_url,
            "CLINIC_NAME": settings.clinic_name,
            "EMERGENCY_NUMBER": settings.emergency_number,
            # {{EMERGENCY_NUMBER_EN_US}}, {{EMERGENCY_NUMBER_ES_US}}: the number the skill says
            # in that locale, so each store listing names the number its speech does.
            **{emergency_variable(locale): settings.emergency_for(locale) for locale in locales},
            "MEMORY_TTL_DAYS": str(settings.ttl_days),
            "REMINDER_DAYS": str(settings.reminder_days),
            "CLINIC_PHONE": settings.clinic_phone,
            "LOG_RETENTION_DAYS": str(log_days)}


def fill(value: Any, values: Mapping[str, str], source: str = "skill.json") -> Any:
    """Every {{NAME}} in every string; a name nobody provides is an error, never left in."""
    if isinstance(value, dict):
        return {key: fill(item, values, source) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, values, source) for item in value]
    if isinstance(value, str):
        def one(match: re.Match) -> str:
            if match.group(1) not in values:
                raise PackageError(f"{source} uses {{{{{match.group(1)}}}}}, which "
                                   f"skill_package.py does not fill (known: {', '.join(values)})")
            return values[match.group(1)]
        return PLACEHOLDER.sub(one, value)
    return value


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PackageError(f"{path}: {error}") from None


def read_models(models_dir: Path) -> dict[str, dict]:
    models = {path.stem: read_json(path) for path in sorted(models_dir.glob("*.json"))}
    if not models:
        raise PackageError(f"no interaction models in {models_dir}")
    for locale, model in models.items():
        language = (model.get("interactionModel") or {}).get("languageModel") or {}
        if not language.get("invocationName"):
            raise PackageError(
                f"{models_dir / (locale + '.json')}: no languageModel.invocationName")
    return models


def check_locales(manifest: dict, models: Mapping[str, dict]) -> None:
    """Each model needs its store listing and privacy links, and each listing its model."""
    for section in ("publishingInformation", "privacyAndCompliance"):
        listed = set((manifest.get(section) or {}).get("locales") or {})
        if listed != set(models):
            raise PackageError(
                f"skill.json {section}.locales has {sorted(listed)} but interaction_models/ has "
                f"{sorted(models)}: add or remove locales so they match")


class Package(NamedTuple):
    """Everything `ask deploy` and the clinic need, checked and filled; nothing written yet."""
    document: dict
    models: dict[str, dict]
    icons: dict[str, bytes]  # path in the skill package -> PNG
    notice: str  # docs/privacy.md, filled


def assemble(root: Path, settings: Settings, lambda_arn: str | None,
             log_days: int = DEFAULT_LOG_RETENTION) -> Package:
    document = read_json(root / "skill.json")
    manifest = document.get("manifest") if isinstance(document, dict) else None
    if not isinstance(manifest, dict):
        raise PackageError(f"{root / 'skill.json'}: no top-level \"manifest\" object")
    models = read_models(root / "interaction_models")
    check_locales(manifest, models)
    values = placeholder_values(settings, lambda_arn, tuple(models), log_days)
    document = fill(document, values)
    try:
        icons = skill_icons.make(manifest, settings.icon,
                                 f"{Settings.ENV['icon']} (or \"icon\" in the clinic file)")
        notice = (root / NOTICE).read_text(encoding="utf-8")
    except skill_icons.IconError as error:
        raise PackageError(str(error)) from None
    except OSError as error:
        raise PackageError(f"{root / NOTICE}: {error.strerror or error}") from None
    return Package(document, models, icons, fill(notice, values, str(NOTICE)))


def ask_profile(environ: Mapping[str, str], given: str | None = None) -> str:
    """The ASK CLI profile the package is for: the one `make ask` hands the CLI."""
    profile = (given or environ.get("ASK_PROFILE") or environ.get("ASK_DEFAULT_PROFILE")
               or "default").strip()
    if not PROFILE_NAME.fullmatch(profile) or profile == ENVIRONMENT_PROFILE:
        raise PackageError(f"ASK_PROFILE={profile!r} is not an ASK CLI profile name (letters, "
                           "digits, - and _), e.g. make skill-package ASK_PROFILE=clinic")
    return profile


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_states(out: Path) -> dict:
    """The CLI keeps the skill id and its deploy hashes in .ask/ask-states.json; keep them."""
    path = out / ".ask" / "ask-states.json"
    states = read_json(path) if path.exists() else {}
    if not isinstance(states, dict):
        raise PackageError(f"{path}: not a JSON object; delete it and build again")
    return states


def write_package(out: Path, package: Package, skill_id: str | None, profile: str) -> None:
    states = read_states(out) if skill_id else None
    out.mkdir(parents=True, exist_ok=True)
    # Built beside the old package and swapped in, so no half-written package is ever left.
    staging = Path(tempfile.mkdtemp(prefix=".skill-package-", dir=out))
    staging.chmod(0o755)  # mkdtemp makes it private; the package is not
    try:
        write_json(staging / "skill.json", package.document)
        for locale, model in package.models.items():
            write_json(staging / "interactionModels" / "custom" / f"{locale}.json", model)
        for name, png in package.icons.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(png)
        shutil.rmtree(out / "skill-package", ignore_errors=True)
        staging.rename(out / "skill-package")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    write_json(out / "ask-resources.json", {
        "askcliResourcesVersion": ASK_CLI_VERSION,
        "profiles": {profile: {"skillMetadata": {"src": "./skill-package"}}},
    })
    # Beside the package, not in it: `ask deploy` uploads all of skill-package/.
    (out / NOTICE.name).write_text(package.notice, encoding="utf-8")
    if states is not None:
        states.setdefault("askcliStatesVersion", ASK_CLI_VERSION)
        states.setdefault("profiles", {}).setdefault(profile, {})["skillId"] = skill_id
        write_json(out / ".ask" / "ask-states.json", states)


def build(out: Path, environ: Mapping[str, str], root: Path = ROOT,
          lambda_arn: str | None = None, profile: str | None = None) -> str:
    """Builds the package; the ASK CLI profile it is keyed by."""
    profile = ask_profile(environ, profile)
    settings = Settings.from_env(environ)
    if settings.skill_id and not SKILL_ID.fullmatch(settings.skill_id):
        raise PackageError(f"SKILL_ID={settings.skill_id!r} is not an Alexa skill id "
                           "(amzn1.ask.skill.<id>)")
    package = assemble(root, settings, lambda_arn or environ.get("LAMBDA_ARN", "").strip(),
                       log_retention(environ))
    write_package(out, package, settings.skill_id, profile)
    return profile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build",
                        help="folder for skill-package/ and ask-resources.json (default: build/)")
    parser.add_argument("--lambda-arn", help="the function's ARN (default: $LAMBDA_ARN)")
    parser.add_argument("--profile", help="the ASK CLI profile to deploy with (default: "
                        "$ASK_PROFILE, else $ASK_DEFAULT_PROFILE, else default)")
    args = parser.parse_args(argv)
    try:
        profile = build(args.out, os.environ, lambda_arn=args.lambda_arn, profile=args.profile)
    except (SettingsError, PackageError) as error:
        print(f"skill-package: {error}", file=sys.stderr)
        return 2
    print(f"skill-package: wrote {args.out / 'skill-package'}, {args.out / 'ask-resources.json'} "
          f"and {args.out / NOTICE.name} (the privacy notice to host at PRIVACY_URL) for ASK CLI "
          f"profile {profile!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
