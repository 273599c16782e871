"""The ``seed`` command as installed: answers ``seed --version`` before importing the CLI
(typer, rich, SQLAlchemy and the enrichers take most of a short command's time), and gives a
Ctrl-C that comes while they are still being imported the message every other one gets."""

from __future__ import annotations

import sys

VERSION_FLAGS = ("--version", "-V")


def main() -> None:
    if len(sys.argv) == 2 and sys.argv[1] in VERSION_FLAGS:
        from mentara_seed import __version__

        print(f"mentara-seed {__version__}")
        raise SystemExit(0)
    try:
        from mentara_seed.cli import app
    except KeyboardInterrupt:
        print("Interrupted; nothing was written.", file=sys.stderr)
        raise SystemExit(130) from None
    app.main()
