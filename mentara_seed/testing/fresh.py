"""Planning in a fresh Python process, for the determinism check: the importable name of
the registry under test, the child process that plans with it, and a note naming source files
edited since this process loaded them."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from mentara_seed import database
from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import Registry
from mentara_seed.testing.operations import Run, plan_text


def _registry_ref(registry: Registry) -> str:
    """"module:attribute" of a module-level name bound to ``registry`` ("" for REGISTRY)."""
    if registry is REGISTRY:
        return ""
    for name, module in sorted(sys.modules.copy().items()):
        if name == "__main__" or module is None:
            continue
        try:
            names = sorted(vars(module).copy().items(), key=lambda item: item[0])
        except TypeError:
            continue
        for attribute, value in names:
            if value is registry:
                return f"{name}:{attribute}"
    raise AssertionError(
        "assert_deterministic plans in a fresh Python process, which must import your "
        "registry: bind it to a module-level name in an importable module (e.g. "
        "myproject/seeding.py: `REGISTRY = base.copy()` plus your @enricher(..., "
        "registry=REGISTRY)), or pass registry_ref='module:attribute'.")


def _resolve_registry(ref: str) -> Registry:
    if not ref:
        return REGISTRY
    import importlib

    module, _, attribute = ref.partition(":")
    found = getattr(importlib.import_module(module), attribute)
    assert isinstance(found, Registry), f"{ref} is not a Registry"
    return found


_CHILD = ("import sys; from mentara_seed.testing.fresh import _child_main; "
          "raise SystemExit(_child_main(sys.argv[1:]))")


def _plan_in_fresh_process(url: str, run: Run, ref: str) -> str:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p),
               PYTHONHASHSEED="random")
    done = subprocess.run([sys.executable, "-c", _CHILD, url, run.to_json(), ref],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise AssertionError(f"Planning in a fresh process failed (registry "
                             f"{ref or 'REGISTRY'}, {database.redact(url)}):\n{tail}")
    return done.stdout


_LOADED_AT = time.time()


def _changed_sources() -> str:
    """A note naming loaded source files edited since this process loaded the kit: a fresh
    process runs their new code, which is no determinism bug."""
    files = [getattr(m, "__file__", None) for name, m in sys.modules.copy().items()
             if name.startswith("mentara_seed")]
    changed = sorted(f for f in files if isinstance(f, str) and os.path.exists(f)
                     and os.path.getmtime(f) > _LOADED_AT)
    if not changed:
        return ""
    return ("\nNote: these files changed on disk after this process loaded them, so the fresh "
            "process ran other code: " + ", ".join(changed))


def _child_main(argv: list[str]) -> int:
    url, run_json, ref = argv
    sys.stdout.write(plan_text(url, Run.from_json(run_json), _resolve_registry(ref)))
    return 0
