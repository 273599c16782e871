"""The enricher registry: every enricher's name, tables, dependencies, tier, minimums and code.

Enrichers register through the ``enricher`` decorator into ``REGISTRY``; a duplicate name is an
error. Tests that add enrichers of their own work on ``REGISTRY.copy()``, never on the original.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, field_validator

if TYPE_CHECKING:
    from mentara_seed.planner.context import PlanContext
    from mentara_seed.planner.snapshot import LiveState

DesiredRow = tuple[str, dict[str, Any]]


MAX_COUNT = 1_000_000  # any one minimum


class Minimums(BaseModel):
    """An enricher's minimums: field defaults are the ``medium`` profile; ``PROFILES`` holds the
    ``light``/``heavy`` overrides and ``SCALED`` the volume fields ``--scale`` multiplies."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {}
    SCALED: ClassVar[tuple[str, ...]] = ()

    @field_validator("*", mode="after")
    @classmethod
    def _within_memory(cls, value: Any) -> Any:
        """A count above ``MAX_COUNT`` is a typo (3000000000 clients): the plan holds every row
        in memory (about 1 KB a row), so it would run until the machine has none left. The
        heaviest profile at the largest --scale stays below it (800,000 clients)."""
        if type(value) is int and value > MAX_COUNT:
            raise ValueError(f"at most {MAX_COUNT:,}: the plan holds every row it makes in "
                             "memory, so a count this large would not fit")
        return value

    @classmethod
    def resolve(cls, profile: str, scale: int = 1, overrides: dict[str, Any] | None = None) -> Self:
        values: dict[str, Any] = dict(cls.PROFILES.get(profile, {}))
        defaults = cls.model_fields
        for name in cls.SCALED:
            base = values.get(name, defaults[name].default)
            values[name] = base * scale
        values.update(overrides or {})
        return cls.model_validate(values)


class NoMinimums(Minimums):
    """For an enricher with nothing to configure."""


_SHORTFALL = re.compile(r"(?<![\w/])\d+/\d+(?![\w/])")


@dataclass(frozen=True, slots=True)
class Violation:
    """A minimum or consistency rule that does not hold, with the entity it concerns.

    A minimum's message states its count as have/want ("3/5 posts"): that is how verification
    tells a minimum (the seeder's to meet, whoever the entity is) from a rule. A rule names the
    rows that break it by their keys, in ``entity`` or ``message``, so that verification can
    tell a rule broken by the seeder's rows from one broken by the app's or a person's."""

    enricher: str
    entity: str
    message: str
    # Set by verification when the rule names a row the seeder does not own (the app's data)
    # or an owned row edited since its apply: reported as a warning, never failed on, since
    # the seeder changes neither.
    foreign: bool = False
    # The keys of the rows at fault, when not every row named is (a row dated before the row
    # it depends on names that row too, but only the late one is at fault); empty: all named.
    rows: tuple[str, ...] = ()
    # The keys of the rows the rule was checked against (a summary's data): not at fault,
    # but one a person edited, or the app wrote, is why it breaks (a warning).
    inputs: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.enricher}: {self.entity}: {self.message}"

    @property
    def is_minimum(self) -> bool:
        return _SHORTFALL.search(self.message) is not None

    def named(self) -> set[str]:
        """The keys of the rows at fault: ``rows``, or else every word of the entity and the
        message (as keys they may be)."""
        if self.rows:
            return set(self.rows)
        return {w.strip(",:;()'\"") for w in f"{self.entity} {self.message}".split()}

    def as_json(self) -> dict[str, object]:
        return {"enricher": self.enricher, "entity": self.entity, "message": self.message,
                "kind": "minimum" if self.is_minimum else "rule",
                "severity": "warning" if self.foreign else "error"}


PlanFn = Callable[["PlanContext", Any], Iterable[DesiredRow]]
VerifyFn = Callable[["LiveState", Any], Iterator[Violation]]


def _no_verify(live: LiveState, need: Any) -> Iterator[Violation]:
    return iter(())


@dataclass(frozen=True, slots=True)
class Enricher:
    """One unit of seeding logic. ``plan`` is pure: it reads the projected state through the
    context and yields desired rows of the tables in ``writes``; ``verify`` reads a live
    snapshot and yields the minimums that do not hold."""

    name: str
    writes: tuple[str, ...]
    depends_on: tuple[str, ...]
    tier: int
    minimums: type[Minimums]
    plan: PlanFn
    verify: VerifyFn = _no_verify
    summary: str = ""
    reads: tuple[str, ...] = field(default=())
    # Tables of ``writes`` whose owned rows it keeps for being there (beyond what it picks):
    # such a row deleted by hand is handed back to it as last applied (``PlanContext.gone``),
    # so that it comes back as it was, as the journal's restore gives it back.
    restores: tuple[str, ...] = field(default=())

    def violations(self, live: LiveState, need: Any) -> list[Violation]:
        """Every minimum and rule of this enricher that does not hold in ``live``: its own
        ``verify``, and the happens-after relations of the tables it writes
        (``schema.timeline``), each naming the late row as the one at fault and the row it
        follows as read (a person who re-dated that row made the other one late: theirs)."""
        from mentara_seed.schema import timeline

        return list(self.verify(live, need)) + [
            Violation(self.name, f"{late.relation.table} {late.key}", late.describe(),
                      rows=(late.key,), inputs=(late.parent_key,))
            for late in timeline.late(live, self.writes)]


class DuplicateEnricherError(ValueError):
    pass


class Registry:
    """Enrichers by name, in registration order. Rejects duplicates and unknown dependencies
    at resolution time."""

    def __init__(self, enrichers: Iterable[Enricher] = ()) -> None:
        self._by_name: dict[str, Enricher] = {}
        for e in enrichers:
            self.add(e)

    def add(self, enricher: Enricher) -> Enricher:
        if enricher.name in self._by_name:
            raise DuplicateEnricherError(f"an enricher named {enricher.name!r} is registered")
        self._by_name[enricher.name] = enricher
        return enricher

    def copy(self) -> Registry:
        return Registry(self._by_name.values())

    def names(self) -> list[str]:
        return list(self._by_name)

    def __getitem__(self, name: str) -> Enricher:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Enricher]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def writer_of(self, table: str) -> Enricher | None:
        for e in self._by_name.values():
            if table in e.writes:
                return e
        return None


REGISTRY = Registry()


def enricher(
    name: str,
    *,
    writes: Iterable[str],
    depends_on: Iterable[str] = (),
    tier: int,
    minimums: type[Minimums] = NoMinimums,
    verify: VerifyFn = _no_verify,
    reads: Iterable[str] = (),
    restores: Iterable[str] = (),
    registry: Registry | None = None,
) -> Callable[[PlanFn], Enricher]:
    """Register the decorated function as the ``plan`` of an enricher named ``name``.

    The function's docstring becomes the enricher's summary in ``seed docs`` and ``seed graph``.
    """

    def register(fn: PlanFn) -> Enricher:
        doc = inspect.cleandoc(fn.__doc__ or "")
        e = Enricher(
            name=name,
            writes=tuple(writes),
            depends_on=tuple(depends_on),
            tier=tier,
            minimums=minimums,
            plan=fn,
            verify=verify,
            summary=doc,
            reads=tuple(reads),
            restores=tuple(restores),
        )
        return (registry or REGISTRY).add(e)

    return register
