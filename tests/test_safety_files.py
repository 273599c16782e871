"""Saved plans on disk and read-only commands: `--out` never writes onto the database, through a
link, over a file that is not a plan or halfway; plan, verify, history, undo and destroy never
create a database file or schema."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from conftest import ANCHOR


def _sqlite(dbs):
    if dbs.backend != "sqlite":
        pytest.skip("a SQLite file")
    return dbs.initialized()


def test_plan_out_onto_the_database_file_is_refused(dbs, cli):
    url = _sqlite(dbs)
    path = Path(url.removeprefix("sqlite:///"))
    before = path.read_bytes()
    code, _, err = cli("plan", "--database-url", url, "--out", str(path))
    assert code == 2 and "it is the database file" in err
    assert path.read_bytes() == before


def test_plan_out_over_a_file_that_is_not_a_plan_needs_force(dbs, cli, tmp_path):
    url = dbs.initialized()
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    code, _, err = cli("plan", "--database-url", url, "--anchor", ANCHOR, "--out", str(notes))
    assert code == 2 and "is not a saved plan" in err and "--force" in err
    assert notes.read_text() == "my notes\n"
    code, _, err = cli("plan", "--database-url", url, "--anchor", ANCHOR, "--out", str(notes),
                       "--force")
    assert code == 0, err
    assert json.loads(notes.read_text())["format"] == 1


def test_plan_out_replaces_an_earlier_plan(dbs, cli, tmp_path):
    url = dbs.initialized()
    saved = tmp_path / "plan.json"
    for _ in range(2):
        code, _, err = cli("plan", "--database-url", url, "--anchor", ANCHOR, "--out",
                           str(saved))
        assert code == 0, err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".plan.json")] == []


def test_plan_out_never_follows_a_symlink(dbs, cli, tmp_path):
    url = dbs.initialized()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    link = tmp_path / "plan.json"
    link.symlink_to(victim)
    code, _, err = cli("plan", "--database-url", url, "--out", str(link), "--force")
    assert code == 2 and "symbolic link" in err
    assert victim.read_text() == "precious\n"


@pytest.mark.parametrize("target, message", [
    ("missing/plan.json", "does not exist"),
    (".", "needs a file name"),
    ("", "needs a file name"),
    ("adir", "is a directory"),
])
def test_plan_out_to_a_bad_path_is_a_one_line_usage_error(dbs, cli, tmp_path, target,
                                                          message):
    url = dbs.initialized()
    (tmp_path / "adir").mkdir()
    code, _, err = cli("plan", "--database-url", url, "--out", target)
    assert code == 2 and message in err
    assert "Unexpected error" not in err and "Traceback" not in err


def test_plan_out_on_a_full_disk_leaves_the_old_plan_whole(dbs, cli, tmp_path, monkeypatch):
    url = dbs.initialized()
    saved = tmp_path / "plan.json"
    code, _, _ = cli("plan", "--database-url", url, "--anchor", ANCHOR, "--out", str(saved))
    old = saved.read_text()
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = cli("plan", "--database-url", url, "--anchor", "2026-11-23", "--out",
                       str(saved))
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert code == 1 and "the disk is full" in err and "Nothing was saved" in err
    assert saved.read_text() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


@pytest.mark.parametrize("command", [["plan"], ["verify"], ["history"], ["undo"],
                                     ["destroy"], ["apply"]])
def test_commands_create_no_database_file(cli, tmp_path, command):
    missing = tmp_path / "nothere.db"
    code, _, err = cli(*command, "--database-url", f"sqlite:///{missing}")
    assert code == 1 and "There is no database file" in err
    assert not missing.exists()


def test_default_database_is_not_created_by_reading_commands(cli, tmp_path):
    for command in (["plan"], ["verify"], ["history"], ["destroy"], ["undo"]):
        code, _, err = cli(*command)
        assert code == 1 and "There is no seed.db here yet" in err
    assert not (tmp_path / "seed.db").exists()


def test_destroy_creates_no_schema(dbs, cli, dump):
    url = dbs.empty()
    before = dump(url)
    code, _, err = cli("destroy", "--database-url", url)
    assert code == 1 and "none of the Mentara tables" in err
    assert dump(url) == before


def test_non_utf8_plan_file_is_a_usage_error(cli, tmp_path):
    bad = tmp_path / "plan.json"
    bad.write_bytes(b"\xff\xfe{not a plan")
    for command in (["show", str(bad)], ["apply", str(bad)]):
        code, _, err = cli(*command)
        assert code == 2 and "is not UTF-8 text" in err


def test_config_that_is_a_directory_says_so(cli, tmp_path):
    code, _, err = cli("plan", "--config", str(tmp_path))
    assert code == 2 and "is a directory" in err
