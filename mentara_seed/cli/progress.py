"""Progress for long runs: a transient rich progress bar per phase (snapshot, each enricher,
each table written) on a terminal, after about a second; nothing at all in CI logs or pipes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

SHOW_AFTER = 1.0


class Phases:
    """Callbacks for the planner (``step``) and the applier (``wrote``); shows a bar only on a
    terminal and only once the work has run for ``SHOW_AFTER`` seconds."""

    def __init__(self, console: Console, steps: int) -> None:
        self.console = console
        self.started = time.monotonic()
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        self.steps = steps
        self.done = 0
        self.label = ""

    def _bar(self) -> Progress | None:
        if self.progress is None and self.console.is_terminal and (
                time.monotonic() - self.started) >= SHOW_AFTER:
            self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                     TextColumn("{task.completed}/{task.total}"),
                                     TimeElapsedColumn(), console=self.console, transient=True)
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=self.steps,
                                               completed=self.done)
        return self.progress

    def step(self, name: str) -> None:
        self.done += 1
        self.label = "planning: snapshot" if name == "snapshot" else f"planning: {name}"
        bar = self._bar()
        if bar is not None and self.task is not None:
            bar.update(self.task, description=self.label, completed=self.done)

    def writing(self, batches: int) -> None:
        """The plan is shown; from here on the bar counts the table batches written."""
        self.stop()
        self.steps, self.done = max(batches, 1), 0

    def wrote(self, table: str, rows: int) -> None:
        """A batch of ``rows`` rows of ``table`` is written; ``rows`` 0: ``table`` names a step
        after the last batch (the indexes and keys of a schema created for this apply)."""
        self.done += 1
        self.steps = max(self.steps, self.done)
        self.label = f"writing: {table} ({rows:,} rows)" if rows else f"writing: {table}"
        bar = self._bar()
        if bar is not None and self.task is not None:
            bar.update(self.task, description=self.label, completed=self.done,
                       total=self.steps)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


@contextmanager
def phases(console: Console, steps: int) -> Iterator[Phases]:
    tracker = Phases(console, steps)
    try:
        yield tracker
    finally:
        tracker.stop()
