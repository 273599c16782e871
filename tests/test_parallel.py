"""Planning on two cores gives the plan of one core, byte for byte: when the enrichers split
into independent chains they run side by side; when one reads what another chain writes, or
the worker fails, the run plans again in the one order."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from conftest import ANCHOR
from hypothesis import given
from hypothesis import strategies as st
from hypothesis_profiles import examples

from mentara_seed.database import open_engine
from mentara_seed.enrichers import REGISTRY
from mentara_seed.errors import EnricherError
from mentara_seed.planner import parallel
from mentara_seed.planner.build import PlanRequest, build_plan
from mentara_seed.planner.targets import select

pytestmark = pytest.mark.skipif(not parallel.available(),
                                reason="needs fork and two cores")


@pytest.fixture
def ran(monkeypatch):
    """What ``parallel.run`` returned in this test: rows, or None for a fall back."""
    outcomes: list[bool] = []
    real = parallel.run

    def recording(*args, **kwargs):
        produced = real(*args, **kwargs)
        outcomes.append(produced is not None)
        return produced

    monkeypatch.setattr(parallel, "run", recording)
    return outcomes


def _plan(cli, url, *extra):
    code, out, err = cli("plan", "--database-url", url, "--format", "json", "--full",
                         "--anchor", ANCHOR, *extra)
    assert code == 0, err
    return out


def test_two_cores_plan_what_one_core_plans(dbs, cli, sql, monkeypatch, ran):
    empty = dbs.initialized()
    monkeypatch.setenv("SEED_JOBS", "1")
    one = _plan(cli, empty, "--scale", "2")
    monkeypatch.setenv("SEED_JOBS", "2")
    two = _plan(cli, empty, "--scale", "2")
    assert ran == [True] and one == two and json.loads(one)["changes"]

    seeded = dbs.seeded()
    sql(seeded, 'DELETE FROM "Post" WHERE id IN (SELECT id FROM "Post" ORDER BY id LIMIT 5)')
    sql(seeded, """UPDATE "Meeting" SET title = 'moved' """
                """WHERE id = (SELECT min(id) FROM "Meeting")""")
    monkeypatch.setenv("SEED_JOBS", "1")
    one = _plan(cli, seeded, "--prune", "--update")
    monkeypatch.setenv("SEED_JOBS", "2")
    two = _plan(cli, seeded, "--prune", "--update")
    assert ran[-1] is True and one == two and json.loads(one)["changes"]


def _request(jobs: int) -> PlanRequest:
    return PlanRequest(profile="light", anchor=dt.datetime.fromisoformat(ANCHOR), jobs=jobs,
                       password_cost=4)


def _changes(url, registry, jobs):
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            plan = build_plan(conn, _request(jobs), registry).plan
    finally:
        engine.dispose()
    return json.dumps(plan.to_json(), sort_keys=True, default=str)


def test_an_undeclared_read_plans_what_the_one_order_plans(dbs, ran):
    # journal-entries declares nothing of posts: reading them makes what it sees depend on
    # which core ran first. The rows it saw are checked against the order; when they differ,
    # the run plans again in the one order.
    original = REGISTRY["journal-entries"]

    def peeking(ctx, need):
        seen = len(ctx.rows("Post"))
        for table, row in original.plan(ctx, need):
            yield table, dict(row, content=f"{row['content']} ({seen} posts)")

    registry = REGISTRY.copy()
    registry._by_name["journal-entries"] = dataclasses.replace(original, plan=peeking)
    url = dbs.initialized()
    assert _changes(url, registry, 2) == _changes(url, registry, 1)
    assert len(ran) == 1


def test_a_failing_enricher_on_the_worker_fails_the_plan_as_in_one_order(dbs, ran):
    original = REGISTRY["worksheets"]

    def failing(ctx, need):
        yield from original.plan(ctx, need)
        raise EnricherError("worksheets: no template for this client")

    registry = REGISTRY.copy()
    registry._by_name["worksheets"] = dataclasses.replace(original, plan=failing)
    url = dbs.initialized()
    with pytest.raises(EnricherError, match="no template for this client"):
        _changes(url, registry, 2)
    assert ran == [False] or ran == []


def test_the_schedule_keeps_dependencies_and_declared_reads():
    order = [REGISTRY[n] for n in select(REGISTRY, (), ()).order]
    plan = parallel.graph(order)
    assert plan is not None
    head = {e.name for e in plan.head}
    assert {e.name for e in plan.rest} | head == {e.name for e in order}
    position = {e.name: i for i, e in enumerate(order)}
    for e in plan.rest:
        # A dependency after the head is seen before the enricher starts.
        assert {d for d in e.depends_on if d not in head} <= plan.needs[e.name]
        assert all(position[x] < position[e.name] for x in plan.after[e.name])
    # posts and comments read the rooms' tables before rooms adds to them; hearts and reports
    # read them after; notifications come after everything they tell of.
    assert {"posts", "comments"} <= plan.after["rooms"] - plan.needs["rooms"]
    assert "rooms" in plan.needs["hearts"] and "rooms" in plan.needs["reports"]
    assert {"reports", "comments", "messages"} <= plan.needs["notifications"]
    # Side by side: neither waits for the other, directly or not.
    for a, b in (("chatbot", "posts"), ("meetings", "comments"), ("hearts", "notifications")):
        assert not _waits(plan, a, b) and not _waits(plan, b, a)
    # The longest wait first: comments (hearts, reports, notifications wait for it) before
    # therapist performance, which nothing waits for.
    ranked = [e.name for e in plan.rest]
    assert ranked.index("comments") < ranked.index("therapist-performance")


def _waits(plan, name, on):
    todo, seen = [name], set()
    while todo:
        for x in plan.after[todo.pop()]:
            if x == on:
                return True
            if x not in seen:
                seen.add(x)
                todo.append(x)
    return False


def test_restoring_posts_runs_hearts_and_reports_side_by_side():
    order = [REGISTRY[n] for n in select(REGISTRY, ("posts", "comments", "hearts", "reports"),
                                         ()).order]
    plan = parallel.graph(order)
    assert plan is not None
    assert not _waits(plan, "hearts", "reports") and not _waits(plan, "reports", "hearts")
    assert _waits(plan, "hearts", "comments") and _waits(plan, "comments", "posts")


def test_a_chain_with_nothing_side_by_side_is_not_forked():
    order = [REGISTRY[n] for n in select(REGISTRY, ("posts",), ()).order]
    assert parallel.graph(order) is None


@dataclasses.dataclass(frozen=True)
class _Fake:
    """An enricher of a made-up selection: what it declares, and what it really reads."""

    name: str
    tier: int
    depends_on: tuple[str, ...]
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    looks_at: tuple[str, ...]


class _Store:
    """The projection of a made-up selection: rows by table, and the reads recorded."""

    def __init__(self):
        self.tables: dict[str, dict[str, str]] = {}
        self.reads = None
        self.warnings: dict[str, list[str]] = {}

    def run(self, e):
        seen = []
        for table in e.looks_at:
            if self.reads is not None:
                self.reads.add(table)
            seen.append(sorted(self.tables.get(table, {}).items()))
        rows = {t: {e.name: json.dumps(seen)} for t in e.writes}
        self.merge(e, rows)
        return rows

    def merge(self, e, rows):
        for table, found in rows.items():
            self.tables.setdefault(table, {}).update(found)


@st.composite
def _selections(draw):
    tables = ["A", "B", "C", "D", "E", "F", "G", "H"]
    count = draw(st.integers(3, 9))
    head = draw(st.integers(0, 2))
    made: list[_Fake] = []
    for i in range(count):
        earlier = [f.name for f in made]
        depends = tuple(draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2))
                        if earlier else ())
        writes = tuple(draw(st.lists(st.sampled_from(tables), unique=True, min_size=1,
                                     max_size=2)))
        reads = tuple(draw(st.lists(st.sampled_from(tables), unique=True, max_size=1)))
        may = set(writes) | set(reads) | {t for f in made if f.name in depends
                                          for t in f.writes}
        honest = draw(st.sampled_from([True, True, True, False]))
        pool = sorted(may) if honest else tables
        looks = tuple(draw(st.lists(st.sampled_from(pool), unique=True, max_size=3)))
        made.append(_Fake(f"e{i}", 0 if i < head else 1 + i, depends, reads, writes, looks))
    return made


def _declared(selection):
    """Whether every enricher reads only what it declares (its own tables, ``reads``, and its
    dependencies' tables)."""
    by_name = {f.name: f for f in selection}
    return all(set(f.looks_at) <= set(f.writes) | set(f.reads)
               | {t for d in f.depends_on for t in by_name[d].writes} for f in selection)


@examples(6)
@given(_selections())
def test_two_cores_see_what_the_one_order_shows_over_made_up_selections(selection):
    # Whatever each enricher declares and really reads, the rows planned side by side are
    # the one order's, or the run says so (None) and plans again; and an enricher that reads
    # no more than it declares never sends a run back to the one order.
    one = _Store()
    expected = {f.name: one.run(f) for f in selection}
    two = _Store()
    produced = parallel.run(two, selection, two.run, two.merge)
    if parallel.graph(selection) is None:
        assert produced is None
        return
    assert produced is None or produced == expected
    if _declared(selection):
        assert produced == expected


@pytest.fixture
def small_is_large(monkeypatch):
    """The two-core paths taken for a medium database too (they start at 50,000 rows)."""
    from mentara_seed.applier import execute
    from mentara_seed.planner import shortcut, verify

    monkeypatch.setattr(execute, "FINGERPRINTS_ELSEWHERE", 1)
    monkeypatch.setattr(shortcut, "PARALLEL_FROM", 1)
    monkeypatch.setattr(verify, "PARALLEL_FROM", 1)


def test_fingerprints_checks_and_shortcut_on_two_cores_agree_with_one(dbs, cli, sql,
                                                                      small_is_large):
    url = dbs.initialized()
    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    assert code == 0 and "every minimum holds" in out, err
    # The fingerprints the worker computed are the journal's: a plan finds every row as
    # applied and takes the shortcut.
    code, out, err = cli("plan", "--database-url", url, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["reused"] is True
    # An edited row is found among the tables the worker checked or the ones checked here.
    sql(url, """UPDATE "Comment" SET content = 'edited' """
             """WHERE id = (SELECT min(id) FROM "Comment")""")
    doc = json.loads(cli("plan", "--database-url", url, "--format", "json")[1])
    assert doc["reused"] is False and [h["table"] for h in doc["held"]] == ["Comment"]
    # A minimum broken by hand is reported by checks on two cores as by one.
    sql(url, 'DELETE FROM "Review"')
    code, out, _ = cli("verify", "--database-url", url)
    assert code == 1 and "reviews" in out


def test_one_job_starts_no_worker(dbs, cli, monkeypatch, small_is_large):
    import multiprocessing.context

    def refuse(self):
        raise AssertionError("a worker was started with SEED_JOBS=1")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refuse)
    monkeypatch.setenv("SEED_JOBS", "1")
    url = dbs.initialized()
    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    assert code == 0 and "every minimum holds" in out, err
    code, out, err = cli("plan", "--database-url", url)
    assert code == 0 and "No changes." in out, err


def test_warnings_of_enrichers_run_in_the_worker_come_back_in_the_same_order(
        dbs, cli, sql, monkeypatch, ran):
    url = dbs.seeded()
    for uid, role in (("u_new_c", "client"), ("u_new_t", "therapist")):
        sql(url, 'INSERT INTO "User" (id, email, "firstName", "lastName", role, "createdAt", '
                 "\"updatedAt\") VALUES (:u, :e, 'New', 'Person', :r, '2026-12-06 18:00:00', "
                 "'2026-12-06 18:00:00')", u=uid, e=f"{uid}@example.com", r=role)
    sql(url, 'INSERT INTO "Client" ("userId", "createdAt", "updatedAt") VALUES '
             "('u_new_c', '2026-12-06 18:00:00', '2026-12-06 18:00:00')")
    monkeypatch.setenv("SEED_JOBS", "1")
    one = _plan(cli, url)
    monkeypatch.setenv("SEED_JOBS", "2")
    two = _plan(cli, url)
    warned = json.loads(two)["warnings"]
    assert ran and all(ran) and one == two
    assert len({w["enricher"] for w in warned}) >= 2


def test_work_shared_later_comes_back_in_order_and_a_failing_worker_gives_none():
    import os
    import time

    here = os.getpid()

    def square(n):
        time.sleep(0.002)
        return n * n

    finish = parallel.start_shared(list(range(40)), square)
    assert finish is not None
    time.sleep(0.03)  # the worker takes the first ones alone, as while this process writes
    assert finish() == [n * n for n in range(40)]

    def failing(n):
        if os.getpid() != here:
            raise RuntimeError("the worker's part failed")
        time.sleep(0.002)
        return n

    finish = parallel.start_shared(list(range(40)), failing)
    assert finish is not None and finish() is None
    assert parallel.start_shared([], square) is None


def test_a_worker_that_dies_sends_the_run_back_to_the_one_order():
    # The worker ends without a word in the middle of its first enricher (killed, out of
    # memory): this process finds its pipe closed and plans in order. (Each enricher here
    # takes a little while, so that the worker surely takes one.)
    import os
    import time

    order = [REGISTRY[n] for n in select(REGISTRY, (), ()).order]
    selection = [_Fake(e.name, e.tier, e.depends_on, e.reads, e.writes, e.reads)
                 for e in order]
    here = os.getpid()
    store = _Store()

    def dying(e):
        if os.getpid() != here:
            os._exit(1)
        time.sleep(0.01)
        return store.run(e)

    assert parallel.run(store, selection, dying, store.merge) is None
