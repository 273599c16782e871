"""A testing kit for enrichers: hypothesis strategies for starting states, helpers that build
them on a real database, and assertions for the seeder's promises (idempotent, deterministic,
convergent, minimal, ordered, foreign rows untouched, journal consistent).

A user who adds an enricher tests it in a few lines (see ``docs/testing-kit.md``)::

    @given(state=kit.starting_states(MY_REGISTRY))
    def test_my_enricher(state, seed_databases):
        with kit.materialized(state, seed_databases, MY_REGISTRY) as url:
            kit.assert_deterministic(url, state.run, MY_REGISTRY)
            kit.assert_idempotent(url, state.run, MY_REGISTRY)
            kit.assert_convergent(url, state.run, MY_REGISTRY)

Every assertion raises ``AssertionError`` with a message that names the enricher, table, row
and column at fault. Every operation takes the registry to use, so a user's registry
(``REGISTRY.copy()`` plus their enricher) is tested exactly as the CLI would run it; for the
fresh-process determinism check that registry must be a module-level name in an importable
module. Test code only: it drives the CLI's operations, so it is never imported by the seeder.

The kit's public names all live here; the submodules each do one job: ``operations`` (running
the seeder), ``reading`` (reading a database), ``foreign`` (rows the app makes), ``states``
(starting states and their strategy), ``databases`` (scratch databases, ``materialize``),
``assertions`` (the promises), with ``messages``, ``graph``, ``ordering`` and ``fresh`` behind
them and ``profiles`` for hypothesis settings.
"""

from __future__ import annotations

from mentara_seed.enrichers import REGISTRY
from mentara_seed.testing.assertions import (
    assert_convergent,
    assert_counts_foreign_rows,
    assert_deterministic,
    assert_foreign_rows_untouched,
    assert_idempotent,
    assert_journal_consistent,
    assert_minimal_restore,
    assert_ordered,
    assert_target_then_full_equals_full,
    assert_undo_restores,
)
from mentara_seed.testing.databases import (
    PG_ENV,
    Databases,
    FixtureScope,
    databases_fixture,
    materialize,
    materialized,
)
from mentara_seed.testing.foreign import APP_KINDS, ForeignKind, World
from mentara_seed.testing.living import FOREIGN_KINDS, LIVING_KINDS, MOMENTS
from mentara_seed.testing.operations import (
    DEFAULT_ANCHOR,
    Run,
    apply,
    desired_rows,
    plan,
    plan_text,
    undo,
    verify,
)
from mentara_seed.testing.profiles import PROFILE_ENV, register_profiles
from mentara_seed.testing.reading import Snapshot, dump, ownership, snapshot
from mentara_seed.testing.states import (
    Edit,
    ForeignInsert,
    RowRef,
    StartingState,
    editable_columns,
    starting_states,
    written_tables,
)

__all__ = [
    "DEFAULT_ANCHOR",
    "APP_KINDS",
    "FOREIGN_KINDS",
    "LIVING_KINDS",
    "MOMENTS",
    "PG_ENV",
    "PROFILE_ENV",
    "REGISTRY",
    "Databases",
    "Edit",
    "FixtureScope",
    "ForeignInsert",
    "ForeignKind",
    "RowRef",
    "Run",
    "Snapshot",
    "StartingState",
    "World",
    "apply",
    "assert_convergent",
    "assert_counts_foreign_rows",
    "assert_deterministic",
    "assert_foreign_rows_untouched",
    "assert_idempotent",
    "assert_journal_consistent",
    "assert_minimal_restore",
    "assert_ordered",
    "assert_target_then_full_equals_full",
    "assert_undo_restores",
    "databases_fixture",
    "desired_rows",
    "dump",
    "editable_columns",
    "materialize",
    "materialized",
    "ownership",
    "plan",
    "plan_text",
    "register_profiles",
    "snapshot",
    "starting_states",
    "undo",
    "verify",
    "written_tables",
]
