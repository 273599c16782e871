"""Repairs: owned rows that, as they are live (and as applied), break a rule. A desired row
is updated (reason ``invalid`` instead of ``desired-changed``); a row no longer desired,
which would otherwise be kept until ``--prune``, is deleted (reason ``invalid``): keeping it
would keep the database broken. Told by the rule violations of the live rows
(``planner.ways``)."""

from __future__ import annotations

from mentara_seed.planner.diff import KEPT_ORPHAN, DiffResult
from mentara_seed.planner.order import references
from mentara_seed.planner.plan import Change, Held, Reason
from mentara_seed.planner.snapshot import LiveState, pk_name
from mentara_seed.schema.tables import TABLES


def kept_orphans(result: DiffResult) -> list[Held]:
    """The owned rows no longer desired that the plan keeps (no ``--prune``)."""
    return [h for h in result.held if h.why == KEPT_ORPHAN]


def mark_invalid(result: DiffResult, named: set[str], live: LiveState) -> DiffResult:
    """``result`` with the reason ``invalid`` on its ``desired-changed`` updates of rows that,
    as they are live (and as applied), break a rule: those whose key, or whose user's email,
    is among ``named`` (the tokens of the violations' entities, ``Violation.entity``)."""
    emails = ({u["id"] for u in live.rows("User") if u["email"] in named}
              if live.has("User") else set())

    def relabel(change: Change) -> Change:
        if change.reason is not Reason.DESIRED_CHANGED or not (
                change.pk in named or (change.table == "User" and change.pk in emails)):
            return change
        return Change(change.action, change.table, change.pk, Reason.INVALID, change.enricher,
                      change.values, change.before, change.fingerprint)

    return DiffResult([relabel(c) for c in result.changes], result.held, result.suspects,
                      result.disowned, result.forgotten)


def invalid_orphans(result: DiffResult, named: set[str], live: LiveState) -> frozenset[str]:
    """The keys of the kept orphans among ``named`` (the keys the violations of the live rows
    name), with the kept orphans that reference them (a submission of a worksheet that
    goes): the rows a plan deletes (reason ``invalid``) although it does not prune, with
    the enrichers seeing them gone (``planner.running.plan_changes``)."""
    kept = {(h.change.table, h.change.pk) for h in kept_orphans(result)}
    roots = {key for key in kept if key[1] in named}
    return frozenset(pk for _, pk in _with_children(roots, kept, live)) if roots else frozenset()


def _with_children(roots: set[tuple[str, str]], kept: set[tuple[str, str]],
                   live: LiveState) -> set[tuple[str, str]]:
    """``roots`` and, transitively, the kept orphans that reference one of them."""
    out = set(roots)
    grew = True
    while grew:
        grew = False
        for table, pk in sorted(kept - out):
            row = live.get(table, pk)
            if row is None:
                continue
            for column, parent, parent_column in references(table):
                if (parent_column == pk_name(TABLES[parent])
                        and (parent, row[column]) in out):
                    out.add((table, pk))
                    grew = True
                    break
    return out

