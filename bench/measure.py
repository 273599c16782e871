"""Whole-process measurements of one `seed` command: wall time, CPU time and peak RSS of the
child, taken with perf_counter and os.wait4 on the child's pid by a small launcher
(``spawn.py``; see there why), so they are the child's own rusage, not the sum over every child
this process ever had."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    argv: list[str]
    wall: float  # seconds, perf_counter around spawn .. reap
    user: float  # child CPU seconds in user mode
    sys: float  # child CPU seconds in kernel mode
    maxrss_mb: float  # child peak resident set size (ru_maxrss is KiB on Linux)
    returncode: int
    stdout: str
    stderr: str

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def seed_command() -> list[str]:
    """The `seed` console script next to this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("seed")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "mentara_seed.cli.app"]


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment without SEED_* settings, so nothing but the flags configure a run.

    ``PYTHONDONTWRITEBYTECODE`` is dropped too: with it, every process would compile the
    package from source (~80 ms per start), which an installed tool never does.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SEED_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("COLUMNS", "120")
    env.update(extra or {})
    return env


SPAWN = Path(__file__).resolve().with_name("spawn.py")


def run(argv: list[str], *, cwd: str | Path, stdout_path: str | Path | None = None,
        check: bool = True, keep_output: bool = True, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` to completion and measure it (through ``spawn.py``, so that the peak RSS is
    the command's own). Output goes to files, never a pipe that could fill up; ``stdout_path``
    keeps stdout in that file instead of reading it back."""
    with tempfile.TemporaryDirectory(prefix="seedbench-io-") as io_dir:
        out_path = Path(stdout_path) if stdout_path else Path(io_dir) / "stdout"
        err_path = Path(io_dir) / "stderr"
        numbers = Path(io_dir) / "rusage.json"
        launcher = [sys.executable, "-S", "-E", str(SPAWN), str(numbers), "--"]
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            subprocess.run(launcher + argv, cwd=cwd, stdout=out, stderr=err,
                           stdin=subprocess.DEVNULL, env=clean_env(env), check=True)
        m = json.loads(numbers.read_text())
        stdout = out_path.read_text(errors="replace") if keep_output and not stdout_path else ""
        stderr = err_path.read_text(errors="replace")
    result = Run(argv, m["wall"], m["user"], m["sys"], m["maxrss_kb"] / 1024, m["returncode"],
                 stdout, stderr)
    if check and result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise RuntimeError(f"command failed ({result.returncode}): {' '.join(argv)}\n{tail}")
    return result
