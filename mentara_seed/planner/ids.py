"""Deterministic identity and randomness: ids, per-entity RNGs and rendezvous picks.

Everything here is a pure function of the project seed and a key made of strings, so the same
slot gets the same id and the same content in any process, on any machine, on any database.
Never use the global RNG, ``hash()`` or the clock where this module can be used instead.
"""

from __future__ import annotations

import _random
import bisect
import hashlib
import heapq
import itertools
import random
import struct
import uuid
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
_new_random = random.Random.__new__
_seed_random = _random.Random.seed
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_VARIANT = {f"{v:x}": f"{(v & 0x3) | 0x8:x}" for v in range(16)}
NATURAL_KEYS = uuid.uuid5(uuid.NAMESPACE_URL, "mentara-seed:natural-key")


def _key(parts: Iterable[object]) -> str:
    return "/".join(map(str, parts))


def _uuid5(base: Any, name: str) -> str:
    """``str(uuid.uuid5(namespace, name))`` from ``sha1(namespace.bytes)`` already fed: the
    same text, without building a ``UUID`` (one per desired row)."""
    h = base.copy()
    h.update(name.encode())
    x = h.hexdigest()
    # Version 5 in the 13th hex digit, the RFC 4122 variant in the top bits of the 17th.
    return f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{_VARIANT[x[16]]}{x[17:20]}-{x[20:32]}"


class Keyspace:
    """Ids, RNGs and picks for one project seed. Immutable; cheap to share."""

    def __init__(self, project_seed: int) -> None:
        self.project_seed = project_seed
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"mentara-seed:{project_seed}")
        self._prefix = f"{project_seed}\x1f".encode()
        self._ids = hashlib.sha1(self.namespace.bytes, usedforsecurity=False)
        self._natural = hashlib.sha1(NATURAL_KEYS.bytes, usedforsecurity=False)

    def id(self, *parts: object) -> str:
        """``uuid5(namespace, "table/parent/context/slot")`` as text."""
        return _uuid5(self._ids, _key(parts))

    def natural_id(self, *parts: object) -> str:
        """The id of a row whose natural key is unique on its own (a membership's (user,
        community), a 1:1 profile row's owner): the same in every project seed, so another
        --seed updates such a row instead of creating a second one that breaks the unique key.
        """
        return _uuid5(self._natural, _key(parts))

    def cuid(self, *parts: object) -> str:
        """A cuid-shaped id (``c`` + 24 base-36 characters), for the tables the app gives cuids."""
        n = int.from_bytes(self.digest(*parts)[:16], "big")
        chars = []
        for _ in range(24):
            n, r = divmod(n, 36)
            chars.append(_BASE36[r])
        return "c" + "".join(chars)

    def digest(self, *parts: object) -> bytes:
        return hashlib.sha256(self._prefix + _key(parts).encode()).digest()

    def rng(self, *parts: object) -> random.Random:
        """A private RNG for one (entity, context): ``sha256(project seed, key)`` seeds it."""
        # ``random.Random(n)`` without its Python-level checks (one per desired row or more):
        # the same generator, in the same state.
        rng = _new_random(random.Random)
        _seed_random(rng, int.from_bytes(self.digest(*parts)[:8], "big"))
        rng.gauss_next = None  # type: ignore[attr-defined]  # as Random.seed leaves it
        return rng

    def score(self, candidate: str, *parts: object) -> bytes:
        return self.digest(*parts, candidate)

    def _scorer(self, parts: tuple[object, ...]) -> Callable[[str], bytes]:
        # sha256(prefix + "key/" + candidate), with the key's part hashed once per pick.
        base = hashlib.sha256(self._prefix + (_key(parts) + "/").encode())

        def score(candidate: str) -> bytes:
            h = base.copy()
            h.update(candidate.encode())
            return h.digest()

        return score

    def pick(self, candidates: Sequence[str], k: int, *parts: object) -> list[str]:
        """The ``k`` candidates with the highest rendezvous score for this key, best first.

        Adding or removing one candidate changes at most one of the picks, so an unrelated
        change in the database does not reshuffle every choice.
        """
        if k <= 0 or not candidates:
            return []
        return heapq.nlargest(k, candidates, key=self._scorer(parts))

    def pick_one(self, candidates: Sequence[str], *parts: object) -> str | None:
        if not candidates:
            return None
        return max(candidates, key=self._scorer(parts))

    def first_free(self, options: Sequence[T], taken: Container[T], *parts: object) -> T | None:
        """The option ``choose`` gives for the key, or the next one after it (wrapping round)
        that ``taken`` does not hold; None when every option is taken. For fixed corpora (a
        text per comment that its post does not show yet): O(1) while few are taken."""
        if not options:
            return None
        start = int.from_bytes(self.digest(*parts)[:8], "big") % len(options)
        for i in range(len(options)):
            option = options[(start + i) % len(options)]
            if option not in taken:
                return option
        return None

    def ring(self, candidates: Iterable[str], *parts: object, replicas: int = 16) -> Ring:
        """A consistent-hash ring of ``candidates`` for picks that would otherwise score every
        candidate for every key (every user choosing among all communities): built once in
        O(n log n), each pick is O(log n + k). ``parts`` name the ring (its points differ from
        another ring's over the same candidates)."""
        return Ring(self, candidates, parts, replicas)

    def choose(self, options: Sequence[T], *parts: object) -> T:
        """One of a fixed list of options (a corpus line, a status), stable for the key."""
        index = int.from_bytes(self.digest(*parts)[:8], "big") % len(options)
        return options[index]


class Ring:
    """Candidates placed on a 64-bit hash ring, ``replicas`` points each; a key's picks are the
    first distinct candidates met walking clockwise from the key's own point.

    Like a rendezvous pick, adding or removing one candidate changes only the picks of the keys
    whose walk meets one of its points before their last pick; unlike one, a pick does not look
    at every candidate. Picks are a function of the project seed, the ring's name, the candidate
    set and the key: never of the order candidates were given in.
    """

    def __init__(self, keys: Keyspace, candidates: Iterable[str], name: tuple[object, ...],
                 replicas: int) -> None:
        replicas = max(1, replicas)
        prefix = keys._prefix + (_key(("ring", *name)) + "/").encode()
        base = hashlib.sha512(prefix)
        points: list[tuple[int, str]] = []
        unique = list(dict.fromkeys(candidates))
        for candidate in unique:
            h = base.copy()
            h.update(candidate.encode())
            digest = h.digest()
            while len(digest) < 8 * replicas:
                digest += hashlib.sha512(digest).digest()
            points.extend(zip(struct.unpack_from(f">{replicas}Q", digest),
                              itertools.repeat(candidate)))
        points.sort()
        self._positions = [p for p, _ in points]
        self._owners = [c for _, c in points]
        self._size = len(unique)
        self._members = frozenset(unique)
        self._keys = keys

    def __contains__(self, candidate: object) -> bool:
        return candidate in self._members

    def __len__(self) -> int:
        return self._size

    def walk(self, *parts: object) -> Iterator[str]:
        """Every candidate once, in this key's order (the first is its best pick)."""
        if not self._owners:
            return
        start = bisect.bisect_left(self._positions,
                                   int.from_bytes(self._keys.digest("ring-key", *parts)[:8], "big"))
        seen: set[str] = set()
        n = len(self._owners)
        for i in range(n):
            owner = self._owners[(start + i) % n]
            if owner not in seen:
                seen.add(owner)
                yield owner
                if len(seen) == self._size:
                    return

    def pick(self, k: int, *parts: object, skip: Container[str] = frozenset()) -> list[str]:
        """Up to ``k`` distinct candidates not in ``skip``, best first."""
        out: list[str] = []
        if k <= 0:
            return out
        for owner in self.walk(*parts):
            if owner not in skip:
                out.append(owner)
                if len(out) == k:
                    break
        return out

    def pick_one(self, *parts: object, skip: Container[str] = frozenset()) -> str | None:
        found = self.pick(1, *parts, skip=skip)
        return found[0] if found else None
