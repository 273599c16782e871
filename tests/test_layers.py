"""The command line is only the front door: it parses, calls one operation and renders the
result. Nothing in the library imports it (``mentara_seed/__main__.py``, the entry point,
excepted), so the operations, the testing kit and the benchmarks run without it."""

from __future__ import annotations

import ast
from pathlib import Path

import mentara_seed

PACKAGE = Path(mentara_seed.__file__).parent
CLI = "mentara_seed.cli"


def _module_name(path: Path, root: Path) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module name ``tree`` imports, relative imports resolved against ``module``."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def cli_importers(root: Path) -> list[str]:
    """The modules of the package at ``root``, outside its ``cli`` package and besides its
    ``__main__``, that import ``<package>.cli`` or anything in it."""
    cli = f"{root.name}.cli"
    found = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        if module == cli or module.startswith(cli + ".") or module == f"{root.name}.__main__":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        imported = _imported(tree, module, path.name == "__init__.py")
        if any(name == cli or name.startswith(cli + ".") for name in imported):
            found.append(module)
    return found


def test_nothing_outside_the_cli_imports_it():
    offenders = cli_importers(PACKAGE)
    assert offenders == [], f"these modules import {CLI}: {', '.join(offenders)}"


def test_the_check_names_a_module_that_imports_the_cli(tmp_path):
    root = tmp_path / "mentara_seed"
    for name, text in {
        "__init__.py": "",
        "__main__.py": "from mentara_seed.cli.app import main\n",
        "cli/__init__.py": "",
        "cli/app.py": "from mentara_seed import operations\n",
        "operations/__init__.py": "",
        "operations/plan.py": "def plan():\n    from mentara_seed.cli import views\n",
        "operations/apply.py": "from ..cli.app import main\n",
        "testing/__init__.py": "from mentara_seed import cli\n",
        "planner/__init__.py": "import mentara_seed.clients\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    assert cli_importers(root) == ["mentara_seed.operations.apply", "mentara_seed.operations.plan",
                                   "mentara_seed.testing"]
