"""make bench's conversations still fit the skill (bench/lambda_bench.py): the bench is not part
of make test, so without this a change to the dialogue breaks it unnoticed (it once did: "yes"
at the welcome came to mean relief). No timing here; the bench measures."""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT, CheckedClient
from devkit import envelopes

sys.path.insert(0, str(ROOT / "bench"))
import lambda_bench  # noqa: E402


def test_the_warm_turn_and_the_sample_session_fit_the_skill(lambda_handler):
    client = CheckedClient(lambda_handler)
    client.launch()
    client.say("StartCheckIntent")
    lambda_bench.mid_check(client.send(envelopes.intent("AMAZON.NoIntent")).raw)
    session = CheckedClient(lambda_handler)
    session.launch()
    lambda_bench.whole_check(session, then_relief=True)
    assert session.session is None, "the sample session ends, so its one write happens"


def test_the_checks_can_fail(lambda_handler):
    client = CheckedClient(lambda_handler)
    client.launch()
    with pytest.raises(lambda_bench.BenchError):
        lambda_bench.mid_check(client.say("AMAZON.YesIntent").raw)  # relief, not the check
