"""Placing one-to-one sessions in time: a therapist's weekly hours in their own time zone, a
calendar of busy intervals per person, and the search for a free, available start.

Meetings are stored as naive UTC (``timestamp(3)``); availability rows are "HH:MM" local times
on JavaScript weekday numbers ('1' = Monday … '5' = Friday, '0' = Sunday).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mentara_seed.schema.values import Row, to_ms

STEP_MINUTES = 30
# Zones the app uses, as fixed offsets, for a machine without the tz database.
FIXED_OFFSETS = {"Asia/Manila": 8, "UTC": 0}


def zone(name: str | None) -> dt.tzinfo:
    """The time zone called ``name``; UTC for an unknown one."""
    name = name or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.timezone(dt.timedelta(hours=FIXED_OFFSETS.get(name, 0)))


def js_weekday(day: dt.date) -> int:
    """JavaScript's day number (0 = Sunday … 6 = Saturday), as the app stores dayOfWeek."""
    return day.isoweekday() % 7


def clock_minutes(text: str) -> int | None:
    """Minutes after midnight of an "HH:MM" time; None for text that is not one."""
    try:
        hours, minutes = str(text).split(":")[:2]
        return int(hours) * 60 + int(minutes)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Window:
    """One available stretch of a weekday, in minutes after local midnight."""

    start: int
    end: int
    note: str | None = None


class Hours:
    """A therapist's weekly availability in their time zone. Without any availability row a
    therapist is taken to work 09:00-17:00, Monday to Friday."""

    def __init__(self, tz: dt.tzinfo, windows: dict[int, list[Window]]) -> None:
        self.tz = tz
        self.windows = windows

    @classmethod
    def from_rows(cls, rows: Iterable[Row], timezone: str | None) -> Hours:
        windows: dict[int, list[Window]] = {}
        tz_name = timezone
        for r in rows:
            start, end = clock_minutes(r["startTime"]), clock_minutes(r["endTime"])
            day = str(r["dayOfWeek"]).strip()
            if not r["isAvailable"] or start is None or end is None or not day.isdigit():
                continue
            windows.setdefault(int(day) % 7, []).append(Window(start, end, r["notes"]))
            tz_name = tz_name or r["timezone"]
        if not windows:
            windows = {d: [Window(9 * 60, 17 * 60)] for d in range(1, 6)}
        return cls(zone(tz_name), {d: sorted(w, key=lambda x: x.start) for d, w in
                                   windows.items()})

    def local(self, instant: dt.datetime) -> dt.datetime:
        return instant.replace(tzinfo=dt.UTC).astimezone(self.tz)

    def utc(self, day: dt.date, minute: int) -> dt.datetime:
        local = dt.datetime(day.year, day.month, day.day, tzinfo=self.tz)
        return to_ms(local + dt.timedelta(minutes=minute))

    def longest(self) -> int:
        """The longest available window, in minutes (0 without any)."""
        return max((w.end - w.start for ws in self.windows.values() for w in ws), default=0)

    def windows_on(self, day: dt.date) -> list[Window]:
        return self.windows.get(js_weekday(day), [])

    def window_of(self, start: dt.datetime, minutes: int) -> Window | None:
        """The window a meeting from ``start`` lasting ``minutes`` lies in, if any."""
        local = self.local(start)
        begin = local.hour * 60 + local.minute
        for w in self.windows_on(local.date()):
            if w.start <= begin and begin + minutes <= w.end:
                return w
        return None


class Calendar:
    """Busy intervals per person (therapists and clients alike)."""

    def __init__(self) -> None:
        self._busy: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}

    def is_free(self, people: Sequence[str], start: dt.datetime, end: dt.datetime) -> bool:
        return not any(s < end and start < e for p in people for s, e in self._busy.get(p, ()))

    def book(self, people: Sequence[str], start: dt.datetime, end: dt.datetime) -> None:
        for p in people:
            self._busy.setdefault(p, []).append((start, end))


def _days(hours: Hours, lo: dt.datetime, hi: dt.datetime) -> list[dt.date]:
    first, last = hours.local(lo).date(), hours.local(hi).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _fits(calendar: Calendar, people: Sequence[str], start: dt.datetime, minutes: int,
          lo: dt.datetime, hi: dt.datetime) -> bool:
    end = start + dt.timedelta(minutes=minutes)
    return lo <= start and end <= hi and calendar.is_free(people, start, end)


def place(rng: random.Random, hours: Hours, calendar: Calendar, people: Sequence[str],
          span: tuple[dt.datetime, dt.datetime], minutes: int) -> dt.datetime | None:
    """A start inside ``span`` (the whole meeting within it), on a day and inside a window
    the therapist is available, when everyone in ``people`` is free: random tries first, then
    a full scan in time order. None when there is no such start."""
    lo, hi = span
    days = _days(hours, lo, hi)
    if not days:
        return None  # the span ends before it starts: a relationship begun after its end
    for _ in range(24):
        day = rng.choice(days)
        windows = hours.windows_on(day)
        if not windows:
            continue
        w = rng.choice(windows)
        options = range(w.start, w.end - minutes + 1, STEP_MINUTES)
        if not options:
            continue
        start = hours.utc(day, rng.choice(options))
        if _fits(calendar, people, start, minutes, lo, hi):
            return start
    for day in days:
        for w in hours.windows_on(day):
            for minute in range(w.start, w.end - minutes + 1, STEP_MINUTES):
                start = hours.utc(day, minute)
                if _fits(calendar, people, start, minutes, lo, hi):
                    return start
    return None
