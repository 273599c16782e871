"""Small helpers shared by enrichers: roles, fixed test accounts, spreading dates."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

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


def ids(rows: Iterable[Row], column: str = "id") -> list[str]:
    return [str(r[column]) for r in rows]


def latest(*moments: dt.datetime | None) -> dt.datetime:
    return max(m for m in moments if m is not None)
