"""The operations behind the commands: each opens the database, calls the planner, the applier
or the journal, and returns plain results for a view to render. No printing here, and nothing
here knows of the command line: ``cli`` parses, calls one of these and renders its result.

One job per module: ``opening`` (the guard, the engine, read and write transactions),
``requests`` (settings and options into a plan request), ``schema`` (init, reset),
``planning`` (plan), ``applying`` (apply, apply a saved plan), ``checking`` (verify, and the
verification inside an apply), ``journal_ops`` (the journal's state, history, undo)."""

from __future__ import annotations

from mentara_seed.operations.applying import ApplyOutcome, apply, apply_saved
from mentara_seed.operations.checking import verify
from mentara_seed.operations.journal_ops import history, journal_state, undo
from mentara_seed.operations.planning import plan
from mentara_seed.operations.requests import Options, request
from mentara_seed.operations.schema import init, reset

__all__ = [
    "ApplyOutcome",
    "Options",
    "apply",
    "apply_saved",
    "history",
    "init",
    "journal_state",
    "plan",
    "request",
    "reset",
    "undo",
    "verify",
]
