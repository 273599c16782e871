"""Settings: defaults < the journal's last apply < seed.toml < SEED_* environment variables <
command-line flags. The journal's layer (``remember``) needs the database, so it is applied by
the operations (``operations``) once they have it open; ``load`` reads the others."""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from collections.abc import Container
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from mentara_seed.database import DEFAULT_URL
from mentara_seed.errors import ConfigError
from mentara_seed.guard import DEVELOPMENT_DATABASES, DEVELOPMENT_HOSTS
from mentara_seed.planner.remembered import SettingsOrigin, shown_minimums
from mentara_seed.secrets import scrub
from mentara_seed.state.journal import AppliedSettings

Profile = Literal["light", "medium", "heavy"]
ANCHOR_RANGE = (dt.date(1970, 1, 5), dt.date(2200, 12, 31))
CONFIG_FILE = "seed.toml"


class Settings(BaseSettings):
    """Every setting of a run. Field descriptions are the configuration reference."""

    model_config = SettingsConfigDict(env_prefix="SEED_", extra="forbid", frozen=True)

    database_url: str = Field(DEFAULT_URL, description="database to seed (SQLite file default)")
    profile: Profile = Field("medium", description="data volume: light, medium or heavy")
    seed: int = Field(0, ge=0, le=2**31 - 1, strict=False,
                      description="project seed: another seed, another data set")
    scale: int = Field(1, ge=1, le=10_000, description="multiplies users and communities")
    anchor: dt.date | None = Field(None, description="date relative dates are computed from")
    verbose: bool = Field(False, description="list every change; tracebacks on errors")
    audit: bool = Field(False, description="apply only plans (like `seed plan`)")
    skip_verify: bool = Field(False, description="skip the verification after apply")
    full: bool = Field(False, description="run every enricher even when nothing has changed "
                       "since the last apply")
    jobs: int = Field(2, ge=1, le=2, description="cores to use: 2 plans, fingerprints and "
                      "verifies on two where the machine can (same results), 1 one process")
    lock_timeout: float = Field(30.0, gt=0, description="seconds to wait for another apply")
    password_cost: int = Field(10, ge=4, le=14, description="bcrypt cost of seeded passwords")
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEVELOPMENT_HOSTS),
        description="hosts (glob patterns) seed may write to without the override")
    allowed_databases: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEVELOPMENT_DATABASES),
        description="database names seed may write to anywhere: words of the name (dev "
        "matches mentara_dev, not devices) or glob patterns (*_qa)")
    allow_any_database: bool = Field(
        False, description="disable the production guard (--i-know-this-is-not-production)")
    minimums: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="per-enricher minimum overrides ([minimums.NAME])"
    )

    @field_validator("allowed_hosts", "allowed_databases", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        # SEED_ALLOWED_HOSTS='["localhost", "*.internal"]' (JSON, as pydantic-settings reads
        # lists) or "localhost,*.internal", as well as a TOML list.
        if isinstance(value, str) and value.strip().startswith("["):
            try:
                value = json.loads(value)
            except ValueError as err:
                raise ValueError("not a JSON list of strings (write [\"host\", …] or "
                                 "host,host)") from err
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError("not a JSON list of strings")
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("anchor", mode="before")
    @classmethod
    def _anchor_today(cls, value: object) -> object:
        """``today`` (SEED_ANCHOR, seed.toml): the Monday of this week, as ``--anchor today``."""
        if isinstance(value, str) and value.strip().lower() == "today":
            from mentara_seed.planner.request import default_anchor

            return default_anchor(dt.datetime.now(dt.UTC).replace(tzinfo=None)).date()
        return value

    @field_validator("anchor")
    @classmethod
    def _anchor_range(cls, value: dt.date | None) -> dt.date | None:
        # Seeded dates reach years before and after the anchor; keep them representable.
        if value is not None and not ANCHOR_RANGE[0] <= value <= ANCHOR_RANGE[1]:
            raise ValueError(f"the anchor must be between {ANCHOR_RANGE[0]} and "
                             f"{ANCHOR_RANGE[1]}")
        return value

    @field_validator("database_url")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = Path(os.environ.get("SEED_CONFIG", CONFIG_FILE))
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, path))


def load(config: Path | None = None, **flags: Any) -> Settings:
    """Settings from all sources; flags left as None fall through to the lower layers."""
    given = {k: v for k, v in flags.items() if v is not None}
    previous = os.environ.get("SEED_CONFIG")
    if config is None and previous and not Path(previous).is_file():
        raise ConfigError(f"SEED_CONFIG names {previous}, which does not exist.")
    if config is not None:
        if config.is_dir():
            raise ConfigError(f"Config file {config} is a directory; give the settings file, "
                              "such as --config seed.toml.")
        if not config.is_file():
            raise ConfigError(f"Config file {config} does not exist.")
        os.environ["SEED_CONFIG"] = str(config)
    try:
        return Settings(**given)
    except ValidationError as err:
        raise ConfigError(describe(err, config)) from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{config or os.environ.get('SEED_CONFIG', CONFIG_FILE)} is not "
                          f"valid TOML: {err}.") from err
    except (OSError, ValueError) as err:
        raise ConfigError(f"Cannot read the configuration: {err}") from err
    finally:
        if config is not None:
            if previous is None:
                os.environ.pop("SEED_CONFIG", None)
            else:
                os.environ["SEED_CONFIG"] = previous


def describe(err: ValidationError, config: Path | None = None) -> str:
    """One line per invalid key, with the file and line where the key is set in seed.toml."""
    path = Path(config or os.environ.get("SEED_CONFIG", CONFIG_FILE))
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    lines = [f"Invalid configuration ({path}, SEED_* variables or flags):"]
    for e in err.errors():
        loc = [str(p) for p in e["loc"]]
        key = ".".join(loc) or "(root)"
        value = e.get("input")
        shown = "" if isinstance(value, dict) or "password" in loc else (
            f" (got {scrub(repr(value))[:200]})")
        where = line_of(text, loc)
        at = f" [{path}:{where}]" if where else ""
        lines.append(f"  {key}: {e['msg']}{shown}{at}")
    return "\n".join(lines)


def line_of(text: str, loc: list[str]) -> int | None:
    """The line of seed.toml that sets the key at ``loc`` (best effort: TOML tables and keys
    as people write them), or None when the value came from elsewhere."""
    if not text or not loc:
        return None
    section = ".".join(loc[:-1])
    key = loc[-1]
    current = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line.strip("[]").strip()
            if current == ".".join(loc):
                return number
            continue
        name = line.split("=", 1)[0].strip().strip('"') if "=" in line else ""
        if name == key and current == section:
            return number
    return None


# The settings the journal remembers, by their names here.
REMEMBERED = ("profile", "seed", "scale", "minimums")


def remember(settings: Settings, applied: AppliedSettings | None,
             enrichers: Container[str]) -> tuple[Settings, SettingsOrigin]:
    """``settings`` with each of profile, seed, scale and minimums that no layer gave (no flag,
    no SEED_* variable, no seed.toml key: not in ``model_fields_set``) taken from the journal's
    last apply, ``applied``; and where each came from. A given value equal to the default is
    given. Remembered overrides of enrichers not in ``enrichers`` (renamed since) are dropped."""
    if applied is None:
        return settings, SettingsOrigin()
    last = _applied_values(applied, enrichers)
    given = settings.model_fields_set
    taken = {name: value for name, value in last.items() if name not in given}
    changed = [(name, _shown(name, value), _shown(name, getattr(settings, name)))
               for name, value in last.items()
               if name in given and value != getattr(settings, name)]
    if "anchor" in given and settings.anchor is not None and applied.anchor:
        was = applied.anchor[:10]
        if settings.anchor.isoformat() != was:
            changed.append(("anchor", was, settings.anchor.isoformat()))
    origin = SettingsOrigin(applied, tuple(taken), tuple(changed))
    return settings.model_copy(update=taken), origin


def _applied_values(applied: AppliedSettings, enrichers: Container[str]) -> dict[str, Any]:
    """The last apply's values that are valid settings here (a journal written by another
    version may hold others: those are not remembered)."""
    values: dict[str, Any] = {}
    if applied.profile in get_args(Profile):
        values["profile"] = applied.profile
    if isinstance(applied.project_seed, int) and applied.project_seed >= 0:
        values["seed"] = applied.project_seed
    if isinstance(applied.scale, int) and 1 <= applied.scale <= 10_000:
        values["scale"] = applied.scale
    if isinstance(applied.minimums, dict):
        values["minimums"] = {name: dict(fields) for name, fields in applied.minimums.items()
                              if name in enrichers and isinstance(fields, dict)}
    return values


def _shown(name: str, value: Any) -> str:
    return shown_minimums(value) if name == "minimums" else str(value)
