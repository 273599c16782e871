"""Tier 5: read receipts and emoji reactions on the seeded conversations' messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import between
from mentara_seed.enrichers.corpora import messages as corpus
from mentara_seed.enrichers.messaging_rules import verify_interactions
from mentara_seed.enrichers.registry import DesiredRow, Minimums, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.schema.values import Row


class InteractionMinimums(Minimums):
    """Reactions in the database, and how often a read message gets one."""

    reactions: int = Field(20, ge=0, description="message reactions in the database")
    reaction_share: float = Field(0.15, ge=0, le=1, description="chance that a reader reacts "
                                                                "to a message they have read")

    PROFILES: ClassVar = {"light": {"reactions": 8}, "heavy": {"reactions": 60}}
    SCALED: ClassVar = ("reactions",)


@dataclass(frozen=True, slots=True)
class Read:
    """A message a participant other than its sender has read: they wrote after it."""

    message: Row
    reader: str
    read_at: dt.datetime
    replied_at: dt.datetime


@enricher(
    "message-interactions",
    writes=("MessageReaction", "MessageReadReceipt"),
    depends_on=("messages",),
    tier=5,
    minimums=InteractionMinimums,
    verify=verify_interactions,
)
def message_interactions(ctx: PlanContext, need: InteractionMinimums) -> Iterator[DesiredRow]:
    """In every seeded conversation, a read receipt from each participant for every message
    by someone else that is older than the participant's own last message (they answered, so
    they read it), read between the message and their next own message, so never after their
    ``lastReadAt``; never by the sender; unique per (message, reader). A reader reacts to a
    message they have read with chance ``reaction_share`` (one emoji from a fixed set:
    👍 ❤️ 🙏 😊 👏 🤗, after reading it); if that leaves fewer than ``reactions`` in the database,
    more read messages get one, rendezvous-picked. Foreign conversations are never written
    into; foreign receipts and reactions count and are never duplicated."""
    reads = _reads(ctx)
    taken = {(r["messageId"], r["userId"]) for r in ctx.foreign("MessageReadReceipt")}
    for read in reads:
        if (read.message["id"], read.reader) not in taken:
            rid = ctx.id("MessageReadReceipt", read.message["id"], read.reader)
            yield ctx.row("MessageReadReceipt", id=rid, messageId=read.message["id"],
                          userId=read.reader, readAt=read.read_at)
    yield from _reactions(ctx, need, reads)


def _reads(ctx: PlanContext) -> list[Read]:
    """Every (message, reader) pair of the seeded conversations where the reader wrote later."""
    foreign = {c["id"] for c in ctx.foreign("Conversation")}
    by_conversation = ctx.group("Message", "conversationId")
    participants = ctx.group("ConversationParticipant", "conversationId")
    reads: list[Read] = []
    for conv in ctx.rows("Conversation"):
        if conv["id"] in foreign:
            continue
        ordered = sorted(by_conversation.get(conv["id"], []),
                         key=lambda m: (m["createdAt"], m["id"]))
        for reader in sorted(p["userId"] for p in participants.get(conv["id"], [])):
            reads += _reads_of(ctx, ordered, reader)
    return reads


def _reads_of(ctx: PlanContext, ordered: list[Row], reader: str) -> list[Read]:
    out: list[Read] = []
    replied: dt.datetime | None = None
    for m in reversed(ordered):
        if m["senderId"] == reader:
            replied = m["createdAt"]
            continue
        if replied is None:
            continue
        earliest = min(m["createdAt"] + dt.timedelta(seconds=1), replied)
        # Read once the reader was there (schema.timeline): a message the app dated before
        # they signed up is read no earlier than that.
        there = ctx.earliest("MessageReadReceipt", "readAt", userId=reader, messageId=m["id"])
        if there is not None and there > earliest:
            earliest = there
        if earliest <= m["createdAt"] or earliest > replied:
            continue
        read_at = between(ctx.rng(m["id"], reader, "read"), earliest, replied)
        out.append(Read(m, reader, read_at, replied))
    out.reverse()
    return out


def _reactions(
    ctx: PlanContext, need: InteractionMinimums, reads: list[Read]
) -> Iterator[DesiredRow]:
    taken = {(r["messageId"], r["userId"], r["emoji"]) for r in ctx.foreign("MessageReaction")}
    options: dict[str, tuple[Read, str]] = {}
    for read in reads:
        emoji = ctx.choose(corpus.REACTION_EMOJI, read.message["id"], read.reader, "emoji")
        if (read.message["id"], read.reader, emoji) not in taken:
            options[f"{read.message['id']}:{read.reader}"] = (read, emoji)
    chosen = [k for k in sorted(options)
              if ctx.rng(k, "reaction").random() < need.reaction_share]
    gap = need.reactions - len(ctx.foreign("MessageReaction")) - len(chosen)
    picked = set(chosen)
    rest = [k for k in sorted(options) if k not in picked]
    chosen += ctx.pick(rest, gap, "reaction-fill")
    for key in sorted(chosen):
        read, emoji = options[key]
        mid = read.message["id"]
        reacted = between(ctx.rng(key, "reacted"), read.read_at, read.replied_at)
        yield ctx.row("MessageReaction", id=ctx.id("MessageReaction", mid, read.reader),
                      messageId=mid, userId=read.reader, emoji=emoji, createdAt=reacted)
