"""A plan as a document to save or print as JSON: the seeded accounts' password (``[minimums.
users] password``, and any other ``password`` setting) never in clear (a request records its
bcrypt hash, ``planner.request``; a clear one left is sealed with PBKDF2),
and a digest over the whole document so that ``seed apply FILE`` refuses a file whose header
or changes were edited (``planner.saved.load`` checks it)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from typing import Any

from mentara_seed.planner import plan_json
from mentara_seed.planner.context import is_password_hash
from mentara_seed.planner.plan import Plan
from mentara_seed.planner.saved import SEALED_PREFIX, digest_line

_ROUNDS = 200_000


def seal_password(plain: str, project_seed: int) -> str:
    """A password as a saved plan keeps it: PBKDF2-SHA256, salted by the project seed (the
    same password and seed give the same text, so equal plans stay byte-identical)."""
    salt = f"mentara-seed saved-plan password/{project_seed}".encode()
    derived = hashlib.pbkdf2_hmac("sha256", plain.encode(), salt, _ROUNDS)
    return f"{SEALED_PREFIX}{_ROUNDS}${derived.hex()}"


def matches(plain: str, sealed: str, project_seed: int) -> bool:
    return hmac.compare_digest(seal_password(plain, project_seed), sealed)


def _sealed(value: Any, project_seed: int) -> Any:
    if isinstance(value, dict):
        return {k: (seal_password(v, project_seed) if k == "password" and _clear(v)
                    else _sealed(v, project_seed)) for k, v in value.items()}
    if isinstance(value, list):
        return [_sealed(v, project_seed) for v in value]
    return value


def _clear(value: Any) -> bool:
    """Whether a ``password`` setting holds a password in clear: not sealed, and not the
    bcrypt hash a request records (``planner.request``), which the seeded rows hold anyway."""
    return (isinstance(value, str) and not value.startswith(SEALED_PREFIX)
            and not is_password_hash(value))


def document(plan: Plan) -> str:
    """The plan's canonical JSON (``planner.plan_json``) with passwords sealed and a digest line."""
    header = plan.header
    hidden = replace(header, request=_sealed(header.request, header.project_seed),
                     settings=_sealed(header.settings, header.project_seed))
    text = plan_json.render(replace(plan, header=hidden))
    return "{\n" + digest_line(text) + text[2:]
