"""The views of a plan, as a person and a tool see them: the text, markdown and JSON of one plan
(three posts deleted, one retitled by hand) are golden files (tests/golden/), reviewed when they
change; on a terminal of any width from 80 columns the text wraps between words only; a fresh
medium apply fits one 40-line screen; a plan with nothing to do is its header and one line."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from conftest import ANCHOR
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from mentara_seed.cli import markdown, views
from mentara_seed.planner import plan_json, saved

GOLDEN = Path(__file__).resolve().parent / "golden"
DELETED = ("00e3add0", "019f38ed", "033974a1")
SCREEN = 40


def _edited(dbs, sql) -> str:
    url = dbs.seeded()
    sql(url, 'DELETE FROM "Post" WHERE ' + " OR ".join(f"id LIKE '{p}%'" for p in DELETED))
    sql(url, "UPDATE \"Post\" SET title = 'small wins!!' WHERE id LIKE '0a80f3fe%'")
    return url


@pytest.fixture
def edited_plan(dbs, sql, cli, tmp_path):
    url = _edited(dbs, sql)
    code, _, err = cli("plan", "--database-url", url, "--out", str(tmp_path / "p.json"), "-q")
    assert code == 0, err
    return saved.load((tmp_path / "p.json").read_text(encoding="utf-8"))


def _text(plan, *, width: int | None = None, verbose: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width or 80, force_terminal=width is not None,
                      color_system=None, highlight=False, soft_wrap=True)
    views.show(console, plan, "DB", verbose)
    return buffer.getvalue()


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; review, then " \
        "UPDATE_GOLDEN=1 to accept it"


def test_the_text_view_is_the_reviewed_text(edited_plan):
    _golden("plan.txt", _text(edited_plan))


def test_the_markdown_view_is_the_reviewed_text(edited_plan):
    _golden("plan.md", markdown.render(edited_plan, "DB"))


def test_the_json_view_is_the_reviewed_document(edited_plan):
    text = plan_json.render(edited_plan)
    doc = json.loads(text)
    assert doc["format"] == 1 and len(doc["changes"]) == 18 and len(doc["held"]) == 1
    _golden("plan.json", text)


def test_the_verbose_text_lists_every_row_and_the_tables_by_name(edited_plan):
    text = _text(edited_plan, verbose=True)
    assert all(f"+ Post {p}…" in text for p in DELETED)
    tables = [line.split()[0] for line in text.splitlines()
              if line.startswith("    ") and line.split()[-1].startswith("+")]
    assert tables == sorted(tables) == ["Comment", "CommentHeart", "Post", "PostHeart"]


def test_rows_without_text_are_named_by_the_rows_they_join(edited_plan):
    text = _text(edited_plan)
    hearts = [line for line in text.splitlines() if "+ PostHeart" in line]
    assert len(hearts) == 4 and all(" · post \"" in line for line in hearts)
    assert "missing" not in text  # every create is: the reason adds nothing


@given(width=st.integers(min_value=80, max_value=200))
@settings(max_examples=25, deadline=None)
def test_a_terminal_wraps_between_words_at_any_width(width, fresh_plan):
    wide = _text(fresh_plan)
    wrapped = _text(fresh_plan, width=width)
    assert max(len(line) for line in wrapped.splitlines()) <= width
    assert wrapped.split() == wide.split()  # no word cut, none lost


@pytest.fixture(scope="module")
def fresh_plan(tmp_path_factory):
    from mentara_seed.cli.app import run_cli

    where = tmp_path_factory.mktemp("fresh")
    url = f"sqlite:///{where / 'fresh.db'}"
    assert run_cli(["init", "--database-url", url, "-q"]) == 0
    out = where / "plan.json"
    assert run_cli(["plan", "--database-url", url, "--anchor", "2026-11-16", "-q", "-o",
                    str(out)]) == 0
    return saved.load(out.read_text(encoding="utf-8"))


def test_a_fresh_medium_apply_fits_one_screen(dbs, cli):
    url = dbs.empty()
    code, out, err = cli("apply", "--init", "--database-url", url, "--anchor", "2026-11-16")
    assert code == 0, err
    assert len(out.splitlines()) <= SCREEN - 2, out  # and a line or two of wrapping at 120
    assert re.search(r"[0-9,]+ rows will be created \(--verbose lists them\)", out), out


def test_a_plan_with_nothing_to_do_is_its_header_and_one_line(dbs, cli):
    url = dbs.seeded()
    code, out, _ = cli("plan", "--database-url", url, "--anchor", ANCHOR)
    assert code == 0
    lines = [line for line in out.splitlines() if line]
    assert len(lines) == 3 and lines[-1].startswith("No changes.")


def test_a_plan_names_the_live_rows_it_references(dbs, sql, cli):
    """A heart: who hearted which post; the user is a live row the plan does not change, named
    from the rows the plan was read from."""
    url = _edited(dbs, sql)
    code, out, _ = cli("plan", "--database-url", url)
    hearts = [line for line in out.splitlines() if "+ PostHeart" in line]
    assert code == 0 and len(hearts) == 4
    assert all(re.search(r"user \S+@\S+ · post \"", line) for line in hearts), hearts


def test_compare_honours_every_format(dbs, cli, tmp_path):
    url = dbs.seeded()
    old = str(tmp_path / "old.json")
    assert cli("plan", "--database-url", url, "--target", "communities", "--full",
               "--anchor", "2026-11-23", "-q", "-o", old)[0] == 0
    args = ("plan", "--database-url", url, "--target", "communities", "--full", "--compare", old)
    code, out, _ = cli(*args, "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["kind"] == "comparison" and doc["format"] == 1
    assert len(doc["removed"]) == 15 and all(k.startswith("Community ") for k in doc["removed"])
    code, out, _ = cli(*args, "--format", "markdown")
    assert code == 0 and out.startswith(markdown.MARKER + "\n")
    assert out.count("- `-` Community ") == 15
    code, out, _ = cli(*args)
    assert code == 0 and out.startswith("Desired data compared with")


def test_apply_and_history_print_versioned_documents(dbs, cli):
    url = dbs.empty()
    code, out, err = cli("apply", "--init", "--database-url", url, "--profile", "light",
                         "--anchor", "2026-11-16", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and (doc["kind"], doc["format"], doc["serial"]) == ("apply", 1, 2), err
    assert doc["rows"] == sum(sum(per.values()) for per in doc["counts"].values())
    assert doc["verification"]["errors"] == 0
    code, out, _ = cli("history", "--database-url", url, "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["kind"] == "history"
    assert [(a["serial"], a["kind"]) for a in doc["applies"]] == [(1, "init"), (2, "apply")]
