"""Documentation generated from the code, so it cannot drift: the enricher reference (from the
registry and a real plan), the configuration reference (from the settings model) and the
dependency graph (mermaid)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mentara_seed.enrichers.registry import Enricher, Registry
from mentara_seed.planner.build import PlanRequest, build_plan
from mentara_seed.planner.plan import Action
from mentara_seed.planner.targets import run_order
from mentara_seed.schema import timeline
from mentara_seed.schema.tables import TABLES, metadata
from mentara_seed.schema.values import jsonable
from mentara_seed.settings import Settings

EXAMPLE_ANCHOR = dt.datetime(2026, 11, 16)
PROFILES = ("light", "medium", "heavy")
CONFIG_BEGIN = "<!-- BEGIN GENERATED CONFIGURATION (seed docs) -->"
CONFIG_END = "<!-- END GENERATED CONFIGURATION -->"
TIERS_BEGIN = "<!-- BEGIN GENERATED TIERS (seed docs) -->"
TIERS_END = "<!-- END GENERATED TIERS -->"


def mermaid(registry: Registry) -> str:
    """The enricher dependency graph as a mermaid flowchart (dependencies point at dependents)."""
    lines = ["flowchart LR"]
    for name in run_order(registry):
        e = registry[name]
        node = name.replace("-", "_")
        lines.append(f'    {node}["{name}<br/>tier {e.tier}"]')
    for name in run_order(registry):
        for dep in registry[name].depends_on:
            lines.append(f"    {dep.replace('-', '_')} --> {name.replace('-', '_')}")
    return "\n".join(lines)


def _example_rows(registry: Registry) -> dict[str, dict[str, dict[str, Any]]]:
    """The first row each enricher would create per table on an empty database (light profile,
    seed 0, anchor 2026-11-16): real output of the seeder."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = sa.create_engine(f"sqlite:///{Path(tmp) / 'docs.db'}")
        with engine.begin() as conn:
            metadata.create_all(conn)
            result = build_plan(conn, PlanRequest(profile="light", anchor=EXAMPLE_ANCHOR),
                                registry)
        engine.dispose()
    examples: dict[str, dict[str, dict[str, Any]]] = {}
    for change in result.plan.changes:
        if change.action is not Action.CREATE:
            continue
        per = examples.setdefault(change.enricher, {})
        if change.table not in per:
            per[change.table] = {k: jsonable(v) for k, v in change.values.items()}
    return examples


def _minimums_table(e: Enricher) -> list[str]:
    fields = e.minimums.model_fields
    if not fields:
        return ["No minimums to configure."]
    resolved = {p: e.minimums.resolve(p) for p in PROFILES}
    lines = ["| setting | meaning | light | medium | heavy |", "|---|---|---:|---:|---:|"]
    for name, info in fields.items():
        cells = " | ".join(f"`{getattr(resolved[p], name)}`" for p in PROFILES)
        lines.append(f"| `{name}` | {info.description or ''} | {cells} |")
    lines.append("")
    lines.append(f"Override in `seed.toml` under `[minimums.{e.name}]`"
                 + (f"; `--scale N` multiplies {', '.join(f'`{s}`' for s in e.minimums.SCALED)}."
                    if e.minimums.SCALED else "."))
    return lines


def _dependents(registry: Registry, name: str) -> list[str]:
    return [e.name for e in registry if name in e.depends_on]


def _source(fn: Any) -> str:
    """``module.py: function`` of a plan or verify function, as a path in the repository."""
    module = str(getattr(fn, "__module__", "")).replace(".", "/")
    return f"`{module}.py`: `{getattr(fn, '__qualname__', fn)}`"


def _keys(table: str) -> str:
    columns = [c.name for c in TABLES[table].primary_key.columns]
    if columns == ["id"]:
        return f"`{table}`: `id` = uuid5 of the project seed and the row's slot key"
    return f"`{table}`: its natural key ({', '.join(f'`{c}`' for c in columns)})"


def _idempotency(e: Enricher) -> list[str]:
    return [
        "- Rows are matched by primary key, so a second run finds them and plans nothing: "
        + "; ".join(_keys(t) for t in e.writes) + ".",
        f"- Rows of {', '.join(f'`{t}`' for t in e.writes)} that the seeder does not own count "
        "toward its minimums and are never written; only the gap is filled, lowest free slot "
        "first.",
        f"- Check: `seed apply --target {e.name}` twice; the second plan is `No changes.`",
    ]


def _determinism(e: Enricher) -> list[str]:
    lines = ["- Every random choice comes from a `random.Random` seeded with the project seed, "
             "the entity and the slot (`ctx.rng`, `ctx.pick`); never the clock or the global "
             "RNG."]
    relations = [r for t in e.writes for r in timeline.of(t)]
    if relations:
        lines.append("- Times are placed from the anchor and follow the rows they depend on "
                     "(declared in `schema/timeline.py`, checked by `seed verify`):")
        lines += [f"  - {r.describe()}" for r in relations]
    else:
        lines.append("- Times are computed from the time anchor, never the clock.")
    return lines


def _code_reference(e: Enricher) -> list[str]:
    lines = [f"- Plan: {_source(e.plan)}", f"- Verify: {_source(e.verify)}",
             f"- Minimums: {_source(e.minimums)}"]
    if e.reads:
        lines.append(f"- Also reads: {', '.join(f'`{t}`' for t in e.reads)}")
    return lines


def _testing(e: Enricher) -> list[str]:
    table = e.writes[0]
    return [
        f"- [ ] Empty database: `seed apply --init --target {e.name}` creates its rows and "
        "`seed verify` passes.",
        f"- [ ] Partial data: delete some `{table}` rows by hand; `seed plan --target {e.name}` "
        "recreates exactly those, with the same ids and values.",
        f"- [ ] Fully satisfied: `seed plan --target {e.name}` prints `No changes.`",
        f"- [ ] Foreign rows: rows of `{table}` the app made count toward the minimums and are "
        "never changed (`kit.assert_counts_foreign_rows` in the [testing kit](testing-kit.md)).",
    ]


def enricher_reference(registry: Registry) -> str:
    examples = _example_rows(registry)
    order = run_order(registry)
    out = [
        "# Enricher reference",
        "",
        "<!-- Generated by `seed docs` from the enrichers' own metadata and a real plan "
        "(light profile, seed 0, anchor 2026-11-16). Do not edit by hand: a test fails when "
        "this file differs from what `seed docs` writes. -->",
        "",
        f"{len(order)} enrichers, in the order a full run executes them. Every enricher is "
        "idempotent and deterministic in the same way (see [architecture](architecture.md)):",
        "",
        "- **Idempotency:** it counts only *foreign* rows (rows the seeder does not own) toward "
        "each minimum and desires slots `0..gap-1` of its own; a slot's id is "
        "`uuid5(project seed, \"Table/parent/context/slot\")` (or the natural key), so an "
        "existing row is matched by primary key and a second run plans nothing.",
        "- **Determinism:** every choice comes from a `random.Random` seeded with "
        "`sha256(project seed, entity id, context)` or from rendezvous hashing over candidates "
        "in primary-key order; every date is relative to the time anchor.",
        "",
        "## Dependency graph",
        "",
        "```mermaid",
        mermaid(registry),
        "```",
        "",
    ]
    for position, name in enumerate(order, 1):
        e = registry[name]
        out += [
            f"## {position}. `{name}`",
            "",
            f"**Tables:** {', '.join(e.writes)}  ",
            f"**Tier:** {e.tier}  ",
            f"**Depends on:** {', '.join(e.depends_on) or '—'}  ",
            f"**Needed by:** {', '.join(_dependents(registry, name)) or '—'}  ",
            f"**Target:** `seed apply --target {name}`",
            "",
            e.summary or "(no description)",
            "",
            "### Minimums",
            "",
            *_minimums_table(e),
            "",
            "### Idempotency",
            "",
            *_idempotency(e),
            "",
            "### Determinism",
            "",
            *_determinism(e),
            "",
            "### Code reference",
            "",
            *_code_reference(e),
            "",
            "### Testing checklist",
            "",
            *_testing(e),
            "",
            "### Example output",
            "",
        ]
        rows = examples.get(name, {})
        if not rows:
            out += ["(creates nothing on an empty database at the light profile)", ""]
        for table, row in rows.items():
            shown = {k: v for k, v in row.items() if v not in (None, [], {})}
            body = "\n".join(f"  {k}: {v!r}"[:160] for k, v in shown.items())
            out += [f"`{table}`:", "", "```yaml", body, "```", ""]
    return "\n".join(out).rstrip() + "\n"


def configuration_reference() -> str:
    lines = ["| setting | `seed.toml` key | environment | default | meaning |",
             "|---|---|---|---|---|"]
    for name, info in Settings.model_fields.items():
        default = info.get_default(call_default_factory=True)
        shown = "see below" if name == "minimums" else f"`{default!r}`"
        if name in ("allowed_hosts", "allowed_databases"):
            shown = f"`{', '.join(default)}`"
        lines.append(f"| {name.replace('_', ' ')} | `{name}` | `SEED_{name.upper()}` | "
                     f"{shown} | {info.description or ''} |")
    return "\n".join(lines)


def tier_table(registry: Registry) -> str:
    """The enrichers by tier, each with what it writes and depends on (architecture.md)."""
    lines = ["| tier | enricher | writes | depends on |", "|---:|---|---|---|"]
    order = run_order(registry)
    for name in sorted(order, key=lambda n: (registry[n].tier, order.index(n))):
        e = registry[name]
        lines.append(f"| {e.tier} | `{name}` | {', '.join(e.writes)} | "
                     f"{', '.join(e.depends_on) or '—'} |")
    return "\n".join(lines)


def _between(text: str, begin: str, end: str, body: str) -> str:
    start, stop = text.index(begin), text.index(end)
    return text[: start + len(begin)] + "\n" + body + "\n" + text[stop:]


def with_configuration(text: str) -> str:
    """``text`` (docs/seeding-system.md) with its generated configuration table refreshed."""
    return _between(text, CONFIG_BEGIN, CONFIG_END, configuration_reference())


def _documents(root: Path, registry: Registry) -> dict[Path, str]:
    """Every generated document under ``root`` and what ``seed docs`` writes there."""
    targets = {root / "enricher-reference.md": enricher_reference(registry)}
    system, architecture = root / "seeding-system.md", root / "architecture.md"
    if system.is_file():
        targets[system] = with_configuration(system.read_text(encoding="utf-8"))
    if architecture.is_file():
        targets[architecture] = _between(architecture.read_text(encoding="utf-8"),
                                         TIERS_BEGIN, TIERS_END, tier_table(registry))
    return targets


def write_all(root: Path, registry: Registry) -> list[Path]:
    """Write every generated document under ``root``; returns the files that changed."""
    changed: list[Path] = []
    for path, content in _documents(root, registry).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
            changed.append(path)
    return changed


def stale(root: Path, registry: Registry) -> list[Path]:
    """Generated documents under ``root`` that differ from what ``seed docs`` would write."""
    return [path for path, content in _documents(root, registry).items()
            if not path.is_file() or path.read_text(encoding="utf-8") != content]
