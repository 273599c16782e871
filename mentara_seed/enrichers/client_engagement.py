"""Tier 6: each client's engagement statistics (ClientEngagement), computed from their data."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from pydantic import Field

from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import MeetingStatus
from mentara_seed.schema.values import Row

TRENDS = ("increasing", "stable", "decreasing")
WINDOW = dt.timedelta(days=30)
COMPUTED = ("journalEntryCount", "worksheetCompletionRate", "meetingAttendanceRate",
            "averageSessionRating", "engagementTrend")


class Rows(Protocol):
    def group(self, table: str, column: str) -> dict[Any, list[Row]]: ...


@dataclass(frozen=True, slots=True)
class Facts:
    """What a client's engagement row must say, computed from the rows at one instant."""

    journalEntryCount: int
    worksheetCompletionRate: float
    meetingAttendanceRate: float
    averageSessionRating: float | None
    engagementTrend: str
    recent: int


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def trend(recent: int, earlier: int) -> str:
    """Activity in the last 30 days against the 30 before: a clear change of at least two
    events and half again is a trend; anything smaller is stable."""
    if recent >= earlier + 2 and recent >= 1.5 * earlier:
        return "increasing"
    if earlier >= recent + 2 and earlier >= 1.5 * recent:
        return "decreasing"
    return "stable"


def facts(rows: Rows, client_id: str, at: dt.datetime) -> Facts:
    """Journal entries, submitted/assigned worksheets, completed/(completed + no-show)
    meetings, the mean review rating, and the activity trend of one client at ``at``."""
    journal = rows.group("JournalEntry", "userId").get(client_id, [])
    worksheets = rows.group("Worksheet", "clientId").get(client_id, [])
    submissions = rows.group("WorksheetSubmission", "worksheetId")
    handed_in = [s for w in worksheets for s in submissions.get(w["id"], [])[:1]]
    meetings = rows.group("Meeting", "clientId").get(client_id, [])
    completed = [m for m in meetings if m["status"] == MeetingStatus.COMPLETED]
    no_show = sum(1 for m in meetings if m["status"] == MeetingStatus.NO_SHOW)
    ratings = [r["rating"] for r in rows.group("Review", "clientId").get(client_id, [])]
    events = ([j["createdAt"] for j in journal] + [s["submittedAt"] for s in handed_in]
              + [m["startTime"] for m in completed])
    recent = sum(1 for t in events if at - WINDOW <= t < at)
    earlier = sum(1 for t in events if at - 2 * WINDOW <= t < at - WINDOW)
    return Facts(
        journalEntryCount=len(journal),
        worksheetCompletionRate=_rate(len(handed_in), len(worksheets)),
        meetingAttendanceRate=_rate(len(completed), len(completed) + no_show),
        averageSessionRating=round(sum(ratings) / len(ratings), 2) if ratings else None,
        engagementTrend=trend(recent, earlier),
        recent=recent,
    )


def inputs(rows: Rows, client_id: str) -> tuple[str, ...]:
    """The keys of the rows ``facts`` reads for a client: when a summary disagrees with them,
    one a person edited is why (``planner.verify.attribute``)."""
    worksheets = rows.group("Worksheet", "clientId").get(client_id, [])
    submissions = rows.group("WorksheetSubmission", "worksheetId")
    return (*(j["id"] for j in rows.group("JournalEntry", "userId").get(client_id, [])),
            *(w["id"] for w in worksheets),
            *(s["id"] for w in worksheets for s in submissions.get(w["id"], [])),
            *(m["id"] for m in rows.group("Meeting", "clientId").get(client_id, [])),
            *(r["id"] for r in rows.group("Review", "clientId").get(client_id, [])))


class EngagementMinimums(Minimums):
    """Share of clients whose engagement statistics are calculated."""

    client_share: float = Field(1.0, ge=0, le=1, description="share of clients with a row")

    PROFILES: ClassVar = {}


def _verify(live: LiveState, need: EngagementMinimums) -> Iterator[Violation]:
    clients = live.rows("Client")
    rows = live.rows("ClientEngagement")
    want = math.ceil(need.client_share * len(clients))
    if len(rows) < want:
        yield Violation("client-engagement", "clients", f"{len(rows)}/{want} have a row")
    for row in rows:
        expected = facts(live, row["clientId"], row["lastCalculatedAt"])
        read = inputs(live, row["clientId"])
        for column in COMPUTED:
            if row[column] != getattr(expected, column):
                yield Violation("client-engagement", f"client {row['clientId']}",
                                f"{column} {row[column]!r} but the data says "
                                f"{getattr(expected, column)!r}", rows=(row["id"],),
                                inputs=read)
        if not 0 <= row["platformUsageScore"] <= 1 or row["loginFrequency"] < 0:
            yield Violation("client-engagement", f"client {row['clientId']}",
                            "usage score outside 0-1 or negative login frequency",
                            rows=(row["id"],))


@enricher(
    "client-engagement",
    writes=("ClientEngagement",),
    depends_on=("journal-entries", "worksheets", "meetings", "reviews"),
    tier=6,
    minimums=EngagementMinimums,
    verify=_verify,
)
def client_engagement(ctx: PlanContext, need: EngagementMinimums) -> Iterator[DesiredRow]:
    """One engagement row per client, calculated at the anchor from the client's data so it
    always agrees with it: ``journalEntryCount`` counts their journal entries,
    ``worksheetCompletionRate`` is submitted / assigned worksheets, ``meetingAttendanceRate``
    is completed / (completed + no-show) sessions, ``averageSessionRating`` the mean of their
    review ratings (null without reviews), and ``engagementTrend`` compares their activity
    (entries, submissions, completed sessions) in the last 30 days with the 30 before.
    Logins per week and the 0-1 platform usage score follow from the same activity. Rows are
    recalculated (updated) whenever the data they summarise changes."""
    clients = [c["userId"] for c in ctx.rows("Client")]
    have = {r["clientId"] for r in ctx.foreign("ClientEngagement")}
    wanted = math.ceil(need.client_share * len(clients)) - len(have)
    chosen = ctx.pick([c for c in clients if c not in have], wanted, "client-engagement")
    # Rows as applied stay besides the picks (made as if there were none).
    chosen += [c for c in clients if c not in have and c not in chosen
               and ctx.keeping("ClientEngagement", ctx.natural_id("ClientEngagement", c))]
    for client_id in sorted(chosen):
        yield _engagement(ctx, client_id)


def _engagement(ctx: PlanContext, client_id: str) -> DesiredRow:
    eid = ctx.natural_id("ClientEngagement", client_id)
    rng = ctx.rng(eid)
    client = ctx.get("Client", client_id)
    assert client is not None
    # A day after sign-up, before the anchor; an hour after sign-up for one after it.
    created = max(min(client["createdAt"] + dt.timedelta(days=1), ctx.at(hours=-1)),
                  client["createdAt"] + dt.timedelta(hours=1))
    calculated = max(ctx.at(), created)
    found = facts(ctx, client_id, calculated)
    logins = min(14, rng.randint(1, 4) + min(8, found.recent))
    usage = (0.3 * min(1.0, logins / 7) + 0.2 * min(1.0, found.journalEntryCount / 6)
             + 0.25 * found.worksheetCompletionRate + 0.25 * found.meetingAttendanceRate)
    return ctx.row(
        "ClientEngagement", id=eid, clientId=client_id, loginFrequency=logins,
        platformUsageScore=round(min(1.0, usage), 3),
        journalEntryCount=found.journalEntryCount,
        worksheetCompletionRate=found.worksheetCompletionRate,
        meetingAttendanceRate=found.meetingAttendanceRate,
        averageSessionRating=found.averageSessionRating, engagementTrend=found.engagementTrend,
        lastCalculatedAt=calculated, createdAt=created, updatedAt=calculated,
    )
