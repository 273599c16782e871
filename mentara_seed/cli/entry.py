"""The ``seed`` command as installed: answers ``seed --version`` before importing the CLI
(typer, rich, SQLAlchemy and the enrichers take most of a short command's time), and gives a
Ctrl-C that comes while they are still being imported the message every other one gets."""

from __future__ import annotations

import gc
import sys

VERSION_FLAGS = ("--version", "-V")


def main() -> None:
    if len(sys.argv) == 2 and sys.argv[1] in VERSION_FLAGS:
        from mentara_seed import __version__

        print(f"mentara-seed {__version__}")
        raise SystemExit(0)
    # Off from the start, as ``app.main`` keeps it: the imports alone make some 100,000
    # objects, and the collector's passes over them while they are made are 30-50 ms.
    gc.disable()
    try:
        from mentara_seed.cli import app
    except KeyboardInterrupt:
        print("Interrupted; nothing was written.", file=sys.stderr)
        raise SystemExit(130) from None
    app.main()
