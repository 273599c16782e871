"""Small helpers shared by enrichers: roles, fixed test accounts, spreading dates."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterable

from mentara_seed.schema.values import Row, to_ms

CLIENT, THERAPIST, ADMIN, MODERATOR = "client", "therapist", "admin", "moderator"
ROLES = (CLIENT, THERAPIST, ADMIN, MODERATOR)
ROLE_TABLE = {CLIENT: "Client", THERAPIST: "Therapist", ADMIN: "Admin", MODERATOR: "Moderator"}
FIXED_ACCOUNTS_PER_ROLE = 3
FIXED_PASSWORD = "password123"


def fixed_id(role: str, n: int) -> str:
    """The real app's readable test-account ids: dev_client_1 … dev_moderator_3."""
    return f"dev_{role}_{n}"


def fixed_ids(role: str) -> list[str]:
    return [fixed_id(role, n) for n in range(1, FIXED_ACCOUNTS_PER_ROLE + 1)]


def between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A moment uniformly between two instants, whole seconds (``start`` if the span is empty)."""
    span = int((end - start).total_seconds())
    if span <= 0:
        return to_ms(start)
    return to_ms(start + dt.timedelta(seconds=rng.randrange(span)))


def after(rng: random.Random, floor: dt.datetime, start: dt.datetime, end: dt.datetime,
          spread: dt.timedelta = dt.timedelta(days=2)) -> dt.datetime:
    """A moment in ``[start, end]`` not before ``floor`` (the newest row it depends on). When
    ``floor`` is at or past ``end`` (a parent dated after the anchor: a person who signed up
    today), a moment shortly after ``floor`` instead, up to ``spread`` later: a function of the
    parent's time and ``rng``, never of the clock."""
    lo = max(start, floor)
    if lo < end:
        return between(rng, lo, end)
    return to_ms(floor + dt.timedelta(seconds=1 + rng.randrange(int(spread.total_seconds()))))


def ids(rows: Iterable[Row], column: str = "id") -> list[str]:
    return [str(r[column]) for r in rows]


def latest(*moments: dt.datetime | None) -> dt.datetime:
    return max(m for m in moments if m is not None)


class Loads:
    """How many of something each candidate has (clients per therapist, chats per user), with
    the lowest count kept current, for "the least busy one, ties in ring order" picks that do
    not look at every candidate."""

    def __init__(self, candidates: Iterable[str], counts: dict[str, int]) -> None:
        self.counts = counts
        self._tracked = set(candidates)
        self._levels = Counter(counts.get(c, 0) for c in self._tracked)
        self._floor = min(self._levels, default=0)

    def __getitem__(self, candidate: str) -> int:
        return self.counts.get(candidate, 0)

    def add(self, candidate: str) -> None:
        level = self.counts.get(candidate, 0)
        self.counts[candidate] = level + 1
        if candidate not in self._tracked:
            return
        self._levels[level] -= 1
        self._levels[level + 1] += 1
        while self._levels[self._floor] <= 0:
            del self._levels[self._floor]
            self._floor = min(self._levels)

    def least(self, walk: Iterable[str], accept: Callable[[str], bool]) -> str | None:
        """The first accepted candidate of ``walk`` with the lowest count among the accepted
        ones; stops at the first one at the lowest count of all."""
        best: str | None = None
        for candidate in walk:
            if not accept(candidate):
                continue
            level = self[candidate]
            if level <= self._floor:
                return candidate
            if best is None or level < self[best]:
                best = candidate
        return best
