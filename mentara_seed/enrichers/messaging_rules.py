"""The consistency rules of the messaging tables, checked on a live snapshot: the ``verify`` of
the ``messages`` and ``message-interactions`` enrichers.

Every rule is checked on every row (the snapshot does not say which rows the seeder owns), so
foreign data that breaks one is reported too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise
from typing import Any

from mentara_seed.enrichers.common import CLIENT, THERAPIST
from mentara_seed.enrichers.registry import Violation
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import ConversationType
from mentara_seed.schema.values import Row

GROUP_TYPES = (ConversationType.GROUP.value, ConversationType.SUPPORT.value)


def ordered_messages(live: LiveState) -> dict[str, list[Row]]:
    """Messages by conversation, oldest first (ties by id)."""
    return {cid: sorted(rows, key=lambda m: (m["createdAt"], m["id"]))
            for cid, rows in live.group("Message", "conversationId").items()}


def verify_conversations(live: LiveState, need: Any) -> Iterator[Violation]:
    participants = live.group("ConversationParticipant", "conversationId")
    messages = ordered_messages(live)
    yield from _conversation_minimums(live, need, participants, messages)
    for conv in live.rows("Conversation"):
        members = participants.get(conv["id"], [])
        ordered = messages.get(conv["id"], [])
        # A conversation's rules read its messages' order and its participants' times: a
        # person who re-dated one of them can break any, and the finding is then theirs.
        read = (*(m["id"] for m in ordered), *(p["id"] for p in members))
        for found in (*_message_rules(conv, members, ordered),
                      *_participant_rules(conv, members, ordered)):
            yield replace(found, inputs=found.inputs + read)


def _conversation_minimums(
    live: LiveState, need: Any, participants: dict[str, list[Row]],
    messages: dict[str, list[Row]],
) -> Iterator[Violation]:
    chatters = [u for u in live.rows("User") if u["role"] in (CLIENT, THERAPIST)]
    count: dict[str, int] = {}
    for cid, members in sorted(participants.items()):
        if len(messages.get(cid, [])) >= need.per_conversation:
            for p in members:
                count[p["userId"]] = count.get(p["userId"], 0) + 1
    want = min(need.per_user, max(0, len(chatters) - 1))
    for user in chatters:
        have = count.get(user["id"], 0)
        if have < want:
            yield Violation("messages", f"{user['role']} {user['email']}",
                            f"in {have}/{want} conversations with {need.per_conversation}+ "
                            "messages")
    groups = sum(1 for c in live.rows("Conversation") if c["type"] in GROUP_TYPES)
    if groups < need.group_conversations and _can_host_groups(live):
        # The chats that do not count now: a seeded group chat a person made DIRECT is one,
        # and then the shortfall is that edit's.
        yield Violation("messages", "group conversations",
                        f"{groups}/{need.group_conversations} GROUP or SUPPORT conversations",
                        inputs=tuple(c["id"] for c in live.rows("Conversation")
                                     if c["type"] not in GROUP_TYPES))


def _can_host_groups(live: LiveState) -> bool:
    if not live.has("Membership"):
        return False
    clients = {u["id"] for u in live.rows("User") if u["role"] == CLIENT}
    return any(sum(1 for m in rows if m["userId"] in clients) >= 3
               for rows in live.group("Membership", "communityId").values())


def _message_rules(conv: Row, members: list[Row], ordered: list[Row]) -> Iterator[Violation]:
    """Senders are participants; messages strictly later than the sender's joinedAt and each
    other (later than the conversation's start: ``schema.timeline``); replies point to an
    earlier message of the same conversation; lastMessageAt is the last message's
    createdAt."""
    entity = f"conversation {conv['id']}"
    joined = {p["userId"]: p["joinedAt"] for p in members}
    seat = {p["userId"]: p["id"] for p in members}
    by_id = {m["id"]: m for m in ordered}
    for n, m in enumerate(ordered):
        at, previous = m["createdAt"], ordered[n - 1] if n else None
        if m["senderId"] not in joined:
            yield Violation("messages", entity, f"message {m['id']} from a non-participant")
        elif at <= joined[m["senderId"]]:
            # Either row may be the late one: both are named (an edited joinedAt is a person's).
            yield Violation("messages", entity, f"message {m['id']} before its sender joined "
                                                f"(participant {seat[m['senderId']]})")
        if previous is not None and previous["createdAt"] == at:
            yield Violation("messages", entity, f"messages {previous['id']} and {m['id']} "
                                                "at the same instant")
        target = by_id.get(m["replyToId"]) if m["replyToId"] else None
        if m["replyToId"] and (target is None or target["createdAt"] >= at):
            yield Violation("messages", entity, f"message {m['id']} replies to a message not "
                                                "earlier in this conversation")
    last = ordered[-1]["createdAt"] if ordered else None
    if conv["lastMessageAt"] != last:
        yield Violation("messages", entity, f"lastMessageAt {conv['lastMessageAt']} is not its "
                                            f"last message's time {last}")


def _participant_rules(
    conv: Row, members: list[Row], ordered: list[Row]
) -> Iterator[Violation]:
    """Each user once; DIRECT: two participants whose messages alternate; GROUP/SUPPORT: a
    title and 3+ participants; lastReadAt after joinedAt and not before one's own last
    message."""
    entity = f"conversation {conv['id']}"
    if len({p["userId"] for p in members}) != len(members):
        yield Violation("messages", entity, "a user takes part twice")
    if conv["type"] == ConversationType.DIRECT:
        if len(members) != 2:
            yield Violation("messages", entity, f"DIRECT with {len(members)} participants")
        for a, b in pairwise(ordered):
            if a["senderId"] == b["senderId"]:
                # Both messages are named: the app may have written either.
                yield Violation("messages", entity, f"{b['senderId']} wrote twice in a row "
                                                    f"(messages {a['id']}, {b['id']})")
    elif conv["type"] in GROUP_TYPES and (not conv["title"] or len(members) < 3):
        yield Violation("messages", entity, f"{conv['type']} needs a title and 3+ members")
    own = last_own_messages(ordered)
    for p in members:
        read, mine = p["lastReadAt"], own.get(p["userId"])
        if read is not None and read < p["joinedAt"]:
            yield Violation("messages", entity,
                            f"{p['userId']} read before joining (participant {p['id']})")
        if mine is not None and (read is None or read < mine):
            # The participant and their last message: a person may have re-dated either.
            last = next(m["id"] for m in reversed(ordered) if m["senderId"] == p["userId"])
            yield Violation("messages", entity, f"{p['userId']}'s lastReadAt is before their "
                                                "own last message",
                            rows=(p["id"], last))


def last_own_messages(ordered: list[Row]) -> dict[str, dt.datetime]:
    """Per sender, the createdAt of their last message in one conversation."""
    return {m["senderId"]: m["createdAt"] for m in ordered}


def verify_interactions(live: LiveState, need: Any) -> Iterator[Violation]:
    """Receipts and reactions only by participants other than the sender, after the message
    and within what the reader has read (lastReadAt); a receipt from every participant for
    each message by others older than their own last message; enough reactions."""
    seen = {(p["conversationId"], p["userId"]): p for p in live.rows("ConversationParticipant")}
    messages = live.by_pk("Message")
    receipts: set[tuple[str, str]] = set()
    for r in live.rows("MessageReadReceipt"):
        receipts.add((r["messageId"], r["userId"]))
        yield from _interaction_rules("receipt", r, r["readAt"], messages, seen)
    for r in live.rows("MessageReaction"):
        yield from _interaction_rules("reaction", r, r["createdAt"], messages, seen)
    for cid, ordered in sorted(ordered_messages(live).items()):
        own = {m["senderId"]: m for m in ordered}  # each sender's last message
        for m in ordered:
            for reader in sorted(own):
                reply = own[reader]
                if (reader != m["senderId"] and m["createdAt"] < reply["createdAt"]
                        and (m["id"], reader) not in receipts):
                    yield Violation("message-interactions", f"conversation {cid}",
                                    f"{reader} replied (message {reply['id']}) after message "
                                    f"{m['id']} but has no read receipt for it")
    have = len(live.rows("MessageReaction"))
    if have < need.reactions and messages:
        yield Violation("message-interactions", "reactions", f"{have}/{need.reactions}")


def _interaction_rules(
    what: str, row: Row, at: dt.datetime, messages: dict[str, Row],
    seen: dict[tuple[str, str], Row],
) -> Iterator[Violation]:
    message = messages.get(row["messageId"])
    if message is None:
        return
    entity = f"{what} {row['id']}"
    participant = seen.get((message["conversationId"], row["userId"]))
    if row["userId"] == message["senderId"]:
        yield Violation("message-interactions", entity, "by the message's own sender")
    elif participant is None:
        yield Violation("message-interactions", entity, "by someone outside the conversation")
    elif participant["lastReadAt"] is None or participant["lastReadAt"] < message["createdAt"]:
        yield Violation("message-interactions", entity, "on a message the reader has not read",
                        rows=(row["id"],), inputs=(message["id"], participant["id"]))
    elif participant["lastReadAt"] < at:
        yield Violation("message-interactions", entity, "later than the reader's lastReadAt")
