"""What admins and moderators are told about: therapist applications to process (admins) and
reports to review on content of the communities a moderator moderates (moderators)."""

from __future__ import annotations

from weakref import WeakKeyDictionary

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
    staff = _SEEN.get(ctx)
    if staff is None:  # once per plan: every admin and moderator reads the same rows
        staff = _SEEN[ctx] = _Staff(ctx)
    if user["role"] == ADMIN:
        return list(staff.applications)
    return staff.reports_for(ctx, user)


class _Staff:
    """The events of one plan that staff hear of: every application, and the reports by the
    community they are on (in report order)."""

    def __init__(self, ctx: PlanContext) -> None:
        self.applications = _applications(ctx)
        post_community = content.post_communities(ctx)
        comment_post = {c["id"]: c["postId"] for c in ctx.rows("Comment")}
        self.reports: dict[str, list[tuple[int, Row]]] = {}
        for n, r in enumerate(ctx.rows("Report")):
            post = r["postId"] or comment_post.get(r["commentId"] or "")
            community = post_community.get(post) if post else None
            if community is not None:
                self.reports.setdefault(community, []).append((n, r))
        self.names = {c["id"]: c["name"] for c in ctx.rows("Community")}

    def reports_for(self, ctx: PlanContext, user: Row) -> list[Event]:
        mine = {r["communityId"] for r in
                ctx.group("ModeratorCommunity", "moderatorId").get(user["id"], [])}
        found = sorted((n, r, cid) for cid in mine for n, r in self.reports.get(cid, ()))
        return [_report(r, cid, self.names[cid]) for _, r, cid in found
                if r["reporterId"] != user["id"]]


_SEEN: WeakKeyDictionary[PlanContext, _Staff] = WeakKeyDictionary()


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


def _report(r: Row, community: str, name: str) -> Event:
    pending = r["status"] == ReportStatus.PENDING
    return Event(
        Type.COMMUNITY_POST, r["id"], r["createdAt"],
        {"community": name, "reason": r["reason"]},
        {"reportId": r["id"], "communityId": community},
        f"/moderator/reports/{r['id']}", Priority.HIGH if pending else Priority.NORMAL,
        read="unread" if pending else "maybe", template="REPORT_TO_REVIEW")
