"""The journal's stored events: runs of creates, journals written one row per create, and the
readers that expand them (projection, one apply's events, rows touched later)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mentara_seed import database
from mentara_seed.state import journal
from mentara_seed.state.journal import Created, RowEvent
from mentara_seed.state.tables import seed_row_event


def _append(conn: sa.Connection, events: list[journal.Event]) -> int:
    state = journal.read(conn)
    return journal.append(conn, state, kind="apply", events=events,
                          header={"anchor": "2026-11-16T00:00:00.000"}, counts={})


def _stored(conn: sa.Connection) -> list[tuple[int, int, str, str, str]]:
    query = sa.select(seed_row_event.c.serial, seed_row_event.c.seq,
                      seed_row_event.c.table_name, seed_row_event.c.action,
                      seed_row_event.c.pk).order_by(seed_row_event.c.serial,
                                                    seed_row_event.c.seq)
    return [tuple(r) for r in conn.execute(query)]


@pytest.fixture
def conn(dbs: object, engine_for: object) -> sa.Connection:
    url = dbs.empty()  # type: ignore[attr-defined]
    with database.connect(engine_for(url)) as c, c.begin():  # type: ignore[operator]
        journal.create(c)
        yield c


def test_consecutive_creates_of_a_table_are_one_stored_event(conn):
    serial = _append(conn, [
        RowEvent("User", "u1", "create", "f1"),
        Created("User", ["u2", "u3"], ["f2", "f3"]),
        RowEvent("Post", "p1", "create", "g1"),
        RowEvent("Post", "p0", "update", "g0", {"title": "old"}),
        RowEvent("Post", "p2", "create", "g2"),
        RowEvent("User", "u0", "delete", None, {"id": "u0"}),
    ])
    assert [(t, a, pk) for _, _, t, a, pk in _stored(conn)] == [
        ("User", "create", "u1\nu2\nu3"),
        ("Post", "create", "p1"),
        ("Post", "update", "p0"),
        ("Post", "create", "p2"),
        ("User", "delete", "u0"),
    ]
    # Read back one event per row, in the order written, before-images kept.
    assert journal.events_of(conn, serial) == [
        RowEvent("User", "u1", "create", "f1"),
        RowEvent("User", "u2", "create", "f2"),
        RowEvent("User", "u3", "create", "f3"),
        RowEvent("Post", "p1", "create", "g1"),
        RowEvent("Post", "p0", "update", "g0", {"title": "old"}),
        RowEvent("Post", "p2", "create", "g2"),
        RowEvent("User", "u0", "delete", None, {"id": "u0"}),
    ]
    assert journal.read(conn).owned == {"User": {"u1": "f1", "u2": "f2", "u3": "f3"},
                                        "Post": {"p1": "g1", "p0": "g0", "p2": "g2"}}


def test_a_long_run_is_stored_in_chunks_and_reads_the_same(conn, monkeypatch):
    monkeypatch.setattr(journal, "EVENT_CHUNK", 3)
    keys = [f"c{i}" for i in range(8)]
    first = _append(conn, [Created("Comment", keys, [f"f{i}" for i in range(8)])])
    assert [pk.count("\n") + 1 for *_, pk in _stored(conn)] == [3, 3, 2]
    second = _append(conn, [RowEvent("Comment", "c4", "delete", None, {"id": "c4"}),
                            RowEvent("Comment", "c9", "create", "f9")])
    owned = journal.read(conn).owned["Comment"]
    assert owned == {**{k: f"f{i}" for i, k in enumerate(keys) if k != "c4"}, "c9": "f9"}
    assert journal.ownership_before(conn, second) == {
        "Comment": {k: f"f{i}" for i, k in enumerate(keys)}}
    assert journal.touched_after(conn, first) == {("Comment", "c4"), ("Comment", "c9")}
    assert journal.touched_after(conn, 0) == {("Comment", k) for k in [*keys, "c9"]}


def test_a_journal_written_one_row_per_create_reads_the_same(conn):
    # What earlier versions wrote: every create its own stored event.
    _append(conn, [])
    conn.execute(seed_row_event.insert(), [
        {"serial": 1, "seq": i, "table_name": "User", "pk": f"u{i}", "action": "create",
         "fingerprint": f"f{i}", "before": None} for i in range(3)])
    serial = _append(conn, [Created("User", ["u3"], ["f3"]),
                            RowEvent("User", "u1", "update", "g1", {"name": "x"})])
    assert journal.read(conn).owned == {"User": {"u0": "f0", "u1": "g1", "u2": "f2",
                                                 "u3": "f3"}}
    assert [e.pk for e in journal.events_of(conn, 1)] == ["u0", "u1", "u2"]
    assert journal.touched_after(conn, 0) == {("User", f"u{i}") for i in range(4)}
    assert journal.ownership_before(conn, serial) == {"User": {f"u{i}": f"f{i}"
                                                               for i in range(3)}}


def test_a_key_with_a_line_break_never_reaches_the_journal(conn):
    with pytest.raises(AssertionError, match="line break"):
        _append(conn, [RowEvent("User", "a\nb", "create", "f")])


def test_the_projection_of_runs_equals_the_replay_of_single_events():
    events: list[journal.Event] = [Created("T", ["a", "b"], ["1", "2"]),
                                   RowEvent("T", "a", "delete", None),
                                   Created("T", ["a"], ["3"])]
    assert journal.replay(events) == journal.replay(journal.expand(events)) == {
        "T": {"a": "3", "b": "2"}}


def test_an_enricher_key_with_a_line_break_is_refused_when_planned():
    import datetime as dt

    from mentara_seed.enrichers.registry import Enricher, Minimums
    from mentara_seed.errors import EnricherError
    from mentara_seed.planner.context import PlanContext
    from mentara_seed.planner.ids import Keyspace
    from mentara_seed.planner.running import run_one
    from mentara_seed.planner.snapshot import LiveState

    ctx = PlanContext(Keyspace(0), dt.datetime(2026, 11, 16), LiveState({}), {})
    bad = Enricher("tags", ("Community",), (), 0, Minimums,
                   lambda c, need: iter([("Community", {"id": "a\nb"})]))
    with pytest.raises(EnricherError, match=r"yielded Community key 'a\\nb', which holds a line"):
        run_one(ctx, bad, Minimums(), {})


def test_a_journal_in_a_newer_format_is_refused_before_anything_is_read(dbs, cli, sql):
    url = dbs.seeded()
    table = "seed_state.seed_apply" if dbs.backend == "postgresql" else "seed_apply"
    sql(url, f"UPDATE {table} SET journal_format = {journal.JOURNAL_FORMAT + 1}, "
             "tool_version = '9.0.0' WHERE serial = 2")
    for command in ("plan", "apply", "verify"):
        code, out, err = cli(command, "--database-url", url)
        assert code == 1, out
        assert "journal was written by a newer mentara-seed (apply 2, by 9.0.0" in err
        assert f"reads formats up to {journal.JOURNAL_FORMAT}" in err
    assert sql(url, f"SELECT count(*) FROM {table}") == [(2,)]
