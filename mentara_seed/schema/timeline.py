"""What happens after what in the Mentara app, declared once: a person's rows come after they
signed up, a comment after its post, a review after its session ended, … Enrichers place the
times of the rows they make with it (``earliest``, through the plan context: after every row
the new one depends on, whoever owns those), and verification checks every row against it
(``late``), so the two can never disagree.

A relation reads "``table.column`` of a row is at or after ``parent.parent_column`` of the row
its ``via`` column names" (strictly after when ``strict``). Only single-column references are
declared; a relation through two rows (a post after its author joined the room's community)
stays with the enricher that knows the path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Protocol

from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row


@dataclass(frozen=True, slots=True)
class After:
    """``table.column`` is at or after (``strict``: strictly after) ``parent.parent_column``
    of the row that ``table.via`` references."""

    table: str
    column: str
    via: str
    parent: str
    parent_column: str = "createdAt"
    strict: bool = False

    def describe(self) -> str:
        word = "after" if self.strict else "at or after"
        return (f"{self.table}.{self.column} {word} {self.parent}.{self.parent_column} "
                f"(through {self.via})")


def _signed_up(table: str, column: str, *vias: str) -> tuple[After, ...]:
    return tuple(After(table, column, via, "User") for via in vias)


RELATIONS: tuple[After, ...] = (
    # A person's rows come after they signed up.
    *_signed_up("Membership", "joinedAt", "userId"),
    *_signed_up("Post", "createdAt", "userId"),
    *_signed_up("Comment", "createdAt", "userId"),
    *_signed_up("PostHeart", "createdAt", "userId"),
    *_signed_up("CommentHeart", "createdAt", "userId"),
    *_signed_up("JournalEntry", "createdAt", "userId"),
    *_signed_up("ConversationParticipant", "joinedAt", "userId"),
    *_signed_up("Message", "createdAt", "senderId"),
    *_signed_up("MessageReaction", "createdAt", "userId"),
    *_signed_up("MessageReadReceipt", "readAt", "userId"),
    *_signed_up("Notification", "createdAt", "userId"),
    *_signed_up("UserBlock", "createdAt", "blockerId", "blockedId"),
    *_signed_up("Report", "createdAt", "reporterId"),
    *_signed_up("PaymentMethod", "createdAt", "userId"),
    *_signed_up("GroupSessionParticipants", "joinedAt", "userId"),
    *_signed_up("GroupTherapySessions", "createdAt", "createdById"),
    # A client's and a therapist's care comes after their profiles exist.
    After("ClientTherapist", "assignedAt", "clientId", "Client"),
    After("ClientTherapist", "assignedAt", "therapistId", "Therapist"),
    After("Meeting", "startTime", "clientId", "Client"),
    After("Meeting", "startTime", "therapistId", "Therapist"),
    After("Worksheet", "createdAt", "clientId", "Client"),
    After("Worksheet", "createdAt", "therapistId", "Therapist"),
    After("ChatbotSession", "startedAt", "clientId", "Client"),
    After("PreAssessment", "createdAt", "clientId", "Client"),
    After("ClientPreferences", "createdAt", "clientId", "Client"),
    After("ClientEngagement", "createdAt", "clientId", "Client"),
    After("TherapistPerformance", "createdAt", "therapistId", "Therapist"),
    After("GroupSessionTherapistInvitations", "invitedAt", "therapistId", "Therapist"),
    After("ModeratorCommunity", "assignedAt", "moderatorId", "Moderator"),
    # Nothing happens in a community before it exists.
    After("Membership", "joinedAt", "communityId", "Community"),
    After("ModeratorCommunity", "assignedAt", "communityId", "Community"),
    After("GroupTherapySessions", "createdAt", "communityId", "Community"),
    # Content answers what came before it.
    After("Comment", "createdAt", "postId", "Post", strict=True),
    After("Comment", "createdAt", "parentId", "Comment", strict=True),
    After("PostHeart", "createdAt", "postId", "Post"),
    After("CommentHeart", "createdAt", "commentId", "Comment"),
    After("Report", "createdAt", "postId", "Post"),
    After("Report", "createdAt", "commentId", "Comment"),
    # Conversations: joined after they started, messages after the start and what they answer.
    After("ConversationParticipant", "joinedAt", "conversationId", "Conversation"),
    After("Message", "createdAt", "conversationId", "Conversation", strict=True),
    After("Message", "createdAt", "replyToId", "Message", strict=True),
    After("MessageReaction", "createdAt", "messageId", "Message", strict=True),
    After("MessageReadReceipt", "readAt", "messageId", "Message", strict=True),
    # Sessions: notes, reviews and payments after the session ended.
    After("MeetingNotes", "createdAt", "meetingId", "Meeting", "endTime"),
    After("Review", "createdAt", "meetingId", "Meeting", "endTime"),
    After("Payment", "createdAt", "meetingId", "Meeting", "endTime"),
    After("WorksheetSubmission", "submittedAt", "worksheetId", "Worksheet"),
    After("GroupSessionParticipants", "joinedAt", "sessionId", "GroupTherapySessions"),
    After("ChatbotMessage", "timestamp", "sessionId", "ChatbotSession"),
    After("PreAssessment", "createdAt", "chatbotSessionId", "ChatbotSession"),
)


def of(table: str) -> tuple[After, ...]:
    """The relations a row of ``table`` keeps."""
    return _BY_TABLE.get(table, ())


_BY_TABLE: dict[str, tuple[After, ...]] = {}
for _r in RELATIONS:
    _BY_TABLE[_r.table] = (*_BY_TABLE.get(_r.table, ()), _r)


def earliest(table: str, column: str, refs: Mapping[str, object],
             lookup: Callable[[str, str], Row | None]) -> dt.datetime | None:
    """The latest moment ``table.column`` must follow, given a new row's references
    (``refs``: column -> key) and a way to read the rows they name (``lookup(table, key)``):
    the latest of the parents' times; None when no relation applies. A strict relation is
    met by any later moment (the caller adds its own margin, at least a second)."""
    found: dt.datetime | None = None
    for relation in of(table):
        if relation.column != column:
            continue
        key = refs.get(relation.via)
        parent = lookup(relation.parent, str(key)) if key is not None else None
        moment = parent.get(relation.parent_column) if parent is not None else None
        if isinstance(moment, dt.datetime) and (found is None or moment > found):
            found = moment
    return found


class Rows(Protocol):
    """Rows of some tables by primary key (the planner's ``LiveState``)."""

    def has(self, table: str) -> bool: ...

    def by_pk(self, table: str) -> dict[str, Row]: ...

    def rows(self, table: str) -> list[Row]: ...


@dataclass(frozen=True, slots=True)
class Late:
    """A row that does not come after the row it depends on."""

    relation: After
    key: str
    moment: dt.datetime
    parent_key: str
    parent_moment: dt.datetime

    def describe(self) -> str:
        word = "not after" if self.relation.strict else "before"
        return (f"{self.relation.column} {self.moment.isoformat(sep=' ')} is {word} "
                f"{self.relation.parent} {self.parent_key}'s {self.relation.parent_column} "
                f"{self.parent_moment.isoformat(sep=' ')}")


def late(live: Rows, tables: Iterable[str]) -> Iterator[Late]:
    """Every row of ``tables`` (those ``live`` holds, with the parents it holds) that does not
    come after a row it depends on, in table, relation and primary-key order."""
    times: dict[tuple[str, str], dict[str, dt.datetime | None]] = {}
    for table in tables:
        if not live.has(table):
            continue
        rows = live.rows(table)
        keys = list(map(itemgetter(_pk(table)), rows))
        for relation in of(table):
            if not live.has(relation.parent):
                continue
            then = times.get((relation.parent, relation.parent_column))
            if then is None:
                then = times[relation.parent, relation.parent_column] = {
                    pk: r[relation.parent_column] for pk, r in live.by_pk(relation.parent).items()}
            refs = list(map(itemgetter(relation.via), rows))
            moments = map(itemgetter(relation.column), rows)
            # Column at a time: a million rows are checked in C-level loops, then the few
            # late ones described.
            pairs = enumerate(zip(moments, map(then.get, refs), strict=True))
            if relation.strict:
                found = [(n, m, p) for n, (m, p) in pairs
                         if m is not None and p is not None and m <= p]
            else:
                found = [(n, m, p) for n, (m, p) in pairs
                         if m is not None and p is not None and m < p]
            for n, moment, parent_moment in found:
                yield Late(relation, str(keys[n]), moment, str(refs[n]), parent_moment)


def _pk(table: str) -> str:
    return str(next(c.name for c in TABLES[table].columns if c.primary_key))
