"""mentara-seed benchmarks: one command, its own databases, a table (or --json).

    /work/venv/bin/python bench/run.py [--json] [--scales 1,10] [--backends sqlite,postgresql]
                                       [--postgres-url URL] [--quick] [--naive-cap N]
                                       [--profile] [--save FILE]

For every backend and scale it runs, each as a separate `seed` process measured whole (wall
time, child CPU time, peak RSS from os.wait4):

  fresh         `seed apply --init` on an empty database (plan + apply + verify)
  no-op plan    `seed plan` on the database fresh just seeded
  no-op apply   `seed apply` on it (plans, finds nothing, verifies)
  del10 plan    `seed plan` after every 10th Comment and every 10th Post (by id) were deleted
                behind the seeder's back (cascades follow the schema)
  del10 apply   `seed apply` restoring them

and, on the same rows, the two references: a raw load of exactly the rows the plan creates
(binary COPY on PostgreSQL, executemany on SQLite; one transaction) and a naive
one-ORM-object-and-commit-per-row loop (capped, extrapolated). See bench/README.md.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

import baselines  # noqa: E402
import measure  # noqa: E402
from databases import Backend  # noqa: E402

ANCHOR = "2026-11-16"
DEFAULT_PG = "postgresql://root@127.0.0.1:5432/postgres"


def log(message: str) -> None:
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


@dataclass
class Result:
    scenario: str  # fresh | noop-plan | noop-apply | del10-plan | del10-apply
    backend: str
    scale: int
    rows: int  # rows the command writes (or, for a plan, plans to write)
    live_rows: int  # rows in the Mentara tables before the command
    wall: float
    cpu: float  # child user + system CPU seconds (the database server's work is not in it)
    peak_rss_mb: float
    raw_seconds: float | None = None  # raw load of the same rows
    bare_seconds: float | None = None  # schema + raw load + indexes after (fresh, PostgreSQL)
    naive_seconds: float | None = None  # naive ORM loop for the same rows (maybe estimated)
    naive_timed_rows: int | None = None
    walls: list[float] = field(default_factory=list)  # every repeat; ``wall`` is the least
    notes: list[str] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows_per_s(self) -> float | None:
        return self.rows / self.wall if self.rows and self.wall else None

    @property
    def x_raw(self) -> float | None:
        return self.wall / self.raw_seconds if self.raw_seconds else None

    @property
    def x_bare(self) -> float | None:
        return self.wall / self.bare_seconds if self.bare_seconds else None

    @property
    def x_naive(self) -> float | None:
        return self.wall / self.naive_seconds if self.naive_seconds else None

    @property
    def naive_estimated(self) -> bool:
        return self.naive_timed_rows is not None and self.naive_timed_rows < self.rows

    def to_json(self) -> dict[str, Any]:
        doc = asdict(self)
        doc.update(rows_per_s=self.rows_per_s, x_raw=self.x_raw, x_bare=self.x_bare,
                   x_naive=self.x_naive,
                   naive_estimated=self.naive_estimated)
        return doc


# --- one backend, one scale ----------------------------------------------------------------


class Bench:
    def __init__(self, backend: Backend, naive_cap: int, profile_dir: Path | None,
                 repeat: int = 1, env: dict[str, str] | None = None,
                 scenarios: tuple[str, ...] = ("fresh", "noop", "del10")) -> None:
        self.backend = backend
        self.scenarios = scenarios
        self.env = env or {}
        self.repeat = repeat
        self.naive_cap = naive_cap
        self.profile_dir = profile_dir
        self.seed = measure.seed_command()

    def seed_run(self, args: list[str], db: str, *, scale: int, stdout_path: Path | None = None,
                 check: bool = True) -> measure.Run:
        argv = [*self.seed, *args, "--database-url", self.backend.url(db)]
        if args[0] != "init":
            argv += ["--anchor", ANCHOR]
        if scale != 1:
            argv += ["--scale", str(scale)]
        return measure.run(argv, cwd=self.backend.workdir, stdout_path=stdout_path, check=check,
                           env=self.env)

    def plan_rows(self, db: str, scale: int, label: str
                  ) -> tuple[baselines.PlanRows, measure.Run]:
        """The rows the plan for ``db`` would create, from `seed plan --format json`."""
        path = self.backend.workdir / f"plan_{label}.json"
        run = self.seed_run(["plan", "--format", "json"], db, scale=scale, stdout_path=path)
        rows = baselines.read_plan(path)
        path.unlink()
        return rows, run

    def best(self, runs: list[measure.Run]) -> tuple[measure.Run, list[float]]:
        """The fastest of the repeats (least disturbed by other load) and every wall time."""
        return min(runs, key=lambda r: r.wall), [round(r.wall, 4) for r in runs]

    def raw_load(self, plan: baselines.PlanRows, make_db: Callable[[], str]) -> tuple[float, int]:
        """Best-of-repeat seconds of the raw load, each into a new database from ``make_db``;
        and how many rows the Mentara tables held after the last one."""
        times = []
        loaded = 0
        for _ in range(self.repeat):
            db = make_db()
            if self.backend.name == "postgresql":
                times.append(baselines.raw_copy_postgresql(self.backend.conninfo(db), plan))
            else:
                times.append(baselines.raw_executemany_sqlite(self.backend.path(db), plan))
            loaded = self.backend.count_rows(db)
            self.backend.drop(db)
        return min(times), loaded

    def bare_load(self, plan: baselines.PlanRows, name: str) -> tuple[float, int]:
        """Best-of-repeat seconds of ``raw_copy_bare_postgresql``, each on a new empty
        database; and how many rows the Mentara tables held after the last one."""
        times = []
        loaded = 0
        for _ in range(self.repeat):
            db = self.backend.create(name)
            times.append(baselines.raw_copy_bare_postgresql(self.backend.conninfo(db), plan))
            loaded = self.backend.count_rows(db)
            self.backend.drop(db)
        return min(times), loaded

    def naive(self, plan: baselines.PlanRows, db: str) -> baselines.NaiveResult:
        result = baselines.naive_orm(self.backend.url(db), plan, self.naive_cap)
        self.backend.drop(db)
        return result

    def result(self, scenario: str, scale: int, runs: list[measure.Run], rows: int, live: int
               ) -> Result:
        run, walls = self.best(runs)
        return Result(scenario, self.backend.name, scale, rows, live, run.wall, run.cpu,
                      run.maxrss_mb, walls=walls)

    @staticmethod
    def check_runs(result: Result, runs: list[measure.Run]) -> None:
        """A failed command is reported on its row (its time is not comparable) and logged."""
        for r in runs:
            if r.returncode != 0:
                last = (r.stdout + r.stderr).strip().splitlines()[-1:] or ["?"]
                result.notes.append(f"FAILED (exit {r.returncode}): {last[0][:160]}")
                log(f"{result.scenario}: command failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")

    def startup(self) -> Result:
        """The floor under every command: a process that only imports what `seed plan` does."""
        argv = [sys.executable, "-c", "import mentara_seed.cli.app, mentara_seed.operations"]
        runs = [measure.run(argv, cwd=self.backend.workdir, env=self.env)
                for _ in range(max(3, self.repeat))]
        return self.result("imports", 0, runs, 0, 0)

    def scale(self, scale: int, out: list[Result]) -> None:
        """Every scenario at one scale; results are appended to ``out`` as they come."""
        b = self.backend
        tag = f"s{scale}"

        def empty_initialized(name: str) -> Callable[[], str]:
            def make() -> str:
                db = b.create(name)
                self.seed_run(["init"], db, scale=1)
                return db
            return make

        # The rows the fresh plan creates: `seed plan --format json` on an empty `seed init`
        # database (untimed).
        log(f"{b.name} scale {scale}: `seed plan --format json` on an empty database (the rows "
            "for the references)")
        db = empty_initialized(f"{tag}_plan")()
        plan, run = self.plan_rows(db, scale, f"{tag}_fresh")
        b.drop(db)
        out.append(self.result("fresh-plan", scale, [run], plan.creates, 0))
        log(f"{b.name} scale {scale}: the plan creates {plan.creates:,} rows ({run.wall:.1f} s)")

        runs = []
        fresh_db = ""
        for i in range(self.repeat):
            fresh_db = b.create(f"{tag}_fresh")
            log(f"{b.name} scale {scale}: fresh `seed apply --init` ({i + 1}/{self.repeat})")
            runs.append(self.seed_run(["apply", "--init"], fresh_db, scale=scale))
            if i + 1 < self.repeat:
                b.drop(fresh_db)
        fresh = self.result("fresh", scale, runs, plan.creates, 0)
        seeded = b.count_rows(fresh_db)
        if seeded != plan.creates:
            fresh.notes.append(f"database holds {seeded:,} rows, the plan had {plan.creates:,}")
        log(f"{b.name} scale {scale}: fresh {fresh.wall:.2f} s; raw load of the same rows")
        fresh.raw_seconds, loaded = self.raw_load(plan, empty_initialized(f"{tag}_raw"))
        if loaded != plan.creates:
            fresh.notes.append(f"raw load left {loaded:,} rows, expected {plan.creates:,}")
        if b.name == "postgresql":
            log(f"{b.name} scale {scale}: raw {fresh.raw_seconds:.2f} s; into bare tables")
            fresh.bare_seconds, loaded = self.bare_load(plan, f"{tag}_bare")
            if loaded != plan.creates:
                fresh.notes.append(f"bare load left {loaded:,} rows, expected {plan.creates:,}")
        log(f"{b.name} scale {scale}: references done; naive loop "
            f"(first {min(self.naive_cap, plan.creates):,} rows)")
        naive = self.naive(plan, empty_initialized(f"{tag}_naive")())
        fresh.naive_seconds, fresh.naive_timed_rows = naive.seconds, naive.timed_rows
        out.append(fresh)
        del plan

        if "noop" in self.scenarios:
            # No-op plan and apply on the seeded database.
            log(f"{b.name} scale {scale}: no-op plan and apply")
            runs = [self.seed_run(["plan", "--detailed-exitcode"], fresh_db, scale=scale,
                                  check=False) for _ in range(self.repeat)]
            noop_plan = self.result("noop-plan", scale, runs, 0, seeded)
            if any(r.returncode == 2 for r in runs):
                noop_plan.notes.append("NOT a no-op: the plan has changes")
            for r in runs:
                if r.returncode not in (0, 2):
                    raise RuntimeError(f"seed plan failed:\n{r.stdout}\n{r.stderr}")
            out.append(noop_plan)
            runs = [self.seed_run(["apply"], fresh_db, scale=scale, check=False)
                    for _ in range(self.repeat)]
            noop_apply = self.result("noop-apply", scale, runs, 0, seeded)
            self.check_runs(noop_apply, runs)
            out.append(noop_apply)

        if "del10" in self.scenarios:
            # Every 10th Comment and Post (by id) deleted behind the seeder's back (with the
            # schema's cascades), then `seed plan` and `seed apply`. Each repeat deletes the same
            # rows again: the apply restores them identically.
            plan_runs, apply_runs = [], []
            lost = 0
            plan = None
            for i in range(self.repeat):
                lost = b.delete_every_tenth(fresh_db)
                if plan is None:
                    template = b.create(f"{tag}_deleted", template=fresh_db)
                    plan, _ = self.plan_rows(fresh_db, scale, f"{tag}_del")
                log(f"{b.name} scale {scale}: deleted {lost:,} rows; plan and apply "
                    f"({i + 1}/{self.repeat})")
                plan_runs.append(self.seed_run(["plan"], fresh_db, scale=scale, check=False))
                apply_runs.append(self.seed_run(["apply"], fresh_db, scale=scale, check=False))
            assert plan is not None
            live = seeded - lost
            written = plan.creates + plan.counts.get("update", 0) + plan.counts.get("delete", 0)
            del_plan = self.result("del10-plan", scale, plan_runs, written, live)
            self.check_runs(del_plan, plan_runs)
            out.append(del_plan)
            del_apply = self.result("del10-apply", scale, apply_runs, written, live)
            self.check_runs(del_apply, apply_runs)
            restored = b.count_rows(fresh_db)
            if restored != seeded:
                del_apply.notes.append(f"restored to {restored:,} rows, was {seeded:,}")
            b.drop(fresh_db)
            del_apply.raw_seconds, loaded = self.raw_load(
                plan, lambda: b.create(f"{tag}_draw", template=template))
            if loaded != live + plan.creates:
                del_apply.notes.append(f"raw load left {loaded:,} rows, expected "
                                       f"{live + plan.creates:,}")
            naive = self.naive(plan, b.create(f"{tag}_dnaive", template=template))
            del_apply.naive_seconds, del_apply.naive_timed_rows = naive.seconds, naive.timed_rows
            b.drop(template)
            out.append(del_apply)
        else:
            b.drop(fresh_db)

        if self.profile_dir is not None:
            self.profile(scale)

    def profile(self, scale: int) -> None:
        """cProfile of a fresh `seed apply --init` and of the no-op `seed plan` after it
        (separate runs, not in the table): top functions by cumulative and by own time."""
        b = self.backend
        db = b.create(f"s{scale}_prof")
        for command in (["apply", "--init"], ["plan"]):
            name = command[0] if command[0] == "apply" else "noop-plan"
            stem = self.profile_dir / f"profile_{b.name}_s{scale}_{name}"
            argv = [sys.executable, "-m", "cProfile", "-o", f"{stem}.prof", "-m",
                    "mentara_seed.cli.app", *command, "--database-url", b.url(db),
                    "--anchor", ANCHOR]
            if scale != 1:
                argv += ["--scale", str(scale)]
            log(f"{b.name} scale {scale}: profiling `seed {' '.join(command)}`")
            run = measure.run(argv, cwd=b.workdir, env=self.env)
            write_profile(stem, f"seed {' '.join(command)} --scale {scale} on {b.name}", run)
            log(f"wrote {stem}.txt")
        b.drop(db)


def write_profile(stem: Path, title: str, run: measure.Run) -> None:
    import pstats

    with open(f"{stem}.txt", "w") as f:
        f.write(f"# {title}\n# python -m cProfile -o {stem.name}.prof -m mentara_seed.cli.app "
                f"...\n# wall {run.wall:.2f} s under cProfile, cpu {run.cpu:.2f} s, peak RSS "
                f"{run.maxrss_mb:.0f} MB\n")
        stats = pstats.Stats(f"{stem}.prof", stream=f)
        stats.sort_stats("cumulative")
        f.write("\n## top 25 by cumulative time\n")
        stats.print_stats(25)
        f.write("\n## top 25 of the project's own functions by cumulative time\n")
        stats.print_stats(r"mentara_seed/(?!cli/app)", 25)
        f.write("\n## top 25 by own (internal) time\n")
        stats.sort_stats("tottime").print_stats(25)


# --- targets ----------------------------------------------------------------------------------


def _target(result: Result, text: str, ok: bool, value: str) -> None:
    result.targets.append({"target": text, "ok": ok, "measured": value})


def judge(results: list[Result]) -> None:
    """The issue's targets, attached to the rows they are about."""
    by_key = {(r.scenario, r.backend, r.scale): r for r in results}
    for r in results:
        fresh = by_key.get(("fresh", r.backend, r.scale))
        if r.scale == 1 and r.backend == "postgresql":
            if r.scenario == "fresh":
                _target(r, "fresh medium apply < 1.5 s", r.wall < 1.5, f"{r.wall:.2f} s")
            if r.scenario == "noop-plan":
                _target(r, "no-op medium plan < 0.6 s", r.wall < 0.6, f"{r.wall:.2f} s")
        if r.scale == 1:
            continue
        if r.scenario == "fresh" and r.backend == "postgresql":
            rps = r.rows_per_s or 0.0
            _target(r, "≥ 50,000 rows/s", rps >= 50_000, f"{rps:,.0f}")
            if r.x_raw is not None:
                _target(r, "≤ 2.3× raw COPY", r.x_raw <= 2.3, f"{r.x_raw:.1f}×")
            _target(r, "peak RSS < 1.5 GB", r.peak_rss_mb < 1536, f"{r.peak_rss_mb:,.0f} MB")
        if r.scenario == "noop-plan" and fresh is not None:
            limit = fresh.wall / 4
            _target(r, "< ¼ of fresh apply", r.wall < limit,
                    f"{r.wall:.2f} s vs {limit:.2f} s")
        if r.scenario == "del10-apply" and fresh is not None:
            plan = by_key.get(("del10-plan", r.backend, r.scale))
            total = r.wall + (plan.wall if plan else 0.0)
            limit = fresh.wall / 3
            _target(r, "plan+apply < ⅓ of fresh apply", total < limit,
                    f"{total:.2f} s vs {limit:.2f} s")


# --- output -----------------------------------------------------------------------------------


def machine(pg_url: str | None) -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    if pg_url:
        try:
            import psycopg

            with psycopg.connect(Backend("postgresql", Path("."), pg_url).admin_conninfo()
                                 ) as conn:
                info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
                for setting in ("shared_buffers", "synchronous_commit", "fsync"):
                    info[f"pg_{setting}"] = conn.execute(f"SHOW {setting}").fetchone()[0]
        except Exception as err:  # noqa: BLE001
            info["postgresql"] = f"unavailable: {err}"
    return info


SCENARIO_LABEL = {
    "imports": "imports only",
    "fresh-plan": "plan (json), empty db",
    "fresh": "fresh apply",
    "noop-plan": "no-op plan",
    "noop-apply": "no-op apply",
    "del10-plan": "10% deleted: plan",
    "del10-apply": "10% deleted: apply",
}


def _fmt(value: float | None, spec: str, suffix: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{suffix}"


def table(results: list[Result], info: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=200)
    t = Table(title="mentara-seed benchmarks (whole `seed` process; anchor " + ANCHOR + ")",
              title_justify="left")
    for name, justify in [("scenario", "left"), ("backend", "left"), ("scale", "right"),
                          ("rows", "right"), ("live rows", "right"), ("wall s", "right"),
                          ("cpu s", "right"), ("rows/s", "right"), ("peak RSS MB", "right"),
                          ("× raw", "right"), ("× naive", "right"), ("target", "left")]:
        t.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in results:
        naive = _fmt(r.x_naive, ".3f", "×")
        if r.x_naive is not None and r.naive_estimated:
            naive += "*"
        targets = "\n".join(f"{'✓' if g['ok'] else '✗'} {g['target']} ({g['measured']})"
                            for g in r.targets)
        if r.notes:
            targets = "\n".join([targets, *("! " + n for n in r.notes)]).strip()
        t.add_row(SCENARIO_LABEL[r.scenario], r.backend, str(r.scale), f"{r.rows:,}",
                  f"{r.live_rows:,}", f"{r.wall:.2f}", f"{r.cpu:.2f}",
                  _fmt(r.rows_per_s, ",.0f"), f"{r.peak_rss_mb:,.0f}",
                  _fmt(r.x_raw, ".1f", "×"), naive, targets)
    console.print(t)
    refs = Table(title="references on the same rows", title_justify="left")
    for name in ("scenario", "backend", "scale", "rows", "raw load s", "raw rows/s",
                 "bare load s", "× bare", "naive s", "naive rows/s", "naive rows timed"):
        refs.add_column(name, justify="left" if name in ("scenario", "backend") else "right")
    for r in results:
        if r.raw_seconds is None:
            continue
        refs.add_row(SCENARIO_LABEL[r.scenario], r.backend, str(r.scale), f"{r.rows:,}",
                     f"{r.raw_seconds:.3f}", _fmt(r.rows / r.raw_seconds, ",.0f"),
                     _fmt(r.bare_seconds, ".3f"), _fmt(r.x_bare, ".1f", "×"),
                     f"{r.naive_seconds:.1f}" + ("*" if r.naive_estimated else ""),
                     _fmt(r.rows / r.naive_seconds if r.naive_seconds else None, ",.0f"),
                     f"{r.naive_timed_rows:,}")
    console.print(refs)
    console.print("× raw = wall / raw load of the same rows (PostgreSQL: binary COPY; SQLite: "
                  "executemany), one transaction, into a `seed init` schema.  bare load = on "
                  "PostgreSQL, the schema's tables, the same COPY, then its indexes and foreign "
                  "keys, one transaction, from an empty database; × bare = wall / that.  "
                  "× naive = wall / one ORM object + commit per "
                  "row.  * = naive time extrapolated from the first rows timed.")
    console.print("machine: " + ", ".join(f"{k}={v}" for k, v in info.items()))


# --- main ---------------------------------------------------------------------------------------


def snapshot_code(workdir: Path) -> tuple[dict[str, str], str]:
    """Copy ``mentara_seed/`` into ``workdir/src`` (bytecode compiled once, as installed from a
    wheel) so a long run measures the code as it is now, even while others edit the working
    tree. Returns the environment that runs `seed` from the copy, and a note saying so."""
    source = Path(importlib.util.find_spec("mentara_seed").origin).parent
    shutil.copytree(source, workdir / "src" / "mentara_seed",
                    ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(workdir / "src", quiet=1)
    note = f"snapshot of {source} taken at {dt.datetime.now():%Y-%m-%d %H:%M:%S}"
    return {"PYTHONPATH": str(workdir / "src")}, note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--scales", default=None,
                        help="comma-separated --scale values (default 1,10; --quick: 1)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("SEEDBENCH_POSTGRES_URL",
                                                                 DEFAULT_PG),
                        help="a server and a database to connect to for CREATE/DROP DATABASE")
    parser.add_argument("--quick", action="store_true",
                        help="scale 1 only and a naive loop of at most 300 rows")
    parser.add_argument("--naive-cap", type=int, default=None,
                        help="rows the naive ORM loop times before extrapolating (default 4000)")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile a fresh apply per backend and scale "
                             "(written next to --save, or to bench/results/)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="run each timed command N times and keep the fastest (default 3; "
                             "--quick: 1); every wall time is in the JSON")
    parser.add_argument("--scenarios", default="fresh,noop,del10",
                        help="which groups to run: fresh (always), noop (no-op plan and apply), "
                             "del10 (10%% deleted: plan and apply); e.g. --scenarios fresh for a "
                             "very large scale")
    parser.add_argument("--no-snapshot", action="store_true",
                        help="run the live working tree instead of a copy taken at the start")
    parser.add_argument("--save", type=Path, default=None, help="also write the JSON here")
    args = parser.parse_args(argv)

    scales = [int(s) for s in (args.scales or ("1" if args.quick else "1,10")).split(",")]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    for b in backends:
        if b not in ("sqlite", "postgresql"):
            parser.error(f"unknown backend {b!r}: use sqlite and/or postgresql")
    naive_cap = args.naive_cap or (300 if args.quick else 4000)
    repeat = args.repeat or (1 if args.quick else 3)
    scenarios = tuple(x.strip() for x in args.scenarios.split(",") if x.strip())
    for x in scenarios:
        if x not in ("fresh", "noop", "del10"):
            parser.error(f"unknown scenario group {x!r}: use fresh, noop, del10")
    profile_dir = None
    if args.profile:
        profile_dir = (args.save.parent if args.save else HERE / "results").resolve()
        profile_dir.mkdir(parents=True, exist_ok=True)

    info = machine(args.postgres_url if "postgresql" in backends else None)
    started = time.perf_counter()
    results: list[Result] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="seedbench-") as workdir:
        env = {}
        if not args.no_snapshot:
            env, info["code"] = snapshot_code(Path(workdir))
        for name in backends:
            backend = Backend(name, Path(workdir), args.postgres_url)
            bench = Bench(backend, naive_cap, profile_dir, repeat, env, scenarios)
            try:
                if not results:
                    log("startup: a process that only imports what `seed plan` imports")
                    startup = bench.startup()
                    startup.backend = "—"
                    results.append(startup)
                for scale in scales:
                    try:
                        bench.scale(scale, results)
                    except Exception as err:  # noqa: BLE001 - report it, go on
                        log(f"{name} scale {scale}: aborted: {err}")
                        errors.append(f"{name} scale {scale}: {err}")
            finally:
                backend.drop_all()
    judge(results)
    info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    info["bench_seconds"] = round(time.perf_counter() - started, 1)
    doc = {"anchor": ANCHOR, "machine": info, "naive_cap": naive_cap, "repeat": repeat,
           "scales": scales, "backends": backends,
           "results": [r.to_json() for r in results], "errors": errors}
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps(doc, indent=2) + "\n")
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        table(results, info)
        for error in errors:
            print(f"ERROR: {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
