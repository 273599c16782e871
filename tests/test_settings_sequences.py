"""A living database under changing settings: from a seeded database (light or medium), a random
sequence of applies with another profile (lower, higher, and back), a raised minimum, an
`--exclude`, a `--prune`, and rows deleted by hand in between. After each apply nothing the
seeder keeps is broken (an apply that would break a rule is refused, which fails the property);
after the last, `seed verify` reports no ✗ and the next plan is empty. Runs on SQLite and, when
configured, PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import _backends
from hypothesis import given, note
from hypothesis import strategies as st
from hypothesis_profiles import examples

from mentara_seed import operations
from mentara_seed import testing as kit
from mentara_seed.enrichers import REGISTRY
from mentara_seed.errors import SeedError
from mentara_seed.testing import RowRef, Run, StartingState

# Minimums a teammate raises in seed.toml: (enricher, field).
RAISABLE = (("posts", "per_client"), ("comments", "per_post"), ("hearts", "per_user"),
            ("memberships", "per_community"), ("journal-entries", "per_client"),
            ("messages", "per_user"), ("meetings", "per_client"))
# Enrichers nothing else depends on much: a run may leave them out.
EXCLUDABLE = ("hearts", "reports", "notifications", "user-blocks", "reviews", "journal-entries")


@dataclass(frozen=True)
class Step:
    """One thing a team does to a seeded database: ``kind`` is ``profile`` (apply with
    ``value``), ``raise`` (apply with minimum ``value`` raised by ``amount``), ``exclude``
    (apply without enricher ``value``), ``prune`` (apply --prune), ``delete`` (delete an
    owned row by hand: ``row``)."""

    kind: str
    value: Any = None
    amount: int = 0
    row: RowRef | None = None


STEPS = st.one_of(
    st.builds(Step, st.just("profile"), st.sampled_from(["light", "medium", "heavy"])),
    st.builds(Step, st.just("raise"), st.sampled_from(RAISABLE), st.integers(1, 2)),
    st.builds(Step, st.just("exclude"), st.sampled_from(EXCLUDABLE)),
    st.builds(Step, st.just("prune")),
    st.builds(Step, st.just("delete"), row=st.builds(
        RowRef, st.sampled_from(kit.written_tables(REGISTRY)), st.integers(0, 500))),
    st.builds(Step, st.just("app"), st.sampled_from([k.name for k in kit.FOREIGN_KINDS]),
              st.integers(0, 500)),
)


@pytest.fixture(scope="module", params=_backends())
def databases(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[kit.Databases]:
    made = (kit.Databases.sqlite(tmp_path_factory.mktemp("sequences"))
            if request.param == "sqlite" else kit.Databases.postgres(os.environ[kit.PG_ENV]))
    yield made
    made.close()


def _apply(url: str, run: Run, *, excludes: tuple[str, ...] = (), prune: bool = False) -> None:
    """``seed apply`` with the check before commit (the kit's runs skip it)."""
    settings_ = run.settings(url).model_copy(update={"skip_verify": False})
    try:
        operations.apply(settings_, operations.Options((), excludes, prune=prune), REGISTRY)
    except SeedError as error:
        raise AssertionError(f"`seed apply` failed ({run}, excludes {excludes}, "
                             f"prune {prune}): {error}") from error


def _step(url: str, run: Run, step: Step, n: int = 0) -> Run:
    if step.kind == "app":
        _app_writes(url, step.value, step.amount, n)
        return run
    if step.kind == "delete":
        assert step.row is not None
        _delete(url, step.row)
        return run
    if step.kind == "profile":
        run = dataclasses.replace(run, profile=step.value)
    elif step.kind == "raise":
        enricher, field = step.value
        need = REGISTRY[enricher].minimums.resolve(run.profile, 1, dict(
            run.minimums.get(enricher, {})))
        raised = {**run.minimums.get(enricher, {}), field: getattr(need, field) + step.amount}
        run = dataclasses.replace(run, minimums={**run.minimums, enricher: raised})
    _apply(url, run, excludes=(step.value,) if step.kind == "exclude" else (),
           prune=step.kind == "prune")
    return run


def _app_writes(url: str, kind: str, pick: int, n: int = 0) -> None:
    """The app writes rows of ``kind`` (the testing kit's foreign kinds: a sign-up at any
    moment, a post in a seeded room, a comment, a membership, …) referencing what is there."""
    from mentara_seed.schema.tables import TABLES
    from mentara_seed.testing.reading import _connection

    world = kit.World(kit.snapshot(url), dt.datetime.combine(kit.DEFAULT_ANCHOR, dt.time()))
    build = {k.name: k for k in kit.FOREIGN_KINDS}[kind].build
    with _connection(url) as conn:
        for table, row in build(world, pick, f"app-{kind}-{pick}-{n}"):
            conn.execute(TABLES[table].insert(), [row])


def _delete(url: str, ref: RowRef) -> None:
    from mentara_seed.planner.snapshot import pk_name
    from mentara_seed.schema.tables import TABLES
    from mentara_seed.testing.reading import _connection

    owned = sorted(kit.ownership(url).get(ref.table, {}))
    if not owned:
        return
    table = TABLES[ref.table]
    with suppress(sa.exc.IntegrityError), _connection(url) as conn:
        # A delete the database refuses (a RESTRICT reference) is one no person can make.
        conn.execute(table.delete().where(
            table.c[pk_name(table)] == owned[ref.row % len(owned)]))


def test_a_prune_with_app_rows_on_seeded_rooms_settles_in_one_apply(databases):
    """Reported: the app's posts in rooms of communities beyond the lower profile hold those
    rooms; `seed apply --profile light --prune` deleted the rest of those communities' rooms
    (and kept notifications of a person whose profile row it deleted), so the next plan
    created them again, and a second --prune deleted more."""
    with kit.materialized(StartingState(seeded_with="medium"), databases) as url:
        for pick in range(15):
            _app_writes(url, "post", pick)
        run = Run(profile="light")
        _apply(url, run, prune=True)
        assert kit.plan(url, run).is_empty()
        assert kit.plan(url, run, prune=True).is_empty()


@examples(1.0)
@given(start=st.sampled_from(["light", "medium"]), steps=st.lists(STEPS, min_size=1, max_size=3))
def test_any_sequence_of_settings_changes_and_deletes_keeps_the_database_whole(
        databases, start, steps):
    run = Run(profile=start)
    with kit.materialized(StartingState(seeded_with=start), databases) as url:
        for n, step in enumerate(steps):
            note(f"step: {step}")
            run = _step(url, run, step, n)
        _apply(url, run)
        ours = [str(v) for v in kit.verify(url, run) if not v.foreign]
        assert ours == [], f"after {steps}: {ours[:10]}"
        again = kit.plan(url, run)
        assert again.is_empty(), f"after {steps}: the next plan is not empty: " + ", ".join(
            f"{c.action.value} {c.table} {c.pk}" for c in again.changes[:10])
