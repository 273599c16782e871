"""How varied the seeded text is: per text column, rows and distinct values, against the targets
of a demo-ready database (most post titles, bodies, comments, journal entries and session notes
distinct; no private text shared by two users).

    .venv/bin/python bench/realism.py                          # light, medium, heavy (SQLite)
    .venv/bin/python bench/realism.py --profiles medium --scales 10
    .venv/bin/python bench/realism.py --database-url sqlite:///seed.db   # an existing database
    .venv/bin/python bench/realism.py --json

Each profile and scale is seeded into its own temporary SQLite file by a real ``seed apply
--init`` process (``--anchor 2026-11-16 --seed 0``), then read with one query per column.
Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlalchemy as sa

ANCHOR = "2026-11-16"
ROOT = Path(__file__).resolve().parent.parent

# (table, column, the share of distinct values wanted: (at a profile, at --scale >= 10) or None)
COLUMNS: tuple[tuple[str, str, tuple[float, float] | None], ...] = (
    ("Community", "name", (1.0, 1.0)),
    ("Post", "title", (0.95, 0.80)),
    ("Post", "content", (0.95, 0.90)),
    ("Comment", "content", (0.95, None)),
    ("JournalEntry", "content", (0.95, None)),
    ("MeetingNotes", "notes", (0.95, None)),
    ("Message", "content", None),
    ("Review", "content", None),
    ("Report", "content", None),
    ("Notification", "message", None),
    ("Worksheet", "instructions", None),
)

# Private text: (table, column, SQL giving (text, owner) pairs); none may be shared by two owners.
PRIVATE = (
    ("JournalEntry", "content", 'SELECT content, "userId" FROM "JournalEntry"'),
    ("MeetingNotes", "notes", 'SELECT n.notes, m."clientId" FROM "MeetingNotes" n '
                              'JOIN "Meeting" m ON m.id = n."meetingId"'),
    ("Message", "content", 'SELECT content, "conversationId" FROM "Message"'),
)


@dataclass(frozen=True, slots=True)
class Stat:
    """One column of one database: its rows, distinct values and the target it must meet."""

    database: str
    column: str
    rows: int
    distinct: int
    target: float | None
    shared: int | None = None  # private text: values held by more than one owner

    @property
    def share(self) -> float:
        return self.distinct / self.rows if self.rows else 1.0

    @property
    def ok(self) -> bool:
        return (self.target is None or self.share >= self.target) and not self.shared


def measure(url: str, label: str, scaled: bool) -> list[Stat]:
    engine = sa.create_engine(url)
    out: list[Stat] = []
    with engine.connect() as conn:
        for table, column, targets in COLUMNS:
            rows, distinct = conn.execute(sa.text(
                f'SELECT count("{column}"), count(DISTINCT "{column}") FROM "{table}"')).one()
            target = None if targets is None else targets[1 if scaled else 0]
            out.append(Stat(label, f"{table}.{column}", rows, distinct, target))
        for table, column, query in PRIVATE:
            owners: dict[str, set[str]] = {}
            for text, owner in conn.execute(sa.text(query)):
                owners.setdefault(text, set()).add(owner)
            shared = sum(1 for o in owners.values() if len(o) > 1)
            n = sum(len(o) for o in owners.values())
            out.append(Stat(label, f"{table}.{column} shared across owners", n, len(owners),
                            None, shared))
    engine.dispose()
    return out


def seed(directory: Path, profile: str, scale: int | None) -> str:
    name = f"{profile}{'' if scale is None else f'-x{scale}'}"
    url = f"sqlite:///{directory / name}.db"
    cmd = [sys.executable, "-m", "mentara_seed.cli.app", "apply", "--init", "--database-url", url,
           "--profile", profile, "--anchor", ANCHOR, "--seed", "0"]
    if scale is not None:
        cmd += ["--scale", str(scale)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"seed apply failed for {name}:\n{done.stdout}\n{done.stderr}")
    return url


def render(stats: list[Stat]) -> str:
    lines = ["| database | column | rows | distinct | share | target | ok |",
             "|---|---|---:|---:|---:|---:|---|"]
    for s in stats:
        target = "" if s.target is None else f">= {s.target:.0%}"
        share = f"{s.share:.1%}" if s.shared is None else f"{s.shared} shared"
        lines.append(f"| {s.database} | {s.column} | {s.rows} | {s.distinct} | {share} | "
                     f"{target} | {'yes' if s.ok else 'NO'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", default="light,medium,heavy")
    parser.add_argument("--scales", default="", help="values of --scale (profile medium)")
    parser.add_argument("--database-url", help="measure this database instead of seeding")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    stats: list[Stat] = []
    if args.database_url:
        stats += measure(args.database_url, "given", scaled=False)
    else:
        with tempfile.TemporaryDirectory(prefix="realism-") as tmp:
            runs = [(p, None) for p in args.profiles.split(",") if p]
            runs += [("medium", int(s)) for s in args.scales.split(",") if s]
            for profile, scale in runs:
                print(f"seeding {profile} scale {scale or 1} ...", file=sys.stderr)
                url = seed(Path(tmp), profile, scale)
                label = profile if scale is None else f"scale {scale}"
                stats += measure(url, label, scaled=scale is not None and scale >= 10)
    print(json.dumps([asdict(s) | {"ok": s.ok} for s in stats], indent=1) if args.json
          else render(stats))
    return 0 if all(s.ok for s in stats) else 1


if __name__ == "__main__":
    sys.exit(main())
