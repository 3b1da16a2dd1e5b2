"""Builds the self-contained Lambda zip: lambda_function.py, the skill, and their dependencies.

    python deploy/package.py                          # build/lambda.zip, with the runtime's .pyc
    python deploy/package.py --bundle hello --out build/bench/hello.zip   # the benchmark baseline
    python deploy/package.py --pyc-python ~/bin/python3.12   # that interpreter compiles the .pyc
    python deploy/package.py --no-pyc                 # sources only

What goes in:

- `lambda_function.py` at the root (the template's handler is lambda_function.lambda_handler);
- the `skill` package without what only runs off Lambda (devkit, webservice, webservice.py,
  demo.py), its content compiled from YAML to JSON: PyYAML stays out of the zip, and a cold
  start parses JSON instead of importing yaml;
- the wheels of deploy/lambda-requirements.txt that the bundle needs, found by walking their
  requirements from the bundle's roots. Not boto3, botocore, s3transfer or jmespath: the Lambda
  runtime has them. Pure-Python wheels only, so the zip is right on arm64 whatever machine built
  it, and the machine that tests it runs the very same files.

The same inputs give the same bytes: entries sorted, every timestamp SOURCE_DATE_EPOCH (default
1980-01-01, the earliest a zip can hold), mode 0644. Unless --no-pyc, .pyc files are added,
compiled by the runtime's Python version (python3.12 on PATH or through pyenv; --pyc-python to
name one), in unchecked-hash mode (no timestamp inside, and no source hashing at import): Lambda's
code folder is read-only, so without them every cold start compiles every module it imports
(and prints the SyntaxWarnings of some dependencies into CloudWatch).
A .pyc only serves the exact Python version that wrote it, so that interpreter must be the
runtime's version (template.yaml's Runtime).

Wheels are cached in build/wheels/ and downloaded from PyPI only when missing.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template.yaml"
PINS = ROOT / "deploy" / "lambda-requirements.txt"
WHEEL_CACHE = ROOT / "build" / "wheels"
DEFAULT_OUT = ROOT / "build" / "lambda.zip"

# Distributions the Lambda Python runtime already carries: never shipped.
RUNTIME_PROVIDED = frozenset({"boto3", "botocore", "s3transfer", "jmespath"})
ZIP_EPOCH_MIN = 315532800  # 1980-01-01T00:00:00Z: a zip cannot hold an earlier date
FILE_MODE = 0o644


class PackageError(RuntimeError):
    """The build cannot go on; the message says why."""


@dataclass(frozen=True)
class Bundle:
    entry: Path  # becomes lambda_function.py at the zip's root
    roots: tuple[str, ...]  # distributions the entry needs; their requirements follow
    with_skill: bool


BUNDLES = {
    "skill": Bundle(ROOT / "lambda" / "lambda_function.py", ("ask-sdk-core",), True),
    "hello": Bundle(ROOT / "bench" / "hello_world" / "lambda_function.py",
                    ("ask-sdk-core",), False),
    # The benchmark's anchor for a deployed cold start: the SDK's StandardSkillBuilder and
    # DynamoDB adapter, as the SDK's persistent samples use them.
    "persistent-hello": Bundle(ROOT / "bench" / "persistent_hello" / "lambda_function.py",
                               ("ask-sdk",), False),
}


# --- the target runtime -----------------------------------------------------------------------

def runtime_version(template: Path = TEMPLATE) -> str:
    """"3.12" for `Runtime: python3.12`: the zip is built for the runtime the template deploys."""
    found = set(re.findall(r"^\s*Runtime:\s*python(3\.\d+)\s*$", template.read_text(), re.M))
    if len(found) != 1:
        raise PackageError(f"{template.name}: expected one Python Runtime, found {sorted(found)}")
    return found.pop()


def marker_environment(python: str) -> dict[str, str]:
    """Where the requirements' markers are evaluated: the Lambda runtime, not this machine."""
    return {"python_version": python, "python_full_version": f"{python}.0",
            "implementation_name": "cpython", "platform_python_implementation": "CPython",
            "os_name": "posix", "sys_platform": "linux", "platform_system": "Linux",
            "platform_machine": "aarch64", "implementation_version": f"{python}.0", "extra": ""}


# --- wheels -------------------------------------------------------------------------------------

def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path = PINS) -> dict[str, str]:
    pins: dict[str, str] = {}
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
        if not match:
            raise PackageError(f"{path.name}:{number}: pin exactly, as name==version: {raw!r}")
        pins[normalize(match[1])] = match[2]
    return pins


def _wheel_name_version(path: Path) -> tuple[str, str]:
    name, version = path.name.split("-")[:2]
    return normalize(name), version


def cached_wheels(cache: Path, pins: dict[str, str]) -> dict[str, Path]:
    found = {}
    for path in sorted(cache.glob("*.whl")):
        name, version = _wheel_name_version(path)
        if pins.get(name) == version and path.name.endswith("-none-any.whl"):
            found[name] = path
    return found


def fetch_wheels(pins: dict[str, str], python: str, cache: Path = WHEEL_CACHE) -> dict[str, Path]:
    """One pure-Python wheel per pin, from the cache or else from PyPI."""
    cache.mkdir(parents=True, exist_ok=True)
    wheels = cached_wheels(cache, pins)
    missing = sorted(set(pins) - set(wheels))
    if missing:
        command = [sys.executable, "-m", "pip", "download", "--quiet",
                   "--disable-pip-version-check", "--no-deps", "--only-binary=:all:",
                   "--platform", "any", "--abi", "none",
                   "--implementation", "py", "--python-version", python, "--dest", str(cache),
                   *(f"{name}=={pins[name]}" for name in missing)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise PackageError(f"pip download failed for {', '.join(missing)} (pure-Python wheels "
                               f"for Python {python}):\n{done.stderr[-3000:]}")
        wheels = cached_wheels(cache, pins)
        still = sorted(set(pins) - set(wheels))
        if still:
            raise PackageError(f"no pure-Python wheel for {', '.join(still)}")
    return wheels


def wheel_metadata(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist()
                    if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        return HeaderParser().parsestr(archive.read(name).decode("utf-8"))


def _packaging():
    try:
        from packaging.requirements import Requirement
        from packaging.version import Version
    except ImportError:  # pip always carries a copy
        # The same classes, vendored: mypy sees two unrelated types under one name.
        from pip._vendor.packaging.requirements import Requirement  # type: ignore[assignment]
        from pip._vendor.packaging.version import Version  # type: ignore[assignment]
    return Requirement, Version


def closure(roots: tuple[str, ...], pins: dict[str, str], wheels: dict[str, Path],
            python: str) -> list[str]:
    """The distributions the roots need, all pinned and all satisfied, runtime-provided ones left
    out."""
    Requirement, Version = _packaging()
    environment = marker_environment(python)
    needed: list[str] = []
    queue = [normalize(r) for r in roots]
    problems = []
    while queue:
        name = queue.pop(0)
        if name in needed:
            continue
        if name not in pins:
            problems.append(f"{name} is needed but not pinned in {PINS.name}")
            continue
        needed.append(name)
        for text in wheel_metadata(wheels[name]).get_all("Requires-Dist") or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate(environment):
                continue
            wanted = normalize(requirement.name)
            if wanted in RUNTIME_PROVIDED:
                continue
            if wanted in pins and not requirement.specifier.contains(Version(pins[wanted]),
                                                                       prereleases=True):
                problems.append(f"{name} needs {text}, but {PINS.name} pins {pins[wanted]}")
            queue.append(wanted)
    if problems:
        raise PackageError("; ".join(problems))
    return sorted(needed)


def unpack_wheel(wheel: Path, target: Path) -> None:
    """A pure wheel's files as pip would install them (no scripts: they hold this machine's
    paths)."""
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            parts = member.filename.split("/")
            if ".." in parts or member.filename.startswith("/"):
                raise PackageError(f"{wheel.name}: unsafe path {member.filename!r}")
            if parts[0].endswith(".data"):
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue  # scripts, headers, data: not importable code
                parts = parts[2:]
            destination = target.joinpath(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.read(member))


# --- the skill ----------------------------------------------------------------------------------

def copy_skill(target: Path) -> None:
    source = ROOT / "skill"
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if (not path.is_file() or "__pycache__" in relative.parts
                or path.suffix in (".pyc", ".yaml")
                or any(part.startswith(".") for part in relative.parts)
                or path.name.endswith("~")):  # editor and system leftovers
            continue
        destination = target / "skill" / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    for content in sorted((source / "content").glob("*.yaml")):
        compiled = target / "skill" / "content" / f"{content.stem}.json"
        compiled.parent.mkdir(parents=True, exist_ok=True)
        compiled.write_text(compile_content(content), encoding="utf-8")


def compile_content(path: Path) -> str:
    """The content file as JSON, refused if JSON would not give back exactly what YAML gives."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe loader
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if json.loads(text) != data:
        raise PackageError(f"{path.name}: holds values JSON cannot carry (dates, non-string keys?)")
    return text


# --- bytecode -----------------------------------------------------------------------------------

PYC_SCRIPT = """
import compileall, py_compile, sys
want = sys.argv[1]
have = "%d.%d" % sys.version_info[:2]
if have != want:
    sys.exit(f"--pyc-python is Python {have}, but the runtime is Python {want}: "
             "a .pyc only serves the version that wrote it")
ok = compileall.compile_dir(sys.argv[2], ddir="/var/task", quiet=2, workers=1,
                            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
sys.exit(0 if ok else "compileall failed")
"""


def find_python(version: str) -> str:
    """The interpreter of a Python version, to compile the runtime's .pyc: python3.12 on PATH
    (a pyenv shim counts when it runs), else pyenv's newest 3.12.x; else a PackageError that
    says how to get one."""
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    installed = sorted(root.glob(f"versions/{version}.*/bin/python{version}"),
                       key=lambda p: [int(x) if x.isdigit() else 0
                                      for x in p.parts[-3].split(".")], reverse=True)
    for candidate in [shutil.which(f"python{version}"), *map(str, installed)]:
        if candidate and _version_of(candidate) == version:
            return candidate
    raise PackageError(
        f"Python {version}, the Lambda runtime's, is needed to compile the zip's .pyc and was not "
        f"found on PATH or in {root}/versions: install it (`pyenv install {version}`, or your "
        f"system's python{version} package), point --pyc-python at it, or build without "
        "bytecode (--no-pyc; every cold start then compiles the code again)")


def _version_of(python: str) -> str | None:
    try:
        done = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def compile_bytecode(target: Path, python_exe: str, python: str) -> None:
    done = subprocess.run([python_exe, "-c", PYC_SCRIPT, python, str(target)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise PackageError(f"bytecode: {(done.stderr or done.stdout).strip()[-2000:]}")


# --- the zip ------------------------------------------------------------------------------------

def source_date_epoch() -> int:
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        value = int(raw) if raw else ZIP_EPOCH_MIN
    except ValueError:
        raise PackageError(f"SOURCE_DATE_EPOCH={raw!r} is not a whole number of seconds") from None
    return max(value, ZIP_EPOCH_MIN)


def write_zip(folder: Path, out: Path, epoch: int) -> None:
    date_time = time.gmtime(epoch)[:6]
    files = sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, path in files:
            info = zipfile.ZipInfo(name, date_time)
            info.create_system = 3  # Unix, so the mode below is honoured
            info.external_attr = (stat.S_IFREG | FILE_MODE) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    os.replace(partial, out)


def build(bundle_name: str = "skill", out: Path = DEFAULT_OUT, pyc_python: str | None = None,
          cache: Path = WHEEL_CACHE) -> dict:
    bundle = BUNDLES[bundle_name]
    python = runtime_version()
    pins = read_pins()
    wheels = fetch_wheels(pins, python, cache)
    needed = closure(bundle.roots, pins, wheels, python)
    with tempfile.TemporaryDirectory(prefix="lambda-package-") as scratch:
        stage = Path(scratch) / "zip"
        stage.mkdir()
        for name in needed:
            unpack_wheel(wheels[name], stage)
        if bundle.with_skill:
            copy_skill(stage)
        shutil.copyfile(bundle.entry, stage / "lambda_function.py")
        compiled = [p for p in stage.rglob("*") if p.suffix in (".so", ".pyd", ".dylib")]
        if compiled:
            raise PackageError(f"compiled code would tie the zip to one machine: {compiled[:3]}")
        if pyc_python:
            compile_bytecode(stage, pyc_python, python)
        write_zip(stage, out, source_date_epoch())
    data = out.read_bytes()
    return {"zip": str(out), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "runtime": f"python{python}", "pyc": bool(pyc_python),
            "distributions": {name: pins[name] for name in needed}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy/package.py", description=__doc__.split("\n")[0])
    parser.add_argument("--bundle", choices=sorted(BUNDLES), default="skill",
                        help="skill (default), or the benchmark's hello and persistent-hello")
    parser.add_argument("--out", type=Path, default=None,
                        help="the zip to write "
                             "(default build/lambda.zip; build/hello.zip for hello)")
    parser.add_argument("--pyc-python", default=None, metavar="PYTHON",
                        help="the interpreter that compiles the .pyc (default: the runtime's "
                             "Python version, found on PATH or through pyenv)")
    parser.add_argument("--no-pyc", action="store_true",
                        help="ship no .pyc (each cold start compiles the code again)")
    args = parser.parse_args(argv)
    out = args.out or (DEFAULT_OUT if args.bundle == "skill"
                       else ROOT / "build" / f"{args.bundle}.zip")
    try:
        pyc_python = None if args.no_pyc else args.pyc_python or find_python(runtime_version())
        report = build(args.bundle, out.resolve(), pyc_python)
    except PackageError as error:
        print(f"package: {error}", file=sys.stderr)
        return 1
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
