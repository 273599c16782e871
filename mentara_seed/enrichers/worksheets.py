"""Tier 2: worksheets therapists assign to their clients, and the clients' submissions."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator
from functools import partial
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import after, between, latest
from mentara_seed.enrichers.corpora import worksheets as corpus
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.enrichers.relationships import approved_therapists
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import WorksheetStatus as Status
from mentara_seed.schema.values import Row

FILES_URL = "https://files.mentara.test/worksheets"
TITLES = [title for title, _, _ in corpus.WORKSHEETS]
BY_TITLE = {title: (instructions, slug) for title, instructions, slug in corpus.WORKSHEETS}
DONE = (Status.SUBMITTED, Status.REVIEWED)


class WorksheetMinimums(Minimums):
    """Worksheets per approved therapist and per client with a therapist."""

    per_therapist: int = Field(3, ge=0, description="worksheets each therapist with clients made")
    per_client: int = Field(1, ge=0, description="worksheets each client gets from each therapist")
    most_per_client: int = Field(3, ge=1, description="upper end of a client's usual worksheets")

    PROFILES: ClassVar = {"light": {"per_therapist": 3},
                          "heavy": {"per_therapist": 8, "most_per_client": 4}}


def active_pairs(rows: list[Row]) -> dict[str, list[Row]]:
    """Active ClientTherapist rows by therapist, each list in pk order."""
    out: dict[str, list[Row]] = {}
    for r in rows:
        if r["status"] == "active":
            out.setdefault(r["therapistId"], []).append(r)
    return out


def _verify(live: LiveState, need: WorksheetMinimums) -> Iterator[Violation]:
    sheets = live.rows("Worksheet")
    per_pair = Counter((w["clientId"], w["therapistId"]) for w in sheets)
    pairs = active_pairs(live.rows("ClientTherapist"))
    approved = set(approved_therapists(live.rows("Therapist")))
    for tid, rows in sorted(pairs.items()):
        mine = live.group("Worksheet", "therapistId").get(tid, [])
        if tid in approved and len(mine) < need.per_therapist:
            yield Violation("worksheets", f"therapist {tid}",
                            f"{len(mine)}/{need.per_therapist} worksheets")
        if len(rows) > 1 and len(mine) > 1 and len({w["clientId"] for w in mine}) < 2:
            yield Violation("worksheets", f"therapist {tid}", "every worksheet to one client",
                            rows=tuple(w["id"] for w in mine))
        for r in rows:
            have = per_pair[(r["clientId"], tid)]
            if have < need.per_client:
                yield Violation("worksheets", f"client {r['clientId']}",
                                f"{have}/{need.per_client} worksheets from {tid}")
    yield from _verify_submissions(live)


def _verify_submissions(live: LiveState) -> Iterator[Violation]:
    submissions = live.group("WorksheetSubmission", "worksheetId")
    linked = {(r["clientId"], r["therapistId"]) for r in live.rows("ClientTherapist")}
    for w in live.rows("Worksheet"):
        entity = f"worksheet {w['id']}"
        subs = submissions.get(w["id"], [])
        sub = subs[0] if subs else None
        if (w["clientId"], w["therapistId"]) not in linked:
            yield Violation("worksheets", entity, "client and therapist are not linked")
        if w["status"] in DONE and sub is None:
            yield Violation("worksheets", entity, f"{w['status']} without a submission")
        if sub is None:
            continue
        # The worksheet and its submission are at fault together: a person edited one.
        both = (w["id"], sub["id"])
        if w["status"] not in DONE:
            yield Violation("worksheets", entity, f"{w['status']} but submitted", rows=both)
        if w["status"] == Status.REVIEWED and not sub["feedback"]:
            yield Violation("worksheets", entity, "REVIEWED without feedback", rows=both)
        files = (sub["fileUrls"] or [], sub["fileNames"] or [], sub["fileSizes"] or [])
        if len({len(f) for f in files}) != 1:
            yield Violation("worksheets", entity, "file urls, names and sizes differ in length",
                            rows=both)


@enricher(
    "worksheets",
    writes=("Worksheet", "WorksheetSubmission"),
    depends_on=("relationships",),
    tier=2,
    minimums=WorksheetMinimums,
    verify=_verify,
)
def worksheets(ctx: PlanContext, need: WorksheetMinimums) -> Iterator[DesiredRow]:
    """Every active client-therapist relationship gets worksheets (one to ``most_per_client``,
    at least ``per_client``), topped up until each therapist has made ``per_therapist``; the
    extra ones go round the therapist's clients in a stable rendezvous order, so no therapist
    gives all its worksheets to one client. Titles and instructions come from a corpus of
    common homework (thought record, sleep diary, grounding 5-4-3-2-1, …), distinct within a
    relationship, some with the template attached as material. Assigned after the relationship
    began, within the last ten weeks. Status agrees with the due date and the submission:
    SUBMITTED and REVIEWED worksheets have a WorksheetSubmission (uploaded files with realistic
    names and sizes, submitted after the worksheet was assigned and before the anchor; REVIEWED
    ones carry the therapist's feedback), OVERDUE ones were due before the anchor and have no
    submission, ASSIGNED ones are due after it. A foreign SUBMITTED or REVIEWED worksheet
    without a submission gets one."""
    foreign_pairs = Counter((w["clientId"], w["therapistId"]) for w in ctx.foreign("Worksheet"))
    foreign_titles: dict[tuple[str, str], set[str]] = {}
    for w in ctx.foreign("Worksheet"):
        foreign_titles.setdefault((w["clientId"], w["therapistId"]), set()).add(w["title"])
    foreign_per_therapist = Counter(w["therapistId"] for w in ctx.foreign("Worksheet"))
    for tid, pairs in sorted(active_pairs(ctx.rows("ClientTherapist")).items()):
        gaps = _gaps(ctx, need, tid, pairs, foreign_pairs, foreign_per_therapist[tid])
        for pair in pairs:
            key = (pair["clientId"], tid)
            titles = [t for t in ctx.pick(TITLES, len(TITLES), pair["id"], "worksheet-title")
                      if t not in foreign_titles.get(key, set())] or TITLES
            for slot in range(ctx.slots(gaps[pair["id"]], "Worksheet",
                                        partial(ctx.id, "Worksheet", *key))):
                yield from _worksheet(ctx, pair, slot, titles[slot % len(titles)])
    yield from _foreign_submissions(ctx)


def _gaps(ctx: PlanContext, need: WorksheetMinimums, tid: str, pairs: list[Row],
          foreign_pairs: Counter[tuple[str, str]], foreign_total: int) -> dict[str, int]:
    """Worksheets to desire per relationship: the usual count, minus foreign ones, topped up
    round the clients until the therapist reaches its minimum."""
    want = {p["id"]: max(need.per_client,
                         ctx.rng(p["id"], "worksheets").randint(1, need.most_per_client))
            for p in pairs}
    have = {p["id"]: foreign_pairs[(p["clientId"], tid)] for p in pairs}
    gaps = {pid: max(0, want[pid] - have[pid]) for pid in want}
    order = ctx.pick(sorted(want), len(want), tid, "worksheet-spread")
    n = 0
    while order and foreign_total + sum(gaps.values()) < need.per_therapist:
        pid = order[n % len(order)]
        want[pid] += 1
        gaps[pid] = max(0, want[pid] - have[pid])
        n += 1
    return gaps


def _worksheet(ctx: PlanContext, pair: Row, slot: int, title: str) -> Iterator[DesiredRow]:
    client, tid = pair["clientId"], pair["therapistId"]
    wid = ctx.id("Worksheet", client, tid, slot)
    rng = ctx.rng(wid, "worksheet")
    start = min(latest(pair["assignedAt"] + dt.timedelta(days=1), ctx.at(days=-70)),
                ctx.at(hours=-6))
    # After the relationship began: shortly after, for one that began after the anchor.
    created = after(rng, pair["assignedAt"] + dt.timedelta(hours=1), start, ctx.at(hours=-4))
    due = (created + dt.timedelta(days=rng.choice((3, 5, 7, 7, 7, 10, 14)))).replace(
        hour=15, minute=59, second=0, microsecond=0)  # 23:59 in Manila
    # Assigned at or after the anchor: nothing handed in yet.
    status = (Status.ASSIGNED if created >= ctx.at(hours=-4)
              else _status(rng, due < ctx.anchor))
    instructions, template = BY_TITLE[title]
    submission = _submission(ctx, wid, title, created, due, status) if status in DONE else None
    updated = {Status.ASSIGNED: created, Status.OVERDUE: due}.get(status, created)
    if submission is not None:
        updated = submission[1]["submittedAt"]
        if status == Status.REVIEWED:
            updated = between(rng, updated + dt.timedelta(hours=1),
                              min(updated + dt.timedelta(days=4), ctx.at(minutes=-5)))
    yield ctx.row(
        "Worksheet", id=wid, clientId=client, therapistId=tid, title=title,
        instructions=instructions, dueDate=due, status=status,
        materialUrls=[f"{FILES_URL}/templates/{template}.pdf"] if template else [],
        materialNames=[f"{title} template.pdf"] if template else [],
        createdAt=created, updatedAt=updated,
    )
    if submission is not None:
        yield submission


def _status(rng: random.Random, past_due: bool) -> Status:
    roll = rng.random()
    if past_due:
        return Status.REVIEWED if roll < 0.45 else Status.SUBMITTED if roll < 0.7 else (
            Status.OVERDUE)
    return Status.SUBMITTED if roll < 0.2 else Status.ASSIGNED


def _submission(ctx: PlanContext, wid: str, title: str, created: dt.datetime,
                due: dt.datetime, status: str) -> DesiredRow:
    sid = ctx.id("WorksheetSubmission", wid)
    rng = ctx.rng(sid, "submission")
    last = min(due, ctx.at(hours=-2))
    submitted = between(rng, min(created + dt.timedelta(hours=2), last), last)
    slug = title.lower().replace(" ", "-").replace("'", "")
    names, sizes = [], []
    for n in range(1, rng.choice((1, 1, 1, 2, 2, 3)) + 1):
        pattern, ext, low, high = rng.choice(corpus.SUBMISSION_FILES)
        stamp = (submitted - dt.timedelta(minutes=n * 3)).strftime("%Y%m%d_%H%M%S")
        name = f"{pattern.format(slug=slug, n=n, stamp=stamp)}.{ext}"
        if name in names:
            name = f"{pattern.format(slug=slug, n=n, stamp=stamp)}-{n}.{ext}"
        names.append(name)
        sizes.append(rng.randint(low, high))
    return ctx.row(
        "WorksheetSubmission", id=sid, worksheetId=wid,
        fileUrls=[f"{FILES_URL}/{wid}/submissions/{name}" for name in names],
        fileNames=names, fileSizes=sizes, submittedAt=submitted,
        feedback=rng.choice(corpus.FEEDBACK) if status == Status.REVIEWED else None,
    )


def _foreign_submissions(ctx: PlanContext) -> Iterator[DesiredRow]:
    """A submission for each foreign SUBMITTED/REVIEWED worksheet that has none."""
    submitted = {s["worksheetId"] for s in ctx.foreign("WorksheetSubmission")}
    for w in ctx.foreign("Worksheet"):
        if w["status"] in DONE and w["id"] not in submitted:
            due = max(w["dueDate"], w["createdAt"] + dt.timedelta(hours=3))
            yield _submission(ctx, w["id"], w["title"], w["createdAt"], due, w["status"])
