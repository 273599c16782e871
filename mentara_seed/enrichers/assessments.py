"""Tier 2: completed pre-assessments (PreAssessment), scored the way the app scores them."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from pydantic import Field

from mentara_seed.enrichers.common import between
from mentara_seed.enrichers.corpora import intake
from mentara_seed.enrichers.instruments import (
    LAYOUT,
    SLICES,
    TOTAL_ITEMS,
    Profile,
    answer_all,
    evaluate,
    intake_profile,
    valid_block,
)
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import PreAssessmentMethod as Method
from mentara_seed.schema.values import Row

ORDER = {inst.key: n for n, inst in enumerate(LAYOUT)}
OVERALL = ((0.3, "low"), (0.6, "moderate"), (0.8, "high"), (2.0, "severe"))


class AssessmentMinimums(Minimums):
    """Completed (processed) pre-assessments per client."""

    per_client: int = Field(1, ge=0, description="completed pre-assessments of each client")


def _verify(live: LiveState, need: AssessmentMinimums) -> Iterator[Violation]:
    by_client = live.group("PreAssessment", "clientId")
    for client in live.rows("Client"):
        theirs = by_client.get(client["userId"], [])
        done = [a for a in theirs if a["isProcessed"]]
        if len(done) < need.per_client:
            # Their rows would count: one a person edited out of it is theirs to undo.
            yield Violation("assessments", f"client {client['userId']}",
                            f"{len(done)}/{need.per_client} completed assessments",
                            inputs=tuple(a["id"] for a in theirs))
    for row in live.rows("PreAssessment"):
        if row["isProcessed"]:
            session = (live.get("ChatbotSession", row["chatbotSessionId"])
                       if row["chatbotSessionId"] else None)
            # Checked against its chat: a person's edit of the session is why, then.
            read = (session["id"],) if session is not None else ()
            for problem in assessment_problems(row, session):
                yield Violation("assessments", f"assessment {row['id']}", problem,
                                rows=(row["id"],), inputs=read)


def assessment_problems(row: Row, session: Row | None) -> Iterator[str]:
    """What breaks a processed assessment's rules: 201 answers in range, scores and severities
    as the app computes them, the AI estimate agreeing with them, the chat link."""
    answers = row["answers"]
    if not isinstance(answers, list) or len(answers) != TOTAL_ITEMS:
        yield f"answers is not a flat array of {TOTAL_ITEMS}"
        return
    if not all(valid_block(k, answers[a:b]) for k, (a, b) in SLICES.items()):
        yield "an answer outside its questionnaire's range"
        return
    scores, levels, weights = evaluate(answers)
    if row["scores"] != scores:
        yield "scores differ from the scores of the answers"
    if row["severityLevels"] != levels:
        yield "severityLevels differ from the bands of the scores"
    if row["processedAt"] is None or row["processedAt"] < row["createdAt"]:
        yield "processed without a processedAt after createdAt"
    top = row["aiEstimate"].get("top_conditions") if isinstance(row["aiEstimate"], dict) else None
    if top is not None and not estimate_agrees(top, weights):
        yield "aiEstimate.top_conditions disagree with the severities"
    if row["assessmentMethod"] != Method.CHECKLIST and session is None:
        yield f"{row['assessmentMethod']} assessment without its chatbot session"
    if session is not None:
        if session["clientId"] != row["clientId"] or not session["isComplete"]:
            yield "linked chatbot session is not a completed session of the same client"
        elif session["completedAt"] > row["createdAt"]:
            yield "assessment created before its chatbot session ended"
        for key, values in (session["collectedAnswers"] or {}).items():
            if key in SLICES and valid_block(key, values):
                a, b = SLICES[key]
                if answers[a:b] != values:
                    yield f"{key} answers differ from the chat's collectedAnswers"


def estimate_agrees(top: list[dict[str, Any]], weights: dict[str, float]) -> bool:
    """The top conditions are the most severe questionnaires, best first, each probability
    within 0.05 of its severity weight."""
    names = [t["condition"] for t in top]
    if not names or any(n not in weights for n in names):
        return False
    rest = [w for k, w in weights.items() if k not in names]
    probabilities = [t["probability"] for t in top]
    return (min(weights[n] for n in names) >= max(rest, default=0.0)
            and probabilities == sorted(probabilities, reverse=True)
            and all(abs(t["probability"] - weights[t["condition"]]) <= 0.05 + 1e-9
                    for t in top))


@enricher(
    "assessments",
    writes=("PreAssessment",),
    depends_on=("users", "chatbot"),
    tier=2,
    minimums=AssessmentMinimums,
    verify=_verify,
)
def assessments(ctx: PlanContext, need: AssessmentMinimums) -> Iterator[DesiredRow]:
    """Every client with at least the minimum completed pre-assessments (processed, with
    ``processedAt``), taken shortly after sign-up. ``answers`` is the app's flat array of 201
    answers over its 15 questionnaires (PHQ-9, GAD-7, PSS-10, ISI, ASRS, PCL-5, AUDIT, DAST-10,
    MBI, MDQ, OCI-R, PDSS, SPIN, BES and a 15-item PHQ block), each item in its instrument's
    range, drawn from the client's intake profile (mostly mild, anxiety-dominant, severe
    depression, burnout, trauma, ADHD…); ``scores`` and ``severityLevels`` are computed from the
    answers exactly as the app does; ``aiEstimate`` ranks the most severe conditions with
    matching probabilities and recommends approaches. Clients who did the intake chat get a
    CHATBOT or HYBRID assessment linked (uniquely) to their first completed session, whose
    collected answers it contains; everyone else a CHECKLIST one."""
    foreign = ctx.group("PreAssessment", "clientId", foreign=True)
    linked = {r["chatbotSessionId"] for r in ctx.foreign("PreAssessment")
              if r["chatbotSessionId"]}
    sessions = ctx.group("ChatbotSession", "clientId")
    for client in ctx.rows("Client"):
        cid = client["userId"]
        done = sum(1 for a in foreign.get(cid, []) if a["isProcessed"])
        chats = sorted((s for s in sessions.get(cid, [])
                        if s["isComplete"] and s["completedAt"] and s["id"] not in linked),
                       key=lambda s: (s["completedAt"], s["id"]))
        for slot in range(need.per_client - done):
            session = chats[0] if slot == 0 and chats else None
            yield _assessment(ctx, cid, slot, session)


def _assessment(ctx: PlanContext, client_id: str, slot: int, session: Row | None
                ) -> DesiredRow:
    aid = ctx.id("PreAssessment", client_id, slot)
    rng = ctx.rng(aid)
    user = ctx.get("User", client_id)
    assert user is not None
    profile = intake_profile(ctx, client_id)
    if slot:  # a re-assessment, later and usually a little better
        profile = Profile(profile.archetype, {k: v * 0.85 ** slot
                                              for k, v in profile.load.items()})
    answers = answer_all(profile, ctx.rng(aid, "answers"))
    method = Method.CHECKLIST
    if session is not None:
        method = Method.CHATBOT if rng.random() < 0.5 else Method.HYBRID
        for key, values in (session["collectedAnswers"] or {}).items():
            if key in SLICES and valid_block(key, values):
                a, b = SLICES[key]
                answers[a:b] = values
    scores, levels, weights = evaluate(answers)
    created = _created(ctx, user, slot, session, rng)
    processed = created + dt.timedelta(seconds=rng.randint(3, 45))
    return ctx.row(
        "PreAssessment", id=aid, createdAt=created, updatedAt=processed, clientId=client_id,
        answers=answers, scores=scores, severityLevels=levels,
        aiEstimate=ai_estimate(levels, weights, ctx.rng(aid, "ai")), isProcessed=True,
        processedAt=processed, assessmentMethod=method,
        chatbotSessionId=session["id"] if session else None,
        conversationInsights=session["conversationInsights"] if session else None,
        pastTherapyExperiences=rng.choice(intake.PRIOR_THERAPY),
        medicationHistory=rng.choice(intake.MEDICATION),
        accessibilityNeeds=rng.choice(intake.ACCESSIBILITY),
        culturalConsiderations=rng.choice(intake.CULTURAL),
        familySupportSystem=rng.choice(intake.FAMILY_SUPPORT),
        crisisSupportNeeds=None,
    )


def _created(ctx: PlanContext, user: Row, slot: int, session: Row | None,
             rng: random.Random) -> dt.datetime:
    if session is not None:
        completed: dt.datetime = session["completedAt"]
        return completed + dt.timedelta(minutes=rng.randint(1, 8))
    # Before the anchor; after sign-up for someone who signed up after it.
    signed_up = max(min(user["createdAt"] + dt.timedelta(days=30 * slot), ctx.at(days=-2)),
                    user["createdAt"])
    latest = max(min(signed_up + dt.timedelta(days=3), ctx.at(days=-1)),
                 signed_up + dt.timedelta(hours=1))
    return between(rng, signed_up + dt.timedelta(minutes=10), max(latest, signed_up))


def ai_estimate(levels: dict[str, str], weights: dict[str, float], rng: random.Random
                ) -> dict[str, Any]:
    """The app's AI estimate shape (confidence, risk factors, recommendations, estimated
    severity), plus the three most severe conditions with probabilities near their weight."""
    ranked = sorted(weights, key=lambda k: (-weights[k], ORDER[k]))
    top: list[dict[str, Any]] = [{"condition": k, "severity": levels[k],
            "probability": round(min(0.99, max(0.01, weights[k] + rng.uniform(-0.04, 0.04))),
                                 2)}
           for k in ranked[:3]]
    top.sort(key=lambda t: -t["probability"])
    focus = sum(weights[k] for k in ranked[:3]) / 3
    overall = next(label for bound, label in OVERALL if focus < bound)
    recommendations = ["therapy_sessions"]
    for k in ranked[:3]:
        if weights[k] >= 0.45 and intake.APPROACHES[k] not in recommendations:
            recommendations.append(intake.APPROACHES[k])
    if weights[ranked[0]] >= 0.8:
        recommendations.append("medication_evaluation")
    if len(recommendations) == 1:
        recommendations += ["mindfulness_practice", "support_group"]
    return {
        "confidence": round(0.6 + focus * 0.3 + rng.uniform(0.0, 0.08), 3),
        "top_conditions": top,
        "risk_factors": [intake.RISK_FACTORS[k] for k in ranked if weights[k] >= 0.5][:5],
        "recommendations": recommendations,
        "estimated_severity": {"stress": weights["Stress"], "anxiety": weights["Anxiety"],
                               "depression": weights["Depression Secondary"],
                               "overall": overall},
    }
