"""How far a small change in the database or the settings ripples through the next plan.

For each perturbation: a fresh medium database (SQLite; PostgreSQL with ``--database-url``),
``seed apply``, the perturbation, ``seed plan --format json``; then one line of the table:
creates, updates, deletes, held, and the *ripple*: updates (reason ``desired-changed``) and
deletes or held deletes (reason ``orphaned``) of owned rows that were live as applied, by table.
Target: no ripple for a perturbation that does not change those rows' own inputs. A
perturbation whose plan fails is reported as ``crash: <message>``, not raised.

    .venv/bin/python bench/ripple.py
    .venv/bin/python bench/ripple.py --database-url postgresql://root@127.0.0.1:5432/postgres
    .venv/bin/python bench/ripple.py --only foreign-client-today,posts.per_client+1
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from mentara_seed.database import open_engine, parse_url
from mentara_seed.schema.tables import TABLES
from mentara_seed.testing import FOREIGN_KINDS, World
from mentara_seed.testing.reading import snapshot

ANCHOR = "2026-11-16"
ANCHOR_AT = dt.datetime(2026, 11, 16)
SEED = str(Path(sys.executable).with_name("seed"))


@dataclass
class Perturbation:
    """One change: ``change(url)`` edits the database; ``args`` are extra plan options;
    ``toml`` is a seed.toml for the plan's working directory."""

    name: str
    change: Callable[[str], None] = lambda url: None
    args: tuple[str, ...] = ()
    toml: str = ""


@dataclass
class Outcome:
    counts: Counter[str] = field(default_factory=Counter)
    ripple: Counter[str] = field(default_factory=Counter)
    crash: str = ""


def _exec(url: str, statement: str, **params: object) -> list[sa.Row[object]]:
    engine = open_engine(url)  # SQLite with foreign keys on: deletes cascade as in the app
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(statement), params)
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


def _insert(url: str, rows: list[tuple[str, dict[str, object]]]) -> None:
    engine = open_engine(url)
    try:
        with engine.begin() as conn:
            for table, row in rows:
                conn.execute(TABLES[table].insert().values(**row))
    finally:
        engine.dispose()


def _foreign(kind: str, pick: int = 3) -> Callable[[str], None]:
    """Insert one row of the testing kit's foreign kind ``kind`` (the app's rows)."""
    build = {k.name: k.build for k in FOREIGN_KINDS}[kind]

    def change(url: str) -> None:
        world = World(snapshot(url), ANCHOR_AT)
        rows = build(world, pick, f"app-{kind}-{pick}")
        assert rows, f"no foreign {kind} could be built"
        _insert(url, rows)

    return change


def _client_at(created: dt.datetime, profile: bool) -> Callable[[str], None]:
    def change(url: str) -> None:
        world = World(snapshot(url), ANCHOR_AT)
        build = {k.name: k.build for k in FOREIGN_KINDS}["client"]
        key = f"app-client-{created:%Y%m%d}"
        rows = [(t, r) for t, r in build(world, 3, key) if profile or t == "User"]
        for _, row in rows:
            for column in ("createdAt", "updatedAt", "lastLoginAt"):
                if column in row:
                    row[column] = created
        _insert(url, rows)

    return change


def _community(url: str) -> None:
    world = World(snapshot(url), ANCHOR_AT)
    _insert(url, [("Community", world.row(
        "Community", id="app-community", name="Made in the app", slug="made-in-the-app",
        description="A community the app made.", imageUrl="https://example.org/c.webp",
        createdAt=ANCHOR_AT - dt.timedelta(days=3), updatedAt=ANCHOR_AT - dt.timedelta(days=3)))])


def _delete_posts(n: int) -> Callable[[str], None]:
    def change(url: str) -> None:
        ids = [r[0] for r in _exec(url, 'SELECT id FROM "Post" ORDER BY id')][:n]
        for pid in ids:
            _exec(url, 'DELETE FROM "Post" WHERE id = :i', i=pid)

    return change


def _delete_community(url: str) -> None:
    cid = _exec(url, 'SELECT id FROM "Community" ORDER BY id')[0][0]
    _exec(url, 'DELETE FROM "Community" WHERE id = :i', i=cid)


PERTURBATIONS = (
    Perturbation("foreign-client-today", _client_at(ANCHOR_AT + dt.timedelta(days=3), True)),
    Perturbation("foreign-user-2025-no-profile", _client_at(dt.datetime(2025, 1, 1), False)),
    Perturbation("foreign-therapist-approved", _foreign("therapist", 4)),
    Perturbation("foreign-community", _community),
    Perturbation("foreign-post", _foreign("post")),
    Perturbation("foreign-comment", _foreign("comment")),
    Perturbation("foreign-membership", _foreign("membership")),
    Perturbation("posts.per_client+1", toml="[minimums.posts]\nper_client = 6\n"),
    Perturbation("profile-heavy", args=("--profile", "heavy")),
    Perturbation("profile-light", args=("--profile", "light")),
    Perturbation("exclude-posts-after-2-deleted", _delete_posts(2), ("--exclude", "posts")),
    Perturbation("owned-post-deleted", _delete_posts(1)),
    Perturbation("community-deleted", _delete_community),
)


def _seed(url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEED_")}
    return subprocess.run([SEED, *args, "--database-url", url], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


def _outcome(document: dict[str, object]) -> Outcome:
    out = Outcome()
    for change in document["changes"]:  # type: ignore[attr-defined]
        out.counts[change["action"]] += 1
        if change["reason"] in ("desired-changed", "orphaned"):
            out.ripple[f"{change['action'][0]}:{change['table']}"] += 1
    for change in document["held"]:  # type: ignore[attr-defined]
        out.counts["held"] += 1
        if change["reason"] == "orphaned":
            out.ripple[f"held-d:{change['table']}"] += 1
    return out


class Backend:
    """Fresh databases from one seeded template: SQLite file copies or PostgreSQL templates."""

    def __init__(self, base: str | None, root: Path) -> None:
        self.base, self.root, self.made = base, root, []  # type: list[str]
        self.template = self._empty("template")
        done = _seed(self.template, root, "apply", "--init", "--anchor", ANCHOR)
        if done.returncode != 0:
            raise SystemExit(f"building the template failed:\n{done.stdout}{done.stderr}")

    def _admin(self, statement: str) -> None:
        engine = sa.create_engine(parse_url(self.base or ""), isolation_level="AUTOCOMMIT",
                                  poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            conn.exec_driver_sql(statement)
        engine.dispose()

    def _empty(self, name: str, template: str | None = None) -> str:
        if self.base is None:
            path = self.root / f"{name}.db"
            if template is not None:
                shutil.copyfile(parse_url(template).database or "", path)
            return f"sqlite:///{path}"
        db = f"ripple_{os.getpid()}_{name}".replace("-", "_").replace(".", "_").replace("+", "p")
        clause = f' TEMPLATE "{parse_url(template).database}"' if template else ""
        self._admin(f'CREATE DATABASE "{db}"{clause}')
        self.made.append(db)
        return parse_url(self.base).set(database=db).render_as_string(hide_password=False)

    def fresh(self, name: str) -> str:
        return self._empty(name, self.template)

    def close(self) -> None:
        for db in reversed(self.made):
            self._admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def run_one(backend: Backend, p: Perturbation) -> Outcome:
    url = backend.fresh(p.name)
    cwd = backend.root / p.name
    cwd.mkdir()
    if p.toml:
        (cwd / "seed.toml").write_text(p.toml)
    try:
        p.change(url)
    except Exception as error:  # noqa: BLE001 - a report line, not a stop
        return Outcome(crash=f"perturbation failed: {type(error).__name__}: {error}")
    done = _seed(url, cwd, "plan", "--format", "json", *p.args)
    if done.returncode != 0:
        lines = [ln for ln in (done.stderr + done.stdout).splitlines() if ln.strip()]
        return Outcome(crash=" ".join(lines)[:160] if lines else f"exit {done.returncode}")
    return _outcome(json.loads(done.stdout))


def table(results: list[tuple[str, Outcome]]) -> str:
    lines = ["| perturbation | creates | updates | deletes | held | ripple (owned rows that "
             "were valid: u=update, d=delete, held-d=held delete) |", "|---|---|---|---|---|---|"]
    for name, out in results:
        if out.crash:
            lines.append(f"| {name} | crash: {out.crash} | | | | |")
            continue
        c = out.counts
        ripple = ", ".join(f"{k} {v}" for k, v in sorted(out.ripple.items())) or "0"
        lines.append(f"| {name} | {c['create']} | {c['update']} | {c['delete']} | {c['held']} "
                     f"| {ripple} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server (a database to connect "
                        "to for CREATE/DROP DATABASE); default: SQLite files")
    parser.add_argument("--only", default="", help="comma-separated perturbation names")
    args = parser.parse_args(argv)
    chosen = [p for p in PERTURBATIONS
              if not args.only or p.name in args.only.split(",")]
    with tempfile.TemporaryDirectory(prefix="ripple_") as tmp:
        backend = Backend(args.database_url, Path(tmp))
        try:
            results = []
            for p in chosen:
                print(f"  {p.name} …", file=sys.stderr)
                results.append((p.name, run_one(backend, p)))
        finally:
            backend.close()
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
