"""mentara-seed against the seeder a team would pick instead, side by side, on PostgreSQL.

    .venv/bin/python bench/peers.py [--sizes light,1,10] [--repeat 3] [--postgres-url URL]
                                    [--save FILE] [--no-snapshot]

Per size (`light` is `--profile light`, a number is `--scale N` of the default medium profile)
it reads the rows the fresh plan creates (`seed plan --format json` on an empty `seed init`
database, untimed), then, ``--repeat`` times in alternating order, each on a new database:

  mentara-seed   `seed apply --init` on an empty database: schema + plan + apply + verify;
                 and `seed apply` on a `seed init` database (the drizzle run's start)
  drizzle-seed   `node bench/peers/seed-drizzle.mjs` on a `seed init` database (the same 42
                 tables), with the plan's row count for every table
  raw COPY       psycopg binary COPY of exactly the plan's rows (bench/baselines.py), in process

and prints the medians: wall seconds of each whole process (spawn to exit), their ratio, the
raw COPY of the same rows, and `seed init` alone (the schema the drizzle run is given for free).
After every run the 42 tables are counted (count(*)) and any table whose count differs from the
plan is reported. drizzle-seed needs Node.js and `npm ci` in bench/peers/; without them the
harness says so and exits 0. See bench/README.md, "Peers".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PEERS = HERE / "peers"
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

import baselines  # noqa: E402
import measure  # noqa: E402
import run as bench_run  # noqa: E402
from databases import Backend  # noqa: E402

from mentara_seed.schema.tables import TABLES  # noqa: E402

DEFAULT_PG = "postgresql://root@127.0.0.1:5432/postgres"


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def missing_peers() -> str | None:
    """Why drizzle-seed cannot run here, or None."""
    if shutil.which("node") is None:
        return "Node.js (`node`) is not on PATH"
    if not (PEERS / "node_modules" / "drizzle-seed").is_dir():
        return f"the peers' packages are not installed: run `npm ci` in {PEERS}"
    return None


@dataclass(frozen=True)
class Size:
    label: str  # "light", "medium", "scale 10"
    profile: str
    scale: int

    @classmethod
    def parse(cls, text: str) -> Size:
        if text in ("light", "medium", "heavy"):
            return cls(text, text, 1)
        scale = int(text)
        return cls("medium" if scale == 1 else f"scale {scale}", "medium", scale)

    def args(self) -> list[str]:
        return ["--profile", self.profile] if self.profile != "medium" else []


@dataclass
class Row:
    size: str
    rows: int
    mentara: list[float] = field(default_factory=list)
    mentara_on_init: list[float] = field(default_factory=list)  # `seed apply` after `seed init`
    mentara_cpu: list[float] = field(default_factory=list)  # user + system, the process's own
    drizzle_cpu: list[float] = field(default_factory=list)
    drizzle: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    init: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    drizzle_runs: list[dict[str, Any]] = field(default_factory=list)  # seed-drizzle.mjs's summary

    @staticmethod
    def median(values: list[float]) -> float | None:
        return statistics.median(values) if values else None

    def to_json(self) -> dict[str, Any]:
        doc = asdict(self)
        for name in ("mentara", "mentara_on_init", "drizzle", "raw", "init", "mentara_cpu",
                     "drizzle_cpu"):
            doc[f"{name}_median"] = self.median(getattr(self, name))
        return doc


def table_counts(backend: Backend, db: str) -> Counter[str]:
    parts = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in TABLES)
    return Counter({t: n for t, n in backend._execute(db, [parts]) if n})


def differences(expected: Counter[str], got: Counter[str]) -> str | None:
    diff = [f"{t} {got[t]:,} (plan {expected[t]:,})" for t in sorted(set(expected) | set(got))
            if got[t] != expected[t]]
    return ", ".join(diff) if diff else None


class Peers:
    def __init__(self, backend: Backend, env: dict[str, str], repeat: int) -> None:
        self.backend = backend
        self.repeat = repeat
        self.env = env
        self.bench = bench_run.Bench(backend, 0, None, 1, env, ("fresh",))

    def initialized(self, name: str) -> tuple[str, measure.Run]:
        db = self.backend.create(name)
        return db, self.bench.seed_run(["init"], db, scale=1)

    def pull_schema(self) -> None:
        """The drizzle schema, generated from a `seed init` database (bench/peers/generated/)."""
        db, _ = self.initialized("peers_schema")
        try:
            out = subprocess.run(["node", str(PEERS / "pull-schema.mjs"),
                                  self.backend.conninfo(db), str(PEERS / "generated")],
                                 cwd=PEERS, capture_output=True, text=True, check=False)
            if out.returncode != 0:
                raise RuntimeError(f"pull-schema.mjs failed:\n{out.stdout}\n{out.stderr}")
            for line in out.stdout.splitlines():
                log(f"drizzle schema: {line}")
        finally:
            self.backend.drop(db)

    def size(self, size: Size, workdir: Path) -> Row:
        b = self.backend
        tag = size.label.replace(" ", "")
        db, _ = self.initialized(f"peers_{tag}_plan")
        plan, _ = self.plan_rows(db, size)
        b.drop(db)
        expected: Counter[str] = Counter()
        for run in plan.runs:
            expected[run.table] += len(run.rows)
        counts_path = workdir / f"counts_{tag}.json"
        counts_path.write_text(json.dumps(dict(expected)))
        row = Row(size.label, plan.creates)
        log(f"{size.label}: the plan creates {plan.creates:,} rows in {len(expected)} tables")

        def mentara() -> None:
            db = b.create(f"peers_{tag}_mentara")
            r = self.bench.seed_run(["apply", "--init", *size.args()], db, scale=size.scale)
            row.mentara.append(r.wall)
            row.mentara_cpu.append(r.cpu)
            self.check(row, "mentara-seed", expected, table_counts(b, db))
            b.drop(db)

        def mentara_on_init() -> None:
            db, _ = self.initialized(f"peers_{tag}_mentara_init")
            r = self.bench.seed_run(["apply", *size.args()], db, scale=size.scale)
            row.mentara_on_init.append(r.wall)
            self.check(row, "mentara-seed (on seed init)", expected, table_counts(b, db))
            b.drop(db)

        def drizzle() -> None:
            db, init = self.initialized(f"peers_{tag}_drizzle")
            row.init.append(init.wall)
            r = measure.run(["node", str(PEERS / "seed-drizzle.mjs"), b.conninfo(db),
                             str(counts_path)], cwd=PEERS, env=self.env, check=False)
            if r.returncode != 0:
                tail = (r.stdout + r.stderr).strip().splitlines()[-12:]
                raise RuntimeError("drizzle-seed failed:\n" + "\n".join(tail))
            row.drizzle.append(r.wall)
            row.drizzle_cpu.append(r.cpu)
            row.drizzle_runs.append(json.loads(r.stdout.strip().splitlines()[-1]))
            self.check(row, "drizzle-seed", expected, table_counts(b, db))
            b.drop(db)

        def raw() -> None:
            db, _ = self.initialized(f"peers_{tag}_raw")
            row.raw.append(baselines.raw_copy_postgresql(b.conninfo(db), plan))
            self.check(row, "raw COPY", expected, table_counts(b, db))
            b.drop(db)

        for i in range(self.repeat):
            order = [mentara, drizzle, mentara_on_init, raw]
            if i % 2:
                order.reverse()
            for step in order:
                step()
            log(f"{size.label}: run {i + 1}/{self.repeat}: mentara-seed {row.mentara[-1]:.2f} s, "
                f"drizzle-seed {row.drizzle[-1]:.2f} s, mentara-seed on `seed init` "
                f"{row.mentara_on_init[-1]:.2f} s, raw COPY {row.raw[-1]:.2f} s")
        return row

    def plan_rows(self, db: str, size: Size) -> tuple[baselines.PlanRows, measure.Run]:
        path = self.backend.workdir / f"plan_{size.profile}.json"
        run = self.bench.seed_run(["plan", "--format", "json", *size.args()], db,
                                  scale=size.scale, stdout_path=path)
        rows = baselines.read_plan(path)
        path.unlink()
        return rows, run

    @staticmethod
    def check(row: Row, who: str, expected: Counter[str], got: Counter[str]) -> None:
        diff = differences(expected, got)
        if diff:
            note = f"{who} left different counts: {diff}"
            if note not in row.notes:
                row.notes.append(note)
                log(note)


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def markdown(rows: list[Row]) -> str:
    lines = ["| size | rows | mentara-seed s | drizzle-seed s | mentara ÷ drizzle "
             "| raw binary COPY s | mentara ÷ raw | `seed init` s | mentara-seed on `seed init` s "
             "| that ÷ drizzle | cpu s: mentara-seed / drizzle-seed |",
             "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]

    def ratio(a: float | None, b: float | None, spec: str) -> str:
        return f"{a / b:{spec}}×" if a and b else "—"

    for r in rows:
        m, d, c = r.median(r.mentara), r.median(r.drizzle), r.median(r.raw)
        mi = r.median(r.mentara_on_init)
        lines.append(f"| {r.size} | {r.rows:,} | {_s(m)} | {_s(d)} | {ratio(m, d, '.2f')} | "
                     f"{_s(c)} | {ratio(m, c, '.1f')} | {_s(r.median(r.init))} | {_s(mi)} | "
                     f"{ratio(mi, d, '.2f')} | {_s(r.median(r.mentara_cpu))} / "
                     f"{_s(r.median(r.drizzle_cpu))} |")
    for r in rows:
        for note in r.notes:
            lines.append(f"\n! {r.size}: {note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", "--scales", dest="sizes", default="light,1,10",
                        help="comma-separated: light, medium, heavy (profiles at scale 1) or a "
                             "--scale of the medium profile (default light,1,10)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each seeder per size, in alternating order; the medians "
                             "are shown (default 3)")
    parser.add_argument("--postgres-url", default=os.environ.get("SEEDBENCH_POSTGRES_URL",
                                                                 DEFAULT_PG))
    parser.add_argument("--save", type=Path, default=None, help="also write the JSON here")
    parser.add_argument("--no-snapshot", action="store_true",
                        help="run the live working tree instead of a copy taken at the start")
    args = parser.parse_args(argv)
    sizes = [Size.parse(s.strip()) for s in args.sizes.split(",") if s.strip()]

    why = missing_peers()
    if why:
        print(f"bench/peers.py: skipped, drizzle-seed cannot run: {why}.")
        return 0

    info = bench_run.machine(args.postgres_url)
    info["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True
                                  ).stdout.strip()
    versions = json.loads((PEERS / "package.json").read_text())["dependencies"]
    info["peers"] = {k: v for k, v in versions.items() if k.startswith("drizzle")}
    started = time.perf_counter()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="seedbench-peers-") as workdir:
        env: dict[str, str] = {}
        if not args.no_snapshot:
            env, info["code"] = bench_run.snapshot_code(Path(workdir))
        backend = Backend("postgresql", Path(workdir), args.postgres_url)
        peers = Peers(backend, env, args.repeat)
        try:
            peers.pull_schema()
            for size in sizes:
                rows.append(peers.size(size, Path(workdir)))
        finally:
            backend.drop_all()
    info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    info["bench_seconds"] = round(time.perf_counter() - started, 1)
    print(markdown(rows))
    print(f"\nmedians of {args.repeat} alternating runs; whole processes, wall seconds. "
          "mentara-seed: `seed apply --init` on an empty database (creates the schema); "
          "drizzle-seed is given the schema by `seed init` (timed apart); mentara-seed on "
          "`seed init`: `seed apply` on such a database, the drizzle run's starting point")
    print("machine: " + ", ".join(f"{k}={v}" for k, v in info.items()))
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps({"machine": info, "repeat": args.repeat,
                                         "rows": [r.to_json() for r in rows]}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
