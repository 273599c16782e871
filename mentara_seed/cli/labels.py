"""What a person recognises a planned row by: its own text (an email, a slug, a title), or,
for a row that has none (a heart, a read receipt, a membership), the rows it joins (``user
maya.chen@… · post "Small wins"``). Names of referenced rows come from the plan itself; a
referenced row the plan does not carry is named by its table and short id. A view helper only."""

from __future__ import annotations

import re
from typing import Any, Protocol

from mentara_seed.planner.plan import Action, Change, Plan
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import jsonable

LABEL_COLUMNS = ("email", "slug", "name", "title", "dayOfWeek", "content", "message", "emoji")
# Who acts comes first ("user … · post …"): the columns naming a person, in this order.
ACTORS = ("userId", "senderId", "clientId", "reporterId", "blockerId", "moderatorId",
          "createdById", "therapistId")
# Said of a row only when nothing else names it ("direct conversation").
KIND_COLUMNS = ("type", "role", "status")


def short(value: Any, width: int = 48) -> str:
    text = " ".join(str(jsonable(value)).split())
    return text if len(text) <= width else text[: width - 1] + "…"


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def short_id(key: str) -> str:
    """A uuid by its first 8 digits (``00e3add0…``); a readable key (``dev_client_1``) whole,
    up to 24 characters."""
    if UUID.fullmatch(key):
        return key[:8] + "…"
    return key if len(key) <= 24 else key[:23] + "…"


def _row(change: Change) -> dict[str, Any]:
    return change.values if change.action is Action.CREATE else change.before


def own_label(row: dict[str, Any]) -> str:
    for column in LABEL_COLUMNS:
        if row.get(column) not in (None, ""):
            return f'{column} "{short(row[column])}"'
    return ""


def _references(table: str) -> list[tuple[str, str]]:
    """(column, referenced table) of ``table``'s foreign keys, the person first."""
    found = {fk.parent.name: fk.column.table.name for fk in TABLES[table].foreign_keys} \
        if table in TABLES else {}
    rank = {c: i for i, c in enumerate(ACTORS)}
    return sorted(found.items(), key=lambda item: (rank.get(item[0], len(ACTORS)), item[0]))


class Rows(Protocol):
    """Live rows by primary key (the planner's ``LiveState``)."""

    def has(self, table: str) -> bool: ...

    def by_pk(self, table: str) -> dict[str, Any]: ...


class Labeller:
    """Labels for the rows of one plan; the names of the rows it creates or deletes are
    gathered once, on first need. ``live``: the rows the plan was made from, for the names of
    rows it references but does not change (a heart's user); without them, a short id."""

    def __init__(self, plan: Plan, live: Rows | None = None) -> None:
        self._plan = plan
        self._live = live
        self._names: dict[tuple[str, str], str] | None = None

    def _known(self) -> dict[tuple[str, str], str]:
        if self._names is None:
            self._names = {}
            for change in (*self._plan.changes, *(h.change for h in self._plan.held)):
                text = _name(_row(change))
                if text:
                    self._names[(change.table, change.pk)] = text
        return self._names

    def __call__(self, change: Change) -> str:
        row = _row(change)
        own = own_label(row)
        if own:
            return own
        parts = []
        for column, table in _references(change.table):
            value = row.get(column)
            if value in (None, ""):
                continue
            name = (self._known().get((table, str(value))) or self._live_name(table, str(value))
                    or short_id(str(value)))
            parts.append(f"{table.lower()} {name}")
        kind = next((f"{row[c]}".lower() for c in KIND_COLUMNS if row.get(c)), "")
        if kind and not parts:
            return kind
        return " · ".join(parts[:2])


    def _live_name(self, table: str, key: str) -> str:
        if self._live is None or not self._live.has(table):
            return ""
        row = self._live.by_pk(table).get(key)
        return _name(row) if row is not None else ""


def _name(row: dict[str, Any]) -> str:
    """How a referenced row is named: its email or title, quoted and cut short."""
    for column in LABEL_COLUMNS:
        if row.get(column) not in (None, ""):
            text = short(row[column], 32)
            return text if column == "email" else f'"{text}"'
    return ""
