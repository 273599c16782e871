"""The three-way diff: desired rows vs live rows vs what the journal says was last applied.

- missing                          -> create (reason ``missing``)
- owned, live == last applied      -> update of the changed columns (``desired-changed``)
- owned, live != last applied      -> update (``drifted``), held unless ``update_drifted``;
                                      but ``cascaded`` (always applied) when the change is
                                      the database's SET NULL after a parent was deleted
                                      (``planner.identity``)
- live and foreign                 -> nothing: foreign rows are never touched; a desired key
                                      that someone else's row took from a deleted owned row
                                      (``disowned``) is shown, held (reason ``foreign``)
- owned, live, no longer desired   -> delete (``orphaned``), held unless ``prune``; and held
                                      whenever a row that stays references it; but a delete
                                      (``invalid``) when it breaks a rule (``planner.repair``)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mentara_seed.planner import identity
from mentara_seed.planner.order import parents_first, references, table_order
from mentara_seed.planner.plan import NOTHING, Action, Change, Held, Reason
from mentara_seed.planner.snapshot import LiveState, pk_name
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row, fingerprint

KEPT_ORPHAN = "no longer desired; kept, use --prune to delete"


@dataclass(frozen=True, slots=True)
class DiffOptions:
    update_drifted: bool = False
    prune: bool = False
    delete_all_owned: bool = False
    # Keys of owned rows that break a rule as they are (``planner.repair``): deleted when no
    # longer desired, reason ``invalid``, without --prune.
    invalid: frozenset[str] = frozenset()


@dataclass(slots=True)
class DiffResult:
    """``suspects``: owned live rows found changed since they were applied and not told apart
    as cascades by their desired rows (table -> keys): the caller may look at the journal's
    record of them (``planner.identity.look``) and diff again. ``disowned``: the keys the
    journal lists that the diff took as foreign (as it was given them). ``forgotten``: owned
    rows are gone that nothing desires again, so the journal will still list rows the
    desired state has not (an apply of this plan must not record its state key)."""

    changes: list[Change]
    held: list[Held]
    suspects: dict[str, list[str]] = field(default_factory=dict)
    disowned: dict[str, set[str]] = field(default_factory=dict)
    forgotten: bool = False


FOREIGN_HOLDS_KEY = "kept: foreign row holds this key"

_NOTHING: Mapping[str, Mapping[str, Row]] = {}


def _update(table: str, pk: str, desired_row: Row, live_row: Row, enricher: str,
            reason: Reason) -> Change:
    columns = [c for c in desired_row if desired_row[c] != live_row[c]]
    return Change(
        action=Action.UPDATE,
        table=table,
        pk=pk,
        reason=reason,
        enricher=enricher,
        values={c: desired_row[c] for c in columns},
        before={c: live_row[c] for c in columns},
        fingerprint=fingerprint(desired_row),
    )


def _reason(table: str, desired_row: Row, live_row: Row, last_fp: str, live: LiveState,
            applied_row: Row | None) -> Reason:
    if fingerprint(live_row) == last_fp:
        return Reason.DESIRED_CHANGED
    if identity.cascaded(table, live_row, last_fp, live, desired_row, applied_row):
        return Reason.CASCADED
    return Reason.DRIFTED


def diff(
    desired: dict[str, dict[str, Row]],
    desired_by: dict[str, dict[str, str]],
    writers: dict[str, str],
    live: LiveState,
    owned: dict[str, dict[str, str]],
    options: DiffOptions,
    *,
    applied: Mapping[str, Mapping[str, Row]] = _NOTHING,
    disowned: Mapping[str, set[str]] | None = None,
) -> DiffResult:
    """Changes in apply order, and the changes shown but held back.

    ``desired_by`` names the enricher behind each desired row (table -> pk -> enricher);
    ``writers`` maps each table in scope to the enricher that owns it. Only tables in
    ``writers`` can have orphans: the tables of the enrichers that ran. ``applied``: rows as
    last applied, as the journal recorded them (for the suspects of an earlier diff);
    ``disowned``: keys the journal lists but someone else's row now holds (not in ``owned``).
    """
    order = table_order()
    creates: list[Change] = []
    updates: list[Change] = []
    held: list[Held] = []
    suspects: dict[str, list[str]] = {}
    for table in order:
        desired_rows = desired.get(table)
        if not desired_rows:
            continue
        live_rows = live.by_pk(table)
        owned_rows = owned.get(table, {})
        applied_rows = applied.get(table, {})
        origin = desired_by[table]
        missing = [pk for pk in desired_rows if pk not in live_rows]
        for pk in parents_first(table, missing, desired_rows):
            # The fingerprint is computed when the journal or a document needs it. A create
            # replaces nothing: every one shares the one empty ``before`` (64 MB at 1M rows).
            creates.append(Change(Action.CREATE, table, pk, Reason.MISSING, origin[pk],
                                  values=desired_rows[pk], before=NOTHING))
        # Only the few rows that differ are sorted (into pk order), not every live one.
        differ = [pk for pk, row in desired_rows.items()
                  if (live_row := live_rows.get(pk)) is not None and live_row is not row
                  and pk in owned_rows and live_row != row]
        for pk in sorted(differ):
            live_row, desired_row = live_rows[pk], desired_rows[pk]
            reason = _reason(table, desired_row, live_row, owned_rows[pk], live,
                             applied_rows.get(pk))
            change = _update(table, pk, desired_row, live_row, origin[pk], reason)
            if reason is Reason.DRIFTED:
                suspects.setdefault(table, []).append(pk)
            if reason is Reason.DRIFTED and not options.update_drifted:
                held.append(Held(change, "edited outside seed; kept, use --update to restore"))
            else:
                updates.append(change)
        held.extend(_held_by_foreign(table, desired_rows, live_rows, origin,
                                     (disowned or {}).get(table)))
    deletes, delete_held = _deletes(desired, writers, after_updates(live, updates), owned,
                                    options, suspects)
    return DiffResult(creates + updates + deletes, held + delete_held, suspects,
                      {t: set(keys) for t, keys in (disowned or {}).items()},
                      _forgotten(desired, live, owned))


def _forgotten(desired: dict[str, dict[str, Row]], live: LiveState,
               owned: dict[str, dict[str, str]]) -> bool:
    """Whether an owned row of a table read is neither live nor desired."""
    for table in live.tables():
        owned_rows = owned.get(table)
        if not owned_rows:
            continue
        live_rows, desired_rows = live.by_pk(table), desired.get(table, {})
        if any(pk not in live_rows and pk not in desired_rows for pk in owned_rows):
            return True
    return False


def _held_by_foreign(table: str, desired_rows: dict[str, Row], live_rows: dict[str, Row],
                     origin: dict[str, str], taken: set[str] | None) -> list[Held]:
    """The desired rows whose keys a foreign row took from a deleted owned row: never written
    (not created twice, not updated), shown."""
    out: list[Held] = []
    for pk in sorted(taken or ()):
        desired_row, live_row = desired_rows.get(pk), live_rows.get(pk)
        if desired_row is not None and live_row is not None and desired_row != live_row:
            change = _update(table, pk, desired_row, live_row, origin[pk], Reason.FOREIGN)
            out.append(Held(change, FOREIGN_HOLDS_KEY))
    return out


def _deletes(
    desired: dict[str, dict[str, Row]],
    writers: dict[str, str],
    live: LiveState,
    owned: dict[str, dict[str, str]],
    options: DiffOptions,
    suspects: dict[str, list[str]],
) -> tuple[list[Change], list[Held]]:
    candidates: dict[str, set[str]] = {}
    for table in sorted(writers):
        if not live.has(table):
            continue
        live_rows = live.by_pk(table)
        wanted = set() if options.delete_all_owned else set(desired.get(table, {}))
        owned_rows = owned.get(table, {})
        orphans = {pk for pk in owned_rows if pk in live_rows and pk not in wanted}
        if orphans:
            candidates[table] = orphans
            # Changed since applied: someone else's row may hold the key (identity.recycled).
            changed = sorted(pk for pk in orphans
                             if fingerprint(live_rows[pk]) != owned_rows[pk])
            if changed:
                suspects.setdefault(table, []).extend(changed)
    if not candidates:
        return [], []
    proposed = {t: set(pks) for t, pks in candidates.items()}
    blocked = blocked_by_references(candidates, live)
    changes: list[Change] = []
    held: list[Held] = []
    for table in reversed(table_order()):
        pks = proposed.get(table)
        if not pks:
            continue
        live_rows = live.by_pk(table)
        enricher = writers[table]
        for pk in reversed(parents_first(table, pks, live_rows)):
            change = Change(Action.DELETE, table, pk, Reason.ORPHANED, enricher,
                            before=live_rows[pk])
            if pk in blocked.get(table, {}):
                held.append(Held(change, blocked[table][pk]))
            elif pk in options.invalid:
                changes.append(Change(Action.DELETE, table, pk, Reason.INVALID, enricher,
                                      before=live_rows[pk]))
            elif not (options.prune or options.delete_all_owned):
                held.append(Held(change, KEPT_ORPHAN))
            else:
                changes.append(change)
    return changes, held


def after_updates(live: LiveState, updates: list[Change]) -> LiveState:
    """The live state as it will be once ``updates`` ran: an update may move a reference off a
    row that is about to be deleted, so the delete is not blocked by it."""
    return after_changes(live, updates)


def after_changes(live: LiveState, changes: Iterable[Change]) -> LiveState:
    """The live state as it will be once ``changes`` ran (creates, updates, deletes), for the
    tables ``live`` holds; the tables no change touches are shared, not copied, and so are the
    created rows (nothing writes into a snapshot's rows)."""
    rows = {t: live.by_pk(t) for t in live.tables()}
    copied: set[str] = set()
    for change in changes:
        if change.table not in rows:
            continue
        if change.table not in copied:
            rows[change.table] = dict(rows[change.table])
            copied.add(change.table)
        if change.action is Action.DELETE:
            rows[change.table].pop(change.pk, None)
        elif change.action is Action.UPDATE:
            rows[change.table][change.pk] = {**rows[change.table][change.pk], **change.values}
        elif change.action is Action.CREATE:
            rows[change.table][change.pk] = change.values
    return LiveState(rows)


def blocked_by_references(
    candidates: dict[str, set[str]], live: LiveState
) -> dict[str, dict[str, str]]:
    """Candidates some staying row references (deleting them would cascade into, null out or
    be refused by that row), removed from ``candidates`` until nothing changes."""
    blocked: dict[str, dict[str, str]] = {}
    changed = True
    while changed:
        changed = False
        for child in live.tables():
            refs = [(c, t) for c, t, _ in references(child) if t in candidates]
            if not refs:
                continue
            leaving = candidates.get(child, set())
            pk_column = pk_name(TABLES[child])
            for row in live.rows(child):
                for column, parent in refs:
                    target = row[column]
                    if target is None or target not in candidates[parent]:
                        continue
                    if row[pk_column] in leaving:
                        continue
                    candidates[parent].discard(target)
                    blocked.setdefault(parent, {})[target] = (
                        f"kept: {child} {row[pk_column]} references it"
                    )
                    changed = True
    return blocked
