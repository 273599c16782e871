"""Planning on two cores gives the plan of one core, byte for byte: when the enrichers split
into independent chains they run side by side; when one reads what another chain writes, or
the worker fails, the run plans again in the one order."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from conftest import ANCHOR

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


def test_a_read_across_chains_falls_back_to_the_one_order(dbs, ran):
    # journal-entries is a chain of its own; reading posts (another chain) without declaring
    # it makes what it sees depend on which core ran first.
    original = REGISTRY["journal-entries"]

    def peeking(ctx, need):
        seen = len(ctx.rows("Post"))
        for table, row in original.plan(ctx, need):
            yield table, dict(row, content=f"{row['content']} ({seen} posts)")

    registry = REGISTRY.copy()
    registry._by_name["journal-entries"] = dataclasses.replace(original, plan=peeking)
    url = dbs.initialized()
    assert _changes(url, registry, 2) == _changes(url, registry, 1)
    assert ran == [False]


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


def test_the_split_keeps_dependencies_and_declared_reads_in_one_chain():
    order = [REGISTRY[n] for n in select(REGISTRY, (), ()).order]
    cut = parallel.split(order)
    assert cut is not None
    place = {e.name: (s, c) for s, chains in enumerate(cut.stages)
             for c, chain in enumerate(chains) for e in chain}
    head = {e.name for e in cut.head}
    assert set(place) | head == {e.name for e in order}
    for name, (stage, chain) in place.items():
        for d in REGISTRY[name].depends_on:
            # A dependency ran before: in the head, an earlier stage, or earlier in the chain.
            assert d in head or place[d][0] < stage or place[d] == (stage, chain)
    # posts read rooms' tables, and notifications tell moderators of reports: posts, rooms,
    # comments and reports run in one chain; what builds on them without anything building on
    # it waits, and then hearts and notifications do not read each other.
    assert place["posts"] == place["rooms"] == place["comments"] == place["reports"]
    assert place["hearts"][0] == place["notifications"][0] > place["posts"][0]
    assert place["hearts"] != place["notifications"]
    assert len(cut.stages[0]) >= 2


def test_restoring_posts_runs_hearts_and_reports_side_by_side():
    order = [REGISTRY[n] for n in select(REGISTRY, ("posts", "comments", "hearts", "reports"),
                                         ()).order]
    cut = parallel.split(order)
    assert cut is not None
    names = [[[e.name for e in chain] for chain in chains] for chains in cut.stages]
    assert names[0][0] == ["moderator-assignments", "posts", "comments"]
    assert sorted(names[1]) == [["hearts"], ["reports"]]


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


def test_a_worker_sends_its_parts_in_order_and_a_failing_one_sends_none():
    from mentara_seed.planner import parallel

    if not parallel.available():
        pytest.skip("no fork or one core")

    def parts():
        yield from ([n] * n for n in range(1, 5))

    def failing():
        yield [1]
        raise RuntimeError("the worker's part failed")

    done = parallel.start_each(parts)
    assert done is not None and done() == [[1], [2, 2], [3, 3, 3], [4, 4, 4, 4]]
    failed = parallel.start_each(failing)
    assert failed is not None and failed() is None
