"""Memory without health data: the pure model, the SQLite store, and whole conversations."""
from __future__ import annotations

import json
import multiprocessing
import sqlite3
from contextlib import closing
import threading
import time
from decimal import Decimal

import pytest

from conftest import CheckedClient
from support.conversations import SKILL_DISABLED, check_then_a_question, walk_away, week_of_use
from skill import build_lambda_handler
from devkit import envelopes
from skill.memory import ALLOWED_KEYS, RESUME_WINDOW_SECONDS, Memory, SessionMemory
from skill.settings import Settings
from skill.storage.sqlite import SQLiteAdapter

NO, YES = "AMAZON.NoIntent", "AMAZON.YesIntent"


class CountingAdapter:
    """Wraps a real adapter, counting calls and failing on demand."""

    def __init__(self, inner):
        self.inner = inner
        self.calls = {"get": 0, "save": 0, "delete": 0}
        self.failing = False

    def _call(self, name, *args, **kwargs):
        self.calls[name] += 1
        if self.failing:
            from ask_sdk_core.exceptions import PersistenceException
            raise PersistenceException("store unavailable (injected)")
        return getattr(self.inner, f"{name}_attributes")(*args, **kwargs)

    def get_attributes(self, request_envelope):
        return self._call("get", request_envelope)

    def save_attributes(self, request_envelope, attributes):
        return self._call("save", request_envelope, attributes)

    def delete_attributes(self, request_envelope):
        return self._call("delete", request_envelope)


@pytest.fixture
def store(tmp_path):
    return CountingAdapter(SQLiteAdapter(tmp_path / "memory.sqlite3"))


@pytest.fixture
def talk(store):
    handler = build_lambda_handler(Settings(), adapter=store)
    user = f"amzn1.ask.account.MEMORY-{time.time_ns()}"
    return lambda: CheckedClient(handler, user_id=user)


def stored_record(store, _user=None):
    path = store.inner.path
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT attributes FROM memory").fetchall()
    return [json.loads(r[0]) for r in rows]


# --- the pure model -----------------------------------------------------------

def test_memory_reads_anything_a_store_returns():
    memory = Memory.from_record({"relief_step": Decimal("3"), "speech_rate": "1",
                                 "visits": Decimal(4),
                                 "last_visit": "junk", "answers": {"fever": "yes"}})
    assert memory == Memory(relief_step=3, speech_rate=1, visits=4)
    assert set(memory.to_record()) <= ALLOWED_KEYS
    assert Memory.from_record({"speech_rate": 99, "relief_step": 50}).speech_rate == 2
    assert Memory.from_record({"relief_step": 50}).relief_step == 7
    assert Memory.from_record("garbage") == Memory()


def test_resume_window_is_one_day():
    memory = Memory(relief_step=2, relief_saved_at=1_000_000)
    assert memory.resumable_step(1_000_000 + RESUME_WINDOW_SECONDS) == 2
    assert memory.resumable_step(1_000_000 + RESUME_WINDOW_SECONDS + 1) is None
    assert Memory().resumable_step(1_000_000) is None


def test_changes_made_while_the_store_was_down_are_laid_over_it_later():
    session = SessionMemory()
    session.count_visit(100)
    session.set_rate(1)
    session.set_relief(4, 120)
    assert not session.needs_write, "never write before the stored record is known"
    session.rebase(Memory(visits=6, last_visit=50, speech_rate=3, relief_step=None))
    assert session.current == Memory(relief_step=4, relief_saved_at=120, speech_rate=1,
                                     visits=7, last_visit=100)
    assert session.needs_write
    session.written()
    assert not session.needs_write


# --- the SQLite store -----------------------------------------------------------

def request_for(user: str):
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope
    body = envelopes.envelope(envelopes.launch(), envelopes.new_session(user_id=user), user_id=user)
    return DefaultSerializer().deserialize(json.dumps(body), RequestEnvelope)


def test_sqlite_round_trip_and_no_user_id_in_clear(tmp_path):
    adapter = SQLiteAdapter(tmp_path / "m.sqlite3")
    request = request_for("amzn1.ask.account.SECRET")
    assert adapter.get_attributes(request) == {}
    adapter.save_attributes(request, {"visits": 2})
    assert adapter.get_attributes(request) == {"visits": 2}
    assert b"amzn1.ask.account.SECRET" not in (tmp_path / "m.sqlite3").read_bytes()
    adapter.delete_attributes(request)
    assert adapter.get_attributes(request) == {}


def test_sqlite_expired_and_damaged_rows_read_as_empty(tmp_path):
    adapter = SQLiteAdapter(tmp_path / "m.sqlite3")
    request = request_for("u1")
    adapter.save_attributes(request, {"visits": 2})
    with sqlite3.connect(adapter.path) as db:
        db.execute("UPDATE memory SET expires_at = 1")
    assert adapter.get_attributes(request) == {}
    with sqlite3.connect(adapter.path) as db:
        db.execute("UPDATE memory SET expires_at = 9999999999, attributes = '{not json'")
    assert adapter.get_attributes(request) == {}


def test_sqlite_with_threads(tmp_path):
    # Several fresh files, because the race that once lost writes was eight threads setting up
    # a new file (WAL switch, table creation) at the same moment.
    for trial in range(10):
        adapter = SQLiteAdapter(tmp_path / f"m{trial}.sqlite3")
        errors = []

        def work(n):
            try:
                for i in range(20):
                    request = request_for(f"user-{n}-{i}")
                    adapter.save_attributes(request, {"visits": i})
                    assert adapter.get_attributes(request) == {"visits": i}
            except Exception as error:  # noqa: BLE001 - reported below, from the test's thread
                errors.append(error)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors[:3]
        with closing(sqlite3.connect(adapter.path)) as db:
            assert db.execute("SELECT COUNT(*) FROM memory").fetchone()[0] == 160


def _process_work(path, n):
    adapter = SQLiteAdapter(path)
    for i in range(25):
        adapter.save_attributes(request_for(f"proc-{n}-{i}"), {"visits": i})
        adapter.save_attributes(request_for("shared-user"), {"visits": n})


def test_sqlite_with_processes(tmp_path):
    path = tmp_path / "m.sqlite3"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_process_work, args=(path, n)) for n in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM memory").fetchone()[0] == 101


def test_a_broken_sqlite_path_raises_a_persistence_error(tmp_path):
    from ask_sdk_core.exceptions import PersistenceException
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    adapter = SQLiteAdapter(blocker / "m.sqlite3")
    with pytest.raises(PersistenceException):
        adapter.get_attributes(request_for("u"))


# --- conversations ----------------------------------------------------------------

def test_returning_user_gets_a_shorter_welcome_that_still_names_relief_and_911(talk):
    client = talk()
    first = client.launch()
    assert "not medical advice" in first.speech
    walk_away(client)
    second = talk().launch()
    assert "not medical advice" not in second.speech
    assert "911" in second.speech and "relief" in second.speech
    assert len(second.speech) < len(first.speech)


def test_resume_an_unfinished_routine(talk, store):
    client = talk()
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)  # no to the one-breath emergency question
    client.say("GoToStepIntent", step_number="3")
    client.say("AMAZON.StopIntent")
    again = talk()
    offer = again.launch()
    assert "step 3 of 8" in offer.speech
    assert offer.state["pending"] == "offer_resume"
    step = again.say(YES)
    assert "Step 3 of 8" in step.speech


def test_no_resume_after_a_day(talk, store):
    client = talk()
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)  # no to the one-breath emergency question
    client.say("AMAZON.StopIntent")
    with sqlite3.connect(store.inner.path) as db:
        (row,) = db.execute("SELECT id, attributes FROM memory").fetchall()
        record = json.loads(row[1])
        record["relief_saved_at"] -= RESUME_WINDOW_SECONDS + 60
        db.execute("UPDATE memory SET attributes = ?", (json.dumps(record),))
    assert talk().launch().state["pending"] == "welcome"


def test_declining_resume_forgets_the_place(talk, store):
    client = talk()
    client.launch()
    client.say("StartReliefIntent")
    client.say(NO)  # no to the one-breath emergency question
    client.say("AMAZON.StopIntent")
    again = talk()
    again.launch()
    again.say(NO)
    assert "relief_step" in stored_record(store, None)[0], "written when the session ends"
    walk_away(again)
    assert "relief_step" not in stored_record(store, None)[0]


def test_slower_is_remembered(talk):
    client = talk()
    client.launch()
    client.say("SlowerIntent")
    client.say("AMAZON.StopIntent")
    reply = talk().launch()
    assert reply.state["rate"] == 1
    assert '<prosody rate="slow">' in reply.ssml


def test_forget_my_data_asks_then_deletes(talk, store):
    earlier = talk()
    earlier.launch()
    earlier.say("AMAZON.StopIntent")
    client = talk()
    client.launch()
    client.say("SlowerIntent")
    ask = client.say("ForgetDataIntent")
    assert "delete" in ask.speech and ask.state["pending"] == "confirm_forget"
    kept = client.say(NO)
    assert "keep" in kept.speech and stored_record(store, None)
    client.say("ForgetDataIntent")
    done = client.say(YES)
    assert "deleted" in done.speech
    client.say("AMAZON.StopIntent")
    assert stored_record(store, None) == [], "nothing written again after forgetting"


def test_skill_disabled_deletes_the_record(talk, store):
    client = talk()
    client.launch()
    walk_away(client)
    assert stored_record(store, None)
    # Events come without a session, straight to the handler.
    raw = client.handler(envelopes.envelope(SKILL_DISABLED, None,
                                            user_id=client.identity["user_id"]),
                         None)
    assert raw["version"] == "1.0"
    assert "outputSpeech" not in (raw.get("response") or {})
    assert stored_record(store, None) == []


def test_only_allow_listed_keys_are_ever_stored(talk, store):
    saved = []
    original = store.inner.save_attributes
    store.inner.save_attributes = lambda request, attributes: (saved.append(dict(attributes)),
                                                               original(request, attributes))
    week_of_use(talk)
    assert len(saved) >= 4
    for record in saved:
        assert set(record) <= ALLOWED_KEYS, record
        assert all(isinstance(v, int) for v in record.values())


def test_one_read_and_one_write_per_session(talk, store):
    client = talk()
    check_then_a_question(client)
    assert store.calls["get"] == 1, "one read, at the session's first request"
    assert store.calls["save"] == 0, "nothing written while the session is open"
    client.say("SlowerIntent")
    client.say("AMAZON.StopIntent")
    assert (store.calls["get"], store.calls["save"]) == (1, 1), "one write, at the end"
    assert stored_record(store)[0]["speech_rate"] == 1, "the visit and the rate, in that write"
    again = talk()
    again.launch()
    again.say("CausesIntent")
    walk_away(again)
    assert (store.calls["get"], store.calls["save"]) == (2, 2), "a session: one read, one write"
    assert stored_record(store)[0]["visits"] == 2


def test_a_write_failing_at_the_end_still_says_goodbye(talk, store, caplog):
    client = talk()
    client.launch()
    store.failing = True
    bye = client.say("AMAZON.StopIntent")
    assert bye.speech and bye.ends_session, "the person still hears the goodbye"
    assert store.calls["save"] == 1 and stored_record(store) == []
    assert "memory write failed at the end of a session" in caplog.text


def test_a_failing_store_loses_nothing(talk, store):
    client = talk()
    store.failing = True
    reply = client.launch()
    assert "not medical advice" in reply.speech, "the person still hears the answer"
    client.say("StartReliefIntent")
    client.say(NO)  # no to the one-breath emergency question
    client.say("SlowerIntent")
    store.failing = False
    client.say("AMAZON.NextIntent")
    assert store.calls["get"] >= 2 and store.calls["save"] == 0, "read once it works"
    walk_away(client)
    assert store.calls["save"] == 1
    (record,) = stored_record(store, None)
    assert record["speech_rate"] == 1 and record["relief_step"] == 1 and record["visits"] == 1
