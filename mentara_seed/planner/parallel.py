"""Running the enrichers on two cores, with the very rows one core would plan.

Enrichers run in the selection's order, each seeing the rows the ones before it planned. Most
of them only read what few others write: after the tier-0/1 enrichers (users, communities,
memberships, …) the rest fall into *chains* that never look at each other (the community side:
posts, comments; the therapy side: meetings, reviews, payments; messages; …) and enrichers that
build on a chain without anything building on them (hearts, notifications, reports).

``run`` plans the head in this process, then forks one worker: the two take the chains one at a
time, in turn, from a shared counter; then the enrichers that build on them form the next
stage's chains the same way (they do not read each other), and so on. An enricher then
runs earlier or later than in the selection's order relative to enrichers of other chains, so
each one's reads of the projection are recorded (``PlanContext.reads``) and checked: if one read
a table that an enricher ordered differently writes, what it saw might differ, and ``run``
returns None for the caller to plan in the one order instead. The result is the same either
way; only the time differs.

The worker gets its state by ``fork`` (copy-on-write, nothing serialized) and sends back only the
rows it planned. Where there is no ``fork`` (Windows) or no second core, nothing runs here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from mentara_seed.enrichers.registry import Enricher
from mentara_seed.planner.context import EVERY_TABLE, PlanContext
from mentara_seed.schema.values import Row

T = TypeVar("T")
X = TypeVar("X")
Rows = dict[str, dict[str, Row]]
RunOne = Callable[[Enricher], Rows]
Merge = Callable[[Enricher, Rows], None]


@dataclass(frozen=True)
class Split:
    """The selection's order cut up: the head, then stages of chains, each stage after the
    one before it."""

    head: list[Enricher]
    stages: list[list[list[Enricher]]]


def _fork() -> Any:
    import multiprocessing

    return multiprocessing.get_context("fork")


def available() -> bool:
    """Whether this machine can run a worker: ``fork`` and at least two cores."""
    import multiprocessing  # here, not at import: a no-op plan never starts a worker

    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) >= 2


def split(enrichers: list[Enricher]) -> Split | None:
    """The head (tiers 0 and 1, which everything reads), then stages. Two enrichers of a stage
    are linked when one depends on the other or declares reading a table the other writes;
    linked enrichers form a chain, except that an enricher nothing in the stage builds on
    waits for the next stage, where such enrichers no longer link anything (hearts after
    posts and comments; notifications and reports, which read everything): the next stage's
    chains are then many and short, and the two cores end a stage together.
    None when no stage has two chains to share."""
    head = [e for e in enrichers if e.tier <= 1]
    if enrichers[:len(head)] != head:
        return None
    stages: list[list[list[Enricher]]] = []
    rest = enrichers[len(head):]
    while rest:
        chains, rest = _chains(rest, {e.name: i for i, e in enumerate(enrichers)})
        stages.append(chains)
    if not any(len(chains) > 1 for chains in stages):
        return None
    return Split(head, stages)


def _chains(rest: list[Enricher], position: dict[str, int],
            ) -> tuple[list[list[Enricher]], list[Enricher]]:
    """One stage's chains (longest first, so that two cores end together) and what waits."""
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
    later: list[Enricher] = []
    for e in rest:  # the others wait for the next stage, where they do not link each other
        if e.name not in linked_to and links[e.name]:
            later.append(e)
    chains: dict[str, list[Enricher]] = {}
    for e in rest:
        if e not in later:
            chains.setdefault(find(e.name), []).append(e)
    ordered = sorted(chains.values(), key=lambda c: (-len(c), position[c[0].name]))
    return ordered, later


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
    reads: dict[str, set[str]] = {}
    for chains in cut.stages:
        done = _stage(ctx, chains, run_one, merge, on_step)
        if done is None:
            return None
        for name, (rows, read) in done.items():
            produced[name], reads[name] = rows, read
    return produced if _independent(enrichers, cut, reads) else None


def _stage(ctx: PlanContext, chains: list[list[Enricher]], run_one: RunOne, merge: Merge,
           on_step: Callable[[str], None] | None,
           ) -> dict[str, tuple[Rows, set[str]]] | None:
    """One stage's chains, shared with a forked worker when there are several: each enricher's
    rows and the tables it read. None if the worker failed."""

    def run_chain(chain: list[Enricher], here: bool) -> dict[str, tuple[Rows, set[str]]]:
        done: dict[str, tuple[Rows, set[str]]] = {}
        for e in chain:
            if here and on_step is not None:
                on_step(e.name)
            ctx.reads = set()
            done[e.name] = (run_one(e), ctx.reads)
            ctx.reads = None
        return done

    def run_chain_there(chain: list[Enricher], here: bool) -> Any:
        # The worker's warnings travel back with its rows; here they are in ``ctx`` already.
        done = run_chain(chain, here)
        return done if here else (done, {n: ctx.warnings.get(n, []) for n in done})

    if len(chains) == 1:
        return run_chain(chains[0], True)
    shared = _shared(chains, run_chain_there)
    if shared is None:
        return None  # planning in order shows a failure with its traceback
    mine, sent = shared
    theirs = {i: done for i, (done, _) in sent.items()}
    for _, warned in sent.values():
        ctx.warnings.update((name, found) for name, found in warned.items() if found)
    by_name = {e.name: e for c in chains for e in c}
    found: dict[str, tuple[Rows, set[str]]] = {}
    for done in mine.values():
        found.update(done)
    for done in theirs.values():
        for name, (rows, read) in done.items():
            if on_step is not None:
                on_step(name)
            merge(by_name[name], rows)  # visible here, as it would have been in order
            found[name] = (rows, read)
    return found


def _independent(enrichers: list[Enricher], cut: Split, reads: dict[str, set[str]]) -> bool:
    """Whether every enricher saw what it would have seen in the selection's order: of the
    tables it read, each has the same writers before it here as in that order. Here an
    enricher of an earlier stage ran before, one of a later stage after, one of its own chain
    in order, and one of another chain of its stage maybe before, maybe after."""
    position = {e.name: i for i, e in enumerate(enrichers)}
    place = {e.name: (s, c) for s, chains in enumerate(cut.stages)
             for c, chain in enumerate(chains) for e in chain}
    moved = [e for chains in cut.stages for chain in chains for e in chain]
    for e in moved:
        read = reads[e.name]
        if EVERY_TABLE in read:
            return False
        stage, chain = place[e.name]
        for other in moved:
            if other is e or not read & set(other.writes):
                continue
            other_stage, other_chain = place[other.name]
            if other_stage == stage and other_chain != chain:
                return False
            before_here = other_stage < stage or (
                other_stage == stage and position[other.name] < position[e.name])
            if before_here != (position[other.name] < position[e.name]):
                return False
    return True


def start_each(work: Callable[[], Iterable[T]]) -> Callable[[], list[T] | None] | None:
    """Run ``work`` in a forked worker, while this process goes on; returns what waits for the
    result (None if the worker failed), or None where there is no worker to run it on. For
    pure work over data this process holds (the journal values of a plan's rows): the worker
    sees it by ``fork`` and sends back only the result, in the parts ``work`` yields, each as
    it is done, so neither process holds the whole result as one message (at a million rows
    that message and its copy were some 300 MB)."""
    if not available():
        return None
    context = _fork()
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_compute_each, args=(work, send), daemon=True)
    worker.start()
    send.close()

    def result() -> list[T] | None:
        parts: list[T] = []
        try:
            while (part := receive.recv()) is not _Done:
                parts.append(part)
        except EOFError:
            return None  # the worker failed: the caller computes it itself
        finally:
            _done_with(worker, receive)
        return parts

    return result


def _done_with(worker: Any, receive: Any) -> None:
    """The worker ended (killed if it still runs: it sent all there is, or this side failed)
    and its pipe closed."""
    if worker.is_alive():
        worker.kill()
    worker.join()
    receive.close()


class _Done:
    """The end of a worker's parts (a class: pickled by reference, the same object back)."""


def _compute_each(work: Callable[[], Iterable[Any]], send: Any) -> None:
    try:
        for part in work():
            send.send(part)
        send.send(_Done)
    except BaseException:  # noqa: BLE001 - the caller computes it itself
        pass
    send.close()


def map_shared(items: Sequence[X], work: Callable[[X], T]) -> list[T] | None:
    """``work`` over ``items`` on both cores: a forked worker and this process take the items
    one at a time from a shared counter. The results in the items' order; None where there is
    no worker, or when it failed (then the caller works through the items itself)."""
    if len(items) < 2 or not available():
        return None
    shared = _shared(items, lambda item, here: work(item))
    if shared is None:
        return None
    done = {**shared[0], **shared[1]}
    return [done[i] for i in range(len(items))]


def _shared(items: Sequence[X], work: Callable[[X, bool], T],
            ) -> tuple[dict[int, T], dict[int, T]] | None:
    """``work(item, here)`` for every item, this process and a forked worker taking the next
    item in turn (``here`` False in the worker): by index, what was done here and what there.
    None if the worker failed."""
    context = _fork()
    turn = context.Value("i", 0)
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_worker, args=(items, work, turn, send), daemon=True)
    worker.start()
    send.close()
    try:
        mine = _turns(items, work, turn, True)
        theirs: dict[int, T] | None = receive.recv()
    except EOFError:
        return None  # the worker died without a word
    finally:
        if worker.is_alive():
            worker.kill()  # done sending, or this side failed and its share is of no use
        worker.join()
        receive.close()
    return None if theirs is None else (mine, theirs)


def _turns(items: Sequence[X], work: Callable[[X, bool], T], turn: Any,
           here: bool) -> dict[int, T]:
    """Take the next item from the shared counter until none is left."""
    done: dict[int, T] = {}
    while True:
        with turn.get_lock():
            index = turn.value
            turn.value += 1
        if index >= len(items):
            return done
        done[index] = work(items[index], here)


def _worker(items: Sequence[X], work: Callable[[X, bool], Any], turn: Any, send: Any) -> None:
    """The worker's share, sent back; None if anything failed (the caller then does it all)."""
    try:
        result: dict[int, Any] | None = _turns(items, work, turn, False)
    except BaseException:  # noqa: BLE001 - reported by doing the work again, in order
        result = None
    send.send(result)
    send.close()
