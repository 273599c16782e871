"""Tier 1: clients' therapist-matching preferences (ClientPreferences, one per client)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import between, fixed_ids
from mentara_seed.enrichers.corpora import people, preferences
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.values import Row

VALUE_SETS = {
    "genderPreference": {v for v, _ in preferences.GENDER},
    "agePreference": {v for v, _ in preferences.AGE},
    "sessionFormat": {v for v, _ in preferences.SESSION_FORMAT},
    "sessionFrequency": {v for v, _ in preferences.SESSION_FREQUENCY},
    "budgetRange": {v for v, _ in preferences.BUDGET},
}


class PreferenceMinimums(Minimums):
    """Share of clients who filled in their matching preferences."""

    client_share: float = Field(0.8, ge=0, le=1, description="share of clients with preferences")

    PROFILES: ClassVar = {"light": {"client_share": 0.75}, "heavy": {"client_share": 0.85}}


def _verify(live: LiveState, need: PreferenceMinimums) -> Iterator[Violation]:
    clients = live.rows("Client")
    rows = live.rows("ClientPreferences")
    want = math.ceil(need.client_share * len(clients))
    if len(rows) < want:
        yield Violation("client-preferences", "clients", f"{len(rows)}/{want} have preferences")
    for row in rows:
        for column, allowed in VALUE_SETS.items():
            if row[column] is not None and row[column] not in allowed:
                yield Violation("client-preferences", f"client {row['clientId']}",
                                f"{column} {row[column]!r} is not one of {sorted(allowed)}",
                                rows=(row["id"],))
        if not set(row["availabilityPreference"] or []) <= set(preferences.AVAILABILITY):
            yield Violation("client-preferences", f"client {row['clientId']}",
                            "availabilityPreference outside the listed values",
                            rows=(row["id"],))


@enricher(
    "client-preferences",
    writes=("ClientPreferences",),
    depends_on=("users",),
    tier=1,
    minimums=PreferenceMinimums,
    verify=_verify,
)
def client_preferences(ctx: PlanContext, need: PreferenceMinimums) -> Iterator[DesiredRow]:
    """About 80% of clients (the share is configurable; the test clients always) filled in
    their therapist-matching preferences, one row per client: gender and age preference,
    session format and frequency, budget range and availability from the value sets the app's
    schema lists, languages (English, Filipino, and the regional language where they live),
    preferred approaches named as therapists list them, and sometimes a special
    consideration. Set during onboarding, shortly after sign-up."""
    clients = [c["userId"] for c in ctx.rows("Client")]
    have = {r["clientId"] for r in ctx.foreign("ClientPreferences")}
    chosen = [c for c in fixed_ids("client") if c in clients and c not in have]
    wanted = math.ceil(need.client_share * len(clients)) - len(have) - len(chosen)
    others = [c for c in clients if c not in have and c not in chosen]
    chosen += ctx.pick(others, wanted, "client-preferences")
    # Preferences as applied stay besides the picks (made as if there were none).
    chosen += [c for c in others if c not in chosen and ctx.keeping(
        "ClientPreferences", ctx.natural_id("ClientPreferences", c)) is not None]
    for client_id in sorted(chosen):
        client = ctx.get("Client", client_id)
        assert client is not None
        yield _preferences(ctx, client)


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in options], weights=[w for _, w in options])[0]


def _preferences(ctx: PlanContext, client: Row) -> DesiredRow:
    cid = client["userId"]
    pid = ctx.natural_id("ClientPreferences", cid)
    rng = ctx.rng(pid)
    city = client["city"]
    languages = ["English", "Filipino"]
    if city in preferences.REGIONAL_LANGUAGE:
        languages.append(preferences.REGIONAL_LANGUAGE[city])
    fmt = _weighted(rng, preferences.SESSION_FORMAT)
    slots = rng.sample(preferences.AVAILABILITY, rng.randint(1, 3))
    created = between(rng, client["createdAt"],
                      min(client["createdAt"] + dt.timedelta(days=2), ctx.at(days=-1)))
    updated = between(rng, created, ctx.at(days=-1)) if rng.random() < 0.3 else created
    return ctx.row(
        "ClientPreferences", id=pid, clientId=cid,
        genderPreference=_weighted(rng, preferences.GENDER),
        agePreference=_weighted(rng, preferences.AGE),
        languagePreferences=languages,
        treatmentApproaches=sorted(rng.sample(people.APPROACHES, rng.randint(1, 3))),
        sessionFormat=fmt,
        sessionFrequency=_weighted(rng, preferences.SESSION_FREQUENCY),
        budgetRange=_weighted(rng, preferences.BUDGET),
        locationPreference=city if fmt in ("in-person", "no-preference") and city else None,
        availabilityPreference=[s for s in preferences.AVAILABILITY if s in slots],
        specialConsiderations=(rng.choice(preferences.SPECIAL_CONSIDERATIONS)
                               if rng.random() < 0.35 else None),
        createdAt=created, updatedAt=max(created, updated),
    )
