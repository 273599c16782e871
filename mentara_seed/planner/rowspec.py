"""How a table's desired rows are completed (``PlanContext.row``): its columns in table order
with their seed defaults, in canonical form, computed once per table."""

from __future__ import annotations

from functools import cache

from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.types import REQUIRED
from mentara_seed.schema.values import Normalizer, Row, identity, table_normalizers


class RowSpec:
    """How a table's desired rows are completed: every column in table order with its seed
    default in canonical form (``REQUIRED`` where there is none), the columns whose default is
    a list (copied per row), the required ones, and the normalizers that bring given values
    into canonical form."""

    __slots__ = ("names", "template", "lists", "required", "normalized")
    required: frozenset[str]

    def __init__(self, table: str) -> None:
        self.template: Row = {}
        self.normalized: list[tuple[str, Normalizer]] = []
        for name, norm in table_normalizers(TABLES[table]):
            default = TABLES[table].columns[name].info["seed_default"]
            if norm is not identity:
                self.normalized.append((name, norm))
                if default is not REQUIRED:
                    default = norm(default)  # defaults in canonical form once, not per row
            self.template[name] = default
        self.names = frozenset(self.template)
        self.lists = [n for n, d in self.template.items() if type(d) is list]
        self.required = frozenset(n for n, d in self.template.items() if d is REQUIRED)


@cache
def row_spec(table: str) -> RowSpec:
    return RowSpec(table)
