"""Tier 4: one-to-one therapy sessions of every active relationship, with session notes."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers import compose
from mentara_seed.enrichers.common import between, latest
from mentara_seed.enrichers.corpora import sessions as corpus
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.enrichers.schedule import Calendar, Hours, place
from mentara_seed.enrichers.worksheets import active_pairs
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema import timeline
from mentara_seed.schema.enums import MeetingStatus as Status
from mentara_seed.schema.values import Row

MEET_URL = "https://meet.mentara.dev/session"
DURATIONS = (30, 45, 60, 90)
PAST_DAYS, NEXT_DAYS = 120, 21
ENDED = (Status.COMPLETED, Status.NO_SHOW)
UPCOMING = (Status.SCHEDULED, Status.CONFIRMED, Status.WAITING)


class MeetingMinimums(Minimums):
    """Sessions per relationship and per therapist, and session notes per therapist."""

    per_client: int = Field(3, ge=0, description="meetings of each active relationship")
    per_therapist: int = Field(4, ge=0, description="meetings of each therapist with clients")
    notes_per_therapist: int = Field(2, ge=0, description="session notes of each such therapist")
    usual_extra: int = Field(3, ge=0, description="a relationship's usual meetings beyond the "
                                                  "minimum (0 to this many)")
    in_progress_share: float = Field(0.4, ge=0, le=1, description="share of therapists in a "
                                                                  "session at the anchor")

    PROFILES: ClassVar = {"light": {"per_client": 1, "per_therapist": 2},
                          "heavy": {"per_client": 8, "per_therapist": 15}}


@dataclass(frozen=True, slots=True)
class Slot:
    """One desired meeting of a relationship: its slot number, whether it lies before the
    anchor ('past', or 'done' = past and certainly COMPLETED), spans it ('now') or follows
    it ('next'), and its place among the relationship's slots of the same time."""

    pair: Row
    slot: int
    kind: str
    order: int
    of: int
    first: bool
    status: Status | None = None


def begun(pair: Row, get: Callable[[str, str], Row | None]) -> Row:
    """The relationship as its sessions see it: begun no earlier than its client and its
    therapist joined (the app may date a relationship before either; ``get`` reads them)."""
    start = timeline.earliest("Meeting", "startTime", pair, get)
    if start is None or start <= pair["assignedAt"]:
        return pair
    return {**pair, "assignedAt": start}


def _past_window(assigned: dt.datetime, anchor: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Where a relationship's sessions before the anchor lie."""
    return (max(assigned, anchor - dt.timedelta(days=PAST_DAYS)) + dt.timedelta(hours=12),
            anchor - dt.timedelta(hours=12))


def too_late_for_past(pair: Row, anchor: dt.datetime) -> bool:
    """Whether a relationship began too late for a session between its start and the anchor
    (after the anchor, or within a day before it: a client who signed up today). Its sessions
    are all upcoming, after it began; a therapist with only such relationships can have no
    completed session, so no session notes (a plan warning, skipped by verify alike)."""
    lo, hi = _past_window(pair["assignedAt"], anchor)
    return hi - lo < dt.timedelta(minutes=max(DURATIONS))


def unbookable(hours: Hours) -> bool:
    """Whether no session fits the therapist's hours (every available window is shorter than
    the shortest session): the planner warns and plans none, verify skips the therapist."""
    return hours.longest() < min(DURATIONS)


def meeting_end(m: Row) -> dt.datetime:
    end: dt.datetime = m["endTime"] or m["startTime"] + dt.timedelta(minutes=m["duration"])
    return end


def _verify(live: LiveState, need: MeetingMinimums) -> Iterator[Violation]:
    per_pair = Counter((m["clientId"], m["therapistId"]) for m in live.rows("Meeting"))
    by_therapist = live.group("Meeting", "therapistId")
    notes = live.group("MeetingNotes", "meetingId")
    availability = live.group("TherapistAvailability", "therapistId")
    def get(table: str, pk: str) -> Row | None:
        return live.get(table, pk) if live.has(table) else None

    for tid, pairs in sorted(active_pairs(live.rows("ClientTherapist")).items()):
        pairs = [begun(p, get) for p in pairs]
        therapist = (live.get("Therapist", tid) if live.has("Therapist") else None) or {}
        if unbookable(Hours.from_rows(availability.get(tid, []), therapist.get("timezone"))):
            continue  # warned by the planner
        for p in pairs:
            have = per_pair[(p["clientId"], tid)]
            if have < need.per_client:
                yield Violation("meetings", f"client {p['clientId']}",
                                f"{have}/{need.per_client} meetings with {tid}")
        mine = by_therapist.get(tid, [])
        noted = sum(len(notes.get(m["id"], [])) for m in mine)
        if len(mine) < need.per_therapist:
            yield Violation("meetings", f"therapist {tid}",
                            f"{len(mine)}/{need.per_therapist} meetings")
        late = live.anchor is not None and all(too_late_for_past(p, live.anchor) for p in pairs)
        if noted < need.notes_per_therapist and not late:
            yield Violation("meetings", f"therapist {tid}",
                            f"{noted}/{need.notes_per_therapist} session notes")
    for tid, mine in sorted(by_therapist.items()):
        yield from _verify_calendar(tid, mine, notes)


def _verify_calendar(tid: str, mine: list[Row], notes: dict[str, list[Row]],
                     ) -> Iterator[Violation]:
    """Per therapist: ends agree with durations, completed sessions have notes, video ones a
    link, no two sessions overlap, and sessions that ended precede the upcoming ones (the
    anchor-free form of "status agrees with time")."""
    for m in mine:
        entity = f"meeting {m['id']}"
        if m["endTime"] and m["endTime"] != meeting_end({**m, "endTime": None}):
            yield Violation("meetings", entity, "endTime is not startTime + duration")
        if m["status"] == Status.COMPLETED and not notes.get(m["id"]):
            yield Violation("meetings", entity, "COMPLETED without notes")
        if m["meetingType"] == "video" and not m["meetingUrl"]:
            yield Violation("meetings", entity, "video meeting without a link")
    # Each rule names the sessions at fault: a person who edited one of them broke it.
    busy: Row | None = None
    for m in sorted((m for m in mine if m["status"] != Status.CANCELLED),
                    key=lambda m: (m["startTime"], m["id"])):
        if busy is not None and m["startTime"] < meeting_end(busy):
            yield Violation("meetings", f"therapist {tid}", f"{m['id']} overlaps another",
                            rows=(busy["id"], m["id"]))
        if busy is None or meeting_end(m) > meeting_end(busy):
            busy = m
    ended = [m for m in mine if m["status"] in ENDED]
    upcoming = [m for m in mine if m["status"] in UPCOMING]
    if ended and upcoming:
        last = max(ended, key=lambda m: (meeting_end(m), m["id"]))
        first = min(upcoming, key=lambda m: (m["startTime"], m["id"]))
        if meeting_end(last) > first["startTime"]:
            yield Violation("meetings", f"therapist {tid}",
                            "an ended session after an upcoming one",
                            rows=(last["id"], first["id"]))
    now = [m["id"] for m in mine if m["status"] == Status.IN_PROGRESS]
    if len(now) > 1:
        yield Violation("meetings", f"therapist {tid}", "two sessions in progress",
                        rows=tuple(now))


@enricher(
    "meetings",
    writes=("Meeting", "MeetingNotes"),
    depends_on=("relationships", "availability"),
    tier=4,
    minimums=MeetingMinimums,
    verify=_verify,
)
def meetings(ctx: PlanContext, need: MeetingMinimums) -> Iterator[DesiredRow]:
    """Every active client-therapist relationship gets at least ``per_client`` sessions (up to
    ``usual_extra`` more), and every therapist with clients at least ``per_therapist``, topped
    up round the clients. Most lie between the start of the relationship and the anchor
    (COMPLETED, always the first of a relationship, otherwise now and then CANCELLED or
    NO_SHOW; a therapist short of ``notes_per_therapist`` gets extra completed ones), some
    are upcoming within three weeks (SCHEDULED, CONFIRMED or WAITING), and for some
    therapists one session is IN_PROGRESS at the anchor. Sessions fall on weekdays inside
    the therapist's TherapistAvailability hours, in the therapist's time zone (an IN_PROGRESS
    one only on a weekday); they last 30, 45, 60 or 90 minutes (the therapist's preferred
    lengths first) with endTime = startTime + duration; no two sessions of a therapist, or of a
    client, overlap, foreign ones included. Video sessions have a meeting link. Every COMPLETED
    session (foreign ones too) has MeetingNotes with id "<meetingId>-notes", as the app writes
    them: a short SOAP-style note written after the session ended."""
    calendar = Calendar()
    planned: list[Row] = []
    foreign = ctx.foreign("Meeting")
    for m in foreign:
        calendar.book((m["therapistId"], m["clientId"]), m["startTime"], meeting_end(m))
    foreign_pairs = Counter((m["clientId"], m["therapistId"]) for m in foreign)
    by_therapist = ctx.group("Meeting", "therapistId", foreign=True)
    availability = ctx.group("TherapistAvailability", "therapistId")
    for tid, pairs in sorted(active_pairs(ctx.rows("ClientTherapist")).items()):
        pairs = [begun(p, ctx.get) for p in pairs]
        therapist = ctx.get("Therapist", tid) or {}
        hours = Hours.from_rows(availability.get(tid, []), therapist.get("timezone"))
        if unbookable(hours):
            ctx.warn("meetings", f"therapist {tid}", "no available window is long enough for "
                     f"a {min(DURATIONS)}-minute session")
            continue
        slots = _slots(ctx, need, tid, pairs, foreign_pairs, by_therapist.get(tid, []), hours)
        ordered = sorted(slots, key=lambda s: ("now", "past", "done", "next").index(s.kind))
        kept = _kept(ctx, calendar, hours, therapist, ordered)
        for slot in ordered:
            row = _meeting(ctx, calendar, hours, therapist, slot, kept)
            if row is None:
                ctx.warn("meetings", f"meeting {_meeting_id(ctx, slot.pair, slot.slot)}",
                         "no free time for it in the 60 days after it could start")
                continue
            planned.append(row[1])
            yield row
    yield from _notes(ctx, foreign + planned)


def _layout(ctx: PlanContext, need: MeetingMinimums, pair: Row) -> list[str]:
    """A relationship's usual sessions in slot order, past ones first. It depends only on the
    relationship, so foreign sessions just cut it short and the other slots stay put."""
    want = need.per_client + ctx.rng(pair["id"], "meetings").randint(0, need.usual_extra)
    if too_late_for_past(pair, ctx.anchor):
        return ["next"] * want  # it began at (or after) the anchor: nothing lies before it
    upcoming = 0 if want < 3 else ctx.rng(pair["id"], "upcoming").randint(1, max(1, want // 3))
    return ["past"] * (want - upcoming) + ["next"] * upcoming


def _slots(ctx: PlanContext, need: MeetingMinimums, tid: str, pairs: list[Row],
           foreign_pairs: Counter[tuple[str, str]], foreign: list[Row], hours: Hours,
           ) -> list[Slot]:
    layouts = {p["id"]: _layout(ctx, need, p) for p in pairs}
    kinds = {p["id"]: layouts[p["id"]][:max(0, len(layouts[p["id"]])
                                           - foreign_pairs[(p["clientId"], tid)])]
             for p in pairs}
    order = ctx.pick([p["id"] for p in pairs], len(pairs), tid, "meeting-spread")
    late = {p["id"] for p in pairs if too_late_for_past(p, ctx.anchor)}
    total = len(foreign) + sum(len(k) for k in kinds.values())
    for n in range(max(0, need.per_therapist - total)):
        pid = order[n % len(order)]
        kinds[pid].append("next" if pid in late else "past")
    done = sum(1 for m in foreign if m["status"] == Status.COMPLETED)
    done += sum(_past_status(ctx, p, kinds[p["id"]], i) == Status.COMPLETED
                for p in pairs for i in range(len(kinds[p["id"]])))
    earlier = [pid for pid in order if pid not in late]
    if done < need.notes_per_therapist and not earlier:
        ctx.warn("meetings", f"therapist {tid}", "every relationship began after the anchor: "
                 "no completed session before it to write notes for")
    for n in range(max(0, need.notes_per_therapist - done) if earlier else 0):
        kinds[earlier[n % len(earlier)]].append("done")
    for p in pairs:
        _applied_kinds(ctx, p, kinds[p["id"]])
    if "now" not in {k for pk in kinds.values() for k in pk}:
        _mark_in_progress(ctx, need, tid, kinds, hours)
    slots = []
    for p in pairs:
        layout = layouts[p["id"]]
        for slot, kind in enumerate(kinds[p["id"]]):
            base = layout[slot] if slot < len(layout) else None
            where = (layout[:slot].count(base), layout.count(base)) if base else (0, 1)
            slots.append(Slot(p, slot, kind, *where, slot == 0 and _time(kind) == "past",
                              _past_status(ctx, p, kinds[p["id"]], slot)))
    return slots


def _applied_kinds(ctx: PlanContext, pair: Row, kinds: list[str]) -> None:
    """An applied session keeps its kind (past, upcoming, running), and applied sessions
    beyond the minimum stay, so another layout of the relationship moves no session."""
    n = 0
    while n < len(kinds) or ctx.keeping("Meeting", _meeting_id(ctx, pair, n)) is not None:
        live = ctx.keeping("Meeting", _meeting_id(ctx, pair, n))
        was = kinds[n] if n < len(kinds) else None
        if live is not None and live["status"] == Status.IN_PROGRESS:
            kinds[n:n + 1] = ["now"]
        elif live is not None and live["startTime"] < ctx.anchor:
            kinds[n:n + 1] = [was if was in ("past", "done") else "done"
                              if live["status"] == Status.COMPLETED else "past"]
        elif live is not None:
            kinds[n:n + 1] = ["next"]
        n += 1


def _time(kind: str) -> str:
    return "past" if kind == "done" else kind


def _mark_in_progress(ctx: PlanContext, need: MeetingMinimums, tid: str,
                      kinds: dict[str, list[str]], hours: Hours) -> None:
    """For some therapists, one upcoming session becomes the one running at the anchor."""
    if any(hours.local(ctx.at(minutes=-m)).isoweekday() > 5 for m in (0, 60)):
        return
    if ctx.rng(tid, "in-progress").random() >= need.in_progress_share:
        return
    started = {p["id"] for p in ctx.group("ClientTherapist", "therapistId").get(tid, [])
               if not too_late_for_past(p, ctx.anchor)}
    chosen = ctx.pick_one(sorted(pid for pid, k in kinds.items() if "next" in k
                                 and pid in started), tid, "now")
    if chosen is not None:
        pair_kinds = kinds[chosen]
        pair_kinds[len(pair_kinds) - 1 - pair_kinds[::-1].index("next")] = "now"


def _meeting_id(ctx: PlanContext, pair: Row, slot: int) -> str:
    return ctx.id("Meeting", pair["clientId"], pair["therapistId"], slot)


def _past_status(ctx: PlanContext, pair: Row, kinds: list[str], slot: int) -> Status | None:
    """The status of a session before the anchor: the first of a relationship COMPLETED,
    later ones mostly, now and then CANCELLED or NO_SHOW."""
    kind = kinds[slot]
    if kind == "done" or (kind == "past" and "past" not in kinds[:slot]):
        return Status.COMPLETED
    if kind != "past":
        return None
    roll = ctx.rng(_meeting_id(ctx, pair, slot), "status").random()
    return Status.COMPLETED if roll < 0.8 else Status.CANCELLED if roll < 0.9 else (
        Status.NO_SHOW)


def _duration(ctx: PlanContext, mid: str, therapist: Row, now: bool, longest: int) -> int:
    """A session length: the therapist's preferred ones first, fitting their longest window."""
    preferred = [d for d in therapist.get("preferredSessionLength") or [] if d in DURATIONS]
    options = preferred or [30, 45, 60, 60, 60, 60, 90]
    if now:
        options = [d for d in options if d >= 45] or [60]
    options = [d for d in options if d <= longest] or [d for d in DURATIONS if d <= longest]
    return int(ctx.rng(mid, "duration").choice(options))


def _span(ctx: PlanContext, slot: Slot) -> tuple[dt.datetime, dt.datetime]:
    """The stretch of time the slot's session falls in: its share of the relationship's past
    or of the next three weeks."""
    if _time(slot.kind) == "past":
        lo, hi = _past_window(slot.pair["assignedAt"], ctx.anchor)
    else:
        lo = _upcoming_from(ctx, slot.pair)
        hi = lo + dt.timedelta(days=NEXT_DAYS, hours=-12)
    step = (hi - lo) / max(1, slot.of)
    return lo + step * slot.order, lo + step * (slot.order + 1)


def _upcoming_from(ctx: PlanContext, pair: Row) -> dt.datetime:
    """Where upcoming sessions may start: half a day after the anchor, or after the
    relationship began when that is later."""
    return latest(pair["assignedAt"], ctx.anchor) + dt.timedelta(hours=12)


def _place(ctx: PlanContext, calendar: Calendar, hours: Hours, slot: Slot, mid: str,
           minutes: int) -> tuple[dt.datetime, str] | None:
    """Start and kind of a session: inside its span, else anywhere in its half of time, else
    (no room before the anchor) among the upcoming ones."""
    people = (slot.pair["therapistId"], slot.pair["clientId"])
    rng = ctx.rng(mid, "time")
    if slot.kind == "now":
        start = ctx.at(minutes=-rng.choice(range(5, minutes - 10, 5)))
        if calendar.is_free(people, start, start + dt.timedelta(minutes=minutes)):
            return start, "now"
    kind = "next" if slot.kind == "now" else slot.kind
    lo, hi = _span(ctx, Slot(slot.pair, slot.slot, kind, 0, 1, False))
    upcoming = _upcoming_from(ctx, slot.pair)
    for span, chosen in ((_span(ctx, slot), kind), ((lo, hi), kind),
                         ((upcoming, upcoming + dt.timedelta(days=60)), "next")):
        found = place(rng, hours, calendar, people, span, minutes)
        if found is not None:
            return found, chosen
    return None  # a plan warning: no free time in the 60 days after it could start


def _kept(ctx: PlanContext, calendar: Calendar, hours: Hours, therapist: Row,
          slots: list[Slot]) -> dict[str, tuple[dt.datetime, str]]:
    """The applied sessions that stay where they are (booked first, so new ones are placed
    around them): same length, still on the same side of the anchor, inside the therapist's
    hours, overlapping nothing. A session added or gone never moves another."""
    kept: dict[str, tuple[dt.datetime, str]] = {}
    for slot in slots:
        mid = _meeting_id(ctx, slot.pair, slot.slot)
        live = ctx.keeping("Meeting", mid)
        if live is None:
            continue
        start = live["startTime"]
        minutes = _duration(ctx, mid, therapist, slot.kind == "now", hours.longest())
        end = start + dt.timedelta(minutes=minutes)
        side = ("now" if live["status"] == Status.IN_PROGRESS else "past" if end <= ctx.anchor
                else "next" if start > ctx.anchor else None)
        people = (slot.pair["therapistId"], slot.pair["clientId"])
        if (live["duration"] == minutes and side == ("now" if slot.kind == "now" else
                                                     _time(slot.kind))
                and hours.window_of(start, minutes) and calendar.is_free(people, start, end)):
            calendar.book(people, start, end)
            kept[mid] = (start, slot.kind)
    return kept


def _meeting(ctx: PlanContext, calendar: Calendar, hours: Hours, therapist: Row,
             slot: Slot, kept: dict[str, tuple[dt.datetime, str]]) -> DesiredRow | None:
    pair = slot.pair
    mid = _meeting_id(ctx, pair, slot.slot)
    minutes = _duration(ctx, mid, therapist, slot.kind == "now", hours.longest())
    placed = kept.get(mid) or _place(ctx, calendar, hours, slot, mid, minutes)
    if placed is None:
        return None
    start, kind = placed
    end = start + dt.timedelta(minutes=minutes)
    if mid not in kept:
        calendar.book((pair["therapistId"], pair["clientId"]), start, end)
    rng = ctx.rng(mid, "meeting")
    status = (slot.status if _time(kind) == "past" and slot.status else Status.IN_PROGRESS
              if kind == "now" else rng.choice((Status.SCHEDULED, Status.SCHEDULED,
                                                Status.CONFIRMED, Status.WAITING)))
    window = hours.window_of(start, minutes)
    note = window.note if window else None
    video = note != "In-person on this day" and (note == "Video sessions only"
                                                 or rng.random() < 0.88)
    hi = min(start, ctx.anchor) - dt.timedelta(hours=1)
    if pair["assignedAt"] < hi:
        created = between(rng, min(latest(pair["assignedAt"], start - dt.timedelta(days=21)),
                                   hi), hi)
    else:  # booked after a relationship that began after the anchor
        created = between(rng, pair["assignedAt"], start - dt.timedelta(hours=1))
    updated = {
        Status.COMPLETED: end + dt.timedelta(minutes=rng.randint(1, 15)),
        Status.NO_SHOW: end + dt.timedelta(minutes=rng.randint(1, 15)),
        Status.CANCELLED: between(rng, created, max(created, start - dt.timedelta(hours=2))),
        Status.IN_PROGRESS: start,
        Status.SCHEDULED: created,
    }.get(status) or between(rng, created, ctx.at(minutes=-1))
    return ctx.row(
        "Meeting", id=mid,
        title=corpus.FIRST_SESSION_TITLE if slot.first else rng.choice(corpus.SESSION_TITLES),
        description=rng.choice(corpus.SESSION_DESCRIPTIONS), startTime=start, endTime=end,
        duration=minutes, status=status, meetingType="video" if video else "in-person",
        meetingUrl=f"{MEET_URL}/{mid}" if video else None, clientId=pair["clientId"],
        therapistId=pair["therapistId"], createdAt=created, updatedAt=updated,
    )


def _notes(ctx: PlanContext, meetings: list[Row]) -> Iterator[DesiredRow]:
    """SOAP-style notes for every COMPLETED meeting without notes, written after it ended;
    no two notes alike (a note takes its next own draw while its text is taken)."""
    foreign = ctx.foreign("MeetingNotes")
    noted = {n["meetingId"] for n in foreign} | {n["id"] for n in foreign}
    todo = [m for m in sorted(meetings, key=lambda m: m["id"]) if m["status"] ==
            Status.COMPLETED and m["id"] not in noted and f"{m['id']}-notes" not in noted]
    taken: set[Hashable] = {n["notes"] for n in foreign}
    texts: dict[str, str] = {}
    for m in todo:
        live = ctx.applied("MeetingNotes", f"{m['id']}-notes")
        if live is not None and live["notes"] not in taken and compose.kept_attempt(
                ctx, _note_text, live["notes"], f"{m['id']}-notes", "text"):
            texts[m["id"]] = live["notes"]
            taken.add(live["notes"])
    for m in todo:
        nid = f"{m['id']}-notes"
        text = texts.get(m["id"]) or compose.unique(ctx, _note_text, taken, str, nid, "text")
        rng = ctx.rng(nid, "notes")
        # Before the anchor, but never before the session ended (one the app ended today).
        end = meeting_end(m)
        written = min(end + dt.timedelta(minutes=rng.randint(10, 120)),
                      max(ctx.anchor, end + dt.timedelta(minutes=10)))
        yield ctx.row("MeetingNotes", id=nid, meetingId=m["id"], notes=text, createdAt=written,
                      updatedAt=written)


def _note_text(rng: random.Random) -> str:
    """A SOAP note keeping to one theme (its subjective, assessment and plan belong
    together)."""
    theme = rng.choice(corpus.SOAP_THEMES)
    before = rng.randint(3, 7)
    after = min(9, before + rng.choice((0, 0, 1, 1, 2)))
    subjective = (f"{rng.choice(theme['subjective'])} Self-rated mood {before}/10 at the start "
                  f"of the session, {after}/10 at the end.")
    objective = rng.choice(theme["objective"] + corpus.GENERAL_OBJECTIVE)
    return "\n".join(f"{head}: {text}" for head, text in (
        ("Subjective", subjective), ("Objective", objective),
        ("Assessment", rng.choice(theme["assessment"])), ("Plan", rng.choice(theme["plan"]))))
