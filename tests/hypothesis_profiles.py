"""Hypothesis profiles of the property suites, from the testing kit: ``ci`` (the default: few
examples, derandomized so every CI run tries the same ones) and ``slow`` (many random examples,
for nightly runs). Choose one with ``SEED_HYPOTHESIS_PROFILE=slow``."""

from __future__ import annotations

from hypothesis import settings

from mentara_seed.testing import register_profiles

PROFILE = register_profiles(ci_examples=4, slow_examples=120)


def examples(weight: float) -> settings:
    """The loaded profile with ``weight`` times its examples (at least one): costly
    properties run fewer, cheap ones more."""
    return settings(max_examples=max(1, round(settings.default.max_examples * weight)))
