"""Writing a saved plan safely: never onto the database, never through a symbolic link, never
over a file that is not a plan (unless ``--force``), and atomically (a temporary file in the
same directory, renamed over the target once it is complete), so a full disk or a Ctrl-C
leaves the old file as it was. Every failure is a one-line message."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from mentara_seed.errors import SeedError, UsageError

# A saved plan's document starts with these keys (``planner.sealed``): a file whose beginning has
# them is a plan and may be replaced by a new one.
_PLAN_MARKERS = ('"digest": "sha256:', '"changes_hash": "')


def check_target(path: Path, database_file: Path | None, *, force: bool) -> None:
    """Refuse ``path`` as the place to save a plan before anything is planned; see the module
    docstring. ``database_file`` is the SQLite file the command reads, if any."""
    shown = str(path)
    if shown in ("", "."):
        raise UsageError("--out needs a file name, such as --out plan.json.")
    if path.is_symlink():
        raise UsageError(f"--out {shown} is a symbolic link; seed does not write through links "
                         "(the link could point anywhere). Give the real path or another name.")
    parent = path.parent
    if not parent.is_dir():
        what = "is not a directory" if parent.exists() else "does not exist"
        raise UsageError(f"Cannot save the plan to {shown}: the directory {parent} {what}. "
                         "Create it first or choose another path.")
    if path.is_dir():
        raise UsageError(f"Cannot save the plan to {shown}: it is a directory. Give a file "
                         f"name, such as --out {path / 'plan.json'}.")
    if not path.exists():
        return
    if database_file is not None and _same_file(path, database_file):
        raise UsageError(f"Refusing to save the plan to {shown}: it is the database file this "
                         "command reads. Choose another name, such as --out plan.json.")
    if not path.is_file():
        raise UsageError(f"Cannot save the plan to {shown}: it is not a regular file.")
    if not force and not _is_plan(path):
        raise UsageError(f"Refusing to overwrite {shown}: it is not a saved plan. Choose another "
                         "name, or pass --force to replace it.")


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed over it: readers see the
    old file or the whole new one, never a part."""
    descriptor, temporary = _temporary(path)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.is_symlink():  # made a link between the check and now
            raise UsageError(f"--out {path} became a symbolic link; nothing was saved.")
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise SeedError(_failure(path, error)) from error
        raise


def _temporary(path: Path) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise SeedError(_failure(path, error)) from error


def _failure(path: Path, error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        cause = "the disk is full"
    elif error.errno in (errno.EACCES, errno.EPERM):
        cause = "permission denied"
    elif error.errno == errno.EROFS:
        cause = "the file system is read-only"
    else:
        cause = error.strerror or type(error).__name__
    return (f"Cannot save the plan to {path}: {cause}. Nothing was saved ({path} is as it "
            "was); free space or choose another path, and plan again.")


def _same_file(path: Path, other: Path) -> bool:
    try:
        return other.exists() and os.path.samefile(path, other)
    except OSError:
        return False


def _is_plan(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            start = handle.read(512).decode("utf-8", errors="replace")
    except OSError:
        return False
    return start.startswith("{") and any(marker in start for marker in _PLAN_MARKERS)


def read_text(path: Path, what: str = "") -> str:
    """A file's text as UTF-8, or a one-line message saying why it cannot be read."""
    try:
        data = path.read_bytes()
    except IsADirectoryError as error:
        raise UsageError(f"Cannot read {path}: it is a directory{what}.") from error
    except OSError as error:
        raise UsageError(f"Cannot read {path}: {error.strerror or error}{what}.") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"Cannot read {path}: it is not UTF-8 text (byte {error.start}){what}. "
                         "A saved plan is the JSON `seed plan --out FILE` writes.") from error
