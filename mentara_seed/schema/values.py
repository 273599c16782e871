"""Row values in canonical form: how live values are normalized, compared, fingerprinted, dumped.

A row is a plain ``dict`` from real column name to value. Values are ``str``, ``int``, ``float``,
``bool``, ``None``, naive UTC ``datetime`` at millisecond precision, ``Decimal`` with the column's
scale, or JSON-compatible ``list``/``dict``. Both databases read back into this form, so a
desired row and a live row are equal exactly when the database holds what the seeder wants.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from typing import Any

import sqlalchemy as sa

Row = dict[str, Any]
Normalizer = Callable[[Any], Any]


def to_ms(value: dt.datetime) -> dt.datetime:
    """Truncate to milliseconds and drop any time zone (``timestamp(3) without time zone``)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    extra = value.microsecond % 1000
    return value.replace(microsecond=value.microsecond - extra) if extra else value


def _norm_datetime(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None and not value.microsecond % 1000:
        return value
    return to_ms(value)


def _norm_decimal(scale: int) -> Normalizer:
    quantum = Decimal(1).scaleb(-scale)

    def norm(value: Any) -> Any:
        if value is None:
            return None
        return Decimal(str(value)).quantize(quantum)

    return norm


def _norm_json(value: Any) -> Any:
    if isinstance(value, str):
        return json.loads(value)
    return value


def _norm_bool(value: Any) -> Any:
    return None if value is None else bool(value)


def _norm_float(value: Any) -> Any:
    return None if value is None else float(value)


def identity(value: Any) -> Any:
    return value


def normalizer(column: sa.Column[Any]) -> Normalizer:
    """The function that brings a value read from ``column`` into canonical form."""
    type_ = column.type
    if isinstance(type_, sa.DateTime):
        return _norm_datetime
    if isinstance(type_, sa.Numeric) and not isinstance(type_, sa.Float):
        return _norm_decimal(type_.scale or 0)
    if isinstance(type_, sa.Float):
        return _norm_float
    if isinstance(type_, sa.Boolean):
        return _norm_bool
    if isinstance(type_, sa.JSON):
        return _norm_json
    return identity


@cache
def table_normalizers(table: sa.Table) -> tuple[tuple[str, Normalizer], ...]:
    return tuple((c.name, normalizer(c)) for c in table.columns)


def normalize_row(table: sa.Table, raw: Mapping[str, Any]) -> Row:
    return {name: raw[name] if norm is identity else norm(raw[name])
            for name, norm in table_normalizers(table)}


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return to_ms(value).isoformat(timespec="milliseconds")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        raise TypeError("sets have no stable order; use a sorted list")
    raise TypeError(f"value of type {type(value).__name__} is not a row value")


def dumps(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, dates as ISO with milliseconds, decimals as text."""
    return json.dumps(value, default=_default, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def fingerprint(row: Mapping[str, Any]) -> str:
    """A short stable digest of a row's values (what the journal records as last applied).

    Rows are in canonical form with their columns in table order, so ``repr`` of the values is
    stable; JSON and array values go through canonical JSON because PostgreSQL's jsonb does not
    keep the key order it was given. Hot path: one call per created row.
    """
    values = list(row.values())
    if not _CONTAINERS.isdisjoint(map(type, values)):
        for i, v in enumerate(values):
            if type(v) in _CONTAINERS and _has_mapping(v):
                values[i] = dumps(v)
    return hashlib.sha256(repr(values).encode()).hexdigest()[:32]


_CONTAINERS = frozenset((dict, list))


def imaged(row: Mapping[str, Any],
           structured: tuple[str, ...] | None = None) -> tuple[str, str]:
    """The row's fingerprint and its values as text (``repr`` of the list of values, in
    column order, which ``from_text`` reads back). One ``repr`` serves both unless a value
    holds a JSON object (the fingerprint takes those as canonical JSON). ``structured``: the
    row's table's ``structured_columns``, the only ones that can (else every value is
    looked at)."""
    values = list(row.values())
    text = repr(values)
    if structured is None:
        nested = not _CONTAINERS.isdisjoint(map(type, values)) and any(
            type(v) in _CONTAINERS and _has_mapping(v) for v in values)
    else:
        nested = any(type(row[c]) in _CONTAINERS and _has_mapping(row[c]) for c in structured)
    if nested:
        return fingerprint(row), text
    return hashlib.sha256(text.encode()).hexdigest()[:32], text


@cache
def structured_columns(table: sa.Table) -> tuple[str, ...]:
    """The columns of ``table`` whose values can hold a JSON object or a list of lists: the
    JSON ones, not the one-dimensional arrays of text or numbers (JSON on SQLite, ``ARRAY``
    on PostgreSQL). A row's fingerprint looks only at these for values to write as canonical
    JSON; skipping the others is a fifth of the journal values' time."""
    from sqlalchemy.dialects import postgresql

    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    out = []
    for column in table.columns:
        if not isinstance(column.type, sa.JSON):
            continue
        there = column.type.dialect_impl(dialect)
        if (isinstance(there, sa.ARRAY) and there.dimensions in (None, 1)
                and not isinstance(there.item_type, sa.JSON | sa.ARRAY)):
            continue
        out.append(column.name)
    return tuple(out)


class _NotAValue(Exception):
    pass


def from_text(text: str) -> list[Any] | None:
    """The values ``imaged`` wrote as text, read back without running any code: literals,
    ``datetime.datetime(...)`` and ``Decimal('...')`` only. None for any other text."""
    try:
        values = _literal(ast.parse(text, mode="eval").body)
    except (_NotAValue, SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
        return None
    return values if isinstance(values, list) else None


def _literal(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List):
        return [_literal(e) for e in node.elts]
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {_literal(k): _literal(v)  # type: ignore[arg-type]
                for k, v in zip(node.keys, node.values, strict=True)}
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)):
        number = node.operand.value
        if type(number) in (int, float):
            return -number  # type: ignore[operator]
    if isinstance(node, ast.Call) and not node.keywords and all(
            isinstance(a, ast.Constant) and type(a.value) in (int, str) for a in node.args):
        args = [a.value for a in node.args]  # type: ignore[attr-defined]
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "datetime"
                and isinstance(func.value, ast.Name) and func.value.id == "datetime"):
            return dt.datetime(*args)
        if isinstance(func, ast.Name) and func.id == "Decimal" and len(args) == 1:
            return Decimal(args[0])
    raise _NotAValue


def _has_mapping(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)


def jsonable(value: Any) -> Any:
    """A value as it appears in a plan document (the inverse of ``from_jsonable``)."""
    if isinstance(value, dt.datetime):
        return to_ms(value).isoformat(timespec="milliseconds")
    if isinstance(value, Decimal):
        return str(value)
    return value


def from_jsonable(column: sa.Column[Any], value: Any) -> Any:
    """A value from a plan document back in canonical row form for ``column``."""
    if value is None:
        return None
    type_ = column.type
    if isinstance(type_, sa.DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(type_, sa.Numeric) and not isinstance(type_, sa.Float):
        return Decimal(value)
    return value
