"""The plan: frozen data describing what an apply will do. No database handle, no behaviour
beyond summaries. Views render it; the applier executes it; nothing else builds one but the
planner.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter
from typing import Any

from mentara_seed.schema.values import Row, dumps, fingerprint, jsonable

PLAN_FORMAT = 1
_TALLY_KEY = attrgetter("action", "table", "enricher")


class Action(StrEnum):
    """What a change does to one row; the names are Terraform's."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    NOOP = "no-op"

    @property
    def symbol(self) -> str:
        return {"create": "+", "update": "~", "delete": "-", "no-op": " "}[self.value]


class Reason(StrEnum):
    """Why a change is in the plan. UI only: it never steers the applier."""

    MISSING = "missing"
    DESIRED_CHANGED = "desired-changed"
    DRIFTED = "drifted"
    ORPHANED = "orphaned"
    # An owned row a foreign-key action (ON DELETE SET NULL) changed when a person deleted
    # its parent: restored like a desired change, never held as a hand edit.
    CASCADED = "cascaded"
    # An owned row, as applied, that breaks one of its enricher's rules: repaired.
    INVALID = "invalid"
    # A desired key held by a row the seeder does not own (one that took the key of a
    # deleted owned row): shown, never written.
    FOREIGN = "foreign"


# The ``before`` of a change that replaces nothing (a create), shared by all of them: no code
# writes into a change's rows.
NOTHING: Row = {}


@dataclass(frozen=True, slots=True)
class Change:
    """One action on one row.

    ``values`` is the full desired row for a create, the changed columns' new values for an
    update, and empty for a delete; ``before`` holds the live values the change replaces
    (the changed columns for an update, the whole row for a delete) so that it can be undone.
    """

    action: Action
    table: str
    pk: str
    reason: Reason
    enricher: str
    values: Row = field(default_factory=dict)
    before: Row = field(default_factory=dict)
    fingerprint: str = ""

    def row_fingerprint(self) -> str:
        """The fingerprint the journal records for the row: the one given, or for a create
        without one its values' own (computed when needed, not held for every planned row)."""
        if self.fingerprint or self.action is not Action.CREATE:
            return self.fingerprint
        computed = fingerprint(self.values)
        object.__setattr__(self, "fingerprint", computed)  # the same value, computed once
        return computed

    def computed_elsewhere(self, value: str) -> None:
        """Take ``value`` as ``row_fingerprint()``: what another process computed from the
        very same values (``planner.parallel.start_shared``)."""
        if not self.fingerprint and self.action is Action.CREATE:
            object.__setattr__(self, "fingerprint", value)

    def hash_key(self) -> str:
        """What ``Plan.changes_hash`` digests of this change."""
        if self.action is Action.CREATE:
            return (f"create\x1f{self.table}\x1f{self.pk}\x1f{self.reason._value_}\x1f"
                    f"{self.enricher}\x1f{self.fingerprint or self.row_fingerprint()}")
        return dumps(self.to_json())

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "action": self.action.value,
            "table": self.table,
            "pk": self.pk,
            "reason": self.reason.value,
            "enricher": self.enricher,
        }
        if self.values:
            doc["values"] = {k: jsonable(v) for k, v in self.values.items()}
        if self.before:
            doc["before"] = {k: jsonable(v) for k, v in self.before.items()}
        row_fingerprint = self.row_fingerprint()
        if row_fingerprint:
            doc["fingerprint"] = row_fingerprint
        return doc


@dataclass(frozen=True, slots=True)
class Held:
    """A change that is shown but not applied: drift without --update, orphans without --prune,
    or a delete a foreign row's reference blocks."""

    change: Change
    why: str


@dataclass(frozen=True, slots=True)
class PlanWarning:
    """A minimum an enricher cannot meet for one entity (nothing to pick from, no time to
    place a row in), so it planned nothing for it. Shown, never fatal: the exit code and the
    change set do not depend on warnings; ``verify`` skips the same entities."""

    enricher: str
    entity: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"enricher": self.enricher, "entity": self.entity, "reason": self.reason}

    def __str__(self) -> str:
        return f"{self.enricher}: minimum not met for {self.entity}: {self.reason}"


@dataclass(frozen=True, slots=True)
class EnricherSummary:
    """One line of the plan per enricher: rows it wants created/updated per table."""

    name: str
    creates: dict[str, int]
    updates: dict[str, int]

    @property
    def satisfied(self) -> bool:
        return not self.creates and not self.updates


@dataclass(frozen=True, slots=True)
class PlanHeader:
    """Where a plan comes from: enough to refuse it when the database or config moved."""

    tool_version: str
    corpus_version: str
    request: dict[str, Any]
    project_seed: int
    profile: str
    config_hash: str
    anchor: str
    journal_serial: int
    lineage: str | None
    targets: tuple[str, ...]
    enrichers: tuple[str, ...]
    table_order: tuple[str, ...]
    # The inputs digest an apply of this plan records when the plan holds nothing back
    # (``planner.shortcut``), and whether this plan was found by it, without the enrichers.
    state_key: str | None = None
    reused: bool = False
    # When only the writers of tables with deleted owned rows (and their dependencies) ran.
    partial: tuple[str, ...] = ()
    # When deleted owned rows are created again from the journal's images, no enricher run.
    restored: bool = False
    # Where the settings came from (``planner.remembered.SettingsOrigin.note``): UI only.
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Plan:
    """An ordered change set and its header. Invariant: ``changes`` are in apply order
    (creates parents-first, then updates, then deletes children-first); ``held`` are never
    applied; ``warnings`` (minimums that cannot be met) are in run order, each enricher's in
    the order it found them, and are not part of ``changes_hash``: they follow from the data,
    which the journal serial and the state key already pin."""

    header: PlanHeader
    changes: tuple[Change, ...]
    held: tuple[Held, ...]
    warnings: tuple[PlanWarning, ...] = ()
    live_rows: int = 0
    live_tables: int = 0
    # What the live database has that the seeder leaves alone (``schema.check.unknown``):
    # shown in the header, never part of the plan's document or its hashes.
    unseeded: tuple[str, ...] = ()
    # Whether the anchor was given (flag, environment, file) rather than kept from the
    # journal: a kept one that grew old is pointed out in the header. Not in the document.
    anchor_given: bool = True
    # Changes per (action, table, enricher), counted once when first asked for (views and
    # the journal ask several times; a large plan has a million changes).
    _tally: Counter[tuple[Action, str, str]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def is_empty(self) -> bool:
        return not self.changes

    def tally(self) -> Counter[tuple[Action, str, str]]:
        """Changes per (action, table, enricher), in the order each first occurs."""
        if self._tally is None:
            object.__setattr__(self, "_tally", Counter(map(_TALLY_KEY, self.changes)))
        assert self._tally is not None
        return self._tally

    def counts(self) -> dict[Action, int]:
        counted: Counter[Action] = Counter()
        for (action, _, _), n in self.tally().items():
            counted[action] += n
        return {a: counted[a] for a in (Action.CREATE, Action.UPDATE, Action.DELETE)}

    def table_counts(self) -> dict[str, dict[Action, int]]:
        out: dict[str, dict[Action, int]] = {}
        for (action, table, _), n in self.tally().items():
            per = out.setdefault(table, {})
            per[action] = per.get(action, 0) + n
        return out

    def summaries(self) -> list[EnricherSummary]:
        """Per enricher of the run, in run order: rows to create and update per table."""
        creates: dict[str, dict[str, int]] = {n: {} for n in self.header.enrichers}
        updates: dict[str, dict[str, int]] = {n: {} for n in self.header.enrichers}
        for (action, table, enricher), n in self.tally().items():
            bucket = {Action.CREATE: creates, Action.UPDATE: updates}.get(action)
            if bucket is None or enricher not in bucket:
                continue
            per = bucket[enricher]
            per[table] = per.get(table, 0) + n
        return [EnricherSummary(n, creates[n], updates[n]) for n in self.header.enrichers]

    def changes_hash(self) -> str:
        """sha256 over the change set in order: a create by its row's fingerprint (a digest of
        every value), any other change by its whole canonical document. (One line per change;
        the lines of a stretch of creates are joined before they are digested.)"""
        digest = hashlib.sha256()
        keys: list[str] = []
        for change in self.changes:
            keys.append(change.hash_key())
            if len(keys) == 50_000:
                digest.update(("\n".join(keys) + "\n").encode())
                keys.clear()
        if keys:
            digest.update(("\n".join(keys) + "\n").encode())
        return digest.hexdigest()

    def to_json(self) -> dict[str, Any]:
        """The plan document: the header, then every change."""
        return {
            **self._header_json(self.changes_hash()),
            "changes": [c.to_json() for c in self.changes],
            "held": [dict(h.change.to_json(), held=h.why) for h in self.held],
        }

    def header_json(self) -> dict[str, Any]:
        """The plan document without its changes (what the journal records of an apply)."""
        return self._header_json(self.changes_hash())

    def _header_json(self, changes_hash: str) -> dict[str, Any]:
        h = self.header
        return {
            "format": PLAN_FORMAT,
            "tool_version": h.tool_version,
            "corpus_version": h.corpus_version,
            "request": h.request,
            "project_seed": h.project_seed,
            "profile": h.profile,
            "config_hash": h.config_hash,
            "anchor": h.anchor,
            "journal_serial": h.journal_serial,
            "lineage": h.lineage,
            "targets": list(h.targets),
            "enrichers": list(h.enrichers),
            "table_order": list(h.table_order),
            "state_key": h.state_key,
            "reused": h.reused,
            "partial": list(h.partial),
            "restored": h.restored,
            "settings": h.settings,
            "changes_hash": changes_hash,
            "counts": {a.value: n for a, n in self.counts().items()},
            "warnings": [w.to_json() for w in self.warnings],
        }
