"""The documentation cannot drift from the code: the generated sections are what `seed docs`
writes, every error the tool can raise has an entry in docs/troubleshooting.md, the README's
test command is the one CI runs, and every command is described in docs/seeding-system.md.

Tests chdir into a temporary directory (conftest.py), so every path here is absolute."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentara_seed.cli import docs as generated
from mentara_seed.cli.app import app
from mentara_seed.enrichers import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PACKAGE = ROOT / "mentara_seed"
TROUBLESHOOTING = DOCS / "troubleshooting.md"
SYSTEM = DOCS / "seeding-system.md"
# Raised only by test code (the testing kit): its failures are explained in testing-kit.md.
NOT_TOOL_ERRORS = {"AssertionError"}
# Usage errors raised through typer (exit code 2); their class names do not end in "Error".
TYPER_ERRORS = {"BadParameter"}
# A quoted message is checked on its first WORDS words: enough to find it, and its tail may
# be reworded without breaking the documentation.
WORDS = 10


def _normalized(text: str) -> str:
    return " ".join(text.split())


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _class_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _parts(node: ast.expr) -> list[str | None]:
    """A message expression as its pieces: literal text, or None for a placeholder."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [p.value if isinstance(p, ast.Constant) and isinstance(p.value, str) else None
                for p in node.values]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _parts(node.left) + _parts(node.right)
    return [None]


def _words(text: str, most: int = WORDS) -> str:
    return " ".join(text.split()[:most])


def needles(node: ast.expr) -> list[str]:
    """The fixed text a documented message must quote: its leading literal text (up to the
    first placeholder, at most WORDS words); when that is under 4 words or the message starts
    with a placeholder, also its first literal run of at least 4 words (or, failing one, its
    longest literal run). Empty for a message built elsewhere (a helper's return value)."""
    parts = _parts(node)
    literals = [_normalized(p) for p in parts if p is not None and _normalized(p)]
    if not literals:
        return []
    found = []
    lead = _normalized(parts[0]) if parts[0] is not None else ""
    if lead:
        found.append(_words(lead))
    if len(lead.split()) < 4:
        longer = [t for t in literals if len(t.split()) >= 4]
        extra = longer[0] if longer else max(literals, key=len)
        if _words(extra) not in found:
            found.append(_words(extra))
    return found


def raised_messages() -> list[tuple[str, str, str]]:
    """(where, error class, text to quote) for every ``raise XError("…")`` in the package
    whose message has literal text; a message may give two texts to quote."""
    found = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            name = _class_name(node.exc)
            if not (name.endswith("Error") or name in TYPER_ERRORS) or name in NOT_TOOL_ERRORS:
                continue
            if not node.exc.args:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            found += [(where, name, text) for text in needles(node.exc.args[0])]
    return found


def error_classes() -> list[str]:
    """Every exception class of the package: the classes of errors.py and any other class
    whose name ends in "Error" (UndoError, DuplicateEnricherError, …)."""
    names = set()
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and (
                    path.name == "errors.py" or node.name.endswith("Error")):
                names.add(node.name)
    return sorted(names)


def missing_messages(doc: str) -> list[str]:
    text = _normalized(doc)
    return [f"{where}: {name}({needle!r})" for where, name, needle in raised_messages()
            if needle not in text]


def test_generated_sections_are_what_seed_docs_writes():
    stale = generated.stale(DOCS, REGISTRY)
    assert stale == [], (f"{', '.join(map(str, stale))} differ from what `seed docs` writes: "
                         "run `seed docs` and commit the result.")


def test_every_error_class_has_a_troubleshooting_entry():
    doc = TROUBLESHOOTING.read_text(encoding="utf-8")
    missing = [name for name in error_classes() if name not in doc]
    assert missing == [], f"docs/troubleshooting.md has no entry for {', '.join(missing)}"


def test_every_error_message_has_a_troubleshooting_entry():
    found = raised_messages()
    assert len(found) > 20, "the message scan found too little; is the parser broken?"
    missing = missing_messages(TROUBLESHOOTING.read_text(encoding="utf-8"))
    assert missing == [], ("docs/troubleshooting.md does not quote these messages' fixed "
                           "leading text:\n  " + "\n  ".join(missing))


def test_the_checks_fail_when_an_entry_is_missing():
    doc = _normalized(TROUBLESHOOTING.read_text(encoding="utf-8"))
    for where, _, needle in raised_messages()[:5]:
        assert missing_messages(doc.replace(needle, "")), f"{where}: {needle!r} unchecked"
    assert "StalePlanError" in error_classes()


def _readme_block(label: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(re.escape(label) + r"[^\n]*\n+```[^\n]*\n(.*?)\n```", readme, re.DOTALL)
    assert match, f"README.md has no fenced block after {label!r}"
    return match.group(1).strip()


def test_readme_test_command_is_the_one_ci_runs():
    command = _readme_block("Run the tests")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in ci if line.strip() and not line.startswith("#")]
    assert command in commands, f".ci/run does not run the README's test command {command!r}"
    assert command == ("python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]' "
                       "&& .venv/bin/pytest")


def test_readme_seed_command():
    assert _readme_block("Seed the embedded default database (SQLite file seed.db)") == (
        "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/seed apply")


def _command_names() -> list[str]:
    return sorted((c.name or c.callback.__name__).replace("_", "-")
                  for c in app.registered_commands)


def test_every_command_is_described_in_the_seeding_system_guide():
    names = _command_names()
    assert "plan" in names and "apply" in names
    doc = SYSTEM.read_text(encoding="utf-8")
    missing = [n for n in names if not re.search(rf"`seed {re.escape(n)}\b", doc)]
    assert missing == [], f"docs/seeding-system.md does not mention: seed {', seed '.join(missing)}"


@pytest.mark.parametrize("target", ["docs/architecture.md", "docs/troubleshooting.md",
                                    "docs/seeding-system.md", "docs/enricher-reference.md",
                                    "docs/testing-kit.md", "bench/README.md"])
def test_readme_links_every_document(target):
    assert f"({target})" in (ROOT / "README.md").read_text(encoding="utf-8")


def _anchors(page: Path) -> set[str]:
    """The heading anchors GitHub makes for a markdown page (outside fenced code)."""
    found: set[str] = set()
    fenced = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        if fenced or not line.startswith("#"):
            continue
        slug = re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        anchor, n = slug, 0
        while anchor in found:
            n += 1
            anchor = f"{slug}-{n}"
        found.add(anchor)
    return found


def test_links_between_documents_resolve():
    """Every relative link of README.md and docs/*.md names a file that exists and, with a
    #fragment, a heading in it (testing-kit.md and bench/README.md are written by others and
    may not exist yet)."""
    broken = []
    for page in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target, fragment in re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", text):
            if target.startswith(("http:", "https:", "mailto:")):
                continue
            resolved = (page.parent / target).resolve() if target else page
            others = resolved in (DOCS / "testing-kit.md", ROOT / "bench" / "README.md")
            if not resolved.exists():
                if not others:
                    broken.append(f"{page.relative_to(ROOT)} -> {target}")
                continue
            if fragment and resolved.suffix == ".md" and fragment not in _anchors(resolved):
                broken.append(f"{page.relative_to(ROOT)} -> {target}#{fragment}")
    assert broken == [], "broken links: " + ", ".join(broken)


# --- Claims about the command line, checked against the tool itself ---------------------------

def _click_commands() -> dict[str, object]:
    import typer.main

    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def _options(command: object) -> set[str]:
    return {o for p in command.params for o in (*p.opts, *p.secondary_opts)  # type: ignore[attr-defined]
            if o.startswith("-")} | {"-h", "--help"}


def _doc_pages() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def _seed_spans() -> list[tuple[str, str, str]]:
    """(page, command, the rest) of every inline `seed COMMAND …` and every `$ seed COMMAND …`
    line of the documents."""
    found = []
    for page in _doc_pages():
        text = page.read_text(encoding="utf-8")
        spans = re.findall(r"`seed ([a-z][\w-]*)([^`\n]*)`", text)
        spans += re.findall(r"^\s*\$ (?:\w+=\S+ )*seed ([a-z][\w-]*)([^\n]*)$", text, re.M)
        found += [(page.name, name, rest) for name, rest in spans]
    return found


def test_every_command_the_docs_name_exists():
    commands = _click_commands()
    unknown = sorted({f"{page}: seed {name}" for page, name, _ in _seed_spans()
                      if name not in commands and name not in ("COMMAND", "init…")})
    assert unknown == [], f"the docs name commands seed does not have: {unknown}"


# Wrong on purpose: the troubleshooting guide shows what a misspelt option prints.
MISSPELT = {"--bogus"}


def _wrong_options(spans: list[tuple[str, str, str]]) -> list[str]:
    commands = _click_commands()
    wrong = []
    for page, name, rest in spans:
        if name not in commands:
            continue
        rest = rest.split("#")[0].split("|")[0].split(">")[0].split(";")[0]
        for option in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", rest):
            if option not in _options(commands[name]) and option not in MISSPELT:
                wrong.append(f"{page}: seed {name} {option}")
    return sorted(set(wrong))


def test_every_option_the_docs_give_a_command_exists():
    """`seed plan --format markdown` in a document: plan must take --format."""
    wrong = _wrong_options(_seed_spans())
    assert wrong == [], f"the docs give options the commands do not take: {wrong}"
    assert _wrong_options([("x.md", "history", " --prune"), ("x.md", "plan", " -y")]) == [
        "x.md: seed history --prune", "x.md: seed plan -y"]


def _option_table() -> list[str]:
    """The options of the guide's option table, as written (`--profile NAME`, `-p NAME`)."""
    doc = SYSTEM.read_text(encoding="utf-8")
    table = doc[doc.index("| option | meaning |"):]
    table = table[: table.index("\n\n")]
    return re.findall(r"`(--?[a-z][\w-]*)", "\n".join(
        line.split("|")[1] for line in table.splitlines()[2:]))


def test_the_option_table_is_what_the_commands_take():
    commands = _click_commands()
    every = set().union(*(_options(c) for c in commands.values()))
    written = _option_table()
    assert len(written) > 20
    assert sorted(set(written) - every) == []
    plan_and_apply = (_options(commands["plan"]) | _options(commands["apply"])) - {
        "-h", "--help", "--compare", "--detailed-exitcode", "--init"}
    assert sorted(plan_and_apply - set(written)) == [], "options missing from the table"


def test_documented_exit_codes_are_the_tool_s(tmp_path):
    from mentara_seed import errors
    from mentara_seed.cli.app import run_cli

    doc = TROUBLESHOOTING.read_text(encoding="utf-8")
    table = doc[doc.index("## Exit codes"):doc.index("## Index by first words")]
    codes = {int(c) for c in re.findall(r"^\| (\d+) \|", table, re.M)}
    used = {getattr(errors, n).exit_code for n in dir(errors)
            if isinstance(getattr(errors, n), type) and hasattr(getattr(errors, n), "exit_code")}
    assert used | {0, 130} <= codes
    assert run_cli(["plan", "--bogus"]) == 2
    assert run_cli(["plan", "--detailed-exitcode", "--bogus"]) == 1
    assert run_cli(["plan", "--format", "xml"]) == 2


# Messages of the parser (typer), not of the package: quoted in the index, printed by these.
TYPER_MESSAGES = {
    "Invalid value for": ["plan", "--format", "xml"],
    "No such command": ["frobnicate"],
    "No such option": ["plan", "--bogus"],
    "Missing argument": ["show"],
}


def _literals() -> str:
    """Every string literal of the package, f-string pieces included, normalised."""
    found = []
    for _, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append(node.value)
    return _normalized(" ".join(found))


def _in_source(text: str, source: str) -> bool:
    """``text`` is a literal of the package, or two literals joined at a word boundary (a
    message built of two arguments)."""
    if text in source:
        return True
    words = text.split()
    return any(" ".join(words[:i]) in source and " ".join(words[i:]) in source
               for i in range(1, len(words)))


def test_every_message_the_index_quotes_is_printed_by_the_tool(capsys):
    from mentara_seed.cli.app import run_cli

    doc = TROUBLESHOOTING.read_text(encoding="utf-8")
    index = doc[doc.index("## Index by first words"):doc.index("## SeedError")]
    source = _literals()
    missing = []
    classes = set(error_classes())
    for cell in re.findall(r"^\| (.*?) \| \[", index, re.M):
        for quoted in re.findall(r"``? ?(.+?) ?``?(?:\s|$|/|\()", cell):
            quoted = quoted.removesuffix(" …")
            if quoted in classes:
                continue
            if quoted in TYPER_MESSAGES:
                capsys.readouterr()
                run_cli(TYPER_MESSAGES[quoted])
                if quoted not in capsys.readouterr().err:
                    missing.append(quoted)
                continue
            pieces = [p.strip(" '") for p in re.split(r"…|\b(?:FILE|N|TABLE|COLUMN)\b", quoted)]
            longest = max(pieces, key=len)
            if longest and not _in_source(longest, source):
                missing.append(quoted)
    assert missing == [], f"the index quotes messages the tool never prints: {missing}"
