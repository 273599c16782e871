"""The example pull-request workflow (examples/github-actions/) works: its shell steps, run as
the workflow runs them, seed with the base branch, plan, and post or update their own comment;
also when the pull request adds a table, and when the app's schema has a table and a nullable
column the seeder does not know."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mentara_seed.cli.markdown import MARKER

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "github-actions"
SCRIPT = EXAMPLE / "seed-plan.sh"
SEED = str(Path(sys.executable).with_name("seed"))
ANCHOR = "2026-11-16"


def _step(name: str, url: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SEED_")}
    environ.update(SEED=SEED, SEED_DATABASE_URL=url, SEED_ANCHOR=ANCHOR,
                   GITHUB_OUTPUT=str(cwd / "github_output"), **env)
    return subprocess.run(["bash", str(SCRIPT), name], cwd=cwd, env=environ, text=True,
                          capture_output=True, timeout=300)


def _changes(cwd: Path) -> str:
    return (cwd / "github_output").read_text().strip().splitlines()[-1]


def test_the_workflow_runs_the_script_steps_and_nothing_else():
    workflow = (EXAMPLE / "seed-plan.yml").read_text(encoding="utf-8")
    steps = re.findall(r"seed-plan\.sh (\S+)", workflow)
    assert steps == ["seed-base", "plan", "comment"]
    assert "--edit-last" not in workflow + SCRIPT.read_text(encoding="utf-8")


def test_base_then_the_same_code_plans_no_changes(dbs, tmp_path):
    url = dbs.empty()
    base = _step("seed-base", url, tmp_path)
    assert base.returncode == 0, base.stderr
    assert base.stdout == ""  # --quiet
    plan = _step("plan", url, tmp_path)
    assert plan.returncode == 0, plan.stderr
    assert _changes(tmp_path) == "changes=no"
    comment = (tmp_path / "plan.md").read_text(encoding="utf-8")
    assert comment.startswith(MARKER + "\n") and "**No changes.**" in comment


def test_a_pull_request_that_adds_a_table_still_plans(dbs, tmp_path, sql):
    url = dbs.empty()
    assert _step("seed-base", url, tmp_path).returncode == 0
    sql(url, 'DROP TABLE "Report"')  # the base's schema has no Report table; the PR's does
    plan = _step("plan", url, tmp_path)
    assert plan.returncode == 0, plan.stderr
    assert _changes(tmp_path) == "changes=yes"
    assert "| Report |" in (tmp_path / "plan.md").read_text(encoding="utf-8")


def test_tables_and_nullable_columns_the_seeder_does_not_know_are_left_alone(dbs, tmp_path,
                                                                              sql, cli):
    url = dbs.empty()
    assert _step("seed-base", url, tmp_path).returncode == 0
    sql(url, 'CREATE TABLE "MoodEntry" (id TEXT PRIMARY KEY, mood TEXT NOT NULL)')
    sql(url, 'ALTER TABLE "Post" ADD COLUMN "mood" TEXT')
    sql(url, 'DELETE FROM "PostHeart" WHERE id IN (SELECT id FROM "PostHeart" ORDER BY id '
             'LIMIT 2)')
    plan = _step("plan", url, tmp_path)
    assert plan.returncode == 0, plan.stderr
    assert _changes(tmp_path) == "changes=yes"
    applied = subprocess.run([SEED, "apply", "--quiet", "--database-url", url], cwd=tmp_path,
                             text=True, capture_output=True, timeout=300)
    assert applied.returncode == 0, applied.stderr
    assert sql(url, 'SELECT count(*) FROM "MoodEntry"') == [(0,)]
    code, out, err = cli("plan", "--database-url", url)
    assert code == 0, err
    header = out.split("\n\n", 1)[0].splitlines()
    assert header[2] == 'not seeded: table "MoodEntry", column "Post"."mood"', out


def test_a_database_with_nothing_unknown_lists_nothing_left_alone(dbs, cli):
    code, out, err = cli("plan", "--database-url", dbs.seeded())
    assert code == 0 and "not seeded" not in out, out + err


FAKE_GH = """#!/usr/bin/env bash
echo "$*" >> "$GH_LOG"
if [ "$1" = api ] && [ "$2" != --method ]; then printf '%s' "$GH_EXISTING"; fi
"""


@pytest.mark.parametrize("existing", ["", "4242\n"])
def test_the_comment_step_updates_its_own_comment_or_posts_one(tmp_path, existing):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    (tmp_path / "plan.md").write_text(MARKER + "\n### mentara-seed plan\n")
    log = tmp_path / "gh.log"
    done = _step("comment", "sqlite:///unused.db", tmp_path, PATH=f"{bin_dir}:{os.environ['PATH']}",
                 GH_LOG=str(log), GH_EXISTING=existing, GITHUB_REPOSITORY="mentara/seed",
                 PR_NUMBER="7")
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    assert calls[0].startswith("api repos/mentara/seed/issues/7/comments --paginate --jq")
    assert MARKER in calls[0] and "github-actions[bot]" in calls[0]
    if existing:
        assert calls[1:] == ["api --method PATCH repos/mentara/seed/issues/comments/4242 "
                             "-F body=@plan.md"]
    else:
        assert calls[1:] == ["pr comment 7 --repo mentara/seed --body-file plan.md"]
