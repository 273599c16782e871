"""Verification: every selected enricher's minimums checked against a fresh live snapshot."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from mentara_seed.enrichers.registry import Enricher, Minimums, Registry, Violation
from mentara_seed.planner.build import snapshot_tables
from mentara_seed.planner.snapshot import LiveState


def verify(
    conn: sa.Connection,
    enrichers: list[Enricher],
    minimums: Mapping[str, Minimums],
    registry: Registry | None = None,
) -> list[Violation]:
    live = LiveState.read(conn, snapshot_tables(enrichers, everything=False, registry=registry))
    violations: list[Violation] = []
    for e in enrichers:
        violations.extend(e.verify(live, minimums[e.name]))
    return violations
