"""The progress bar: shown on a terminal once work runs long enough, never in a pipe, and the
step after the last written table (indexes and keys of a new schema) counts in its total."""

from __future__ import annotations

import io

from rich.console import Console

from mentara_seed.cli import progress


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=terminal, width=100), buffer


def test_a_terminal_gets_a_bar_that_counts_the_finishing_step(monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER", 0.0)
    console, _ = _console(terminal=True)
    with progress.phases(console, steps=3) as tracker:
        tracker.step("snapshot")
        tracker.writing(2)
        tracker.wrote("User", 10)
        tracker.wrote("Post", 20)
        tracker.wrote("indexes and foreign keys", 0)
        assert tracker.progress is not None and tracker.task is not None
        task = tracker.progress.tasks[0]
        assert (task.completed, task.total) == (3, 3)
        assert task.description == "writing: indexes and foreign keys"


def test_a_pipe_gets_no_bar(monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER", 0.0)
    console, buffer = _console(terminal=False)
    with progress.phases(console, steps=2) as tracker:
        tracker.step("snapshot")
        tracker.writing(1)
        tracker.wrote("User", 10)
        assert tracker.progress is None
    assert buffer.getvalue() == ""
