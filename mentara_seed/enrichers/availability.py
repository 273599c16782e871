"""Tier 1: weekly availability of approved therapists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import after, between
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.enrichers.relationships import approved_therapists
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState

WEEKDAYS = ("1", "2", "3", "4", "5")  # Monday..Friday, as the app stores them
NOTES = (None, None, None, "Video sessions only", "Evening slots by request",
         "In-person on this day", "Short check-ins (30 min) preferred")


class AvailabilityMinimums(Minimums):
    """Distinct available weekdays per approved therapist."""

    days_per_therapist: int = Field(3, ge=0, le=5, description="available weekdays (Mon-Fri)")

    PROFILES: ClassVar = {}


def _verify(live: LiveState, need: AvailabilityMinimums) -> Iterator[Violation]:
    by_therapist = live.group("TherapistAvailability", "therapistId")
    for tid in approved_therapists(live.rows("Therapist")):
        days = {r["dayOfWeek"] for r in by_therapist.get(tid, []) if r["isAvailable"]}
        if len(days) < need.days_per_therapist:
            yield Violation("availability", f"therapist {tid}",
                            f"available {len(days)}/{need.days_per_therapist} weekdays")


@enricher(
    "availability",
    writes=("TherapistAvailability",),
    depends_on=("users",),
    tier=1,
    minimums=AvailabilityMinimums,
    verify=_verify,
)
def availability(ctx: PlanContext, need: AvailabilityMinimums) -> Iterator[DesiredRow]:
    """Every APPROVED therapist available on at least the minimum number of weekdays (three to
    five, Monday to Friday, stored '1'..'5'), with working hours between 08:00 and 19:00 as
    "HH:MM" text in the therapist's time zone. Days a therapist already has are kept."""
    foreign = ctx.group("TherapistAvailability", "therapistId", foreign=True)
    for tid in approved_therapists(ctx.rows("Therapist")):
        rng = ctx.rng(tid, "availability")
        have = {r["dayOfWeek"] for r in foreign.get(tid, [])}
        want = max(need.days_per_therapist, rng.randint(3, 5))
        options = [d for d in WEEKDAYS if d not in have]
        therapist = ctx.get("Therapist", tid)
        timezone = therapist["timezone"] if therapist else "UTC"
        for day in sorted(ctx.pick(options, want - len(have), tid, "weekday")):
            aid = ctx.natural_id("TherapistAvailability", tid, day)
            day_rng = ctx.rng(aid)
            start = day_rng.randint(8, 11)
            end = min(19, start + day_rng.randint(5, 8))
            created = between(day_rng, ctx.at(days=-200), ctx.at(days=-30))
            signed_up = (ctx.get("User", tid) or {}).get("createdAt")
            if signed_up is not None and signed_up >= ctx.at(days=-30):
                # Signed up since: shortly after that (today's sign-up, after the anchor).
                created = after(ctx.rng(aid, "late"), signed_up, signed_up, signed_up)
            yield ctx.row(
                "TherapistAvailability", id=aid, therapistId=tid, dayOfWeek=day,
                startTime=f"{start:02d}:00", endTime=f"{end:02d}:00", timezone=timezone,
                isAvailable=True, notes=day_rng.choice(NOTES), createdAt=created,
                updatedAt=created,
            )
