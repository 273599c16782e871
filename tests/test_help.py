"""`seed --help` reads the same whatever typer renders by default: values named (URL, NAME,
FILE…), never a Python type; `-h` everywhere; positional arguments written FILE or [FILE];
defaults written one way; `--version`, `python -m mentara_seed` and shell completion work; the
maintainer command stays out of the list. The full help of `seed` and `seed plan` is a golden
file (tests/golden/), so a change of rendering is seen and reviewed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from mentara_seed import __version__
from mentara_seed.cli.app import app, run_cli

GOLDEN = Path(__file__).resolve().parent / "golden"
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
# What typer's newer defaults print for a value's type: <str>, <int>, <bool>, <list[str]>, …
PYTHON_TYPE = re.compile(r"<[a-z_\[\]%, |.-]+>|\b(?:Optional|list\[|TEXT|INTEGER|BOOLEAN)\b")


def _help(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert run_cli([*args, "-h"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_names_values_not_python_types(capsys, command):
    text = _help(capsys, *([command] if command else []))
    assert not PYTHON_TYPE.search(text), PYTHON_TYPE.search(text)
    assert text.startswith(f"Usage: seed {command}".rstrip() + " ")


@pytest.mark.parametrize("command", COMMANDS)
def test_h_is_help(capsys, command):
    short = _help(capsys, command)
    capsys.readouterr()
    assert run_cli([command, "--help"]) == 0
    assert capsys.readouterr().out == short


def test_arguments_are_written_file_or_in_brackets(capsys):
    assert _help(capsys, "show").splitlines()[0] == "Usage: seed show [OPTIONS] FILE"
    assert _help(capsys, "apply").splitlines()[0] == "Usage: seed apply [OPTIONS] [FILE]"
    assert _help(capsys, "undo").splitlines()[0] == "Usage: seed undo [OPTIONS] [SERIAL]"


@pytest.mark.parametrize("command", COMMANDS)
def test_defaults_are_written_one_way(capsys, command):
    text = " ".join(_help(capsys, command).split())
    assert "(default" not in text.lower() and "default:" not in text.replace("[default:", "")


def test_format_is_a_choice(capsys):
    assert "[text|markdown|json]" in _help(capsys, "plan")
    capsys.readouterr()
    assert run_cli(["plan", "--format", "yaml"]) == 2
    assert "'yaml' is not one of 'text', 'markdown', 'json'" in capsys.readouterr().err


def test_short_flags(capsys):
    text = _help(capsys, "plan")
    for short, long in (("-p", "--profile"), ("-o", "--out"), ("-t", "--target"),
                        ("-v", "--verbose"), ("-q", "--quiet"), ("-f", "--format")):
        assert f"{short}, {long}" in text


def test_version(capsys):
    for args in (["--version"], ["-V"], ["version"]):
        capsys.readouterr()
        assert run_cli(args) == 0
        assert capsys.readouterr().out == f"mentara-seed {__version__}\n"


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_the_installed_command_answers_version_without_importing_the_cli(flag, tmp_path):
    probe = (f"import sys; from mentara_seed.cli import entry; sys.argv = ['seed', {flag!r}]\n"
             "try:\n    entry.main()\nexcept SystemExit as done:\n"
             "    print(done.code, 'typer' in sys.modules, 'sqlalchemy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.stdout == f"mentara-seed {__version__}\n0 False False\n", done.stderr


def test_a_ctrl_c_while_the_cli_is_imported_says_nothing_was_written(tmp_path):
    probe = ("import sys, importlib.abc\n"
             "class Interrupt(importlib.abc.MetaPathFinder):\n"
             "    def find_spec(self, name, path, target=None):\n"
             "        if name == 'mentara_seed.cli.app':\n"
             "            raise KeyboardInterrupt\n"
             "sys.meta_path.insert(0, Interrupt())\n"
             "from mentara_seed.cli import entry; sys.argv = ['seed', 'plan']; entry.main()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert (done.returncode, done.stderr) == (130, "Interrupted; nothing was written.\n")


def test_python_dash_m_is_the_seed_command(tmp_path):
    done = subprocess.run([sys.executable, "-m", "mentara_seed", "-h"], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("Usage: seed [OPTIONS] COMMAND")


def test_shell_completion_completes_commands_formats_and_enrichers(tmp_path):
    def complete(words: str) -> list[str]:
        env = {**os.environ, "_SEED_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
        done = subprocess.run([sys.executable, "-m", "mentara_seed"], env=env, text=True,
                              capture_output=True, cwd=tmp_path, timeout=60)
        return done.stdout.split()

    assert complete("seed pl") == ["plan"]
    assert complete("seed plan --format ") == ["text", "markdown", "json"]
    assert "memberships" in complete("seed plan -t mem")


def test_the_maintainer_command_is_hidden_and_clear_outside_a_checkout(capsys, tmp_path):
    assert " docs " not in _help(capsys)
    capsys.readouterr()
    assert run_cli(["docs"]) == 2
    assert "regenerates the documentation of a mentara-seed checkout" in capsys.readouterr().err


def test_quiet_prints_nothing_but_documents(capsys, dbs):
    url = dbs.seeded()
    capsys.readouterr()
    assert run_cli(["plan", "--database-url", url, "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert run_cli(["plan", "--database-url", url, "-q", "--format", "json"]) == 0
    assert capsys.readouterr().out.startswith("{")


@pytest.mark.parametrize("args", [[], ["plan"]], ids=["seed", "seed-plan"])
def test_help_is_the_reviewed_text(capsys, args):
    """The whole help, as reviewed: a newer typer or rich that renders it otherwise fails here
    (run with UPDATE_GOLDEN=1 to accept the new text after reading it)."""
    text = _help(capsys, *args)
    golden = GOLDEN / f"help-{'-'.join(['seed', *args])}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
