"""What admins and moderators are told about: therapist applications to process (admins) and
reports to review on content of the communities a moderator moderates (moderators)."""

from __future__ import annotations

from mentara_seed.enrichers import content
from mentara_seed.enrichers.common import ADMIN
from mentara_seed.enrichers.notice import Event
from mentara_seed.planner.context import PlanContext
from mentara_seed.schema.enums import NotificationPriority as Priority
from mentara_seed.schema.enums import NotificationType as Type
from mentara_seed.schema.enums import ReportStatus, TherapistApplicationStatus
from mentara_seed.schema.values import Row

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def events(ctx: PlanContext, user: Row) -> list[Event]:
    return _applications(ctx) if user["role"] == ADMIN else _reports(ctx, user)


def _applications(ctx: PlanContext) -> list[Event]:
    out = []
    names = {u["id"]: u["firstName"] for u in ctx.rows("User")}
    for t in ctx.rows("Therapist"):
        pending = t["status"] == TherapistApplicationStatus.PENDING
        submitted = t["submissionDate"]
        fields = {"name": str(names.get(t["userId"], "A therapist")),
                  "date": f"{MONTHS[submitted.month - 1]} {submitted.day}"}
        # A waiting application is brought up again this week (the app's reminder), so an
        # admin who joined after it was submitted hears of it too.
        at = max(submitted, ctx.at(days=-ctx.rng(t["userId"], "waiting").uniform(1, 6))) \
            if pending else submitted
        out.append(Event(
            Type.THERAPIST_APPLICATION, t["userId"], at, fields,
            {"therapistId": t["userId"], "status": str(t["status"])},
            f"/admin/therapists/{t['userId']}", Priority.HIGH if pending else Priority.NORMAL,
            read="unread" if pending else "maybe",
            template="APPLICATION_WAITING" if pending else None))
    return out


def _reports(ctx: PlanContext, user: Row) -> list[Event]:
    mine = {r["communityId"] for r in
            ctx.group("ModeratorCommunity", "moderatorId").get(user["id"], [])}
    names = {c["id"]: c["name"] for c in ctx.rows("Community")}
    post_community = content.post_communities(ctx)
    comment_post = {c["id"]: c["postId"] for c in ctx.rows("Comment")}
    out = []
    for r in ctx.rows("Report"):
        post = r["postId"] or comment_post.get(r["commentId"] or "")
        community = post_community.get(post) if post else None
        if community not in mine or r["reporterId"] == user["id"]:
            continue
        pending = r["status"] == ReportStatus.PENDING
        out.append(Event(
            Type.COMMUNITY_POST, r["id"], r["createdAt"],
            {"community": names[community], "reason": r["reason"]},
            {"reportId": r["id"], "communityId": community},
            f"/moderator/reports/{r['id']}", Priority.HIGH if pending else Priority.NORMAL,
            read="unread" if pending else "maybe", template="REPORT_TO_REVIEW"))
    return out
