"""The three-way diff: desired rows vs live rows vs what the journal says was last applied.

- missing                          -> create (reason ``missing``)
- owned, live == last applied      -> update of the changed columns (``desired-changed``)
- owned, live != last applied      -> update (``drifted``), held unless ``update_drifted``
- live and foreign                 -> nothing: foreign rows are never touched
- owned, live, no longer desired   -> delete (``orphaned``), held unless ``prune``; and held
                                      whenever a row that stays references it
"""

from __future__ import annotations

from dataclasses import dataclass

from mentara_seed.planner.order import parents_first, references, table_order
from mentara_seed.planner.plan import Action, Change, Held, Reason
from mentara_seed.planner.snapshot import LiveState, pk_name
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row, fingerprint


@dataclass(frozen=True, slots=True)
class DiffOptions:
    update_drifted: bool = False
    prune: bool = False
    delete_all_owned: bool = False


@dataclass(slots=True)
class DiffResult:
    changes: list[Change]
    held: list[Held]


def _update(
    table: str, pk: str, desired_row: Row, live_row: Row, last_fp: str, enricher: str
) -> Change:
    columns = [c for c in desired_row if desired_row[c] != live_row[c]]
    drifted = fingerprint(live_row) != last_fp
    return Change(
        action=Action.UPDATE,
        table=table,
        pk=pk,
        reason=Reason.DRIFTED if drifted else Reason.DESIRED_CHANGED,
        enricher=enricher,
        values={c: desired_row[c] for c in columns},
        before={c: live_row[c] for c in columns},
        fingerprint=fingerprint(desired_row),
    )


def diff(
    desired: dict[str, dict[str, Row]],
    desired_by: dict[str, dict[str, str]],
    writers: dict[str, str],
    live: LiveState,
    owned: dict[str, dict[str, str]],
    options: DiffOptions,
) -> DiffResult:
    """Changes in apply order, and the changes shown but held back.

    ``desired_by`` names the enricher behind each desired row (table -> pk -> enricher);
    ``writers`` maps each table in scope to the enricher that owns it. Only tables in
    ``writers`` can have orphans: the tables of the enrichers that ran.
    """
    order = table_order()
    creates: list[Change] = []
    updates: list[Change] = []
    held: list[Held] = []
    for table in order:
        desired_rows = desired.get(table)
        if not desired_rows:
            continue
        live_rows = live.by_pk(table)
        owned_rows = owned.get(table, {})
        origin = desired_by[table]
        missing = [pk for pk in desired_rows if pk not in live_rows]
        for pk in parents_first(table, missing, desired_rows):
            row = desired_rows[pk]
            # The fingerprint is computed when the journal or a document needs it.
            creates.append(Change(Action.CREATE, table, pk, Reason.MISSING, origin[pk],
                                  values=row))
        # Only the few rows that differ are sorted (into pk order), not every live one.
        differ = [pk for pk, row in desired_rows.items()
                  if (live_row := live_rows.get(pk)) is not None and live_row is not row
                  and pk in owned_rows and live_row != row]
        for pk in sorted(differ):
            live_row = live_rows[pk]
            change = _update(table, pk, desired_rows[pk], live_row, owned_rows[pk], origin[pk])
            if change.reason is Reason.DRIFTED and not options.update_drifted:
                held.append(Held(change, "edited outside seed; kept, use --update to restore"))
            else:
                updates.append(change)
    deletes, delete_held = _deletes(desired, writers, after_updates(live, updates), owned,
                                    options)
    return DiffResult(creates + updates + deletes, held + delete_held)


def _deletes(
    desired: dict[str, dict[str, Row]],
    writers: dict[str, str],
    live: LiveState,
    owned: dict[str, dict[str, str]],
    options: DiffOptions,
) -> tuple[list[Change], list[Held]]:
    candidates: dict[str, set[str]] = {}
    for table in sorted(writers):
        if not live.has(table):
            continue
        live_rows = live.by_pk(table)
        wanted = set() if options.delete_all_owned else set(desired.get(table, {}))
        orphans = {pk for pk in owned.get(table, {}) if pk in live_rows and pk not in wanted}
        if orphans:
            candidates[table] = orphans
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
            elif not (options.prune or options.delete_all_owned):
                held.append(Held(change, "no longer desired; kept, use --prune to delete"))
            else:
                changes.append(change)
    return changes, held


def after_updates(live: LiveState, updates: list[Change]) -> LiveState:
    """The live state as it will be once ``updates`` ran: an update may move a reference off a
    row that is about to be deleted, so the delete is not blocked by it."""
    rows = {t: live.by_pk(t) for t in live.tables()}
    copied: set[str] = set()
    for change in updates:
        if change.table not in copied:
            rows[change.table] = dict(rows[change.table])
            copied.add(change.table)
        rows[change.table][change.pk] = {**rows[change.table][change.pk], **change.values}
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

