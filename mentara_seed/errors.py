"""Typed errors. Library code raises these; only the CLI turns them into messages and exit codes."""

from __future__ import annotations


class SeedError(Exception):
    """A failure the user can act on. ``str(err)`` is one paragraph: what, then what to do.

    Never put a database password in a message; use ``database.redact`` on every URL.
    """

    exit_code = 1


class UsageError(SeedError):
    """The command line or configuration is wrong (exit code 2)."""

    exit_code = 2


class ConfigError(UsageError):
    """The configuration (seed.toml, SEED_* variables, flags) does not validate."""


class UnknownTargetError(UsageError):
    """A --target names no enricher."""


class DatabaseUnreachableError(SeedError):
    """The database cannot be connected to."""


class SchemaMissingError(SeedError):
    """The database lacks tables or columns the seeder writes."""


class ProductionGuardError(SeedError):
    """The database does not look like a development one and no override was given."""


class LockTimeoutError(SeedError):
    """Another apply holds the lock for longer than --lock-timeout."""


class StalePlanError(SeedError):
    """A plan no longer matches the database it is applied to."""


class JournalFormatError(SeedError):
    """The journal was written by a newer version, in a format this one cannot read."""


class ApplyError(SeedError):
    """The database rejected a write; the transaction was rolled back."""


class BrokenStateError(SeedError):
    """An apply would have left rows of the seeder's breaking its own rules; it was rolled
    back (a bug in the seeder or in an enricher)."""


class EnricherError(SeedError):
    """An enricher produced a row the schema does not accept (a bug in the enricher)."""


class ProjectSeedError(SeedError):
    """Another project seed was asked for on a database holding the seeder's rows of one."""


class NotApprovedError(SeedError):
    """A command that changes or removes data was not approved (no 'yes' on the terminal, or
    no terminal and no --auto-approve)."""
