"""The production guard: refuse to write to a database that does not look like a development
one. Seeding production by accident is the classic disaster, so the guard judges the target
the driver will really connect to (libpq's rules: the URL, its query parameters such as
``?host=``, a ``service`` from the service file, then the ``PG*`` environment variables), not
the URL's text; and it matches database names by whole words (``mentara_dev``), never by
substring (``devices``, ``mentara_latest``)."""

from __future__ import annotations

import configparser
import fnmatch
import getpass
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mentara_seed.database import parse_url, redact
from mentara_seed.errors import ProductionGuardError

DEVELOPMENT_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]", "host.docker.internal", "db",
                     "postgres", "postgresql", "database", "*.local", "*.localhost", "*.test")
DEVELOPMENT_DATABASES = ("dev", "development", "test", "tests", "testing", "local", "seed",
                         "sandbox", "demo")
_GLOB = re.compile(r"[*?\[]")
_WORDS = re.compile(r"[_\-.]+")


@dataclass(frozen=True)
class Target:
    """Where a PostgreSQL connection goes: every host (a Unix socket directory is local) and
    the database name, each with where it came from."""

    hosts: tuple[str, ...]
    database: str
    origin: str


def effective_target(url: str, environ: Mapping[str, str] | None = None) -> Target | None:
    """The target of ``url`` as libpq resolves it; None for SQLite (a local file)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        return None
    env = os.environ if environ is None else environ
    params = _connect_params(parsed)
    origin = ["URL"]
    service = params.get("service") or env.get("PGSERVICE")
    if service:
        for key, value in _service(service, env).items():
            params.setdefault(key, value)
        origin.append(f"service {service}")
    for key, variable in (("host", "PGHOST"), ("hostaddr", "PGHOSTADDR"),
                          ("dbname", "PGDATABASE"), ("user", "PGUSER")):
        if not params.get(key) and env.get(variable):
            params[key] = env[variable]
            origin.append(variable)
    hosts = [h.strip() for key in ("host", "hostaddr")
             for h in str(params.get(key) or "").split(",") if h.strip()]
    user = str(params.get("user") or _os_user())
    return Target(tuple(hosts) or ("localhost",), str(params.get("dbname") or user),
                  ", ".join(origin))


def _connect_params(parsed: Any) -> dict[str, str]:
    """What SQLAlchemy hands psycopg for this URL (query parameters included)."""
    import sqlalchemy as sa

    engine = sa.create_engine(parsed, poolclass=sa.pool.NullPool)
    try:
        _, params = engine.dialect.create_connect_args(engine.url)
    finally:
        engine.dispose()
    return {k: str(v) for k, v in params.items() if isinstance(v, str | int)}


def _service(name: str, env: Mapping[str, str]) -> dict[str, str]:
    """The settings of a connection service, from the files libpq reads (user's first)."""
    files = [Path(env["PGSERVICEFILE"]) if env.get("PGSERVICEFILE")
             else Path(env.get("HOME", str(Path.home()))) / ".pg_service.conf"]
    if env.get("PGSYSCONFDIR"):
        files.append(Path(env["PGSYSCONFDIR"]) / "pg_service.conf")
    files.append(Path("/etc/postgresql-common/pg_service.conf"))
    for path in files:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path, encoding="utf-8")
        except (OSError, configparser.Error, UnicodeDecodeError):
            continue
        if parser.has_section(name):
            return dict(parser.items(name))
    return {}


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def host_allowed(host: str, patterns: Sequence[str]) -> bool:
    if host.startswith("/") or host.startswith("@"):  # a Unix socket: this machine
        return True
    host = host.lower().strip("[]")
    return any(fnmatch.fnmatchcase(host, p.lower().strip("[]")) for p in patterns)


def name_allowed(name: str, patterns: Sequence[str]) -> bool:
    """A glob pattern (``*_qa``) matches the whole name; a plain word (``dev``) matches one of
    the name's words, split at ``_``, ``-`` and ``.``, with trailing digits (``dev2``)."""
    name = name.lower()
    words = [w.rstrip("0123456789") for w in _WORDS.split(name) if w]
    for pattern in (p.lower() for p in patterns):
        if _GLOB.search(pattern):
            if fnmatch.fnmatchcase(name, pattern):
                return True
        elif pattern in words or pattern == name:
            return True
    return False


def looks_like_development(url: str, hosts: Sequence[str], databases: Sequence[str],
                           environ: Mapping[str, str] | None = None) -> bool:
    """SQLite files, databases whose every host is allowed, or databases with an allowed
    name."""
    target = effective_target(url, environ)
    if target is None:
        return True
    return (all(host_allowed(h, hosts) for h in target.hosts)
            or name_allowed(target.database, databases))


def require_development(url: str, hosts: Sequence[str], databases: Sequence[str]) -> None:
    """Refuse (``ProductionGuardError``) unless ``looks_like_development``."""
    if looks_like_development(url, hosts, databases):
        return
    target = effective_target(url)
    assert target is not None
    raise ProductionGuardError(
        f"Refusing to write to {redact(url)}: it does not look like a development database "
        f"(it connects to host {', '.join(target.hosts)}, database {target.database}, from "
        f"the {target.origin}; host not in allowed_hosts, name not matching "
        "allowed_databases). If it really is not production, add its host to allowed_hosts "
        "in seed.toml (or SEED_ALLOWED_HOSTS), or pass --i-know-this-is-not-production."
    )
