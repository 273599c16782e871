"""Every command transcript of README.md and docs/ is run and compared with what the tool prints,
so a changed message or output fails here, not in a reader's terminal.

A transcript is a fenced block whose first line starts with ``$ ``. Its commands run one after
the other in a fresh directory with ``seed`` on the PATH (through bash: redirections and
``echo $?`` work), on SQLite, with ``SEED_ANCHOR=2026-11-16``. The lines after a command, up to
the next ``$ `` line, are its expected output (stdout and stderr as printed). A line that is
only ``…`` stands for any number of lines. Times, timestamps, the journal's actor and the
directory are normalised. An HTML comment right before the block sets the scene, one step a
line::

    <!-- transcript
    seeded                          ./seed.db: a medium database seeded by `seed apply`
    sql DELETE FROM "Post" …        a statement run on ./seed.db (foreign keys on)
    run seed apply --profile heavy  a command run first, its output not shown
    url postgresql://…/mentara_dev  this URL in the transcript means a fresh SQLite file
    skip why                        not run (only for what the test suite cannot run)
    -->
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from mentara_seed.database import open_engine

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BIN = str(Path(sys.executable).parent)
ANCHOR = "2026-11-16"
ELLIPSIS = "…"
# Skipped transcripts, each for a reason the suite cannot run (a tutorial's hypothetical code).
MOST_SKIPPED = 4


@dataclass
class Transcript:
    page: str
    line: int
    setup: list[str]
    body: list[str]
    commands: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.page}:{self.line}"


def _transcripts() -> list[Transcript]:
    found = []
    for page in PAGES:
        lines = page.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            fence = re.match(r"^(\s*)(```+)", lines[i])
            if not fence:
                i += 1
                continue
            indent, ticks = fence.group(1), fence.group(2)
            end = next(j for j in range(i + 1, len(lines))
                       if lines[j].strip() == ticks)
            body = [line[len(indent):] if line.startswith(indent) else line.strip()
                    for line in lines[i + 1:end]]
            if body and body[0].startswith("$ "):
                found.append(Transcript(page.name, i + 1, _setup(lines, i), body))
            i = end + 1
    for t in found:
        for line in t.body:
            if line.startswith("$ "):
                t.commands.append((line[2:], []))
            else:
                t.commands[-1][1].append(line)
    return found


def _setup(lines: list[str], fence: int) -> list[str]:
    """The steps of the ``<!-- transcript … -->`` comment ending right before line ``fence``
    (a blank line between them is allowed)."""
    j = fence - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j < 0 or lines[j].strip() != "-->":
        return []
    start = j
    while start >= 0 and not lines[start].strip().startswith("<!-- transcript"):
        start -= 1
    return [s.strip() for s in lines[start + 1:j] if s.strip()]


TRANSCRIPTS = _transcripts()


def _normal(text: str, where: Path) -> list[str]:
    text = text.replace(str(where) + "/", "").replace(str(where), ".")
    text = re.sub(r"\b\d+\.\d\d s\b", "0.00 s", text)
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00", "TIMESTAMP", text)
    text = re.sub(r"(TIMESTAMP\s+\w+\s+)\S+", r"\1ACTOR", text)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _matches(expected: list[str], actual: list[str]) -> bool:
    pattern = "".join(r"(?:[^\n]*\n)*?" if line.strip() == ELLIPSIS else re.escape(line) + "\n"
                      for line in expected)
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("seeded")
    done = subprocess.run(["bash", "-c", "seed apply"], cwd=where, env=_env(),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return where / "seed.db"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEED_")}
    # No terminal here: an apply that changes rows would ask (and be refused) without it.
    env.update(PATH=f"{BIN}:{env.get('PATH', '')}", SEED_ANCHOR=ANCHOR, NO_COLOR="1",
               SEED_AUTO_APPROVE="true")
    env.pop("COLUMNS", None)
    return env


def _prepare(t: Transcript, where: Path, seeded: Path) -> dict[str, str]:
    """Run the scene's steps; returns the URLs to stand in for."""
    urls: dict[str, str] = {}
    for step in t.setup:
        verb, _, rest = step.partition(" ")
        if verb == "seeded":
            shutil.copyfile(seeded, where / "seed.db")
        elif verb == "sql":
            engine = open_engine(f"sqlite:///{where / 'seed.db'}")
            with engine.begin() as conn:
                conn.execute(sa.text(rest))
            engine.dispose()
        elif verb == "run":
            done = _shell(rest, where, urls)
            assert done.returncode in (0, 2), f"{t.name}: setup `{rest}` failed:\n{done.stdout}"
        elif verb == "url":
            urls[rest] = f"sqlite:///{where / f'db{len(urls)}.db'}"
        else:
            raise AssertionError(f"{t.name}: unknown transcript step {step!r}")
    return urls


def _shell(command: str, where: Path, urls: dict[str, str]) -> subprocess.CompletedProcess[str]:
    for shown, real in urls.items():
        command = command.replace(shown, real)
    return subprocess.run(["bash", "-c", command], cwd=where, env=_env(), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)


@pytest.mark.parametrize("transcript", TRANSCRIPTS, ids=[t.name for t in TRANSCRIPTS])
def test_transcript_is_what_the_tool_prints(transcript: Transcript, tmp_path: Path,
                                            seeded_file: Path) -> None:
    if any(s.startswith("skip") for s in transcript.setup):
        pytest.skip(next(s for s in transcript.setup if s.startswith("skip")))
    urls = _prepare(transcript, tmp_path, seeded_file)
    updated: list[tuple[str, list[str]]] = []
    for command, expected in transcript.commands:
        done = _shell(command, tmp_path, urls)
        printed = done.stdout
        for shown, real in urls.items():
            printed = printed.replace(real, shown)
        actual = _normal(printed, tmp_path)
        wanted = _normal("\n".join(expected), tmp_path)
        if UPDATING:
            raw = [line.rstrip() for line in printed.replace(str(tmp_path) + "/", "")
                   .replace(str(tmp_path), ".").splitlines()][:len(actual)]
            merged = _merged(expected[:len(wanted)], wanted, actual, raw)
            assert _matches(_normal("\n".join(merged), tmp_path), actual), (
                f"{transcript.name}: `$ {command}`: could not be updated; edit it by hand")
            updated.append((command, merged + expected[len(wanted):]))
            continue
        assert _matches(wanted, actual), (
            f"{transcript.name}: `$ {command}` printed:\n" + "\n".join(actual))
    if UPDATING and [e for _, e in updated] != [e for _, e in transcript.commands]:
        _rewrite(transcript, updated)


# UPDATE_TRANSCRIPTS=1 writes what the tool prints into the docs' transcripts (after a change
# of output made on purpose), keeping each ``…`` where it still stands for lines; review the
# diff before committing it.
UPDATING = os.environ.get("UPDATE_TRANSCRIPTS") == "1"


def _merged(expected: list[str], wanted: list[str], actual: list[str],
            raw: list[str]) -> list[str]:
    """``expected`` (as written; ``wanted`` normalised) made to match ``actual`` (as printed:
    ``raw``): changed lines replaced, lines gone dropped, new lines added, except next to a
    ``…``, which takes them."""
    out: list[str] = []
    ops = difflib.SequenceMatcher(None, wanted, actual, autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in ops:
        old, new = wanted[i1:i2], actual[j1:j2]
        if op == "equal":
            out += expected[i1:i2]
        elif op == "replace" and len(old) == len(new) and ELLIPSIS not in old:
            out += raw[j1:j2]
        else:
            elided = ELLIPSIS in old or (i1 > 0 and wanted[i1 - 1] == ELLIPSIS) or (
                i2 < len(wanted) and wanted[i2] == ELLIPSIS)
            if not elided:
                out += [line for line in old if line == ELLIPSIS] + raw[j1:j2]
                continue
            # A ``…`` takes the new lines, but a line written out stays, as it is printed now.
            after = j1
            for line in old:
                if line == ELLIPSIS:
                    out.append(line)
                    continue
                ratios = [(difflib.SequenceMatcher(None, line, new[k - j1]).ratio(), -k)
                          for k in range(after, j2)]
                best = max(ratios, default=(0.0, 0))
                if best[0] >= 0.6:
                    out.append(raw[-best[1]])
                    after = -best[1] + 1
    return out


# Lines each rewritten transcript added to its page, by the line it starts at: the ones
# after it moved by as much.
_SHIFTS: dict[str, list[tuple[int, int]]] = {}


def _rewrite(t: Transcript, commands: list[tuple[str, list[str]]]) -> None:
    page = next(p for p in PAGES if p.name == t.page)
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    start = t.line + sum(d for at, d in _SHIFTS.get(t.page, []) if at < t.line)
    fence = lines[start - 1]
    indent = fence[:len(fence) - len(fence.lstrip())]
    ticks = re.match(r"\s*(`+)", fence).group(1)  # type: ignore[union-attr]
    end = next(j for j in range(start, len(lines)) if lines[j].strip() == ticks)
    body = [f"$ {command}" if n == 0 else line
            for command, expected in commands for n, line in enumerate(["", *expected])]
    lines[start:end] = [f"{indent}{line}\n" if line else "\n" for line in body]
    _SHIFTS.setdefault(t.page, []).append((t.line, len(body) - (end - start)))
    page.write_text("".join(lines), encoding="utf-8")


def test_transcripts_are_found_and_few_are_skipped() -> None:
    assert len(TRANSCRIPTS) >= 15
    skipped = [t.name for t in TRANSCRIPTS if any(s.startswith("skip") for s in t.setup)]
    assert len(skipped) <= MOST_SKIPPED, skipped


def test_an_output_that_differs_fails() -> None:
    assert _matches(["a", ELLIPSIS, "d"], ["a", "b", "c", "d"])
    assert not _matches(["a", ELLIPSIS, "d"], ["a", "b", "c", "e"])
    assert not _matches(["Plan: 3 to add."], ["Plan: 4 to add."])
