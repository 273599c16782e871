"""Tier 2: clients' private journal entries (JournalEntry)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Hashable, Iterator
from functools import partial
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers import compose
from mentara_seed.enrichers.common import CLIENT, between
from mentara_seed.enrichers.corpora import journal
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.values import Row

WINDOW_DAYS = 60


class JournalMinimums(Minimums):
    """Journal entries per client: a floor, and the upper end of a client's usual count."""

    per_client: int = Field(0, ge=0, description="journal entries every client has at least")
    most_per_client: int = Field(6, ge=0, description="upper end of a client's usual entries")

    PROFILES: ClassVar = {"light": {"most_per_client": 3}, "heavy": {"most_per_client": 10}}


def _verify(live: LiveState, need: JournalMinimums) -> Iterator[Violation]:
    by_user = live.group("JournalEntry", "userId")
    for user in live.rows("User"):
        if user["role"] == CLIENT and len(by_user.get(user["id"], [])) < need.per_client:
            yield Violation("journal-entries", f"client {user['email']}",
                            f"{len(by_user.get(user['id'], []))}/{need.per_client} entries")
    for entry in live.rows("JournalEntry"):
        if not entry["content"].strip():
            yield Violation("journal-entries", f"entry {entry['id']}", "empty content")
        if entry["updatedAt"] < entry["createdAt"]:
            yield Violation("journal-entries", f"entry {entry['id']}",
                            "updatedAt before createdAt")


@enricher(
    "journal-entries",
    writes=("JournalEntry",),
    depends_on=("users",),
    tier=2,
    minimums=JournalMinimums,
    verify=_verify,
)
def journal_entries(ctx: PlanContext, need: JournalMinimums) -> Iterator[DesiredRow]:
    """Clients keep a private journal: each writes between zero and ``most_per_client``
    entries (at least ``per_client``), short and reflective, each composed from parts (an
    opening, what happened, how it felt, what helped, a reflection) by the entry's own RNG;
    no entry's text is another's, the same client's or anyone else's (an entry takes its next
    own draw while its text is taken; a live entry whose text is still one of its own draws
    keeps it). No part names a session or a therapist, so no entry refers to an event that
    may not have happened yet. Entries are dated within the last 60 days, never before the
    client signed up; a few were edited later the same day."""
    foreign = ctx.group("JournalEntry", "userId", foreign=True)
    slots: list[tuple[Row, int]] = []
    for user in ctx.rows("User"):
        if user["role"] != CLIENT:
            continue
        uid = user["id"]
        usual = max(need.per_client, ctx.rng(uid, "journal").randint(0, need.most_per_client))
        for slot in range(ctx.slots(usual - len(foreign.get(uid, [])), "JournalEntry",
                                    partial(ctx.id, "JournalEntry", uid))):
            slots.append((user, slot))
    taken: set[Hashable] = {e["content"] for e in ctx.foreign("JournalEntry")}
    ids = [ctx.id("JournalEntry", user["id"], slot) for user, slot in slots]
    texts = compose.distinct(ctx, "JournalEntry", "content",
                             dict.fromkeys(sorted(ids), _text), taken)
    for (user, _), eid in zip(slots, ids, strict=True):
        yield _entry(ctx, user, eid, texts[eid])


def _text(rng: random.Random) -> str:
    return compose.join(rng.choice(journal.OPENINGS), rng.choice(journal.EVENTS),
                        rng.choice(journal.FEELINGS), rng.choice(journal.HELPED),
                        rng.choice(journal.REFLECTIONS))


def _entry(ctx: PlanContext, user: Row, eid: str, text: str) -> DesiredRow:
    rng = ctx.rng(eid)
    signed_up = ctx.earliest("JournalEntry", "createdAt", userId=user["id"])
    start = max(signed_up or user["createdAt"], ctx.at(days=-WINDOW_DAYS))
    created = between(rng, start, max(start, ctx.at(hours=-2)))
    edited = created + dt.timedelta(minutes=rng.randint(5, 240)) if rng.random() < 0.2 else created
    return ctx.row("JournalEntry", id=eid, userId=user["id"], content=text,
                   createdAt=created, updatedAt=min(edited, max(created, ctx.at(hours=-1))))
