"""Approval like Terraform's (destroy, reset, undo, and an apply that changes or deletes rows ask
on a terminal and are refused without one unless approved), and Ctrl-C: one line, exit 130,
nothing written."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import ANCHOR

SEED = [sys.executable, "-m", "mentara_seed.cli.app"]


class Terminal(io.StringIO):
    """What the user types, on a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def asking(monkeypatch):
    """No approval in the environment; ``typed(text)`` makes stdin a terminal with it."""
    monkeypatch.delenv("SEED_AUTO_APPROVE", raising=False)

    def typed(text: str) -> None:
        monkeypatch.setattr(sys, "stdin", Terminal(text))

    return typed


def _count(sql, url, table="Post"):
    return sql(url, f'SELECT count(*) FROM "{table}"')[0][0]


def test_destroy_without_a_terminal_is_refused_and_writes_nothing(dbs, cli, dump, asking):
    url = dbs.seeded("light")
    before = dump(url)
    code, _, err = cli("destroy", "--database-url", url)
    assert code == 1 and "needs approval" in err and "--auto-approve" in err
    assert dump(url) == before


@pytest.mark.parametrize("answer, deleted", [("yes\n", True), ("y\n", False), ("", False),
                                             ("YES\n", False)])
def test_destroy_asks_and_only_yes_approves(dbs, cli, sql, asking, answer, deleted):
    url = dbs.seeded("light")
    asking(answer)
    code, out, err = cli("destroy", "--database-url", url)
    assert "Only 'yes' will be accepted" in out
    assert (code, _count(sql, url) == 0) == ((0, True) if deleted else (1, False)), err


@pytest.mark.parametrize("approval", [["--auto-approve"], ["-y"], []])
def test_destroy_approved_by_flag_or_environment(dbs, cli, sql, monkeypatch, asking, approval):
    url = dbs.seeded("light")
    if not approval:
        monkeypatch.setenv("SEED_AUTO_APPROVE", "true")
    code, out, err = cli("destroy", "--database-url", url, *approval)
    assert code == 0, err
    assert "Only 'yes'" not in out and _count(sql, url) == 0


def test_an_apply_that_only_adds_rows_does_not_ask(dbs, cli, asking):
    url = dbs.initialized()
    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR, "--profile",
                         "light")
    assert code == 0, err and "Only 'yes'" not in out


def test_an_apply_that_changes_rows_asks(dbs, cli, dump, asking):
    url = dbs.seeded("light")
    before = dump(url)
    code, out, err = cli("apply", "--database-url", url, "--anchor", "2026-11-23")
    assert code == 1 and "needs approval" in err
    assert dump(url) == before
    asking("yes\n")
    code, out, err = cli("apply", "--database-url", url, "--anchor", "2026-11-23")
    assert code == 0, err
    assert dump(url) != before


def test_a_saved_plan_is_its_own_approval(dbs, cli, tmp_path, asking):
    url = dbs.seeded("light")
    saved = tmp_path / "plan.json"
    code, _, err = cli("plan", "--database-url", url, "--anchor", "2026-11-23", "--out",
                       str(saved))
    assert code == 0, err
    code, out, err = cli("apply", str(saved), "--database-url", url)
    assert code == 0, err and "Only 'yes'" not in out


def test_undo_and_reset_ask(dbs, cli, dump, asking, monkeypatch):
    url = dbs.seeded("light")
    before = dump(url)
    for command in (["undo"], ["reset", "--force"]):
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal
        code, _, err = cli(*command, "--database-url", url)
        assert code == 1 and "needs approval" in err, err
        asking("no\n")
        code, out, err = cli(*command, "--database-url", url)
        assert code == 1 and "Not approved" in err and "Only 'yes'" in out
        assert dump(url) == before


def test_reset_names_the_rows_it_would_drop(dbs, cli, asking):
    url = dbs.seeded("light")
    code, _, err = cli("reset", "--database-url", url)
    assert code == 1 and "row(s) in them now" in err


# -- interrupts ------------------------------------------------------------------------------


def test_keyboard_interrupt_prints_one_line_and_exits_130(dbs, cli, monkeypatch, dump):
    from mentara_seed.operations import applying, checking, planning

    url = dbs.initialized()
    before = dump(url)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(planning, "build_plan", interrupted)
    monkeypatch.setattr(applying, "build_plan", interrupted)
    monkeypatch.setattr(checking, "verify_minimums", interrupted)
    for command in (["plan"], ["apply"], ["verify"]):
        code, out, err = cli(*command, "--database-url", url)
        assert code == 130 and err.strip() == "Interrupted; nothing was written.", err
    assert dump(url) == before


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SEED_")}


BIG = ["--anchor", ANCHOR, "--scale", "30", "--target", "memberships", "--target",
       "relationships", "--target", "availability"]


def test_ctrl_c_during_the_write_exits_130_and_writes_nothing(dbs, dump):
    url = dbs.initialized()
    before = dump(url)
    interrupted = 0
    for attempt in range(8):
        proc = subprocess.Popen(SEED + ["apply", "--database-url", url, *BIG],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=_env(), start_new_session=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("Plan:"):
                break
        time.sleep(0.02 * attempt)
        os.killpg(proc.pid, signal.SIGINT)  # the terminal sends it to the whole group
        out, err = proc.communicate(timeout=120)
        assert "Traceback" not in err and "Unexpected error" not in err, err
        if proc.returncode == 0:
            break  # committed before the signal arrived
        assert proc.returncode == 130, err
        assert err.strip().splitlines()[-1] == "Interrupted; nothing was written.", err
        assert dump(url) == before
        interrupted += 1
    assert interrupted >= 2


def _wait_until_open(pid: int, path: str, timeout: float = 60.0) -> None:
    """Wait until process ``pid`` has ``path`` open: the CLI is past its start-up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:
            links = []
        if path in links:
            return
        time.sleep(0.01)
    raise AssertionError(f"process {pid} never opened {path}")


def test_ctrl_c_while_planning_exits_130_without_a_traceback(dbs):
    if dbs.backend != "sqlite" or not os.path.isdir("/proc/self/fd"):
        pytest.skip("watches the SQLite file through /proc (planning is the same on both)")
    url = dbs.initialized()
    path = os.path.realpath(url.removeprefix("sqlite:///"))
    codes = set()
    for delay in (0.0, 0.2, 0.5, 0.9):
        proc = subprocess.Popen(SEED + ["plan", "--database-url", url, "--full"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=_env(), start_new_session=True)
        _wait_until_open(proc.pid, path)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        codes.add(proc.returncode)
        assert proc.returncode in (0, 130), (delay, proc.returncode, err)
        assert "Traceback" not in err and "Unexpected error" not in err, err
        if proc.returncode == 130:
            assert err.strip() == "Interrupted; nothing was written.", err
    assert 130 in codes
