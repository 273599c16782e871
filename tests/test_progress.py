"""The progress bar: shown on a terminal once work runs long enough, never in a pipe; one bar
per phase whose total is fixed when the phase starts, a label of fixed width, and rows per
second and the time left while writing."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.progress import TimeRemainingColumn

from mentara_seed.cli import progress


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=terminal, width=100), buffer


def test_writing_counts_rows_against_a_total_that_never_changes(monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER", 0.0)
    console, _ = _console(terminal=True)
    with progress.phases(console, steps=3) as tracker:
        tracker.step("snapshot")
        planning = tracker.progress
        assert planning is not None and planning.tasks[0].total == 3
        tracker.writing(30)
        tracker.wrote("User", 10)
        writing = tracker.progress
        assert writing is not None and writing is not planning  # one bar per phase
        tracker.wrote("GroupSessionTherapistInvitations", 20)
        tracker.wrote("indexes and foreign keys", 0)
        task = writing.tasks[0]
        assert (task.completed, task.total) == (30, 30)
        assert task.description.strip() == "writing: indexes and foreign keys"
        assert any(isinstance(c, TimeRemainingColumn) for c in writing.columns)
        assert any(isinstance(c, progress._Rate) for c in writing.columns)


@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", max_size=60), max_size=8))
def test_labels_have_one_width_whatever_the_name(names):
    assert {len(progress.fixed(f"planning: {n}")) for n in names} <= {progress.LABEL_WIDTH}


def test_a_pipe_gets_no_bar(monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER", 0.0)
    console, buffer = _console(terminal=False)
    with progress.phases(console, steps=2) as tracker:
        tracker.step("snapshot")
        tracker.writing(1)
        tracker.wrote("User", 10)
        assert tracker.progress is None
    assert buffer.getvalue() == ""
