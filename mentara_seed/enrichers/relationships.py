"""Tier 1: client-therapist relationships."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import FIXED_ACCOUNTS_PER_ROLE, Loads, between, fixed_id
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import TherapistApplicationStatus as Status


class RelationshipMinimums(Minimums):
    """Clients per approved therapist, and the share of clients who have a therapist."""

    per_therapist: int = Field(2, ge=0, description="clients of each approved therapist")
    client_share: float = Field(0.7, ge=0, le=1, description="share of clients with a therapist")

    PROFILES: ClassVar = {"light": {"per_therapist": 1, "client_share": 0.5},
                          "heavy": {"per_therapist": 5, "client_share": 0.75}}


def approved_therapists(rows: list[dict[str, object]]) -> list[str]:
    return [str(t["userId"]) for t in rows if t["status"] == Status.APPROVED]


def _verify(live: LiveState, need: RelationshipMinimums) -> Iterator[Violation]:
    by_therapist = live.group("ClientTherapist", "therapistId")
    want = min(need.per_therapist, len(live.rows("Client")))
    for tid in approved_therapists(live.rows("Therapist")):
        have = len(by_therapist.get(tid, []))
        if have < want:
            yield Violation("relationships", f"therapist {tid}", f"{have}/{want} clients")


@enricher(
    "relationships",
    writes=("ClientTherapist",),
    depends_on=("users",),
    tier=1,
    minimums=RelationshipMinimums,
    verify=_verify,
)
def relationships(ctx: PlanContext, need: RelationshipMinimums) -> Iterator[DesiredRow]:
    """Every APPROVED therapist with at least the minimum clients, spread so that clients
    mostly have one therapist (the least-linked clients first, rendezvous-hashed among equals);
    then clients without a therapist matched until the configured share has one. The test
    clients ``dev_client_n`` are paired with ``dev_therapist_n``. Status active, assigned
    within the last four months and never before either person signed up. A therapist whose
    application is PENDING or REJECTED gets no clients, on purpose: until an admin approves
    the application the app does not let them practise (no clients, sessions, worksheets or
    posts in a therapist's voice), so seeding any would show what the app forbids."""
    therapists = approved_therapists(ctx.rows("Therapist"))
    clients = [c["userId"] for c in ctx.rows("Client")]
    load = dict.fromkeys(clients, 0)
    per_therapist = dict.fromkeys(therapists, 0)
    pairs: set[tuple[str, str]] = set()
    for r in ctx.foreign("ClientTherapist"):
        pairs.add((r["clientId"], r["therapistId"]))
        load[r["clientId"]] = load.get(r["clientId"], 0) + 1
        per_therapist[r["therapistId"]] = per_therapist.get(r["therapistId"], 0) + 1
    planned: list[tuple[str, str]] = []

    def link(client: str, therapist: str) -> None:
        pairs.add((client, therapist))
        planned.append((client, therapist))
        clients_by_load.add(client)
        therapists_by_load.add(therapist)

    clients_by_load = Loads(clients, load)
    therapists_by_load = Loads(therapists, per_therapist)
    for n in range(1, FIXED_ACCOUNTS_PER_ROLE + 1):
        client, therapist = fixed_id("client", n), fixed_id("therapist", n)
        if client in load and therapist in per_therapist and (client, therapist) not in pairs:
            link(client, therapist)
    ring = ctx.ring(clients, "relationship-clients")
    for tid in therapists:

        def unpaired(client: str, tid: str = tid) -> bool:
            return (client, tid) not in pairs

        for _ in range(need.per_therapist - per_therapist[tid]):
            pick = clients_by_load.least(ring.walk(tid, "client"), unpaired)
            if pick is None:
                break
            link(pick, tid)
    wanted = math.ceil(need.client_share * len(clients))
    linked = sum(1 for c in clients if load[c])
    if therapists:
        ring = ctx.ring(therapists, "relationship-therapists")
        for client in ctx.pick(clients, len(clients), "relationship-share"):
            if linked >= wanted:
                break
            if load[client]:
                continue
            match = therapists_by_load.least(ring.walk(client), lambda t: True)
            assert match is not None
            link(client, match)
            linked += 1
    # Relationships as applied stay besides the picks (made as if there were none).
    member_of, approved = set(clients), set(therapists)
    for r in [] if not ctx.live.has("ClientTherapist") else ctx.live.rows("ClientTherapist"):
        pair = (r["clientId"], r["therapistId"])
        if (pair[0] in member_of and pair[1] in approved and pair not in pairs
                and ctx.keeping("ClientTherapist", r["id"]) is not None):
            link(*pair)
    for client, therapist in sorted(planned):
        rid = ctx.natural_id("ClientTherapist", client, therapist)
        # After both people joined the platform and their profiles exist (schema.timeline),
        # mostly one to four months ago.
        joined = [u["createdAt"] for u in (ctx.get("User", client), ctx.get("User", therapist))
                  if u is not None]
        profiles = ctx.earliest("ClientTherapist", "assignedAt", clientId=client,
                                therapistId=therapist)
        start = max([ctx.at(days=-120), *joined, *([profiles] if profiles else [])])
        assigned = between(ctx.rng(rid), start, max(start, ctx.at(days=-21)))
        yield ctx.row("ClientTherapist", id=rid, clientId=client, therapistId=therapist,
                      status="active", assignedAt=assigned)
