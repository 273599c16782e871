"""A small launcher: run one command, measure it with perf_counter and os.wait4, write the
numbers as JSON to the file named first.

    python bench/spawn.py RESULT.json -- command args...

Why a separate process: on Linux a child's ru_maxrss starts at the RSS of the process that
spawned it (the pre-exec memory map is counted: with vfork the child shares the parent's, and
exec keeps its high-water mark). The benchmark process grows to hundreds of MB holding a plan's
rows, which would then show up as every `seed` run's "peak RSS". This launcher imports nothing
heavy (about 10 MB), so the ru_maxrss it reads is the `seed` process's own.
"""

import json
import os
import subprocess
import sys
import time


def main() -> int:
    out, sep, *argv = sys.argv[1:]
    assert sep == "--" and argv, "usage: spawn.py RESULT.json -- command args..."
    started = time.perf_counter()
    proc = subprocess.Popen(argv)  # inherits stdin/stdout/stderr, cwd and environment
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    with open(out, "w") as f:
        json.dump({"wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime,
                   "maxrss_kb": usage.ru_maxrss, "returncode": proc.returncode}, f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
