"""Tier 6: each approved therapist's performance statistics (TherapistPerformance)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.client_engagement import Rows
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.enrichers.relationships import approved_therapists
from mentara_seed.enrichers.schedule import clock_minutes
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import MeetingStatus

HORIZON = dt.timedelta(days=28)  # utilisation: four weeks either side of the calculation
COMPUTED = ("clientRetentionRate", "noShowRate", "cancellationRate", "averageSessionDuration",
            "availabilityUtilization")


@dataclass(frozen=True, slots=True)
class Facts:
    """What a therapist's performance row must say, computed from the rows at one instant."""

    clientRetentionRate: float
    noShowRate: float
    cancellationRate: float
    averageSessionDuration: float
    availabilityUtilization: float
    active_clients: int
    ratings: tuple[int, ...]


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _weekly_minutes(rows: Rows, therapist_id: str) -> int:
    total = 0
    for slot in rows.group("TherapistAvailability", "therapistId").get(therapist_id, []):
        start, end = clock_minutes(slot["startTime"]), clock_minutes(slot["endTime"])
        if slot["isAvailable"] and start is not None and end is not None:
            total += max(0, end - start)  # a time the app stored unreadable counts nothing
    return total


def facts(rows: Rows, therapist_id: str, at: dt.datetime) -> Facts:
    """Retention = active / all relationships; no-show and cancellation rates over the
    sessions that were decided (completed, no-show or cancelled); mean length of completed
    sessions; booked minutes (not cancelled) within four weeks either side of ``at`` over the
    available minutes of those eight weeks."""
    pairs = rows.group("ClientTherapist", "therapistId").get(therapist_id, [])
    active = sum(1 for p in pairs if p["status"] == "active")
    meetings = rows.group("Meeting", "therapistId").get(therapist_id, [])
    by_status = {s: [m for m in meetings if m["status"] == s] for s in MeetingStatus}
    completed = by_status[MeetingStatus.COMPLETED]
    no_show = len(by_status[MeetingStatus.NO_SHOW])
    cancelled = len(by_status[MeetingStatus.CANCELLED])
    decided = len(completed) + no_show + cancelled
    booked = sum(m["duration"] for m in meetings if m["status"] != MeetingStatus.CANCELLED
                 and at - HORIZON <= m["startTime"] < at + HORIZON)
    available = _weekly_minutes(rows, therapist_id) * (2 * HORIZON.days // 7)
    ratings = tuple(r["rating"] for r in rows.group("Review", "therapistId").get(therapist_id,
                                                                                 []))
    return Facts(
        clientRetentionRate=_rate(active, len(pairs)),
        noShowRate=_rate(no_show, decided),
        cancellationRate=_rate(cancelled, decided),
        averageSessionDuration=(round(sum(m["duration"] for m in completed) / len(completed), 1)
                                if completed else 0.0),
        availabilityUtilization=round(min(1.0, booked / available), 4) if available else 0.0,
        active_clients=active,
        ratings=ratings,
    )


def inputs(rows: Rows, therapist_id: str) -> tuple[str, ...]:
    """The keys of the rows ``facts`` reads for a therapist: when a summary disagrees with
    them, one a person edited is why (``planner.verify.attribute``)."""
    return tuple(r["id"] for table in ("ClientTherapist", "Meeting", "Review",
                                       "TherapistAvailability")
                 for r in rows.group(table, "therapistId").get(therapist_id, []))


class PerformanceMinimums(Minimums):
    """Share of approved therapists whose performance statistics are calculated."""

    therapist_share: float = Field(1.0, ge=0, le=1, description="share of approved therapists "
                                                                 "with a row")

    PROFILES: ClassVar = {}


def _verify(live: LiveState, need: PerformanceMinimums) -> Iterator[Violation]:
    approved = approved_therapists(live.rows("Therapist"))
    rows = live.rows("TherapistPerformance")
    have = len({r["therapistId"] for r in rows} & set(approved))
    want = math.ceil(need.therapist_share * len(approved))
    if have < want:
        yield Violation("therapist-performance", "therapists",
                        f"{have}/{want} approved therapists have a row")
    for row in rows:
        expected = facts(live, row["therapistId"], row["lastCalculatedAt"])
        read = inputs(live, row["therapistId"])
        for column in COMPUTED:
            if row[column] != getattr(expected, column):
                yield Violation("therapist-performance", f"therapist {row['therapistId']}",
                                f"{column} {row[column]!r} but the data says "
                                f"{getattr(expected, column)!r}", rows=(row["id"],),
                                inputs=read)
        if not (0 <= row["workloadCapacity"] <= 1 and 0 <= row["clientProgressRate"] <= 1):
            yield Violation("therapist-performance", f"therapist {row['therapistId']}",
                            "workload or progress rate outside 0-1", rows=(row["id"],))


@enricher(
    "therapist-performance",
    writes=("TherapistPerformance",),
    depends_on=("meetings", "reviews", "relationships"),
    tier=6,
    minimums=PerformanceMinimums,
    verify=_verify,
)
def therapist_performance(ctx: PlanContext, need: PerformanceMinimums) -> Iterator[DesiredRow]:
    """One performance row per APPROVED therapist, calculated at the anchor from their data:
    ``clientRetentionRate`` = active / all client relationships; ``noShowRate`` and
    ``cancellationRate`` = no-show and cancelled sessions over the sessions that were decided
    (completed, no-show, cancelled); ``averageSessionDuration`` = mean minutes of completed
    sessions; ``availabilityUtilization`` = booked minutes within four weeks either side of the
    anchor over the weekly availability of those eight weeks. ``workloadCapacity`` (active
    clients over a caseload of 8-15), ``clientProgressRate`` (higher with better reviews) and
    ``averageResponseTime`` (minutes) are plausible values. Recalculated whenever the data
    changes."""
    approved = approved_therapists(ctx.rows("Therapist"))
    have = {r["therapistId"] for r in ctx.foreign("TherapistPerformance")}
    wanted = math.ceil(need.therapist_share * len(approved)) - len(have & set(approved))
    chosen = ctx.pick([t for t in approved if t not in have], wanted, "therapist-performance")
    # Rows as applied stay besides the picks (made as if there were none).
    chosen += [t for t in approved if t not in have and t not in chosen
               and ctx.keeping("TherapistPerformance",
                               ctx.natural_id("TherapistPerformance", t))]
    for therapist_id in sorted(chosen):
        yield _performance(ctx, therapist_id)


def _performance(ctx: PlanContext, therapist_id: str) -> DesiredRow:
    pid = ctx.natural_id("TherapistPerformance", therapist_id)
    rng = ctx.rng(pid)
    therapist = ctx.get("Therapist", therapist_id)
    assert therapist is not None
    approved_at = therapist["processingDate"] or therapist["createdAt"]
    # A day after approval, before the anchor; an hour after it for one approved after.
    created = max(min(approved_at + dt.timedelta(days=1), ctx.at(hours=-1)),
                  approved_at + dt.timedelta(hours=1))
    calculated = max(ctx.at(), created)
    found = facts(ctx, therapist_id, calculated)
    caseload = rng.randint(8, 15)
    if found.ratings:
        mean = sum(found.ratings) / len(found.ratings)
        progress = 0.3 + 0.12 * (mean - 1) + rng.uniform(-0.05, 0.05)
    else:
        progress = rng.uniform(0.4, 0.7)
    return ctx.row(
        "TherapistPerformance", id=pid, therapistId=therapist_id,
        averageResponseTime=rng.randint(15, 240),
        clientRetentionRate=found.clientRetentionRate, noShowRate=found.noShowRate,
        cancellationRate=found.cancellationRate,
        averageSessionDuration=found.averageSessionDuration,
        clientProgressRate=round(min(0.95, max(0.0, progress)), 3),
        workloadCapacity=round(min(1.0, found.active_clients / caseload), 3),
        availabilityUtilization=found.availabilityUtilization,
        lastCalculatedAt=calculated, createdAt=created, updatedAt=calculated,
    )
