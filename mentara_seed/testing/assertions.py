"""The seeder's promises as assertions: each runs the seeder on a database and raises
``AssertionError`` with a message that names the enricher, table, row and column at fault."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence

from mentara_seed import database
from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import Registry
from mentara_seed.planner.plan import Plan
from mentara_seed.planner.snapshot import pk_name
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import fingerprint
from mentara_seed.state import journal
from mentara_seed.testing.fresh import (
    _changed_sources,
    _plan_in_fresh_process,
    _registry_ref,
)
from mentara_seed.testing.graph import _delete_alone, _references_to, _twinnable
from mentara_seed.testing.messages import (
    _HINT,
    _dump_difference,
    _foreign_problem,
    _not_idempotent,
    _ownership_difference,
    _plan_difference,
    _restore_problems,
    _snapshot_difference,
)
from mentara_seed.testing.operations import (
    Run,
    _command,
    apply,
    desired_rows,
    plan,
    plan_text,
    undo,
    verify,
)
from mentara_seed.testing.ordering import _check_immediate_foreign_keys, _order_problems
from mentara_seed.testing.reading import (
    Snapshot,
    _connection,
    _replayed,
    dump,
    ownership,
    snapshot,
)
from mentara_seed.testing.states import written_tables


def assert_idempotent(url: str, run: Run, registry: Registry = REGISTRY, *,
                      update: bool = False, prune: bool = False) -> None:
    """After one apply the plan is empty, and a second apply writes nothing at all."""
    apply(url, run, registry, update=update, prune=prune)
    again = plan(url, run, registry, update=update, prune=prune)
    if not again.is_empty():
        raise AssertionError(_not_idempotent(run, again, _command(prune=prune, update=update)))
    before = dump(url)
    outcome = apply(url, run, registry, update=update, prune=prune)
    after = dump(url)
    if outcome.applied is not None or after != before:
        raise AssertionError(f"Not idempotent ({run}): a second apply wrote to the database:\n"
                             + "\n".join(_dump_difference(before, after)))


def assert_convergent(url: str, run: Run, registry: Registry = REGISTRY, *,
                      update: bool = True, prune: bool = True) -> None:
    """One apply (by default ``--update --prune``) makes every minimum and rule hold (rules
    broken only by the app's rows are not the seeder's to make hold)."""
    apply(url, run, registry, update=update, prune=prune)
    found = [v for v in verify(url, run, registry) if not v.foreign]
    if found:
        shown = "\n".join(f"  {v}" for v in found[:12])
        more = f"\n  … and {len(found) - 12} more" if len(found) > 12 else ""
        raise AssertionError(
            f"Not convergent ({run}): after one `{_command(prune=prune, update=update)}`, "
            f"verify reports {len(found)} rule(s) that do not hold:\n{shown}{more}")


def assert_deterministic(urls: str | Sequence[str], run: Run, registry: Registry = REGISTRY,
                         *, registry_ref: str | None = None) -> None:
    """The plan JSON made in this process equals, byte for byte, the plan a fresh Python
    process makes of every one of ``urls`` (the same state on several databases).
    ``registry_ref`` ("module:attribute") finds a custom registry in the fresh process; by
    default the kit looks for the module-level name the registry is bound to."""
    urls = [urls] if isinstance(urls, str) else list(urls)
    ref = registry_ref if registry_ref is not None else _registry_ref(registry)
    local = plan_text(urls[0], run, registry)
    where = f"this process on {database.redact(urls[0])}"
    for url in urls:
        fresh = _plan_in_fresh_process(url, run, ref)
        if fresh != local:
            raise AssertionError(
                f"Not deterministic ({run}): the plan made in {where} and the plan made in a "
                f"fresh process on {database.redact(url)} differ:\n"
                + "\n".join(_plan_difference(local, fresh)) + f"\n{_HINT}" + _changed_sources())


def assert_foreign_rows_untouched(url: str, run: Run, registry: Registry = REGISTRY) -> None:
    """``seed apply``, ``seed apply --update --prune`` and ``seed destroy`` in turn: after each,
    every row the seeder does not own is still there with every value it had."""
    owned = ownership(url)
    foreign = {t: {pk: r for pk, r in rows.items() if pk not in owned.get(t, {})}
               for t, rows in snapshot(url).items()}
    for both, destroy in ((False, False), (True, False), (False, True)):
        plans: list[Plan] = []
        apply(url, run, registry, update=both, prune=both, destroy=destroy,
              on_plan=plans.append)
        now = snapshot(url)
        problems = [line for t, rows in foreign.items() for pk, row in sorted(rows.items())
                    for line in _foreign_problem(t, pk, row, now, plans)]
        if problems:
            command = _command(update=both, prune=both, destroy=destroy)
            raise AssertionError(f"A foreign row was touched by `{command}` ({run}):\n"
                                 + "\n".join(problems[:10]))


def assert_minimal_restore(url: str, run: Run, registry: Registry = REGISTRY, *,
                           table: str | None = None, row: int = 0) -> list[tuple[str, str]]:
    """In a database one apply converged, delete one desired owned row by hand (with the rows
    its foreign keys cascade to): the next plan re-creates exactly those rows with the same
    keys and values, and after the apply the database is as before. Returns the deleted
    (table, pk), [] when no row of ``table`` can be deleted without touching rows the seeder
    does not own or no longer wants."""
    apply(url, run, registry)
    baseline = plan(url, run, registry)
    if not baseline.is_empty():
        raise AssertionError(_not_idempotent(run, baseline))
    before, owned = snapshot(url), ownership(url)
    wanted = desired_rows(url, run, registry)
    gone = _delete_alone(url, before, owned, wanted, [table] if table else
                         written_tables(registry), row)
    if not gone:
        return []
    label = f"{gone[0][0]} {gone[0][1]}" + (f" (and {len(gone) - 1} row(s) its deletion "
                                            f"cascaded to)" if len(gone) > 1 else "")
    problems = _restore_problems(plan(url, run, registry), before, gone, wanted)
    if problems:
        raise AssertionError(f"Not minimal ({run}): after deleting {label} by hand, the plan "
                             "should re-create exactly what was deleted, as it was:\n"
                             + "\n".join(problems[:12]))
    apply(url, run, registry)
    after = snapshot(url)
    if after != before:
        raise AssertionError(f"Not minimal ({run}): after deleting {label} and applying, the "
                             "database differs from before:\n"
                             + "\n".join(_snapshot_difference(before, after)))
    return gone


def assert_ordered(url: str, run: Run, registry: Registry = REGISTRY, *,
                   other_profile: str | None = None) -> None:
    """Foreign keys are enforced immediately (nothing deferred), and every plan — an apply, an
    apply of another profile with ``--update --prune`` (creates, updates and deletes), a destroy
    — lists parents before children for creates and children first for deletes, and applies."""
    _check_immediate_foreign_keys(url)
    other = dataclasses.replace(run, profile=other_profile or
                                ("medium" if run.profile == "light" else "light"))
    for each, both, destroy in ((run, False, False), (other, True, False), (other, False, True)):
        live = snapshot(url)
        command = _command(update=both, prune=both, destroy=destroy)

        def check(planned: Plan, live: Snapshot = live, each: Run = each,
                  command: str = command) -> None:
            problems = _order_problems(planned, live)
            if problems:
                raise AssertionError(f"Out of order ({each}): the plan of `{command}` would "
                                     "break a foreign key:\n" + "\n".join(problems[:10]))

        apply(url, each, registry, update=both, prune=both, destroy=destroy, on_plan=check)


def assert_target_then_full_equals_full(url_targeted: str, url_full: str, run: Run,
                                        registry: Registry = REGISTRY, *, target: str) -> None:
    """Two copies of one state: ``apply --target X`` then ``apply`` on the first, ``apply`` on
    the second, end with the same rows."""
    apply(url_targeted, run, registry, targets=(target,))
    apply(url_targeted, run, registry)
    apply(url_full, run, registry)
    targeted, full = snapshot(url_targeted), snapshot(url_full)
    if targeted != full:
        raise AssertionError(
            f"`seed apply --target {target}` then `seed apply` ends elsewhere than `seed apply` "
            f"alone ({run}) (targeted first vs apply alone):\n"
            + "\n".join(_snapshot_difference(full, targeted)))


def assert_journal_consistent(url: str, run: Run, registry: Registry = REGISTRY, *,
                              update: bool = True, prune: bool = True) -> None:
    """After an apply: the ownership projection equals a replay of the journal's raw events,
    the apply's events are exactly its plan's changes, and every owned row not held back has
    the fingerprint the journal recorded."""
    plans: list[Plan] = []
    outcome = apply(url, run, registry, update=update, prune=prune, on_plan=plans.append)
    projection, replayed = ownership(url), _replayed(url)
    problems = _ownership_difference(replayed, projection, "replay", "projection")
    if outcome.applied is not None:
        # What the apply handed to verification as the ownership after it.
        problems += _ownership_difference(replayed, outcome.applied.owned, "replay",
                                          "the apply's own projection")
        with _connection(url) as conn:
            events = [(e.action, e.table, e.pk) for e in
                      journal.events_of(conn, outcome.applied.serial)]
        changes = [(c.action.value, c.table, c.pk) for c in plans[0].changes]
        if events != changes:
            problems.append(f"  the journal recorded {len(events)} event(s) for "
                            f"{len(changes)} applied change(s)")
    held = {(h.change.table, h.change.pk) for h in plans[0].held}
    live = snapshot(url)
    for table, rows in sorted(projection.items()):
        for pk, fp in sorted(rows.items()):
            row = live.get(table, {}).get(pk)
            if row is not None and (table, pk) not in held and fingerprint(row) != fp:
                problems.append(f"  owned {table} {pk} does not match its journal fingerprint")
    if problems:
        raise AssertionError(f"Journal inconsistent after `{_command(prune=prune, update=update)}`"
                             f" ({run}):\n" + "\n".join(problems[:12]))


def assert_undo_restores(url: str, run: Run, registry: Registry = REGISTRY, *,
                         update: bool = True, prune: bool = True,
                         check_ownership: bool = True) -> None:
    """An apply then ``seed undo`` leaves every row as it was before the apply and, with
    ``check_ownership``, the journal's ownership of every live row too (so the next plan is
    the plan that would have been made before: a row that was drifted stays drifted)."""
    rows_before, owned_before = snapshot(url), ownership(url)
    outcome = apply(url, run, registry, update=update, prune=prune)
    if outcome.applied is None:
        return
    undo(url, run)
    rows_after, owned_after = snapshot(url), ownership(url)
    if rows_after != rows_before:
        raise AssertionError(f"`seed undo` of `{_command(prune=prune, update=update)}` ({run}) "
                             "did not restore the rows as they were before the apply:\n"
                             + "\n".join(_snapshot_difference(rows_before, rows_after)))
    if not check_ownership:
        return
    lost = []
    for table, rows in sorted(rows_before.items()):
        for pk, row in sorted(rows.items()):
            was, now = owned_before.get(table, {}).get(pk), owned_after.get(table, {}).get(pk)
            if was == now:
                continue
            drifted = was is not None and fingerprint(row) != was
            why = (" (it had been edited outside seed: the journal now records that edit as "
                   "seed's own, so the next `seed apply` overwrites it instead of holding it "
                   "as drift)") if drifted else ""
            lost.append(f"  {table} {pk}: last-applied fingerprint {was} before the apply, "
                        f"{now} after undo{why}")
    if lost:
        raise AssertionError(f"`seed undo` of `{_command(prune=prune, update=update)}` ({run}) "
                             "restored the rows but not the journal's ownership of them:\n"
                             + "\n".join(lost[:10]))


def assert_counts_foreign_rows(url: str, run: Run, registry: Registry, enricher: str, *,
                               row: int = 0) -> tuple[str, str] | None:
    """Foreign rows count toward an enricher's minimums: replace one of its rows (a leaf) by a
    foreign twin (the same values under the app's own key) and ``apply --update --prune``;
    the enricher must then want one row fewer, and the twin stays as it is. Returns the
    replaced (table, pk), or None when the enricher has no row that can be replaced."""
    apply(url, run, registry, update=True, prune=True)
    live, owned = snapshot(url), ownership(url)
    origin = desired_rows(url, run, registry, prune=True)
    candidates = [(t, pk) for t in registry[enricher].writes if _twinnable(t)
                  for pk in sorted(origin.get(t, {}))
                  if origin[t][pk] == enricher and pk in owned.get(t, {}) and pk in live[t]
                  and not _references_to(live, t, live[t][pk])]
    if not candidates:
        return None
    table, pk = candidates[row % len(candidates)]
    t = TABLES[table]
    twin = {**live[table][pk], pk_name(t): "app-twin-" + hashlib.sha256(pk.encode()).hexdigest()
            [:16]}
    with _connection(url) as conn:
        conn.execute(t.delete().where(t.c[pk_name(t)] == pk))
        conn.execute(t.insert(), [twin])
    before = sum(1 for e in origin.get(table, {}).values() if e == enricher)
    apply(url, run, registry, update=True, prune=True)
    after_origin = desired_rows(url, run, registry, prune=True).get(table, {})
    after = sum(1 for e in after_origin.values() if e == enricher)
    if after >= before:
        again = " and re-creates it" if after_origin.get(pk) == enricher else ""
        raise AssertionError(
            f"Enricher '{enricher}' ignores foreign rows ({run}): {table} {pk} was replaced by "
            f"a foreign twin {twin[pk_name(t)]} (the same values, made by the app), yet "
            f"'{enricher}' still wants {after} {table} row(s) where it wanted {before}{again}. "
            "A foreign row must count toward the minimum: count ctx.foreign(...) or "
            "ctx.group(..., foreign=True) before filling the gap.")
    if snapshot(url)[table].get(twin[pk_name(t)]) != twin:
        raise AssertionError(f"The foreign twin {table} {twin[pk_name(t)]} was changed or "
                             f"deleted ({run}).")
    return table, pk
