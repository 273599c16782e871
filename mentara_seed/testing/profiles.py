"""Hypothesis profiles for property suites built on the kit: "ci", "dev" and "slow"."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, Phase, settings

PROFILE_ENV = "SEED_HYPOTHESIS_PROFILE"


def register_profiles(ci_examples: int = 6, slow_examples: int = 150) -> str:
    """Register three hypothesis profiles and load the one SEED_HYPOTHESIS_PROFILE names ("ci"
    by default); return its name. "ci": few examples, derandomized (every run tries the same
    ones) and no shrinking, so a failure costs seconds, not minutes — it reports the starting
    state as generated, already small. "dev": the same examples, shrunk to the simplest state
    that still fails. "slow": many random examples, shrunk (nightly)."""
    quiet = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
             HealthCheck.data_too_large, HealthCheck.filter_too_much]
    common: dict[str, Any] = {"deadline": None, "suppress_health_check": quiet,
                              "print_blob": True}
    settings.register_profile("ci", max_examples=ci_examples, derandomize=True,
                              database=None, phases=[Phase.explicit, Phase.generate], **common)
    settings.register_profile("dev", max_examples=ci_examples, derandomize=True,
                              database=None, **common)
    settings.register_profile("slow", max_examples=slow_examples, **common)
    chosen = os.environ.get(PROFILE_ENV, "ci")
    settings.load_profile(chosen)
    return chosen
