"""Enrichers: one module per enricher, registered into ``registry.REGISTRY`` on import.

Each module is imported here explicitly, in tier order, so the registry's contents never depend
on import side effects elsewhere.
"""

from mentara_seed.enrichers import (  # noqa: F401
    assessments,
    availability,
    chatbot,
    client_engagement,
    client_preferences,
    comments,
    communities,
    group_sessions,
    hearts,
    journal_entries,
    meetings,
    memberships,
    message_interactions,
    messages,
    moderator_assignments,
    notifications,
    payments,
    posts,
    relationships,
    reports,
    reviews,
    rooms,
    therapist_performance,
    user_blocks,
    users,
    worksheets,
)
from mentara_seed.enrichers.registry import REGISTRY

__all__ = ["REGISTRY"]
