"""Something that happened to a user and deserves a notification: what the ``notifications``
enricher turns into rows (``staff_notices`` collects the admins' and moderators')."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mentara_seed.schema.enums import NotificationPriority as Priority
from mentara_seed.schema.enums import NotificationType as Type


@dataclass(frozen=True)
class Event:
    """Something that happened to a user and deserves a notification."""

    type: Type
    ref: str
    at: dt.datetime
    fields: dict[str, str]
    data: dict[str, Any]
    url: str
    priority: Priority = Priority.NORMAL
    read: str = "maybe"  # "maybe" (by age), "by" (read before ``read_by``) or "unread"
    read_by: dt.datetime | None = field(default=None)
    template: str | None = None  # the corpus family, when not the type's own
