"""What an enricher sees: the projected state (live rows + rows planned by earlier enrichers),
the ownership of live rows, the time anchor, and deterministic ids, RNGs and picks.

An enricher must get every choice from here. The context never touches the database.
"""

from __future__ import annotations

import datetime as dt
import enum
import random
import threading
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from typing import Any

import bcrypt

from mentara_seed.errors import EnricherError
from mentara_seed.planner.identity import nulled_by_delete
from mentara_seed.planner.ids import Keyspace, Ring
from mentara_seed.planner.plan import PlanWarning
from mentara_seed.planner.rowspec import row_spec
from mentara_seed.planner.snapshot import LiveState, pk_name
from mentara_seed.schema import timeline
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import (
    Row,
    fingerprint,
    to_ms,
)

_BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _salt(plain: str, cost: int, seed: int) -> str:
    """The bcrypt salt of a seeded password: a function of the project seed, the password and
    the cost, so the hash (and with it the plan) is the same in every run."""
    raw = Keyspace(seed).digest("password-salt", plain, cost)
    chars = [_BCRYPT_ALPHABET[b % 64] for b in raw[:21]] + [".Oeu"[raw[21] % 4]]
    return f"$2b${cost:02d}$" + "".join(chars)


def _hash_password(plain: str, cost: int, seed: int) -> str:
    # bcrypt is slow on purpose: one hash per distinct (password, cost), kept for the process.
    key = (plain, cost, seed)
    hashed = _hashed.get(key)
    if hashed is None:
        warming = _warming.pop(key, None)
        if warming is not None:
            warming.join()  # in a forked worker it is not running: nothing to wait for
        hashed = _hashed.get(key)
        if hashed is None:
            hashed = _hashed[key] = _bcrypt(*key)
    return hashed


def _bcrypt(plain: str, cost: int, seed: int) -> str:
    return bcrypt.hashpw(plain.encode(), _salt(plain, cost, seed).encode()).decode()


_hashed: dict[tuple[str, int, int], str] = {}
_warming: dict[tuple[str, int, int], threading.Thread] = {}


def warm_password(plain: str, cost: int, seed: int) -> None:
    """Start hashing ``plain`` on another thread (bcrypt lets go of the GIL while it works),
    for a plan that will hash it: the first apply of a fresh schema hashes while the server
    creates the tables. The hash is the same either way; nothing starts when ``plain`` is a
    hash already, or is hashed or being hashed already."""
    key = (plain, cost, seed)
    if is_password_hash(plain) or key in _hashed or key in _warming:
        return

    def run() -> None:
        _hashed.setdefault(key, _bcrypt(*key))

    _warming[key] = thread = threading.Thread(target=run, name="bcrypt", daemon=True)
    thread.start()


def is_password_hash(value: str) -> bool:
    """Whether ``value`` is a bcrypt hash (``$2b$10$`` and 53 characters) rather than a
    password: what the journal and saved plans keep of a configured password."""
    return len(value) == 60 and value[:4] in ("$2a$", "$2b$", "$2y$") and value[6] == "$"


def hashed_password(value: str, cost: int, seed: int) -> str:
    """A configured password as the seeded accounts store it, and as it is recorded (plans,
    the journal): its bcrypt hash; a hash given is taken as it is."""
    return value if is_password_hash(value) else _hash_password(value, cost, seed)


class PlanContext:
    """The projected state and the deterministic helpers, for one plan.

    Invariant: every listing is in primary-key order; every id, RNG and pick is a function of
    the project seed and the key given. Must not be used after the plan is built.
    """

    def __init__(
        self,
        keys: Keyspace,
        anchor: dt.datetime,
        live: LiveState,
        owned: dict[str, dict[str, str]],
        password_cost: int = 10,
        kept: dict[str, set[str]] | None = None,
        prune: bool = False,
        keeps: bool = True,
        leaving: frozenset[str] | None = None,
        restorable: Mapping[str, Mapping[str, Row]] | None = None,
        gone: Mapping[str, Mapping[str, Row]] | None = None,
    ) -> None:
        self.keys = keys
        self.anchor = anchor
        self.live = live
        self.owned = owned
        self.password_cost = password_cost
        self._desired: dict[str, dict[str, Row]] = {}
        # Tables read from the projection, when someone asks (``planner.parallel``): the
        # projection is what differs when enrichers run in another order.
        self.reads: set[str] | None = None
        self._projected: dict[str, list[Row]] = {}
        self._groups: dict[tuple[str, str, bool], dict[Any, list[Row]]] = {}
        self._foreign: dict[str, list[Row]] = {}
        self._complete: set[str] = set()
        # Owned rows of complete tables that stay although no longer desired (a delete that a
        # staying row's reference blocks): the enrichers after must still see them.
        self.kept = kept or {}
        # --prune: owned rows beyond a minimum go (``slots``); otherwise they count and stay.
        self.prune = prune
        # Applied choices are kept only under the anchor they were made at: a moved anchor
        # changes every row's own input, and the rows are planned afresh (``applied``).
        self.keeps = keeps
        # Without --prune: the owned rows that go although the plan does not prune (they
        # break a rule, ``planner.repair``); the rest stay as they are live.
        self.leaving = leaving
        self._live_hashes: dict[str, str] | None = None
        self._at: dict[tuple[float, float, float], dt.datetime] = {}
        # Minimums that cannot be met, per enricher, in the order found (``warn``).
        self.warnings: dict[str, list[PlanWarning]] = {}
        self._applied: dict[tuple[str, str], bool] = {}
        # Owned rows a cascade changed, as applied (``identity.restorable``): applied again
        # once every row their NULLed references pointed to is back in the projection.
        self.restorable = restorable or {}
        # Owned rows no longer live, as last applied, of the tables an enricher ``restores``
        # (``identity.gone``).
        self._gone = gone or {}

    # -- identity and randomness -------------------------------------------------------------

    def id(self, *parts: object) -> str:
        return self.keys.id(*parts)

    def natural_id(self, *parts: object) -> str:
        return self.keys.natural_id(*parts)

    def cuid(self, *parts: object) -> str:
        return self.keys.cuid(*parts)

    def rng(self, *parts: object) -> random.Random:
        return self.keys.rng(*parts)

    def pick(self, candidates: Sequence[str], k: int, *parts: object) -> list[str]:
        return self.keys.pick(candidates, k, *parts)

    def pick_one(self, candidates: Sequence[str], *parts: object) -> str | None:
        return self.keys.pick_one(candidates, *parts)

    def first_free(self, options: Sequence[Any], taken: Container[Any], *parts: object) -> Any:
        return self.keys.first_free(options, taken, *parts)

    def ring(self, candidates: Iterable[str], *parts: object) -> Ring:
        """A consistent-hash ring over many candidates (see ``Keyspace.ring``): for a choice
        every entity makes among a list that grows with the database."""
        return self.keys.ring(candidates, *parts)

    def choose(self, options: Sequence[Any], *parts: object) -> Any:
        return self.keys.choose(options, *parts)

    def password(self, plain: str) -> str:
        """The bcrypt hash of a seeded password. A live user's hash with this very salt is
        taken as it is: the salt is derived from the password itself (an app-side password
        change brings a random salt), so a no-op plan runs no bcrypt. A hash given (a password
        remembered from the journal, which keeps no password in clear) is the hash."""
        if is_password_hash(plain):
            return plain
        salt = _salt(plain, self.password_cost, self.keys.project_seed)
        if self._live_hashes is None:
            self._live_hashes = {}
            if self.live.has("User"):
                for user in self.live.rows("User"):
                    stored = user.get("password")
                    if isinstance(stored, str) and len(stored) == 60:
                        self._live_hashes.setdefault(stored[:29], stored)
        found = self._live_hashes.get(salt)
        return found if found is not None else _hash_password(
            plain, self.password_cost, self.keys.project_seed)

    # -- minimums that cannot be met ---------------------------------------------------------

    def warn(self, enricher: str, entity: str, reason: str) -> None:
        """Report that ``enricher`` plans nothing more for ``entity`` because its minimum
        cannot be met (``reason``: nothing to pick from, no time to place a row in). The plan
        shows it as a warning; the enricher goes on with the next entity, never raises."""
        self.warnings.setdefault(enricher, []).append(PlanWarning(enricher, entity, reason))

    # -- time --------------------------------------------------------------------------------

    def at(self, days: float = 0, hours: float = 0, minutes: float = 0) -> dt.datetime:
        """The anchor moved by the given offsets (negative = before the anchor)."""
        key = (days, hours, minutes)
        found = self._at.get(key)
        if found is None:  # enrichers ask for the same few moments once per row
            found = self._at[key] = to_ms(
                self.anchor + dt.timedelta(days=days, hours=hours, minutes=minutes))
        return found

    def earliest(self, table: str, column: str, **refs: object) -> dt.datetime | None:
        """The latest time of the rows a new ``table`` row would depend on through ``refs``
        (column -> key), in the projected state, whoever owns them (``schema.timeline``):
        ``table.column`` must come after it. None when nothing it references has a time."""
        return timeline.earliest(table, column, refs, self.get)

    # -- reading the projected state ---------------------------------------------------------

    @property
    def desired(self) -> Mapping[str, dict[str, Row]]:
        """Rows planned so far by the enrichers before, per table."""
        if self.reads is None:
            return self._desired
        return _Recorded(self._desired, self.reads)

    def rows(self, table: str) -> list[Row]:
        """The projected rows of ``table`` in primary-key order: live rows overlaid with rows
        planned so far. When pruning, once every writer of the table has run, owned rows they
        no longer desire are left out (they are on their way out), except the ``kept`` ones;
        without pruning, only the ``leaving`` ones are."""
        if self.reads is not None:
            self.reads.add(table)
        if table not in self._projected:
            if not self.live.has(table):
                raise EnricherError(
                    f"An enricher read table {table}, which no enricher of this run writes "
                    "and none declares in reads=(...): declare it so the planner reads it.")
            if table in self._complete and self.leaving is not None:
                owned, kept = self.owned.get(table, {}), self.kept.get(table, set())
                merged = {k: r for k, r in self.live.by_pk(table).items()
                          if k not in self.leaving or k not in owned or k in kept}
            elif table in self._complete:
                pk = pk_name(TABLES[table])
                merged = {r[pk]: r for r in self.foreign(table)}
                live_rows = self.live.by_pk(table)
                for key in sorted(self.kept.get(table, ())):
                    if key in live_rows:
                        merged[key] = live_rows[key]
            else:
                merged = dict(self.live.by_pk(table)) if self.live.has(table) else {}
            merged.update(self._desired_over_live(table))
            self._projected[table] = [merged[k] for k in sorted(merged)]
        return self._projected[table]

    def _desired_over_live(self, table: str) -> dict[str, Row]:
        """The rows planned so far that the projection shows: never over a foreign live row
        of the same key (the seeder never writes it, so the database keeps the app's)."""
        planned = self._desired.get(table, {})
        if not planned or not self.live.has(table):
            return planned
        live, owned = self.live.by_pk(table), self.owned.get(table, {})
        taken = [k for k in planned if k in live and k not in owned]
        if not taken:
            return planned
        return {k: r for k, r in planned.items() if k not in live or k in owned}

    def get(self, table: str, pk: str) -> Row | None:
        if self.reads is not None:
            self.reads.add(table)
        live = self.live.get(table, pk) if self.live.has(table) else None
        if live is not None and not self.is_owned(table, pk):
            return live  # the app's row: what it holds, whatever the seeder would want
        planned = self._desired.get(table, {}).get(pk)
        if planned is not None:
            return planned
        if live is not None and table in self._complete and self._leaves(table, pk):
            return None  # an owned row on its way out, as ``rows`` leaves it out
        return live

    def _leaves(self, table: str, pk: str) -> bool:
        """Whether the owned row ``pk`` of a complete table that no enricher desired leaves
        the projection: under --prune unless ``kept``; else only the ``leaving`` ones."""
        if pk in self.kept.get(table, ()):
            return False
        return self.leaving is None or pk in self.leaving

    def is_owned(self, table: str, pk: str) -> bool:
        return pk in self.owned.get(table, {})

    def applied(self, table: str, pk: str) -> Row | None:
        """The live owned row ``pk`` if it is as the seeder last wrote it (else None: not
        owned, gone, or edited outside seed, whose edit ``--update`` must be able to undo;
        and None for every row when the anchor moved since they were applied)."""
        return self._as_applied(table, pk) if self.keeps else None

    def _as_applied(self, table: str, pk: str) -> Row | None:
        last = self.owned.get(table, {}).get(pk)
        if last is None or not self.live.has(table):
            return None
        row = self.live.get(table, pk)
        if row is None:
            return None
        key = (table, pk)
        found = self._applied.get(key)
        if found is None:
            found = self._applied[key] = fingerprint(row) == last
        if found:
            return row
        before = self.restorable.get(table, {}).get(pk)
        if before is None:
            return None
        back = all(parent_column == pk_name(TABLES[parent])
                   and self.get(parent, before[column]) is not None
                   for column, parent, parent_column in nulled_by_delete(table)
                   if row[column] is None)
        return before if back else None

    def gone(self, table: str) -> list[Row]:
        """The owned rows of ``table`` deleted since they were applied, as they were applied,
        in primary-key order, for an enricher that keeps rows for being there (its
        ``restores``): taken as still there, such a row comes back as it was, as the journal's
        restore would bring it back. None under ``--prune`` (rows kept for being there go) or
        when the anchor moved (nothing applied is kept: ``applied``)."""
        if self.prune or not self.keeps:
            return []
        rows = self._gone.get(table, {})
        return [rows[k] for k in sorted(rows)]

    def live_choice(self, table: str, pk: str, column: str,
                    valid: Callable[[Any], bool] | None = None) -> Any:
        """The choice a slot made when it was applied: ``column`` of the ``applied`` row
        ``pk`` if it is not null and passes ``valid``; else None, and the caller picks by
        hash (a new slot, or the old choice became invalid). Choices among candidates go
        through here, so a valid row is never rewritten because the world around it grew
        (a new foreign row, a raised minimum, an ``--exclude``): only new slots pick."""
        row = self.applied(table, pk)
        value = None if row is None else row[column]
        return None if value is None or (valid is not None and not valid(value)) else value

    def keeping(self, table: str, pk: str) -> Row | None:
        """The ``applied`` row ``pk`` when it stays beyond what its enricher picks now: always
        without ``--prune`` (rows beyond a minimum count and stay); with it, only when a row
        that stays references it (``kept``). So what depends on a row that stays is planned
        under ``--prune`` as the next plain plan will plan it."""
        if self.prune and pk not in self.kept.get(table, ()):
            return None
        return self.applied(table, pk)

    def slots(self, wanted: int, table: str, pk_of: Callable[[int], str]) -> int:
        """How many slots an entity fills: ``wanted`` (at least 0), and beyond it every next
        slot whose row is ``applied``: rows beyond a minimum count and stay (a lowered
        minimum, foreign rows that came later), until ``--prune`` removes them (but those a
        staying row references, ``keeping``)."""
        n = max(wanted, 0)
        while self._as_applied(table, pk_of(n)) is not None and (
                not self.prune or pk_of(n) in self.kept.get(table, ())):
            n += 1
        return n

    def foreign(self, table: str) -> list[Row]:
        """Live rows the seeder does not own: they count toward minimums and are never touched."""
        if table not in self._foreign:
            owned = self.owned.get(table, {})
            rows = self.live.rows(table) if self.live.has(table) else []
            pk = pk_name(TABLES[table])
            self._foreign[table] = [r for r in rows if r[pk] not in owned]
        return self._foreign[table]

    def group(self, table: str, column: str, *, foreign: bool = False) -> dict[Any, list[Row]]:
        """Projected (or only foreign) rows of ``table`` by ``column``, lists in pk order."""
        key = (table, column, foreign)
        if self.reads is not None and not foreign:
            self.reads.add(table)
        if key not in self._groups:
            groups: dict[Any, list[Row]] = {}
            for row in self.foreign(table) if foreign else self.rows(table):
                groups.setdefault(row[column], []).append(row)
            self._groups[key] = groups
        return self._groups[key]

    # -- building desired rows ---------------------------------------------------------------

    def row(self, table: str, **values: Any) -> tuple[str, Row]:
        """A complete desired row: missing columns take their seed default (the database
        default); a missing required column or an unknown column is an enricher bug."""
        spec = row_spec(table)
        if not spec.names.issuperset(values):
            unknown = sorted(set(values) - spec.names)
            raise EnricherError(f"{table} has no column {unknown[0]!r}")
        if not spec.required.issubset(values):
            name = next(n for n in spec.template if n in spec.required and n not in values)
            raise EnricherError(f"{table}.{name} is required and has no default")
        full = spec.template.copy()
        full.update(values)  # a key already there keeps its place: columns stay in table order
        for name in spec.lists:
            if name not in values:
                full[name] = list(full[name])
        for name, value in values.items():
            if isinstance(value, enum.Enum):
                full[name] = value.value
        for name, norm in spec.normalized:
            if name in values:
                full[name] = norm(full[name])
        return table, full

    def add_desired(self, rows: dict[str, dict[str, Row]], complete: set[str]) -> None:
        """Make rows planned by one enricher visible to the enrichers after it; ``complete``
        names tables whose owned rows not desired again leave the projection from now on."""
        for table in set(rows) | complete:
            self._desired.setdefault(table, {}).update(rows.get(table, {}))
            if table in complete:
                self._complete.add(table)
            self._projected.pop(table, None)
            for key in [k for k in self._groups if k[0] == table and not k[2]]:
                del self._groups[key]


class _Recorded(Mapping[str, dict[str, Row]]):
    """The planned rows, noting each table looked up (and every table when listed)."""

    def __init__(self, rows: dict[str, dict[str, Row]], reads: set[str]) -> None:
        self._rows = rows
        self._reads = reads

    def __getitem__(self, table: str) -> dict[str, Row]:
        self._reads.add(table)
        return self._rows[table]

    def __iter__(self) -> Iterator[str]:
        self._reads.add(EVERY_TABLE)
        return iter(self._rows)

    def __len__(self) -> int:
        self._reads.add(EVERY_TABLE)
        return len(self._rows)


EVERY_TABLE = "*"
