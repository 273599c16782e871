"""The testing kit catches enrichers that break the seeder's promises, with a message that names
the enricher, table, row and column, and passes one written right. The enrichers live in
``broken_enrichers`` (an importable module, as the fresh-process check requires). The complete
example of docs/testing-kit.md is run as its reader would run it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import broken_enrichers as mine
import pytest
from hypothesis import given
from hypothesis_profiles import examples

from mentara_seed import testing as kit
from mentara_seed.testing import ForeignInsert, StartingState

DOC = Path(__file__).resolve().parents[1] / "docs" / "testing-kit.md"
EMPTY = StartingState()
SEEDED = StartingState(seeded_with="light")
APP_WELCOMES = (*kit.FOREIGN_KINDS, kit.ForeignKind("app-welcome", ("Notification",),
                                                    mine.app_welcome))


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory):
    with kit.Databases.sqlite(tmp_path_factory.mktemp("kit")) as made:
        yield made


def failure(check, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as caught:
        check(*args, **kwargs)
    return str(caught.value)


@examples(0.5)
@given(state=kit.starting_states(mine.WELCOME, foreign_kinds=APP_WELCOMES))
def test_an_enricher_written_right_passes_the_kit_from_any_state(databases, state):
    with kit.materialized(state, databases, mine.WELCOME, APP_WELCOMES) as url:
        kit.assert_deterministic(url, state.run, mine.WELCOME)
        kit.assert_idempotent(url, state.run, mine.WELCOME)
        kit.assert_convergent(url, state.run, mine.WELCOME)
        kit.assert_counts_foreign_rows(url, state.run, mine.WELCOME, "welcome-notes")


def test_enricher_reading_the_clock_is_not_idempotent_nor_deterministic(databases):
    with kit.materialized(SEEDED, databases, mine.CLOCK) as url:
        message = failure(kit.assert_idempotent, url, SEEDED.run, mine.CLOCK)
        assert message.startswith("Not idempotent (profile light, seed 0, anchor 2026-11-16)")
        assert re.search(r"enricher 'welcome-clock': \d+ update\(s\) of Notification "
                         r"\(columns createdAt, updatedAt\)", message)
        assert "enricher 'welcome-clock' updates Notification " in message
        assert "no datetime.now() (use ctx.at())" in message
    with kit.materialized(EMPTY, databases, mine.CLOCK) as url:
        message = failure(kit.assert_deterministic, url, EMPTY.run, mine.CLOCK)
        assert message.startswith("Not deterministic")
        assert re.search(r"enricher 'welcome-clock' creates Notification [0-9a-f-]{36}: "
                         r"createdAt '20\d\d-.+' \(this\) vs '20\d\d-.+' \(fresh\)", message)


def test_enricher_using_the_global_random_module_is_not_deterministic(databases):
    with kit.materialized(EMPTY, databases, mine.GLOBAL_RANDOM) as url:
        message = failure(kit.assert_deterministic, url, EMPTY.run, mine.GLOBAL_RANDOM)
        assert "a fresh process" in message
        # Values are quoted as repr() quotes them and cut with … when long.
        assert re.search(r"enricher 'welcome-random' creates Notification [0-9a-f-]{36}: "
                         r"message .+ \(this\) vs .+ \(fresh\)", message)
        assert "no global random module (use ctx.rng(...))" in message
    with kit.materialized(SEEDED, databases, mine.GLOBAL_RANDOM) as url:
        message = failure(kit.assert_idempotent, url, SEEDED.run, mine.GLOBAL_RANDOM)
        assert "enricher 'welcome-random'" in message and "(columns message)" in message


def test_enricher_ignoring_foreign_rows_is_caught_by_a_foreign_twin(databases):
    with kit.materialized(SEEDED, databases, mine.IGNORES_APP) as url:
        message = failure(kit.assert_counts_foreign_rows, url, SEEDED.run, mine.IGNORES_APP,
                          "welcome-ignores-app")
        assert re.search(r"Enricher 'welcome-ignores-app' ignores foreign rows .*: "
                         r"Notification [0-9a-f-]{36} was replaced by a foreign twin app-twin-",
                         message)
        assert "and re-creates it" in message


def test_enricher_ignoring_foreign_rows_breaks_its_own_rule_where_the_app_welcomed(databases):
    state = StartingState(seeded_with="light", foreign_inserts=(ForeignInsert("client", 0),
                                                                ForeignInsert("app-welcome", 0)))
    with kit.materialized(state, databases, mine.IGNORES_APP, APP_WELCOMES) as url:
        message = failure(kit.assert_convergent, url, state.run, mine.IGNORES_APP)
        assert "Not convergent" in message
        assert re.search(r"welcome-ignores-app: client \S+: 2 welcome notifications, want 1",
                         message)


def test_a_custom_registry_outside_an_importable_module_is_refused_with_advice(databases):
    local = kit.REGISTRY.copy()
    with kit.materialized(SEEDED, databases) as url:
        message = failure(kit.assert_deterministic, url, SEEDED.run, local)
    assert "importable module" in message and "registry_ref=" in message


def _documented_example() -> dict[str, str]:
    """The files of the doc's complete example, by the path each block's ``# path`` line names."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## A complete example", 1)[1].split("\n## ", 1)[0]
    files: dict[str, list[str]] = {}
    for block in re.findall(r"```python\n(.*?)```", section, re.S):
        current: list[str] = []
        for line in block.splitlines():
            named = re.fullmatch(r"# ([\w/]+\.py)", line)
            if named:
                current = files.setdefault(named.group(1), [])
            else:
                current.append(line)
    return {path: "\n".join(lines).strip() + "\n" for path, lines in files.items()}


def test_the_documented_example_passes_the_kit(tmp_path):
    example = _documented_example()
    assert sorted(example) == ["myproject/seeding.py", "tests/conftest.py",
                               "tests/test_welcome.py"]
    for path, text in example.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    root = str(Path(kit.__file__).resolve().parents[2])
    # As a reader first runs it: on SQLite, with the kit's default profile, and none of the
    # suite's SEED_* settings.
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SEED_")},
           "PYTHONPATH": os.pathsep.join([str(tmp_path), root]),
           "SEED_HYPOTHESIS_PROFILE": "ci"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b1 passed\b", done.stdout), done.stdout
