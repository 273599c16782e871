"""Tier 6: a few users blocking others (UserBlock), for the app's block-list flows."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import CLIENT, between
from mentara_seed.enrichers.corpora import moderation
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.values import Row


class UserBlockMinimums(Minimums):
    """How many block pairs exist: one per so many clients, and never fewer than a floor."""

    clients_per_block: int = Field(10, ge=1, description="one block pair per this many clients")
    at_least: int = Field(2, ge=0, description="block pairs whatever the number of clients")

    PROFILES: ClassVar = {}

    def wanted(self, clients: int) -> int:
        return max(self.at_least, math.ceil(clients / self.clients_per_block))


def _verify(live: LiveState, need: UserBlockMinimums) -> Iterator[Violation]:
    clients = sum(1 for u in live.rows("User") if u["role"] == CLIENT)
    blocks = live.rows("UserBlock")
    want = need.wanted(clients) if clients >= 2 else 0
    if len(blocks) < want:
        yield Violation("user-blocks", "blocks", f"{len(blocks)}/{want} block pairs")
    seen: set[tuple[str, str]] = set()
    for block in blocks:
        pair = (block["blockerId"], block["blockedId"])
        if pair[0] == pair[1]:
            yield Violation("user-blocks", f"block {block['id']}", "a user blocks themselves")
        if pair in seen:
            yield Violation("user-blocks", f"block {block['id']}", "a second identical block")
        seen.add(pair)


@enricher(
    "user-blocks",
    writes=("UserBlock",),
    depends_on=("users", "memberships"),
    tier=6,
    minimums=UserBlockMinimums,
    verify=_verify,
    reads=("Membership",),
)
def user_blocks(ctx: PlanContext, need: UserBlockMinimums) -> Iterator[DesiredRow]:
    """About one block pair per ``clients_per_block`` clients, at least ``at_least``: a client
    blocks another client, preferably one from a shared community (where they would have
    met). Never oneself, never a pair that exists already (either way round), unique per
    (blocker, blocked); a realistic reason or none; blocked within the last four months,
    after both accounts existed."""
    clients = {u["id"]: u for u in ctx.rows("User") if u["role"] == CLIENT}
    foreign = ctx.foreign("UserBlock")
    pairs = {(b["blockerId"], b["blockedId"]) for b in foreign}
    communities: dict[str, set[str]] = {}
    members: dict[str, list[str]] = {}
    for m in ctx.rows("Membership"):
        communities.setdefault(m["userId"], set()).add(m["communityId"])
        if m["userId"] in clients:
            members.setdefault(m["communityId"], []).append(m["userId"])
    ring = ctx.ring(list(clients), "UserBlock")
    for slot in range(need.wanted(len(clients)) - len(foreign) if len(clients) >= 2 else 0):
        key = ("UserBlock", slot)
        blocker = ring.pick_one(*key, "blocker")
        assert blocker is not None

        def free(c: str, blocker: str = blocker) -> bool:
            return c != blocker and (blocker, c) not in pairs and (c, blocker) not in pairs

        near = sorted({c for cid in sorted(communities.get(blocker, ()))
                       for c in members.get(cid, ()) if free(c)})
        blocked = (ctx.pick_one(near, *key, "blocked") if near else
                   next((c for c in ring.walk(*key, "blocked") if free(c)), None))
        if blocked is None:
            continue
        pairs.add((blocker, blocked))
        yield _block(ctx, clients[blocker], clients[blocked])
    # Blocks as applied stay besides the picks (made as if there were none), until --prune.
    for b in [] if not ctx.live.has("UserBlock") else ctx.live.rows("UserBlock"):
        pair = (b["blockerId"], b["blockedId"])
        if (pair[0] in clients and pair[1] in clients and pair not in pairs
                and pair[::-1] not in pairs and ctx.keeping("UserBlock", b["id"]) is not None):
            pairs.add(pair)
            yield _block(ctx, clients[pair[0]], clients[pair[1]])


def _block(ctx: PlanContext, blocker: Row, blocked: Row) -> DesiredRow:
    # The id is the natural key (blocker, blocked), as for every table with a unique pair.
    bid = ctx.natural_id("UserBlock", blocker["id"], blocked["id"])
    rng = ctx.rng(bid)
    both = ctx.earliest("UserBlock", "createdAt", blockerId=blocker["id"],
                        blockedId=blocked["id"])
    start = max(both or blocker["createdAt"], ctx.at(days=-120))
    created = between(rng, start, max(start, ctx.at(days=-1)))
    return ctx.row("UserBlock", id=bid, blockerId=blocker["id"], blockedId=blocked["id"],
                   reason=rng.choice(moderation.BLOCK_REASONS), createdAt=created)

