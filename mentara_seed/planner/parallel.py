"""Running the enrichers on two cores, with the very rows one core would plan.

Enrichers run in the selection's order, each seeing the rows the ones before it planned. Most
of them only read what few others write: after the tier-0/1 enrichers (users, communities,
memberships, …) the rest fall into *chains* that never look at each other (the community side:
posts, comments, hearts; the therapy side: meetings, reviews, payments; messages; …) and a few
that read several chains (notifications, reports).

``run`` plans the head in this process, then forks one worker: the two take the chains one at a
time, in turn, from a shared counter; then the tail runs here on everything. An enricher then
runs earlier or later than in the selection's order relative to enrichers of other chains, so
each one's reads of the projection are recorded (``PlanContext.reads``) and checked: if one read
a table that an enricher ordered differently writes, what it saw might differ, and ``run``
returns None for the caller to plan in the one order instead. The result is the same either
way; only the time differs.

The worker gets its state by ``fork`` (copy-on-write, nothing serialized) and sends back only the
rows it planned. Where there is no ``fork`` (Windows) or no second core, nothing runs here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from mentara_seed.enrichers.registry import Enricher
from mentara_seed.planner.context import EVERY_TABLE, PlanContext
from mentara_seed.schema.values import Row

T = TypeVar("T")
Rows = dict[str, dict[str, Row]]
RunOne = Callable[[Enricher], Rows]
Merge = Callable[[Enricher, Rows], None]


@dataclass(frozen=True)
class Split:
    """The selection's order cut in three: the head, the chains, the tail."""

    head: list[Enricher]
    chains: list[list[Enricher]]
    tail: list[Enricher]


def available() -> bool:
    """Whether this machine can run a worker: ``fork`` and at least two cores."""
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) >= 2


def split(enrichers: list[Enricher]) -> Split | None:
    """The head (tiers 0 and 1, which everything reads), the chains and the tail. Two enrichers
    after the head are linked when one depends on the other or declares reading a table the
    other writes; linked enrichers form a chain, except that an enricher nothing depends on
    that links several chains joins the tail instead. None when there are not two chains."""
    head = [e for e in enrichers if e.tier <= 1]
    if enrichers[:len(head)] != head:
        return None
    rest = enrichers[len(head):]
    links: dict[str, set[str]] = {}
    for e in rest:
        links[e.name] = {x.name for x in rest if x is not e and (
            x.name in e.depends_on or set(e.reads) & set(x.writes))}
    linked_to = {x for ls in links.values() for x in ls}
    group = {e.name: e.name for e in rest}

    def find(name: str) -> str:
        while group[name] != name:
            group[name] = group[group[name]]
            name = group[name]
        return name

    for e in rest:  # enrichers others build on: one chain with everything they touch
        if e.name in linked_to:
            for x in sorted(links[e.name]):
                group[find(x)] = find(e.name)
    tail: list[Enricher] = []
    for e in rest:  # the others join their one chain, or the tail when they read several
        if e.name in linked_to:
            continue
        joined = sorted({find(x) for x in links[e.name]})
        if len(joined) > 1:
            tail.append(e)
        elif joined:
            group[e.name] = joined[0]
    chains: dict[str, list[Enricher]] = {}
    for e in rest:
        if e not in tail:
            chains.setdefault(find(e.name), []).append(e)
    if len(chains) < 2:
        return None
    position = {e.name: i for i, e in enumerate(enrichers)}
    # Largest first, so the two cores end together; ties in the selection's order.
    ordered = sorted(chains.values(), key=lambda c: (-len(c), position[c[0].name]))
    return Split(head, ordered, tail)


def run(ctx: PlanContext, enrichers: list[Enricher], run_one: RunOne, merge: Merge,
        on_step: Callable[[str], None] | None = None) -> dict[str, Rows] | None:
    """Every enricher's rows (by name), planned on two cores. ``run_one(e)`` plans ``e`` on
    ``ctx`` (and makes its rows visible there); ``merge(e, rows)`` makes rows the worker
    planned visible here. None when the enrichers do not split into independent chains, the
    worker failed, or an enricher read what an enricher ordered differently writes (then
    ``ctx`` is spent: plan again in order, with a new context)."""
    cut = split(enrichers) if available() else None
    if cut is None:
        return None
    produced: dict[str, Rows] = {}
    for e in cut.head:
        if on_step is not None:
            on_step(e.name)
        produced[e.name] = run_one(e)
    context = multiprocessing.get_context("fork")
    turn = context.Value("i", 0)
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(ctx, cut.chains, run_one, turn, send),
                             daemon=True)
    worker.start()
    send.close()
    try:
        mine = _take_turns(ctx, cut.chains, run_one, turn, on_step)
        theirs = receive.recv()
    except EOFError:
        return None  # the worker died without a word
    finally:
        if worker.is_alive():
            worker.kill()  # done sending, or this side failed and its share is of no use
        worker.join()
        receive.close()
    if theirs is None:
        return None  # it failed; planning in order shows the error with its traceback
    reads: dict[str, set[str]] = {}
    for name, (rows, read) in mine.items():
        produced[name], reads[name] = rows, read
    by_name = {e.name: e for c in cut.chains for e in c}
    for name, (rows, read) in theirs.items():
        if on_step is not None:
            on_step(name)
        produced[name], reads[name] = rows, read
        merge(by_name[name], rows)
    for e in cut.tail:
        if on_step is not None:
            on_step(e.name)
        ctx.reads = set()
        produced[e.name] = run_one(e)
        reads[e.name] = ctx.reads
    ctx.reads = None
    return produced if _independent(enrichers, cut, reads) else None


def _take_turns(ctx: PlanContext, chains: list[list[Enricher]], run_one: RunOne,
                turn: Any, on_step: Callable[[str], None] | None,
                ) -> dict[str, tuple[Rows, set[str]]]:
    """Run chains until none is left, taking the next one from the shared counter."""
    done: dict[str, tuple[Rows, set[str]]] = {}
    while True:
        with turn.get_lock():
            index = turn.value
            turn.value += 1
        if index >= len(chains):
            return done
        for e in chains[index]:
            if on_step is not None:
                on_step(e.name)
            ctx.reads = set()
            rows = run_one(e)
            done[e.name] = (rows, ctx.reads)
            ctx.reads = None


def _work(ctx: PlanContext, chains: list[list[Enricher]], run_one: RunOne, turn: Any,
          send: Any) -> None:
    """The worker: its share of the chains, sent back; None if anything failed."""
    try:
        result: dict[str, tuple[Rows, set[str]]] | None = _take_turns(
            ctx, chains, run_one, turn, None)
    except BaseException:  # noqa: BLE001 - the parent plans again in order and reports it
        result = None
    send.send(result)
    send.close()


def _independent(enrichers: list[Enricher], cut: Split, reads: dict[str, set[str]]) -> bool:
    """Whether every enricher saw what it would have seen in the selection's order: of the
    tables it read, each has the same writers before it here as in that order."""
    position = {e.name: i for i, e in enumerate(enrichers)}
    chain_of = {e.name: i for i, c in enumerate(cut.chains) for e in c}
    moved = [e for c in cut.chains for e in c] + cut.tail
    for e in moved:
        read = reads[e.name]
        if EVERY_TABLE in read:
            return False
        for other in moved:
            if other is e or not read & set(other.writes):
                continue
            if e.name in chain_of and other.name in chain_of:
                if chain_of[e.name] != chain_of[other.name]:
                    return False  # another chain: it may have run before, or not
                continue  # a chain runs in order
            if e.name not in chain_of and other.name not in chain_of:
                continue  # the tail runs in order
            # A chain runs before the whole tail here.
            before_here = other.name in chain_of
            if before_here != (position[other.name] < position[e.name]):
                return False
    return True


def start(work: Callable[[], T]) -> Callable[[], T | None] | None:
    """Run ``work`` in a forked worker, while this process goes on; returns what waits for the
    result (None if the worker failed), or None where there is no worker to run it on. For
    pure work over data this process holds (fingerprints of a plan's rows): the worker sees it
    by ``fork`` and sends back only the result."""
    if not available():
        return None
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_compute, args=(work, send), daemon=True)
    worker.start()
    send.close()

    def result() -> T | None:
        try:
            found: T | None = receive.recv()
        except EOFError:
            found = None
        finally:
            if worker.is_alive():
                worker.kill()
            worker.join()
            receive.close()
        return found

    return result


def _compute(work: Callable[[], Any], send: Any) -> None:
    try:
        result = work()
    except BaseException:  # noqa: BLE001 - the caller computes it itself
        result = None
    send.send(result)
    send.close()
