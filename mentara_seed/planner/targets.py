"""``--target`` and ``--exclude``: parsed into a frozen spec, resolved over the enricher graph.

``posts`` selects posts and everything it depends on; ``posts+`` also the enrichers that
depend on posts (and their dependencies). The run order is topological over ``depends_on``,
ties broken by tier, then name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter

from mentara_seed.enrichers.registry import Enricher, Registry
from mentara_seed.errors import SeedError, UnknownTargetError

_TARGET = re.compile(r"^(?P<name>[a-z][a-z0-9-]*)(?P<plus>\+)?$")


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    with_dependents: bool = False

    def __str__(self) -> str:
        return self.name + ("+" if self.with_dependents else "")


@dataclass(frozen=True, slots=True)
class Selection:
    """Which enrichers run, in order, and why (``pulled_in``: dependencies not asked for)."""

    order: tuple[str, ...]
    requested: tuple[str, ...]
    pulled_in: tuple[str, ...]

    @property
    def is_everything(self) -> bool:
        return not self.requested


def parse_target(text: str, registry: Registry) -> Target:
    match = _TARGET.match(text.strip())
    if match is None or match["name"] not in registry:
        name = match["name"] if match else text.strip()
        close = difflib.get_close_matches(name, registry.names(), n=1, cutoff=0.5)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise UnknownTargetError(
            f"Unknown target '{text}'.{hint} Targets are the enricher names: "
            + ", ".join(registry.names())
            + " (a trailing '+' adds the enrichers that depend on it)."
        )
    return Target(match["name"], bool(match["plus"]))


def run_order(registry: Registry, names: Iterable[str] | None = None) -> list[str]:
    wanted = set(registry.names() if names is None else names)
    for name in sorted(wanted):
        for dep in registry[name].depends_on:
            if dep not in registry:
                raise SeedError(f"Enricher '{name}' depends on unknown enricher '{dep}'.")
    graph = {n: {d for d in registry[n].depends_on if d in wanted} for n in wanted}
    sorter = TopologicalSorter(graph)
    try:
        sorter.prepare()
    except CycleError as err:
        raise SeedError(f"Enricher dependencies form a cycle: {' -> '.join(err.args[1])}") from err
    out: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=lambda n: (registry[n].tier, n))
        out.extend(ready)
        sorter.done(*ready)
    return out


def _dependencies(registry: Registry, name: str, into: set[str]) -> None:
    if name in into:
        return
    into.add(name)
    for dep in registry[name].depends_on:
        _dependencies(registry, dep, into)


def _dependents(registry: Registry, name: str) -> set[str]:
    found = {name}
    changed = True
    while changed:
        changed = False
        for e in registry:
            if e.name not in found and found.intersection(e.depends_on):
                found.add(e.name)
                changed = True
    return found


def select(
    registry: Registry, targets: Iterable[str] = (), excludes: Iterable[str] = ()
) -> Selection:
    """The enrichers a run executes for these ``--target`` and ``--exclude`` values."""
    parsed = [parse_target(t, registry) for t in targets]
    excluded = {parse_target(t, registry).name for t in excludes}
    if not parsed:
        everything = set(registry.names()) - excluded
        return Selection(tuple(run_order(registry, everything)), (), ())
    roots: set[str] = set()
    for target in parsed:
        roots |= _dependents(registry, target.name) if target.with_dependents else {target.name}
    chosen: set[str] = set()
    for root in sorted(roots - excluded):
        _dependencies(registry, root, chosen)
    requested = tuple(str(t) for t in parsed)
    order = run_order(registry, chosen)
    pulled = tuple(n for n in order if n not in roots)
    return Selection(tuple(order), requested, pulled)


def enrichers_of(registry: Registry, selection: Selection) -> list[Enricher]:
    return [registry[n] for n in selection.order]
