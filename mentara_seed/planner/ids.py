"""Deterministic identity and randomness: ids, per-entity RNGs and rendezvous picks.

Everything here is a pure function of the project seed and a key made of strings, so the same
slot gets the same id and the same content in any process, on any machine, on any database.
Never use the global RNG, ``hash()`` or the clock where this module can be used instead.
"""

from __future__ import annotations

import hashlib
import heapq
import random
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
NATURAL_KEYS = uuid.uuid5(uuid.NAMESPACE_URL, "mentara-seed:natural-key")


def _key(parts: Iterable[object]) -> str:
    return "/".join(str(p) for p in parts)


class Keyspace:
    """Ids, RNGs and picks for one project seed. Immutable; cheap to share."""

    def __init__(self, project_seed: int) -> None:
        self.project_seed = project_seed
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"mentara-seed:{project_seed}")
        self._prefix = f"{project_seed}\x1f".encode()

    def id(self, *parts: object) -> str:
        """``uuid5(namespace, "table/parent/context/slot")`` as text."""
        return str(uuid.uuid5(self.namespace, _key(parts)))

    def natural_id(self, *parts: object) -> str:
        """The id of a row whose natural key is unique on its own (a membership's (user,
        community), a 1:1 profile row's owner): the same in every project seed, so another
        --seed updates such a row instead of creating a second one that breaks the unique key.
        """
        return str(uuid.uuid5(NATURAL_KEYS, _key(parts)))

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
        return random.Random(int.from_bytes(self.digest(*parts)[:8], "big"))

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

    def choose(self, options: Sequence[T], *parts: object) -> T:
        """One of a fixed list of options (a corpus line, a status), stable for the key."""
        index = int.from_bytes(self.digest(*parts)[:8], "big") % len(options)
        return options[index]
