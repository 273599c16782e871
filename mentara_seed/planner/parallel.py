"""Running the enrichers on two cores, with the very rows one core would plan.

Enrichers run in the selection's order, each seeing the rows the ones before it planned. Most
of them only read what few others write, so after the tier-0 enrichers (communities and
users), which everything reads, the rest can run side by side as long as each one sees exactly
the rows it would see in order.

``run`` plans that **head** in this process, then forks one worker. From then on the two
processes schedule themselves: whichever is free takes, from a shared table of states, the
waiting enricher that most others wait for (``Graph.rank``) whose turn has come
(``Graph.after``): every enricher before it in order whose rows it may read is done, and visible
in this process (``Graph.needs``), and every enricher before it in order that may read what it
writes is done, so that one could not have seen its rows. Each process sends the other the
rows of every enricher it finishes (the worker all of them, this process only those an enricher
still waiting may read), on a thread of its own, so that neither waits for the other to read.

What an enricher may read comes from its declarations (``depends_on``, ``reads``, ``writes``);
what it did read is recorded (``PlanContext.reads``) along with which enrichers' rows its process
held when it started. If it read a table whose writer's rows it held although that writer comes
after it in order, or lacked although it comes before, or if the worker failed, ``run`` returns
None for the caller to plan in the one order instead. The result is the same either way; only
the time differs.

The worker gets its state by ``fork`` (copy-on-write, nothing serialized). Where there is no
``fork`` (Windows) or no second core, nothing runs here.
"""

from __future__ import annotations

import os
import pickle
import queue
import threading
from collections.abc import Callable, Sequence
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

_FREE, _TAKEN, _DONE = 0, 1, 2


def _fork() -> Any:
    import multiprocessing

    return multiprocessing.get_context("fork")


def available() -> bool:
    """Whether this machine can run a worker: ``fork`` and at least two cores."""
    import multiprocessing  # here, not at import: a no-op plan never starts a worker

    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) >= 2


@dataclass(frozen=True)
class Graph:
    """The selection's order as a schedule: the head (tier 0, which everything reads)
    runs first; for every enricher after it, the enrichers whose rows it needs to see
    (``needs``: before it in order, writing a table it may read) and those that must be done
    before it starts (``after``: ``needs``, and the enrichers before it in order that may read a
    table it writes). ``rest`` is in the order the two processes prefer: most enrichers
    waiting on it (directly or not) first; of those alike, the one that builds on the most
    (notifications, which tell of everything, are long and come last); then the selection's
    order."""

    head: list[Enricher]
    rest: list[Enricher]
    needs: dict[str, frozenset[str]]
    after: dict[str, frozenset[str]]


def graph(enrichers: list[Enricher]) -> Graph | None:
    """The schedule of ``enrichers`` (in the selection's order); None when there is nothing to
    run side by side: the head is not a prefix of the order, or every enricher after it waits
    for the one before."""
    head = [e for e in enrichers if e.tier == 0]
    if enrichers[:len(head)] != head:
        return None
    rest = enrichers[len(head):]
    position = {e.name: i for i, e in enumerate(rest)}
    by_name = {e.name: e for e in enrichers}
    may_read = {e.name: _may_read(e, by_name) for e in rest}
    needs: dict[str, frozenset[str]] = {}
    after: dict[str, frozenset[str]] = {}
    for e in rest:
        earlier = rest[:position[e.name]]
        needs[e.name] = frozenset(x.name for x in earlier if may_read[e.name] & set(x.writes))
        after[e.name] = needs[e.name] | {x.name for x in earlier
                                         if may_read[x.name] & set(e.writes)}
    waiting = {e.name: _waiting_on(e.name, after) for e in rest}
    if all(len(waiting[e.name]) == len(rest) - 1 - position[e.name] for e in rest):
        return None
    builds_on = {e.name: {x for x, later in waiting.items() if e.name in later} for e in rest}
    ranked = sorted(rest, key=lambda e: (-len(waiting[e.name]), -len(builds_on[e.name]),
                                         position[e.name]))
    return Graph(head, ranked, needs, after)


def _may_read(e: Enricher, by_name: dict[str, Enricher]) -> set[str]:
    """The tables ``e`` may read: its own, the ones it declares, and those of the enrichers it
    depends on."""
    tables = set(e.writes) | set(e.reads)
    for name in e.depends_on:
        if name in by_name:
            tables.update(by_name[name].writes)
    return tables


def _waiting_on(name: str, after: dict[str, frozenset[str]]) -> set[str]:
    """The enrichers that cannot start before ``name`` is done, directly or not."""
    found: set[str] = set()
    todo = [name]
    while todo:
        done = todo.pop()
        for other, before in after.items():
            if done in before and other not in found:
                found.add(other)
                todo.append(other)
    return found


@dataclass(frozen=True)
class _Ran:
    """One enricher's run: its rows, the tables it read, and the enrichers whose rows its
    process held when it started."""

    rows: Rows
    read: frozenset[str]
    held: frozenset[str]


class _Schedule:
    """One process's side of the shared schedule: the states of the enrichers after the head
    (shared by both processes) and the enrichers whose rows this process holds."""

    def __init__(self, plan: Graph, states: Any) -> None:
        self.plan = plan
        self.states = states
        self.index = {e.name: i for i, e in enumerate(plan.rest)}
        self.held = {e.name for e in plan.head}

    def take(self) -> Enricher | None:
        """The enricher this process runs next, marked taken; None when none can start here
        now."""
        states = self.states
        with states.get_lock():
            for i, e in enumerate(self.plan.rest):
                if (states[i] == _FREE and self.plan.needs[e.name] <= self.held
                        and all(states[self.index[x]] == _DONE for x in self.plan.after[e.name])):
                    states[i] = _TAKEN
                    return e
        return None

    def done(self, e: Enricher) -> None:
        with self.states.get_lock():
            self.states[self.index[e.name]] = _DONE
        self.held.add(e.name)

    def waiting(self) -> bool:
        """Whether an enricher is still to be taken."""
        with self.states.get_lock():
            return any(state == _FREE for state in self.states)

    def wanted(self, e: Enricher) -> bool:
        """Whether an enricher still to be taken may need ``e``'s rows."""
        with self.states.get_lock():
            return any(self.states[i] == _FREE and e.name in self.plan.needs[x.name]
                       for i, x in enumerate(self.plan.rest))


class _Sender:
    """Sends pickled messages on a thread of its own: both processes may send at once, and
    neither reads while it runs an enricher."""

    def __init__(self, conn: Any) -> None:
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._send_all, args=(conn,), daemon=True)
        self._thread.start()

    def send(self, message: Any) -> None:
        self._queue.put(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    def close(self) -> None:
        """Once everything queued is sent (or the other side is gone)."""
        self._queue.put(None)
        self._thread.join()

    def _send_all(self, conn: Any) -> None:
        while (data := self._queue.get()) is not None:
            try:
                conn.send_bytes(data)
            except OSError:
                return  # the other process is gone: nothing it could use


def run(ctx: PlanContext, enrichers: list[Enricher], run_one: RunOne, merge: Merge,
        on_step: Callable[[str], None] | None = None) -> dict[str, Rows] | None:
    """Every enricher's rows (by name), planned on two cores. ``run_one(e)`` plans ``e`` on
    ``ctx`` (and makes its rows visible there); ``merge(e, rows)`` makes rows the worker
    planned visible here. None when nothing runs side by side, the worker failed, or an
    enricher saw other rows than it would have in order (then ``ctx`` is spent: plan again in
    order, with a new context)."""
    plan = graph(enrichers) if available() else None
    if plan is None:
        return None
    produced: dict[str, Rows] = {}
    for e in plan.head:
        if on_step is not None:
            on_step(e.name)
        produced[e.name] = run_one(e)
    ran = _side_by_side(ctx, plan, run_one, merge, on_step)
    if ran is None or not _as_in_order(enrichers, ran):
        return None
    produced.update((name, r.rows) for name, r in ran.items())
    return produced


def _run_here(ctx: PlanContext, schedule: _Schedule, e: Enricher, run_one: RunOne) -> _Ran:
    held = frozenset(schedule.held)
    ctx.reads = set()
    try:
        rows = run_one(e)
        read = frozenset(ctx.reads)
    finally:
        ctx.reads = None
    schedule.done(e)
    return _Ran(rows, read, held)


def _side_by_side(ctx: PlanContext, plan: Graph, run_one: RunOne, merge: Merge,
                  on_step: Callable[[str], None] | None) -> dict[str, _Ran] | None:
    """The enrichers after the head, run by this process and a forked worker; None if the
    worker failed."""
    context = _fork()
    states = context.Array("b", len(plan.rest))
    from_worker, worker_sends = context.Pipe(duplex=False)
    worker_reads, to_worker = context.Pipe(duplex=False)
    worker = context.Process(target=_work, daemon=True,
                             args=(ctx, plan, states, run_one, merge, worker_reads, worker_sends))
    worker.start()
    worker_sends.close()
    worker_reads.close()
    sender = _Sender(to_worker)
    schedule = _Schedule(plan, states)
    by_name = {e.name: e for e in plan.rest}
    ran: dict[str, _Ran] = {}
    worker_ended = False
    try:
        while True:
            while not worker_ended and from_worker.poll():
                message = pickle.loads(from_worker.recv_bytes())
                if message is None:
                    return None  # the worker failed: planning in order shows the failure
                if message is _Done:
                    worker_ended = True
                    break
                name, done, warned = message
                if on_step is not None:
                    on_step(name)
                merge(by_name[name], done.rows)  # visible here, as it would have been in order
                schedule.held.add(name)
                if warned:
                    ctx.warnings[name] = warned
                ran[name] = done
            if len(ran) == len(plan.rest):
                break
            e = schedule.take()
            if e is not None:
                if on_step is not None:
                    on_step(e.name)
                ran[e.name] = _run_here(ctx, schedule, e, run_one)
                sender.send((e.name, ran[e.name].rows if schedule.wanted(e) else None))
            elif worker_ended:
                return None  # nothing left to wait for, yet not everything ran
            else:
                from_worker.poll(None)  # until the worker finishes one (or ends)
    except EOFError:
        return None  # the worker died without a word
    finally:
        _end(worker)
        sender.close()
        to_worker.close()
        from_worker.close()
    return ran


def _work(ctx: PlanContext, plan: Graph, states: Any, run_one: RunOne, merge: Merge,
          inbox: Any, outbox: Any) -> None:
    """The worker: takes enrichers until none is left to take, sending each one's rows back,
    and makes visible the rows the other process sends (of the enrichers it finishes, only
    those an enricher still to be taken may read). A failure sends None (the caller then plans
    in order)."""
    sender = _Sender(outbox)
    schedule = _Schedule(plan, states)
    by_name = {e.name: e for e in plan.rest}
    try:
        while True:
            while inbox.poll():
                name, rows = pickle.loads(inbox.recv_bytes())
                if rows is not None:
                    merge(by_name[name], rows)
                    schedule.held.add(name)
            e = schedule.take()
            if e is None:
                if not schedule.waiting():
                    break
                inbox.poll(None)  # until this process finishes one
                continue
            done = _run_here(ctx, schedule, e, run_one)
            sender.send((e.name, done, ctx.warnings.get(e.name, [])))
        sender.send(_Done)
    except BaseException:  # noqa: BLE001 - reported by planning again, in order
        sender.send(None)
    sender.close()


def _as_in_order(enrichers: list[Enricher], ran: dict[str, _Ran]) -> bool:
    """Whether every enricher after the head saw what it would have seen in the selection's
    order: of every table it read, the rows of exactly the writers before it."""
    position = {e.name: i for i, e in enumerate(enrichers)}
    moved = [e for e in enrichers if e.name in ran]
    for e in moved:
        read, held = ran[e.name].read, ran[e.name].held
        for x in moved:
            if x is e or not (read & set(x.writes) or (EVERY_TABLE in read and x.writes)):
                continue
            if (x.name in held) != (position[x.name] < position[e.name]):
                return False
    return True


def start_shared(items: Sequence[X], work: Callable[[X], T],
                 ) -> Callable[[], list[T] | None] | None:
    """``work`` over ``items`` on both cores, this process joining in later: a forked worker
    starts now, taking the items one at a time from a shared counter; the function returned
    takes the rest alongside it and gives every result in the items' order (None if the worker
    failed: the caller then works through the items itself). None where there is no worker.
    For pure work over data this process holds (the journal values of a plan's rows, while this
    process writes the rows): the worker sees it by ``fork`` and sends back each result as it is
    done, so neither process holds its share as one message (at a million rows that message
    and its copy were some 300 MB)."""
    if not items or not available():
        return None
    context = _fork()
    turn = context.Value("i", 0)
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_send_turns, args=(items, work, turn, send), daemon=True)
    worker.start()
    send.close()

    def finish() -> list[T] | None:
        try:
            done: dict[int, T] = {}
            while (index := _take(turn)) < len(items):
                done[index] = work(items[index])
            while (part := receive.recv()) is not _Done:
                index, result = part
                done[index] = result
        except EOFError:
            return None  # the worker failed: the caller computes it itself
        finally:
            _end(worker)
            receive.close()
        return [done[i] for i in range(len(items))]

    return finish


class _Done:
    """The end of a worker's parts (a class: pickled by reference, the same object back)."""


def _send_turns(items: Sequence[X], work: Callable[[X], Any], turn: Any, send: Any) -> None:
    """The worker of ``start_shared``: each item it takes, sent with its index as it is done,
    from a thread of its own (the caller reads only once it has done its own work, and a
    result waiting in a full pipe must not stop the next one being computed)."""
    sender = _Sender(send)
    try:
        while (index := _take(turn)) < len(items):
            sender.send((index, work(items[index])))
        sender.send(_Done)
    except BaseException:  # noqa: BLE001 - the caller computes it itself
        pass
    sender.close()
    send.close()


def map_shared(items: Sequence[X], work: Callable[[X], T]) -> list[T] | None:
    """``work`` over ``items`` on both cores from now on (``start_shared``, joined at once).
    The results in the items' order; None where there is no worker, or when it failed (then
    the caller works through the items itself)."""
    finish = start_shared(items, work) if len(items) >= 2 else None
    return None if finish is None else finish()


def _take(turn: Any) -> int:
    """The shared counter's next value."""
    with turn.get_lock():
        index: int = turn.value
        turn.value += 1
    return index


def _end(worker: Any) -> None:
    """The worker ended: killed if it still runs (it sent all there is, or this side failed
    and its part is of no use), then reaped."""
    if worker.is_alive():
        worker.kill()
    worker.join()
