"""Lambda SnapStart: lambda_function.py registers its hooks only while a snapshot is taken;
before it, the memory store gets ready without connecting; after a restore, each environment
picks its own wordings."""
from __future__ import annotations

import importlib.util
import random
import sys
import types
from pathlib import Path

import pytest

from skill import build_lambda_handler, snapstart
from skill.settings import Settings
from skill.storage.dynamodb import MemoryDynamoDbAdapter

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fake_runtime_hooks(monkeypatch):
    """snapshot_restore_py as Lambda's Python runtimes carry it: it records what is registered."""
    registered: dict[str, list] = {"before": [], "after": []}
    module = types.ModuleType("snapshot_restore_py")
    module.register_before_snapshot = registered["before"].append
    module.register_after_restore = registered["after"].append
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", module)
    return registered


def load_entry_point(monkeypatch, **env: str):
    for name, value in {"PERSISTENCE": "none", **env}.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("lambda_function_under_test",
                                                  ROOT / "lambda" / "lambda_function.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_entry_point_registers_both_hooks_while_a_snapshot_is_taken(monkeypatch,
                                                                         fake_runtime_hooks):
    module = load_entry_point(monkeypatch, AWS_LAMBDA_INITIALIZATION_TYPE="snap-start")
    assert fake_runtime_hooks == {"before": [module.lambda_handler.before_snapshot],
                                  "after": [module.lambda_handler.after_restore]}


@pytest.mark.parametrize("kind", [None, "on-demand", "provisioned-concurrency"])
def test_without_snapstart_nothing_is_registered(monkeypatch, fake_runtime_hooks, kind):
    monkeypatch.delenv("AWS_LAMBDA_INITIALIZATION_TYPE", raising=False)
    module = load_entry_point(monkeypatch, **({"AWS_LAMBDA_INITIALIZATION_TYPE": kind}
                                              if kind else {}))
    assert fake_runtime_hooks == {"before": [], "after": []}
    assert module.lambda_handler(  # and the skill answers as usual
        {"version": "1.0"}, None)["response"]["outputSpeech"]


def test_before_the_snapshot_the_store_loads_its_certificates_but_does_not_connect():
    adapter = MemoryDynamoDbAdapter("table", environ={
        "AWS_REGION": "us-east-1", "DYNAMODB_ENDPOINT_URL": "https://dynamodb.invalid"})
    handler = build_lambda_handler(Settings(persistence="dynamodb"), adapter=adapter)
    handler.before_snapshot()
    client = adapter.client
    assert client._tls is not None, "the TLS context is in the snapshot"
    assert getattr(client._local, "connection", None) is None, "no connection in the snapshot"


def test_after_a_restore_environments_from_one_snapshot_choose_differently():
    state = random.Random(7).getstate()
    first, second = random.Random(), random.Random()
    first.setstate(state)
    second.setstate(state)  # two environments restored from the same snapshot
    assert [first.random() for _ in range(3)] == [second.random() for _ in range(3)]
    for rng in (first, second):
        _, after_restore = snapstart.hooks(None, rng)
        after_restore()
    assert [first.random() for _ in range(3)] != [second.random() for _ in range(3)]
