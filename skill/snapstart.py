"""Lambda SnapStart: what to do before the snapshot and after each restore.

With SnapStart (template.yaml's SnapStart parameter), Lambda runs the module's start-up once,
when a version is published, and starts every later environment from a snapshot of it. So:
- before the snapshot, do what the first request would otherwise do at its own cost: import
  what the memory store imports late and load the TLS certificates, making no connection (a
  connection in a snapshot would be shared, and dead, in every restored environment);
- after each restore, seed the wording choices again: every environment restored from one
  snapshot would otherwise pick the same "sure" or "got it" in the same order.
Credentials are read from the environment at each call (skill/storage/dynamodb.py), so the
ones Lambda gives a restored environment are the ones used; nothing else holds a time, an id
or a secret from start-up.
"""
from __future__ import annotations

import os
import random
from typing import Any, Callable

INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE"  # set by Lambda; "snap-start" there


def hooks(adapter: Any, rng: random.Random) -> tuple[Callable[[], None], Callable[[], None]]:
    """(before the snapshot, after a restore) for a skill built with this store and rng."""
    def before_snapshot() -> None:
        prepare = getattr(adapter, "prepare", None)
        if prepare is not None:
            prepare()

    def after_restore() -> None:
        rng.seed()  # from the operating system's randomness, which differs per environment

    return before_snapshot, after_restore


def register(handler: Any, environ: Any = None) -> bool:
    """Register the handler's hooks when Lambda is taking a snapshot; whether it did.

    snapshot_restore_py ships with Lambda's Python runtimes; off Lambda it is not imported."""
    environ = os.environ if environ is None else environ
    if environ.get(INITIALIZATION_TYPE) != "snap-start":
        return False
    from snapshot_restore_py import register_after_restore, register_before_snapshot

    register_before_snapshot(handler.before_snapshot)
    register_after_restore(handler.after_restore)
    return True
