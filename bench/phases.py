"""Where one `seed` command spends its time: wall seconds per phase, inside the process.

    /work/venv/bin/python bench/phases.py --database-url URL [--scale 100] -- apply --init

Runs the command in this process (same code path as the `seed` entry point) with timers around
its phases: schema creation, the plan's snapshot, the enrichers, the diff, the write, the
indexes and foreign keys created after the rows, and verification (its own snapshot and checks;
after a fresh apply, beside the server building those indexes). Prints one line per phase,
nested phases indented, each with its share of the total; "other" is what no timer covers
(start-up after imports, lock, commit, output). Imports are timed separately, before the
command runs. The database is used as it is: give it an empty database for a fresh apply
(`--init` creates the schema). See bench/README.md.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_started = time.perf_counter()
import mentara_seed.cli.app as app_module  # noqa: E402
import mentara_seed.operations  # noqa: E402, F401

IMPORTS = time.perf_counter() - _started

# (depth, label, seconds) in the order the phases ended; depth from the nesting at the time.
_spans: list[tuple[int, str, float]] = []
_depth = 0


# Set while the server's work runs on a thread beside verification (``checking.beside``):
# the depth that work is shown at. That thread leaves ``_depth`` to this one.
_beside: list[int] = []


def _timed(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        global _depth
        if _beside and threading.current_thread() is not threading.main_thread():
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                _spans.append((_beside[0], label, time.perf_counter() - start))
        _depth += 1
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _depth -= 1
            _spans.append((_depth, label, time.perf_counter() - start))
    return wrapper


def _timed_beside(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``_timed``, and what runs on the other thread meanwhile shown nested in it."""
    timed = _timed(label, fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _beside.append(_depth + 1)
        try:
            return timed(*args, **kwargs)
        finally:
            _beside.clear()
    return wrapper


_TIMELINE: list[str] = []  # set by --enrichers: one line per enricher run, by process
_ORIGIN = time.perf_counter()


def _logged(run_one: Callable[..., Any]) -> Callable[..., Any]:
    """``running.run_one`` printing when each enricher ran and in which process (a forked
    worker prints its own lines: the clock is the same in both)."""
    main_pid = os.getpid()

    @functools.wraps(run_one)
    def wrapper(ctx: Any, e: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return run_one(ctx, e, *args, **kwargs)
        finally:
            end = time.perf_counter()
            where = "main  " if os.getpid() == main_pid else "worker"
            print(f"  {where} {start - _ORIGIN:8.2f} → {end - _ORIGIN:8.2f}  "
                  f"{end - start:6.2f} s  {e.name}", file=sys.stderr, flush=True)
    return wrapper


def _logged_run(run: Callable[..., Any]) -> Callable[..., Any]:
    """``parallel.run`` printing when the enrichers after the head ran side by side, and
    whether their rows were kept (else the run planned again in the one order)."""
    @functools.wraps(run)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        produced = None
        try:
            produced = run(*args, **kwargs)
            return produced
        finally:
            end = time.perf_counter()
            kept = "kept" if produced is not None else "NOT kept: planned again in order"
            print(f"  both   {start - _ORIGIN:8.2f} → {end - _ORIGIN:8.2f}  "
                  f"{end - start:6.2f} s  (head, then both processes; {kept})",
                  file=sys.stderr, flush=True)
    return wrapper


def _install() -> None:
    from mentara_seed.applier import execute
    from mentara_seed.operations import applying, checking, planning
    from mentara_seed.planner import build, running, shortcut, snapshot, verify
    from mentara_seed.schema import ddl

    read = snapshot.LiveState.read.__func__  # type: ignore[attr-defined]
    snapshot.LiveState.read = classmethod(_timed("snapshot", read))  # type: ignore[assignment]
    running.run_enrichers = _timed("enrichers", running.run_enrichers)
    if _TIMELINE:
        running.run_one = _logged(running.run_one)
        running.parallel.run = _logged_run(running.parallel.run)
    running.diff = _timed("diff", running.diff)
    shortcut.tables_missing_rows = _timed(
        "owned rows against the journal", shortcut.tables_missing_rows)
    shortcut.by_versions = _timed("row versions against the journal", shortcut.by_versions)
    shortcut.journal.recorded = _timed("journal: row images", shortcut.journal.recorded)
    shortcut._read_back = _timed("row images read back", shortcut._read_back)
    shortcut.only_recreates = _timed("check of the recreated rows", shortcut.only_recreates)
    planning.build_plan = applying.build_plan = _timed("plan", planning.build_plan)
    build.journal.read = _timed("journal: read", build.journal.read)
    execute.execute = _timed("write (execute)", execute.execute)
    execute.journal.append = _timed("journal: row events", execute.journal.append)
    checking.verify_minimums = _timed("verify", checking.verify_minimums)
    checking.beside = _timed_beside("the server's work beside verification", checking.beside)
    verify.parallel.map_shared = _timed("on both cores", verify.parallel.map_shared)
    create_for_load = ddl.create_for_load

    def timed_create(conn: Any) -> Any:
        finish = _timed("schema: tables", create_for_load)(conn)
        return _timed("schema: indexes and foreign keys (after the rows)", finish)

    ddl.create_for_load = timed_create


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("command", nargs="+", help="the seed command and its options")
    parser.add_argument("--enrichers", action="store_true",
                        help="also print when each enricher ran, and in which process")
    args = parser.parse_args()
    if args.enrichers:
        _TIMELINE.append("on")
    _install()
    argv = [*args.command, "--database-url", args.database_url, "--scale", str(args.scale),
            "--anchor", "2026-11-16"]
    gc.disable()  # as the `seed` entry point does
    start = time.perf_counter()
    code = app_module.run_cli(argv)
    total = time.perf_counter() - start
    if code not in (0, 2):
        raise SystemExit(code)
    out = sys.stderr
    print(f"\n{'imports (before the command)':<56} {IMPORTS:8.2f} s", file=out)
    top = 0.0
    for depth, _, seconds in _spans:
        if depth == 0:
            top += seconds
    # Children end before their parents: print parents first by walking the spans backwards.
    for depth, label, seconds in _ordered(_spans):
        name = "  " * depth + label
        print(f"{name:<56} {seconds:8.2f} s {seconds / total:6.1%}", file=out)
    print(f"{'other (start-up, lock, commit, output)':<56} {total - top:8.2f} s "
          f"{(total - top) / total:6.1%}", file=out)
    print(f"{'total (in process, after imports)':<56} {total:8.2f} s", file=out)


def _ordered(spans: list[tuple[int, str, float]]) -> list[tuple[int, str, float]]:
    """Spans in start order: each parent before the children that ended before it."""
    out: list[tuple[int, str, float]] = []
    pending: list[list[tuple[int, str, float]]] = [[]]
    for span in spans:
        depth = span[0]
        while len(pending) <= depth + 1:
            pending.append([])
        children = pending[depth + 1]
        pending[depth + 1] = []
        pending[depth].append((span, children))  # type: ignore[arg-type]
    def walk(items: list[Any]) -> None:
        for span, children in items:
            out.append(span)
            walk(children)
    walk(pending[0])
    return out


if __name__ == "__main__":
    main()
