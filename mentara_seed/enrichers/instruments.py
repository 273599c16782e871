"""The pre-assessment's 201-item layout, its scoring, and the intake profiles clients answer from.

The layout, questionnaire keys, severity labels and scoring rules are the real app's
(``apps/api/src/pre-assessment/pre-assessment.utils.ts``: 15 questionnaires at fixed index ranges
of one flat answer array), so an assessment the app re-processed would get exactly the scores and
severities stored here. Item ranges are each instrument's own (PHQ-9 0-3, MBI 0-6, DAST yes/no…).
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mentara_seed.planner.context import PlanContext

Band = tuple[int, int, str, float]  # inclusive score range, the app's label, a 0-1 weight


@dataclass(frozen=True, slots=True)
class Instrument:
    """One questionnaire: its key in answers/scores/severityLevels, its items' value choices
    and its severity bands. ``choices[i]`` are the values item ``i`` may take."""

    key: str
    code: str
    choices: tuple[tuple[int, ...], ...]
    bands: tuple[Band, ...] = ()

    @property
    def items(self) -> int:
        return len(self.choices)


def _scale(items: int, top: int, *, special: Mapping[int, tuple[int, ...]] | None = None
           ) -> tuple[tuple[int, ...], ...]:
    special = special or {}
    return tuple(special.get(i, tuple(range(top + 1))) for i in range(items))


LAYOUT: tuple[Instrument, ...] = (
    # The app labels this 15-item block "Depression" with phobia-style bands; kept verbatim.
    Instrument("Depression", "PHQ", _scale(15, 3), (
        (0, 0, "No Phobia", 0.0), (1, 15, "Mild-Moderate", 0.35),
        (16, 25, "Moderate-Severe", 0.65), (26, 120, "Very Severe", 0.95))),
    Instrument("ADD / ADHD", "ASRS v1.1", _scale(18, 4), (
        (0, 30, "Low", 0.2), (31, 39, "Mild to Moderate", 0.45), (40, 49, "High", 0.8),
        (50, 72, "Very High", 0.9))),
    Instrument("Substance or Alcohol Use Issues", "AUDIT",
               _scale(10, 4, special={8: (0, 2, 4), 9: (0, 2, 4)}), (
        (0, 7, "Low Risk", 0.1), (8, 15, "Hazardous", 0.5), (16, 19, "Harmful", 0.75),
        (20, 40, "Dependent", 0.95))),
    Instrument("Binge eating / Eating disorders", "BES",
               _scale(16, 3, special={5: (0, 1, 2), 15: (0, 1, 2)}), (
        (0, 17, "Minimal/No Binge Eating", 0.05), (18, 26, "Mild to moderate binge eating", 0.5),
        (27, 46, "Severe binge eating", 0.85))),
    Instrument("Drug Issues", "DAST-10", _scale(10, 1), (
        (0, 0, "No Problems", 0.0), (1, 2, "Low Level", 0.25), (3, 5, "Moderate Level", 0.5),
        (6, 8, "Substantial Level", 0.75), (9, 10, "Severe Level", 0.95))),
    Instrument("Anxiety", "GAD-7", _scale(7, 3), (
        (0, 4, "Minimal", 0.1), (5, 9, "Mild", 0.25), (10, 14, "Moderate", 0.5),
        (15, 21, "Severe", 0.85))),
    Instrument("Insomnia", "ISI", _scale(7, 4), (
        (0, 7, "No Insomnia", 0.0), (8, 14, "Subthreshold Insomnia", 0.3),
        (15, 21, "Moderate Insomnia", 0.6), (22, 28, "Severe Insomnia", 0.9))),
    Instrument("Burnout", "MBI", _scale(22, 6)),
    Instrument("Bipolar disorder (BD)", "MDQ", _scale(15, 1, special={14: (0, 1, 2, 3)})),
    Instrument("Obsessive compulsive disorder (OCD)", "OCI-R", _scale(18, 4), (
        (0, 20, "Below Threshold", 0.1), (21, 72, "Clinical Range", 0.8))),
    Instrument("Post-traumatic stress disorder (PTSD)", "PCL-5", _scale(20, 4), (
        (0, 32, "Below Threshold", 0.1), (33, 80, "Probable PTSD", 0.9))),
    Instrument("Panic", "PDSS", _scale(7, 4), (
        (0, 7, "Minimal", 0.1), (8, 10, "Mild", 0.25), (11, 15, "Moderate", 0.5),
        (16, 28, "Severe", 0.85))),
    Instrument("Depression Secondary", "PHQ-9", _scale(9, 3), (
        (0, 4, "Minimal", 0.1), (5, 9, "Mild", 0.25), (10, 14, "Moderate", 0.5),
        (15, 19, "Moderately Severe", 0.7), (20, 27, "Severe", 0.85))),
    Instrument("Stress", "PSS-10", _scale(10, 4), (
        (0, 13, "Low Stress", 0.2), (14, 26, "Moderate Stress", 0.5),
        (27, 40, "High Stress", 0.8))),
    Instrument("Social anxiety", "SPIN", _scale(17, 4), (
        (0, 33, "Below Threshold", 0.1),
        (34, 42, "Social anxiety specific (Potential Social Phobia)", 0.6),
        (43, 80, "Generalized Social Interaction Anxiety", 0.8))),
)
BY_KEY = {i.key: i for i in LAYOUT}
TOTAL_ITEMS = sum(i.items for i in LAYOUT)
assert TOTAL_ITEMS == 201

ADHD_POSITIVE = "Highly Consistent with Adult ADHD (Screen Positive)"
MDQ_POSITIVE = "Positive Bipolar Screen (All 3 Criteria Met)"
MDQ_NEGATIVE = "Negative Screen"
# ASRS Part A: the "shaded" answers of items 1-6 (the app's shadedRules).
_ASRS_SHADED = ((2, 3, 4), (2, 3, 4), (2, 3, 4), (3, 4), (3, 4), (3, 4))
_BURNOUT_WEIGHT = {"High": 0.75, "Moderate": 0.45, "Low": 0.15}


def offsets() -> dict[str, tuple[int, int]]:
    """Each questionnaire's slice ``[start, end)`` of the flat answer array."""
    out: dict[str, tuple[int, int]] = {}
    start = 0
    for inst in LAYOUT:
        out[inst.key] = (start, start + inst.items)
        start += inst.items
    return out


SLICES = offsets()


def split(answers: Sequence[int]) -> dict[str, list[int]]:
    return {key: list(answers[a:b]) for key, (a, b) in SLICES.items()}


def score(inst: Instrument, values: Sequence[int]) -> tuple[int, str, float]:
    """(score, severity label, weight) of one questionnaire's answers, as the app scores them."""
    total = sum(values)
    if inst.key == "Bipolar disorder (BD)":
        positive = sum(values[:13]) >= 7 and values[13] == 1 and values[14] >= 2
        return (1, MDQ_POSITIVE, 0.9) if positive else (0, MDQ_NEGATIVE, 0.0)
    if inst.key == "Burnout":
        ee, dp, pa = sum(values[:7]), sum(values[7:14]), sum(values[14:])
        ee_level = "Low" if ee <= 16 else "Moderate" if ee <= 26 else "High"
        dp_level = "Low" if dp <= 6 else "Moderate" if dp <= 12 else "High"
        pa_level = ("High Accomplishment" if pa >= 39 else "Moderate" if pa >= 32
                    else "Low Accomplishment")
        return total, f"EE: {ee_level}, DP: {dp_level}, PA: {pa_level}", _BURNOUT_WEIGHT[ee_level]
    if inst.key == "ADD / ADHD":
        shaded = sum(1 for v, ok in zip(values[:6], _ASRS_SHADED, strict=True) if v in ok)
        if shaded >= 4:
            return total, ADHD_POSITIVE, 0.85
    for low, high, label, weight in inst.bands:
        if low <= total <= high:
            return total, label, weight
    raise ValueError(f"{inst.key}: score {total} outside every band")


def evaluate(answers: Sequence[int]) -> tuple[dict[str, int], dict[str, str], dict[str, float]]:
    """Scores, severity levels and severity weights of a full 201-item answer array."""
    scores: dict[str, int] = {}
    levels: dict[str, str] = {}
    weights: dict[str, float] = {}
    for key, values in split(answers).items():
        scores[key], levels[key], weights[key] = score(BY_KEY[key], values)
    return scores, levels, weights


# --- intake profiles ----------------------------------------------------------------------

# Typical symptom load (expected answer / item maximum) when an archetype says nothing else.
BASELINE = {"Stress": 0.3, "Insomnia": 0.18, "Anxiety": 0.15, "Depression Secondary": 0.15,
            "Depression": 0.12, "Burnout": 0.3, "Social anxiety": 0.12, "ADD / ADHD": 0.15,
            "Drug Issues": 0.03}
DEFAULT_LOAD = 0.07

# (name, how common, elevated questionnaires)
ARCHETYPES: tuple[tuple[str, int, dict[str, float]], ...] = (
    ("mostly-mild", 5, {}),
    ("mixed-anxiety-depression", 3, {"Anxiety": 0.5, "Depression Secondary": 0.5,
                                     "Stress": 0.55, "Insomnia": 0.4, "Depression": 0.35}),
    ("anxiety-dominant", 3, {"Anxiety": 0.78, "Panic": 0.6, "Social anxiety": 0.5,
                             "Stress": 0.6, "Insomnia": 0.45, "Depression Secondary": 0.3}),
    ("severe-depression", 2, {"Depression Secondary": 0.82, "Depression": 0.7, "Insomnia": 0.6,
                              "Stress": 0.65, "Anxiety": 0.45, "Burnout": 0.5}),
    ("stress-burnout", 2, {"Stress": 0.75, "Burnout": 0.72, "Insomnia": 0.55, "Anxiety": 0.4,
                           "Depression Secondary": 0.35}),
    ("trauma", 1, {"Post-traumatic stress disorder (PTSD)": 0.65, "Anxiety": 0.5,
                   "Insomnia": 0.6, "Depression Secondary": 0.45, "Panic": 0.35}),
    ("attention", 1, {"ADD / ADHD": 0.72, "Stress": 0.5, "Anxiety": 0.35, "Insomnia": 0.3}),
    ("sleep", 1, {"Insomnia": 0.78, "Stress": 0.5, "Anxiety": 0.3, "Depression Secondary": 0.3}),
    ("social-anxiety", 1, {"Social anxiety": 0.75, "Anxiety": 0.5,
                           "Depression Secondary": 0.35}),
    ("eating", 1, {"Binge eating / Eating disorders": 0.6, "Depression Secondary": 0.4,
                   "Anxiety": 0.35}),
    ("alcohol", 1, {"Substance or Alcohol Use Issues": 0.45, "Stress": 0.5,
                    "Depression Secondary": 0.35}),
    ("obsessive", 1, {"Obsessive compulsive disorder (OCD)": 0.55, "Anxiety": 0.55}),
)


@dataclass(frozen=True, slots=True)
class Profile:
    """A client's intake profile: an archetype and a symptom load per questionnaire (0-1)."""

    archetype: str
    load: dict[str, float]


def draw_profile(rng: random.Random) -> Profile:
    names = [a[0] for a in ARCHETYPES]
    name = rng.choices(names, weights=[a[1] for a in ARCHETYPES])[0]
    elevated = dict(ARCHETYPES[names.index(name)][2])
    load = {}
    for inst in LAYOUT:
        base = elevated.get(inst.key, BASELINE.get(inst.key, DEFAULT_LOAD))
        load[inst.key] = round(min(0.95, base * rng.uniform(0.8, 1.2)), 3)
    return Profile(name, load)


def answer_items(inst: Instrument, load: float, rng: random.Random) -> list[int]:
    """Plausible answers of one questionnaire for a symptom load."""
    if inst.key == "Bipolar disorder (BD)":
        yes = [1 if rng.random() < load else 0 for _ in range(13)]
        clustered = 1 if sum(yes) >= 5 and rng.random() < 0.6 else 0
        return [*yes, clustered, min(3, int(load * 4 + rng.random()))]
    values = []
    for i, choices in enumerate(inst.choices):
        item_load = load
        if inst.key == "Burnout" and i >= 14:
            item_load = min(0.95, 1.05 - load)  # accomplishment runs opposite to exhaustion
        elif inst.key == "Burnout" and i >= 7:
            item_load = load * 0.5
        elif inst.key == "Depression Secondary" and i == 8:
            values.append(0)  # the self-harm item: kept at zero in seeded data, by policy
            continue
        top = choices[-1]
        values.append(nearest(choices, rng.gauss(item_load * top, top * 0.22)))
    return values


def nearest(choices: tuple[int, ...], raw: float) -> int:
    """The choice nearest to ``raw``, the lower one on a tie: ``min(choices, key=lambda c:
    (abs(c - raw), c))``. Choices are in ascending order, so only the two around ``raw``
    can be it; an answer looks at those, not at every choice."""
    at = bisect.bisect_left(choices, raw)
    if at == 0 or at == len(choices):
        return choices[min(at, len(choices) - 1)]
    below, above = choices[at - 1], choices[at]
    return below if abs(below - raw) <= abs(above - raw) else above


def answer_all(profile: Profile, rng: random.Random) -> list[int]:
    out: list[int] = []
    for inst in LAYOUT:
        out.extend(answer_items(inst, profile.load[inst.key], rng))
    return out


def valid_block(key: str, values: object) -> bool:
    """Whether ``values`` can stand as questionnaire ``key``'s answers (length and range)."""
    inst = BY_KEY.get(key)
    if inst is None or not isinstance(values, list) or len(values) != inst.items:
        return False
    return all(isinstance(v, int) and v in c for v, c in zip(values, inst.choices, strict=True))


def intake_profile(ctx: PlanContext, client_id: str) -> Profile:
    """The client's intake profile: the same for the chat and the assessment, so they agree."""
    return draw_profile(ctx.rng(client_id, "intake-profile"))
