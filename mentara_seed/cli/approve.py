"""Approval of the commands that change or remove data, as Terraform asks for it: on a terminal
the user types ``yes``; without one the command is refused unless ``--auto-approve`` (``-y``)
or ``SEED_AUTO_APPROVE=true`` says the change is meant. Only creating rows needs no approval
(the everyday ``seed apply`` stays one command), and a saved plan is its own approval."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from rich.console import Console

from mentara_seed.errors import NotApprovedError
from mentara_seed.planner.plan import Action, Plan

ENV = "SEED_AUTO_APPROVE"


def auto_approved(flag: bool | None) -> bool:
    return bool(flag) or os.environ.get(ENV, "").strip().lower() in ("1", "true", "yes")


def needs_approval(plan: Plan) -> bool:
    """A plan that updates or deletes rows (creates alone are the everyday apply)."""
    counts = plan.counts()
    return bool(counts[Action.UPDATE] or counts[Action.DELETE])


def summary(plan: Plan) -> str:
    counts = plan.counts()
    return (f"{counts.get(Action.CREATE, 0):,} to add, {counts.get(Action.UPDATE, 0):,} to "
            f"change, {counts.get(Action.DELETE, 0):,} to delete")


def ask(console: Console, question: str, *, approved: bool, stdin: TextIO | None = None) -> None:
    """Return when the user approved ``question`` (or ``approved`` says it already is); else
    ``NotApprovedError``, and the caller's transaction rolls back."""
    if approved:
        return
    source = sys.stdin if stdin is None else stdin
    if not _is_terminal(source):
        raise NotApprovedError(
            f"{question} This needs approval, and there is no terminal to ask on. Nothing was "
            "written. Pass --auto-approve (-y) or set SEED_AUTO_APPROVE=true to approve it in "
            "a script."
        )
    console.print(f"\n[bold]{question}[/]\n  Only 'yes' will be accepted to approve.\n")
    console.print("  Enter a value: ", end="")
    answer = source.readline()
    if answer.strip() != "yes":
        raise NotApprovedError("Not approved (only 'yes' approves); nothing was written.")


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
