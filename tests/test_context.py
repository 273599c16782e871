"""What enrichers build rows with: the context's row completion and moments."""

from __future__ import annotations

import datetime as dt

import pytest

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
