"""Rows of a self-referencing table (comment replies) are written parents first: in the rounds
of a topological sort, each round in key order, exactly as ``graphlib`` would give them."""

from __future__ import annotations

from graphlib import TopologicalSorter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentara_seed.errors import EnricherError
from mentara_seed.planner.order import parents_first


def _rounds(pks: list[str], rows: dict, column: str) -> list[str]:
    batch = set(pks)
    graph = {pk: {rows[pk][column]} & batch - {pk} for pk in pks}
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    out: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        out.extend(ready)
        sorter.done(*ready)
    return out


@st.composite
def threads(draw):
    keys = draw(st.lists(st.text("abcdef0123", min_size=1, max_size=6), unique=True,
                         max_size=40))
    rows = {}
    for i, key in enumerate(keys):
        parent = draw(st.one_of(st.none(), st.just("outside"),
                                st.sampled_from(keys[:i]) if i else st.none()))
        rows[key] = {"id": key, "parentId": parent}
    batch = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    return batch, rows


@given(threads())
def test_replies_come_after_their_parents_in_graphlib_rounds(thread):
    batch, rows = thread
    ordered = parents_first("Comment", batch, rows)
    assert ordered == _rounds(batch, rows, "parentId")
    place = {pk: i for i, pk in enumerate(ordered)}
    for pk in batch:
        parent = rows[pk]["parentId"]
        assert parent not in place or place[parent] < place[pk]


def test_rows_referencing_each_other_in_a_cycle_are_refused():
    rows = {"a": {"parentId": "b"}, "b": {"parentId": "a"}}
    with pytest.raises(EnricherError, match="reference each other in a cycle"):
        parents_first("Comment", ["a", "b"], rows)
