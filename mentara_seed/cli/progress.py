"""Progress for long runs, on a terminal only and after about a second: one transient bar per
phase (planning: the snapshot and each enricher; writing: the rows), each with a total fixed
when the phase starts, a label of fixed width (the bar does not jump as names change length),
and, while writing, rows per second and the time left. Nothing at all in CI logs or pipes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

SHOW_AFTER = 1.0
LABEL_WIDTH = 34


class _Rate(ProgressColumn):
    """Rows per second, once known."""

    def render(self, task: object) -> Text:
        speed = getattr(task, "speed", None)
        return Text(f"{speed:>9,.0f} rows/s" if speed else " " * 16, style="dim")


def fixed(label: str, width: int = LABEL_WIDTH) -> str:
    """``label`` padded or cut to exactly ``width`` characters."""
    return label.ljust(width) if len(label) <= width else label[: width - 1] + "…"


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
        self.phase = "planning"

    def _columns(self) -> list[ProgressColumn]:
        columns: list[ProgressColumn] = [TextColumn("{task.description}"), BarColumn(),
                                         MofNCompleteColumn()]
        if self.phase == "writing":
            return columns + [_Rate(), TimeRemainingColumn()]
        return columns + [TimeElapsedColumn()]

    def _bar(self) -> Progress | None:
        if self.progress is None and self.console.is_terminal and (
                time.monotonic() - self.started) >= SHOW_AFTER:
            self.progress = Progress(*self._columns(), console=self.console, transient=True)
            self.progress.start()
            self.task = self.progress.add_task(fixed(self.label), total=self.steps,
                                               completed=self.done)
        return self.progress

    def _show(self) -> None:
        bar = self._bar()
        if bar is not None and self.task is not None:
            bar.update(self.task, description=fixed(self.label), completed=self.done)

    def step(self, name: str) -> None:
        self.done = min(self.done + 1, self.steps)
        self.label = f"planning: {name}"
        self._show()

    def writing(self, rows: int) -> None:
        """The plan is shown; from here on a new bar counts the ``rows`` it writes."""
        self.stop()
        self.phase, self.steps, self.done = "writing", max(rows, 1), 0
        self.started = time.monotonic()

    def wrote(self, table: str, rows: int) -> None:
        """A batch of ``rows`` rows of ``table`` is written; ``rows`` 0: ``table`` names a step
        after the last batch (the indexes and keys of a schema created for this apply)."""
        self.done = min(self.done + rows, self.steps)
        self.label = f"writing: {table}"
        self._show()

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
