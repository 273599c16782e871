"""The journal's tables. On PostgreSQL they live in their own schema, ``seed_state``, never
in the app's ``public`` schema (Prisma would call them drift); on SQLite the same tables sit in
the database file, their ``seed_`` prefix keeping them apart."""

from __future__ import annotations

import sqlalchemy as sa

JOURNAL_SCHEMA = "seed_state"

journal_metadata = sa.MetaData(schema=JOURNAL_SCHEMA)

seed_apply = sa.Table(
    "seed_apply",
    journal_metadata,
    sa.Column("serial", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("apply_id", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("applied_at", sa.Text, nullable=False),
    sa.Column("tool_version", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("project_seed", sa.Integer, nullable=True),
    sa.Column("profile", sa.Text, nullable=True),
    sa.Column("config_hash", sa.Text, nullable=True),
    sa.Column("changes_hash", sa.Text, nullable=True),
    sa.Column("anchor", sa.Text, nullable=True),
    sa.Column("lineage", sa.Text, nullable=True),
    sa.Column("targets", sa.JSON, nullable=False),
    sa.Column("counts", sa.JSON, nullable=False),
    # The inputs digest of an apply that held nothing back (``planner.shortcut``); added to
    # journals made before it by ``journal.create``.
    sa.Column("state_key", sa.Text, nullable=True),
    # How the record's row events are stored (``state.journal.JOURNAL_FORMAT``): null or 1 one
    # row per created row, 2 runs of created rows. Added to older journals like ``state_key``.
    sa.Column("journal_format", sa.Integer, nullable=True),
    # On PostgreSQL, the transaction that wrote the record and its rows, as
    # "<system identifier>:<64-bit transaction id>" (``state.stamps``): a row whose ``xmin`` is
    # still that transaction's is as the apply left it. Null on SQLite. Added like the others.
    sa.Column("xact", sa.Text, nullable=True),
    # The settings of the apply besides ``profile`` and ``project_seed``, as JSON text (the
    # same on both databases): {"scale", "minimums" (the [minimums.NAME] overrides in force),
    # "kept" (minimums kept above the settings' own until --prune)}. Null for records other
    # than apply and destroy, and for records of earlier versions. Added like the others.
    sa.Column("settings", sa.Text, nullable=True),
)

# ``serial`` is an apply's serial, not declared as a foreign key, and nothing but the primary
# key is indexed: events are written only by ``journal.append``, in the transaction that writes
# their apply record, and read in (serial, seq) order. A declared key and a (table_name, pk)
# index made the server do four times the work for each of a million events.
OLD_EVENT_INDEX = "seed_row_event_table_pk_idx"

seed_row_event = sa.Table(
    "seed_row_event",
    journal_metadata,
    sa.Column("serial", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("table_name", sa.Text, nullable=False),
    sa.Column("pk", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("fingerprint", sa.Text, nullable=True),
    sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
    # A run of creates: its rows' values, to create them again if they are deleted
    # (``journal.image``); null for other events and for runs written by earlier versions.
    sa.Column("image", sa.LargeBinary, nullable=True),
    # An update that set the row's ``createdAt``: the new value (``planner.identity``: what
    # tells the seeder's row from another that took its key); null otherwise, and for events
    # of earlier versions (added to their journals by the next command that writes).
    sa.Column("identity", sa.Text, nullable=True),
)

# The states found to hold every minimum: an apply whose plan held nothing back records its
# state key here when the verification after it found no violation in a database that still
# had that state (``operations.applying.apply``). A later apply that finds the database in a
# recorded state again (no change, or only deleted rows made again) need not check it again.
# Append-only, one row per state key; made by ``journal.create`` on journals of earlier
# versions too.
seed_verified = sa.Table(
    "seed_verified",
    journal_metadata,
    sa.Column("state_key", sa.Text, primary_key=True),
    sa.Column("serial", sa.Integer, nullable=False),  # the journal's serial when verified
    sa.Column("verified_at", sa.Text, nullable=False),
    sa.Column("tool_version", sa.Text, nullable=False),
)
