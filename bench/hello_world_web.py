"""Baseline for bench/web_rps.py: the hello-world ASK SDK skill behind the skill's own web service.

    python bench/hello_world_web.py [--host H] [--port P] [--no-verify] [--dev]

Same flags, environment variables (SKILL_ID, WEB_THREADS, WEB_TEST_*...) and behaviour as
``python -m webservice``, because it *is* that service: ``webservice.service.main`` runs with
its ``build_skill`` swapped for one that builds the hello-world skill of
bench/hello_world/lambda_function.py (a LaunchRequest handler and HelloWorldIntent). So the Flask
app, the CheckedSkillAdapter, the verifiers (Signature-256 with the cached certificate, timestamp,
skill id), the body limit, the error handlers, /healthz and waitress with its settings are the
skill's own; only the skill differs. Benchmarks only: it answers nothing else.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HELLO_LAMBDA = ROOT / "bench" / "hello_world" / "lambda_function.py"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _hello_module():
    from devkit.modules import load_file  # after the repository root is on the path

    return load_file("bench_hello_world_lambda", HELLO_LAMBDA)


def build_hello_skill(settings: Any = None, **_options: Any):
    """The hello-world CustomSkill; its skill id set as the real skill sets it (a string check)."""
    from ask_sdk_core.skill_builder import SkillBuilder

    hello = _hello_module()
    builder = SkillBuilder()
    builder.skill_id = getattr(settings, "skill_id", None)
    builder.add_request_handler(hello.LaunchRequestHandler())
    builder.add_request_handler(hello.HelloWorldIntentHandler())
    return builder.create()


def main(argv: list[str] | None = None) -> int:
    import webservice.service as service  # imports webservice first: the oscrypto fix is in place

    if not callable(getattr(service, "build_skill", None)):
        print("bench/hello_world_web.py: webservice.service no longer builds its skill through "
              "a module-level build_skill(settings); update this baseline", file=sys.stderr)
        return 2
    service.build_skill = build_hello_skill
    return service.main(argv)


if __name__ == "__main__":
    sys.exit(main())
