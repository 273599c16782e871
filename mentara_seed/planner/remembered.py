"""Settings remembered from the journal, as a plan uses them.

A run that is not given a setting (no flag, no ``SEED_*`` variable, no seed.toml key) takes it
from the journal's last apply (``settings.remember``); ``SettingsOrigin`` says which
settings came from there and which given ones differ, for the plan's header. Two rules keep a
change of settings from breaking a seeded database:

- **Minimums are minimums.** A minimum that goes down (a lower profile, scale or override)
  leaves the rows beyond it where they are: they still count. So a minimum lowered without
  ``--prune`` stays in force at the value applied before (``kept_minimums``), and the plan is
  what the earlier settings would plan. ``--prune`` (for the enrichers it runs) and ``seed
  destroy`` bring the minimums down to the settings' own; the journal records what was kept
  (``settings.kept``), so the next run keeps it too.
- **Another project seed is another data set.** Every id and value derives from the project
  seed, so a database holding owned rows of one seed cannot take another's: their rows would
  sit next to each other and collide on natural keys. ``refuse_other_seed`` says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from mentara_seed.enrichers.registry import Enricher, Minimums, Registry
from mentara_seed.errors import ProjectSeedError
from mentara_seed.planner.targets import Selection
from mentara_seed.state.journal import AppliedSettings, JournalState


@dataclass(frozen=True)
class SettingsOrigin:
    """Where a request's settings come from, relative to the journal's last apply. Shown in the
    plan's header; it never changes what is planned (``kept_minimums`` and the refused seed
    use ``previous``, the last apply's settings, directly)."""

    previous: AppliedSettings | None = None
    remembered: tuple[str, ...] = ()  # settings not given, taken from ``previous``
    changed: tuple[tuple[str, str, str], ...] = ()  # (setting, applied, given) that differ
    seed_guard: bool = True  # refuse another project seed (``refuse_other_seed``)

    def note(self) -> dict[str, Any]:
        """The header's ``settings``: {"from": serial, "remembered": [...], "changed":
        [[setting, applied, given], ...]}; empty when nothing was applied before."""
        if self.previous is None:
            return {}
        return {"from": self.previous.serial, "remembered": list(self.remembered),
                "changed": [list(c) for c in self.changed]}


def shown_minimums(minimums: Mapping[str, Mapping[str, Any]] | None) -> str:
    """``[minimums.NAME]`` overrides as one line: ``posts.per_client=6, …``; "none"."""
    parts = [f"{name}.{key}={'***' if key == 'password' else value}"
             for name, fields in sorted((minimums or {}).items())
             for key, value in sorted(fields.items())]
    return ", ".join(parts) or "none"


def renewed(selection: Selection, prune: bool, destroy: bool) -> set[str]:
    """The enrichers whose minimums a run brings down to its settings' own: with --prune the
    ones it runs, with destroy the ones whose rows it deletes."""
    if destroy:
        asked = set(selection.order) - set(selection.pulled_in)
        return asked if selection.requested else set(selection.order)
    return set(selection.order) if prune else set()


def kept_minimums(
    registry: Registry, profile: str, scale: int,
    overrides: Mapping[str, Mapping[str, Any]], previous: AppliedSettings | None,
    renewing: Iterable[str] = (),
) -> dict[str, dict[str, Any]]:
    """Per enricher, the minimums in force after ``previous`` that are above what ``profile``,
    ``scale`` and ``overrides`` ask: they stay in force (see the module's docstring). Only
    numbers and switches are kept (a higher count, share or upper bound leaves more rows);
    enrichers in ``renewing`` keep nothing."""
    if previous is None:
        return {}
    skip = set(renewing)
    out: dict[str, dict[str, Any]] = {}
    for e in registry:
        if e.name in skip:
            continue
        was = _in_force(e, previous)
        now = e.minimums.resolve(profile, scale, dict(overrides.get(e.name, {})))
        raised = {name: value for name, value in was.model_dump().items()
                  if _above(value, getattr(now, name))}
        if raised:
            out[e.name] = raised
    return out


def _in_force(e: Enricher, previous: AppliedSettings) -> Minimums:
    """The minimums of ``e`` the last apply left in force; its settings' own where what the
    journal recorded no longer validates (an enricher changed since)."""
    fields = e.minimums.model_fields
    kept = {k: v for k, v in previous.kept.get(e.name, {}).items() if k in fields}
    own = dict((previous.minimums or {}).get(e.name, {}))
    profile, scale = previous.profile or "medium", previous.scale or 1
    try:
        return e.minimums.resolve(profile, scale, {**own, **kept})
    except ValidationError:
        try:
            return e.minimums.resolve(profile, scale)
        except ValidationError:
            return e.minimums.resolve("medium")


def _above(was: Any, now: Any) -> bool:
    if isinstance(was, bool) or isinstance(now, bool):
        return was is True and now is False
    if isinstance(was, int | float) and isinstance(now, int | float):
        return was > now
    return False


def refuse_other_seed(project_seed: int, origin: SettingsOrigin, state: JournalState) -> None:
    """Raise when the request's project seed is not the one of the data set the journal owns
    rows of (see the module's docstring)."""
    previous = origin.previous
    if (previous is None or not origin.seed_guard or previous.project_seed in (None, project_seed)
            or not state.owned):
        return
    owned = sum(map(len, state.owned.values()))
    was = previous.project_seed
    raise ProjectSeedError(
        f"This database holds the data set of project seed {was} (the seed of apply "
        f"#{previous.serial}; the seeder owns {owned:,} rows there); project seed "
        f"{project_seed} is another data set. The rows there already satisfy the minimums, "
        f"and seed {project_seed}'s rows would sit next to them and collide on their natural "
        "keys, so nothing was planned or written. To replace the data with seed "
        f"{project_seed}'s, run `seed destroy`, then `seed apply --seed {project_seed}` (or "
        f"`seed reset --seed {project_seed}`, which drops every Mentara table first). To keep "
        f"this data, leave --seed out (the journal remembers seed {was}) or pass --seed {was}."
    )
