"""Enrichers: one module per enricher, registered into ``registry.REGISTRY`` on import.

Each module is imported here explicitly, in tier order, so the registry's contents never depend
on import side effects elsewhere.
"""

from mentara_seed.enrichers import (  # noqa: F401
    availability,
    communities,
    memberships,
    relationships,
    users,
)
from mentara_seed.enrichers.registry import REGISTRY

__all__ = ["REGISTRY"]
