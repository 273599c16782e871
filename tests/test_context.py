"""What enrichers build rows with: the context's row completion and moments."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ANCHOR

from mentara_seed.errors import EnricherError
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.ids import Keyspace
from mentara_seed.planner.snapshot import LiveState


def test_a_desired_row_names_its_missing_required_column_and_reuses_moments():
    ctx = PlanContext(Keyspace(0), dt.datetime(2026, 11, 16), LiveState({}), {})
    with pytest.raises(EnricherError, match=r"Post\.content is required"):
        ctx.row("Post", id="p", title="t", userId="u")
    with pytest.raises(EnricherError, match="has no column 'colour'"):
        ctx.row("Post", id="p", title="t", content="c", userId="u", colour="red")
    assert ctx.at(days=-1, hours=-1.5) == dt.datetime(2026, 11, 14, 22, 30)
    assert ctx.at(days=-1, hours=-1.5) is ctx.at(days=-1, hours=-1.5)
    moment = ctx.at(days=-2)
    _, row = ctx.row("Post", id="p", title="t", content="c", userId="u", createdAt=moment,
                     updatedAt=moment)
    assert list(row)[:3] == ["id", "title", "content"] and row["userId"] == "u"


def _count_hashes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int]]:
    """Every bcrypt hash from now on, with the process's memo of hashes emptied."""
    from mentara_seed.planner import context

    hashed: list[tuple[str, int, int]] = []
    real = context._bcrypt

    def counting(plain: str, cost: int, seed: int) -> str:
        hashed.append((plain, cost, seed))
        return real(plain, cost, seed)

    monkeypatch.setattr(context, "_bcrypt", counting)
    monkeypatch.setattr(context, "_hashed", {})
    monkeypatch.setattr(context, "_warming", {})
    return hashed


def test_an_apply_hashes_the_password_early_and_a_plan_of_a_seeded_database_not_at_all(
        dbs, cli, monkeypatch):
    from mentara_seed.operations import applying
    from mentara_seed.planner import context

    url = dbs.initialized()
    hashed = _count_hashes(monkeypatch)
    at_guard: list[int] = []
    real_guard = applying.check_guard

    def guard(settings: object) -> None:
        at_guard.append(len(context._warming) + len(context._hashed))
        real_guard(settings)

    monkeypatch.setattr(applying, "check_guard", guard)
    code, _, err = cli("apply", "--database-url", url, "-p", "light", "--anchor", ANCHOR)
    assert code == 0, err
    # Started on another thread before the database was opened; hashed once, for the plan.
    assert at_guard == [1] and len(hashed) == 1
    hashed.clear()
    monkeypatch.setattr(context, "_hashed", {})
    code, out, err = cli("plan", "--full", "--database-url", url, "-p", "light",
                         "--anchor", ANCHOR)
    assert code == 0 and "No changes" in out, err
    assert hashed == []  # every account is there with its hash: nothing to hash


def test_a_plan_of_a_database_nothing_was_applied_to_hashes_the_password_once(
        dbs, cli, monkeypatch):
    url = dbs.initialized()
    hashed = _count_hashes(monkeypatch)
    code, out, err = cli("plan", "--database-url", url, "-p", "light", "--anchor", ANCHOR)
    assert code == 0 and "to add" in out, err
    assert len(hashed) == 1
