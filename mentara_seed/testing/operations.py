"""Running the seeder exactly as the CLI does, with the registry under test: ``Run`` (the
inputs of one run besides the database), ``seed plan``, ``apply``, ``verify`` and ``undo``, and
which enricher desires each row."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import sqlalchemy as sa

from mentara_seed import operations
from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import Registry, Violation
from mentara_seed.errors import SeedError
from mentara_seed.planner import plan_json, running
from mentara_seed.planner.plan import Plan
from mentara_seed.settings import Settings
from mentara_seed.testing.messages import _refusals
from mentara_seed.testing.reading import ownership, snapshot

DEFAULT_ANCHOR = dt.date(2026, 11, 16)


@dataclass(frozen=True)
class Run:
    """The inputs of one seeder run besides the database: profile, project seed, anchor, bcrypt
    cost (4: fast, and the same in every process) and minimum overrides. SEED_* variables and
    seed.toml are ignored, so a test's run is exactly what it says."""

    profile: str = "light"
    seed: int = 0
    anchor: dt.date = DEFAULT_ANCHOR
    password_cost: int = 4
    minimums: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def settings(self, url: str) -> Settings:
        return Settings.model_construct(
            database_url=url, profile=self.profile, seed=self.seed, anchor=self.anchor,
            password_cost=self.password_cost, skip_verify=True, full=True,
            minimums={k: dict(v) for k, v in self.minimums.items()})

    def to_json(self) -> str:
        return json.dumps({"profile": self.profile, "seed": self.seed,
                           "anchor": self.anchor.isoformat(),
                           "password_cost": self.password_cost, "minimums": self.minimums},
                          sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Run:
        doc = json.loads(text)
        return cls(doc["profile"], doc["seed"], dt.date.fromisoformat(doc["anchor"]),
                   doc["password_cost"], doc["minimums"])

    def __str__(self) -> str:
        return f"profile {self.profile}, seed {self.seed}, anchor {self.anchor.isoformat()}"


def _command(targets: Sequence[str] = (), prune: bool = False, update: bool = False,
             destroy: bool = False) -> str:
    words = ["seed destroy" if destroy else "seed apply"]
    words += [f"--target {t}" for t in targets]
    words += ["--update"] * update + ["--prune"] * prune
    return " ".join(words)


def plan(url: str, run: Run, registry: Registry = REGISTRY, *, targets: Sequence[str] = (),
         prune: bool = False, update: bool = False, destroy: bool = False) -> Plan:
    """``seed plan`` with these options: the plan, nothing written."""
    options = operations.Options(tuple(targets), (), prune, update, destroy)
    return operations.plan(run.settings(url), options, registry).plan


def plan_text(url: str, run: Run, registry: Registry = REGISTRY) -> str:
    """``seed plan --format json``: the canonical plan document, as bytes are compared."""
    return plan_json.render(plan(url, run, registry))


def apply(url: str, run: Run, registry: Registry = REGISTRY, *, targets: Sequence[str] = (),
          prune: bool = False, update: bool = False, destroy: bool = False,
          on_plan: Callable[[Plan], None] | None = None,
          checked: bool = False) -> operations.ApplyOutcome:
    """``seed apply`` (or ``seed destroy``); a refused apply is an AssertionError that says
    which planned row the database refused and why. ``checked``: with the check before
    commit (a plain ``seed apply``), which refuses to commit a state that breaks a rule by
    the seeder's rows; the kit's runs skip it unless asked."""
    options = operations.Options(tuple(targets), (), prune, update, destroy)
    hook = None if on_plan is None else (lambda result: on_plan(result.plan))
    settings = run.settings(url).model_copy(update={"skip_verify": not checked})
    try:
        return operations.apply(settings, options, registry, on_plan=hook)
    except SeedError as error:
        command = _command(targets, prune, update, destroy)
        lines = [f"`{command}` failed ({run}): {error}"]
        with suppress(SeedError, sa.exc.SQLAlchemyError):
            planned = plan(url, run, registry, targets=targets, prune=prune, update=update,
                           destroy=destroy)
            lines += _refusals(planned, snapshot(url), ownership(url))
        raise AssertionError("\n".join(lines)) from error


def verify(url: str, run: Run, registry: Registry = REGISTRY) -> list[Violation]:
    return operations.verify(run.settings(url), operations.Options(), registry)


def undo(url: str, run: Run) -> Plan:
    """``seed undo``: revert the latest apply."""
    try:
        done, _ = operations.undo(run.settings(url), None)
    except SeedError as error:
        raise AssertionError(f"`seed undo` failed: {error}") from error
    return done


def desired_rows(url: str, run: Run, registry: Registry = REGISTRY, *,
                 prune: bool = False) -> dict[str, dict[str, str]]:
    """Which enricher desires each row right now: table -> pk -> enricher name, as the plan
    (with or without ``--prune``) sees it. The planner keeps this to itself, so the kit
    listens to its enricher loop while planning."""
    heard: list[dict[str, dict[str, str]]] = []
    loop = running.run_enrichers

    def listen(*args: Any, **kwargs: Any) -> Any:
        found = loop(*args, **kwargs)
        heard.append(found[1])
        return found

    with mock.patch.object(running, "run_enrichers", listen):
        plan(url, run, registry, prune=prune)
    return heard[-1] if heard else {}
