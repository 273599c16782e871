"""The results other than a plan as JSON documents for tools (``--format json``): the journal's
history, a verification, an apply. Each document names its kind and format version, like the
plan (``"format"``), and is documented in docs/architecture.md ("Machine-readable output")."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from mentara_seed.applier.execute import Applied
    from mentara_seed.enrichers.registry import Violation
    from mentara_seed.planner.compare import PlanComparison
    from mentara_seed.state.journal import ApplyRecord

FORMAT = 1


def _write(stream: TextIO, kind: str, body: dict[str, Any]) -> None:
    doc = {"kind": kind, "format": FORMAT, **body}
    stream.write(json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=False) + "\n")


def history(stream: TextIO, records: list[ApplyRecord]) -> None:
    """``seed history --format json``: every apply of the journal, oldest first."""
    _write(stream, "history", {"applies": [asdict(r) for r in records]})


def verification(stream: TextIO, found: list[Violation], enrichers_checked: int) -> None:
    """``seed verify --format json``: every finding (never cut), errors (the seeder's) first
    counted apart from warnings (rules broken by rows it does not write as they are)."""
    _write(stream, "verification", {
        "enrichers_checked": enrichers_checked,
        "errors": sum(1 for v in found if not v.foreign),
        "warnings": sum(1 for v in found if v.foreign),
        "findings": [v.as_json() for v in found],
    })


def applied(stream: TextIO, done: Applied | None, seconds: float,
            found: list[Violation] | None, verified_before: int | None) -> None:
    """``seed apply --format json``: what was written (per action and table), the journal
    serial, and the verification (null when it was skipped)."""
    check: dict[str, Any] | None = None
    if found is not None:
        check = {"errors": sum(1 for v in found if not v.foreign),
                 "warnings": sum(1 for v in found if v.foreign),
                 "verified_before": verified_before,
                 "findings": [v.as_json() for v in found]}
    _write(stream, "apply", {
        "serial": done.serial if done is not None else None,
        "rows": done.rows if done is not None else 0,
        "counts": {a: dict(sorted(per.items())) for a, per in sorted(done.counts.items())}
        if done is not None else {},
        "seconds": round(seconds, 3),
        "verification": check,
    })


def comparison(stream: TextIO, result: PlanComparison, old_name: str) -> None:
    """``seed plan --compare FILE --format json``: rows keyed ``"Table pk"``."""
    from mentara_seed.schema.values import jsonable

    _write(stream, "comparison", {
        "compared_with": old_name,
        "added": result.added,
        "removed": result.removed,
        "changed": {key: {column: {"old": jsonable(old), "new": jsonable(new)}
                          for column, (old, new) in columns.items()}
                    for key, columns in result.changed.items()},
    })
