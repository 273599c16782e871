"""Saved plans: reading a plan document back, checking it is intact, and deciding whether it
still applies to a database (same journal, same config, same versions, same change set)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from mentara_seed.errors import StalePlanError, UsageError
from mentara_seed.planner.plan import (
    PLAN_FORMAT,
    Action,
    Change,
    Held,
    Plan,
    PlanHeader,
    PlanWarning,
    Reason,
)
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row, fingerprint, from_jsonable

# How a saved plan stores a password setting (``planner.sealed``): never in clear.
SEALED_PREFIX = "pbkdf2-sha256$"


def _digest(doc: dict[str, Any]) -> str:
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def digest_line(text: str) -> str:
    """The first line of a saved plan's document ``text``: the digest of everything in it."""
    return f'"digest": "{_digest(json.loads(text))}",\n'


class _ChangeDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Action
    table: str
    pk: str
    reason: Reason
    enricher: str
    values: dict[str, Any] = {}
    before: dict[str, Any] = {}
    fingerprint: str = ""
    held: str | None = None


class _WarningDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enricher: str
    entity: str
    reason: str


class _PlanDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: int
    tool_version: str
    corpus_version: str
    request: dict[str, Any]
    project_seed: int
    profile: str
    config_hash: str
    anchor: str
    journal_serial: int
    lineage: str | None
    targets: list[str]
    enrichers: list[str]
    table_order: list[str]
    state_key: str | None = None
    reused: bool = False
    partial: list[str] = []
    restored: bool = False
    settings: dict[str, Any] = {}
    changes_hash: str
    counts: dict[str, int]
    changes: list[_ChangeDoc]
    held: list[_ChangeDoc]
    warnings: list[_WarningDoc] = []


def _row(table: str, values: dict[str, Any]) -> Row:
    columns = TABLES[table].columns
    unknown = set(values) - set(columns.keys())
    if unknown:
        raise UsageError(f"The plan names column {table}.{sorted(unknown)[0]}, which the "
                         "schema does not have. The file is corrupt or from another version.")
    # In the table's column order, as the planner builds rows: a fingerprint depends on it.
    return {c.name: from_jsonable(c, values[c.name]) for c in columns if c.name in values}


def _change(doc: _ChangeDoc) -> Change:
    if doc.table not in TABLES:
        raise UsageError(f"The plan names table {doc.table!r}, which the schema does not have.")
    values = _row(doc.table, doc.values)
    # A create's fingerprint is its values' own: an edited value then no longer matches the
    # changes_hash, which digests creates by fingerprint.
    fp = fingerprint(values) if doc.action is Action.CREATE else doc.fingerprint
    return Change(doc.action, doc.table, doc.pk, doc.reason, doc.enricher,
                  values, _row(doc.table, doc.before), fp)


def load(text: str, source: str = "plan") -> Plan:
    """A plan from its JSON document; refuses a malformed, foreign-format or edited file."""
    try:
        raw = json.loads(text)
        digest = raw.pop("digest", None) if isinstance(raw, dict) else None
        doc = _PlanDoc.model_validate(raw)
    except (json.JSONDecodeError, ValidationError, RecursionError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise UsageError(f"{source} is not a mentara-seed plan ({first}). Make one with "
                         "`seed plan --out FILE`.") from err
    if doc.format == PLAN_FORMAT and digest != _digest(raw):
        raise UsageError(f"{source} was edited after it was made: its digest does not match "
                         "its contents (header or changes). Make a new plan with "
                         "`seed plan --out FILE`.")
    _check_request(doc.request, source)
    if doc.format != PLAN_FORMAT:
        raise UsageError(f"{source} has plan format {doc.format}; this seed reads format "
                         f"{PLAN_FORMAT}. Plan again with this version.")
    header = PlanHeader(
        tool_version=doc.tool_version, corpus_version=doc.corpus_version, request=doc.request,
        project_seed=doc.project_seed, profile=doc.profile, config_hash=doc.config_hash,
        anchor=doc.anchor, journal_serial=doc.journal_serial, lineage=doc.lineage,
        targets=tuple(doc.targets), enrichers=tuple(doc.enrichers),
        table_order=tuple(doc.table_order), state_key=doc.state_key, reused=doc.reused,
        partial=tuple(doc.partial), restored=doc.restored, settings=doc.settings,
    )
    plan = Plan(
        header=header,
        changes=tuple(_change(c) for c in doc.changes),
        held=tuple(Held(_change(c), c.held or "") for c in doc.held),
        warnings=tuple(PlanWarning(w.enricher, w.entity, w.reason) for w in doc.warnings),
    )
    if plan.changes_hash() != doc.changes_hash:
        raise UsageError(f"{source} was edited after it was made: its changes do not match "
                         "its changes_hash. Make a new plan with `seed plan --out FILE`.")
    return plan


def _check_request(request: dict[str, Any], source: str) -> None:
    anchor = request.get("anchor")
    try:
        if anchor is not None:
            dt.datetime.fromisoformat(str(anchor))
    except ValueError as err:
        raise UsageError(f"{source} is damaged: its request.anchor {str(anchor)[:40]!r} is not a "
                         "date. Make a new plan with `seed plan --out FILE`.") from err
    for key in ("targets", "excludes"):
        value = request.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"{source} is damaged: its request.{key} is not a list of names. "
                             "Make a new plan with `seed plan --out FILE`.")


def check_current(saved: Plan, current: Plan) -> None:
    """Refuse ``saved`` unless ``current`` (planned now, inside the apply's transaction, with
    the saved request) is the same plan: journal, versions, config and change set."""
    s, c = saved.header, current.header
    reasons: list[str] = []
    if s.lineage != c.lineage and s.lineage is not None:
        reasons.append(f"it was made for another database (journal lineage {s.lineage}, this "
                       f"database has {c.lineage})")
    if s.journal_serial != c.journal_serial:
        reasons.append(f"the journal moved from serial {s.journal_serial} to {c.journal_serial}"
                       " (another apply ran since)")
    if s.tool_version != c.tool_version:
        reasons.append(f"it was made by mentara-seed {s.tool_version}, this is {c.tool_version}")
    if s.corpus_version != c.corpus_version:
        reasons.append(f"the data corpus changed ({s.corpus_version} -> {c.corpus_version})")
    if s.config_hash != c.config_hash:
        reasons.append("the configuration differs: " + _config_difference(s.request, c.request))
    if not reasons and saved.changes_hash() != current.changes_hash():
        reasons.append(_change_set_difference(saved, current))
    if reasons:
        raise StalePlanError("The saved plan no longer applies: " + "; ".join(reasons)
                             + ". Nothing was written. Run `seed plan --out FILE` again.")


def _config_difference(saved: dict[str, Any], current: dict[str, Any]) -> str:
    parts = []
    for key in ("profile", "project_seed", "scale"):
        if saved.get(key) != current.get(key):
            parts.append(f"{key} {saved.get(key)!r} in the plan, {current.get(key)!r} now")
    if saved.get("minimums") != current.get("minimums"):
        parts.append("the [minimums] overrides differ")
    hint = " (pass the same --profile/--seed/--scale, or plan again)"
    return (", ".join(parts) or "the enrichers' minimums differ") + hint


def _change_set_difference(saved: Plan, current: Plan) -> str:
    def keys(plan: Plan) -> set[tuple[str, str, str]]:
        return {(c.action.value, c.table, c.pk) for c in plan.changes}

    gone = keys(saved) - keys(current)
    new = keys(current) - keys(saved)
    parts = []
    if gone:
        parts.append(f"{len(gone)} planned change(s) no longer needed")
    if new:
        parts.append(f"{len(new)} new change(s) needed")
    if not parts:
        parts.append("the values of some planned rows differ")
    return "the database no longer yields the same change set: " + ", ".join(parts)
