"""Tier 5: conversations between clients and their therapists, community peers and colleagues,
and a few group chats, with their participants and messages."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Container, Iterator
from functools import partial
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers import compose
from mentara_seed.enrichers.chat_scripts import (
    Chat,
    Line,
    distinct_texts,
    script_lines,
    timeline,
)
from mentara_seed.enrichers.common import CLIENT, THERAPIST, between, latest
from mentara_seed.enrichers.corpora import messages as corpus
from mentara_seed.enrichers.messaging_rules import GROUP_TYPES, verify_conversations
from mentara_seed.enrichers.registry import DesiredRow, Minimums, enricher
from mentara_seed.enrichers.relationships import approved_therapists
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.ids import Ring
from mentara_seed.schema.enums import ConversationType, MeetingStatus, MessageType, ParticipantRole
from mentara_seed.schema.values import Row


class MessageMinimums(Minimums):
    """Conversations per client and therapist, messages per conversation, group chats."""

    per_user: int = Field(2, ge=0, description="conversations each client and therapist is in "
                                               "(each with at least per_conversation messages)")
    per_conversation: int = Field(5, ge=1, description="messages in every seeded conversation")
    group_conversations: int = Field(4, ge=0, description="GROUP and SUPPORT conversations of "
                                                          "3-5 community members")

    PROFILES: ClassVar = {"light": {"group_conversations": 2},
                          "heavy": {"group_conversations": 8}}
    SCALED: ClassVar = ("group_conversations",)


@enricher(
    "messages",
    writes=("Conversation", "ConversationParticipant", "Message"),
    depends_on=("users", "relationships", "memberships", "meetings", "moderator-assignments"),
    tier=5,
    minimums=MessageMinimums,
    verify=verify_conversations,
    reads=("Community", "Therapist"),
)
def messages(ctx: PlanContext, need: MessageMinimums) -> Iterator[DesiredRow]:
    """Every client and therapist in at least ``per_user`` conversations of at least
    ``per_conversation`` messages. First a DIRECT conversation for every active client-therapist
    relationship (check-ins, scheduling, worksheet reminders, starting just after the pair's
    first completed session; before one, a welcome and what to prepare), then a few GROUP chats
    of 3-5 clients of one community and therapist-led SUPPORT chats (titled after the community;
    a moderator of the community drops in on each with a hello and a reminder of the guidelines,
    as a MODERATOR participant), then DIRECT peer chats until everyone has enough: clients with
    clients and therapists with colleagues who share a community (rendezvous-picked, the
    least-busy partner first). Messages come only from participants, alternate in DIRECT chats,
    are strictly later than the conversation's start and every member's ``joinedAt`` (a
    moderator who drops in later reads what came before), and end before the anchor; a few reply
    to the message before them; ``lastMessageAt`` is the last message's time and a participant's
    ``lastReadAt`` the time of their own last message. Foreign conversations with enough
    messages count toward a user's minimum and are never written into; a foreign DIRECT
    conversation between two users stands in for a new one."""
    users = {u["id"]: u for u in ctx.rows("User") if u["role"] in (CLIENT, THERAPIST)}
    counted, pairs, foreign_groups = _foreign_counts(ctx, need)
    chats = list(_care_chats(ctx, users, pairs))
    chats += _group_chats(ctx, need.group_conversations - foreign_groups, users)
    for chat in chats:
        for uid in set(chat.cast.values()):
            counted[uid] = counted.get(uid, 0) + 1
    chats += _peer_chats(ctx, need, users, counted, pairs)
    first_names = {uid: u["firstName"] for uid, u in users.items()}
    lines = {c.id: script_lines(ctx, c, need.per_conversation, first_names) for c in chats}
    taken = {m["content"] for m in ctx.foreign("Message")}
    texts = distinct_texts(ctx, chats, lines, first_names, taken)
    texts |= _drop_in_texts(ctx, chats, taken)
    for chat in chats:
        yield from _conversation(ctx, chat, lines[chat.id], texts)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _foreign_counts(
    ctx: PlanContext, need: MessageMinimums
) -> tuple[dict[str, int], set[tuple[str, str]], int]:
    """Per user, the foreign conversations with enough messages; foreign DIRECT pairs; and the
    number of foreign group conversations."""
    messages_of = ctx.group("Message", "conversationId", foreign=True)
    participants_of = ctx.group("ConversationParticipant", "conversationId", foreign=True)
    counted: dict[str, int] = {}
    pairs: set[tuple[str, str]] = set()
    groups = 0
    for conv in ctx.foreign("Conversation"):
        members = sorted({p["userId"] for p in participants_of.get(conv["id"], [])})
        groups += conv["type"] in GROUP_TYPES
        if conv["type"] == ConversationType.DIRECT and len(members) == 2:
            pairs.add(_pair(*members))
        if len(messages_of.get(conv["id"], [])) >= need.per_conversation:
            for uid in members:
                counted[uid] = counted.get(uid, 0) + 1
    return counted, pairs, groups


def _first_sessions(ctx: PlanContext) -> dict[tuple[str, str], dt.datetime]:
    """(client, therapist) -> when their first COMPLETED session before the anchor ended."""
    out: dict[tuple[str, str], dt.datetime] = {}
    for m in ctx.rows("Meeting"):
        key = (m["clientId"], m["therapistId"])
        if m["status"] == MeetingStatus.COMPLETED and m["endTime"] < ctx.anchor and (
                key not in out or m["endTime"] < out[key]):
            out[key] = m["endTime"]
    return out


def _care_chats(
    ctx: PlanContext, users: dict[str, Row], pairs: set[tuple[str, str]]
) -> Iterator[Chat]:
    """A DIRECT chat per active relationship. Care talk ("after our last session") starts
    after the pair's first completed session; a pair with none yet talks as before a first
    session (welcome, what to prepare, video or in person)."""
    first = _first_sessions(ctx)
    for rel in ctx.rows("ClientTherapist"):
        client, therapist = rel["clientId"], rel["therapistId"]
        if rel["status"] != "active" or client not in users or therapist not in users:
            continue
        if _pair(client, therapist) in pairs:
            continue
        pairs.add(_pair(client, therapist))
        cid = ctx.id("Conversation", "care", client, therapist)
        base = latest(rel["assignedAt"], users[client]["createdAt"],
                      users[therapist]["createdAt"])
        session = first.get((client, therapist))
        kind = "care" if session is not None and session < ctx.at(hours=-3) else "intake"
        if session is not None and kind == "care" and session >= base:
            start = between(ctx.rng(cid, "start"), session + dt.timedelta(minutes=5),
                            session + dt.timedelta(hours=3))
        else:
            start = between(ctx.rng(cid, "start"), base, base + dt.timedelta(days=3))
        yield Chat(cid, ConversationType.DIRECT, kind, {"C": client, "T": therapist}, start)


def _titled_after(title: str, names: Container[str]) -> str | None:
    """The community name a group chat's title (``<community> · <title>``) starts with: the
    longest one, since a community's own name may hold " · " ("Depression Support · Night
    Owls" at scale). None when the title names no community of ``names``."""
    parts = title.split(" · ")
    for end in range(len(parts) - 1, 0, -1):
        name = " · ".join(parts[:end])
        if name in names:
            return name
    return None


def _group_chats(ctx: PlanContext, gap: int, users: dict[str, Row]) -> list[Chat]:
    """Group slots 0..gap-1: each in a community (rendezvous order) with 3+ client members;
    odd slots are therapist-led SUPPORT chats where an approved therapist is a member."""
    by_community = ctx.group("Membership", "communityId")
    names = {c["id"]: c["name"] for c in ctx.rows("Community")}
    approved = set(approved_therapists(ctx.rows("Therapist")))
    joined: dict[str, dict[str, dt.datetime]] = {}
    for cid in sorted(names):
        members = {m["userId"]: m["joinedAt"] for m in by_community.get(cid, [])}
        if sum(1 for u in members if users.get(u, {}).get("role") == CLIENT) >= 3:
            joined[cid] = members
    ranked = ctx.pick(sorted(joined), len(joined), "group-conversations")
    by_name = {name: cid for cid, name in names.items() if cid in joined}
    chats: list[Chat] = []
    slots = ctx.slots(gap, "Conversation", partial(ctx.id, "Conversation", "group"))
    for slot in range(slots if ranked else 0):
        conv_id = ctx.id("Conversation", "group", slot)
        # The community a chat is titled after stays while it still has the chat's members.
        kept = ctx.live_choice("Conversation", conv_id, "title",
                               lambda t: _titled_after(t, by_name) is not None)
        community = (by_name[str(_titled_after(kept, by_name))] if kept
                     else ranked[slot % len(ranked)])
        members = joined[community]
        clients = sorted(u for u in members if users.get(u, {}).get("role") == CLIENT)
        leaders = sorted(u for u in members if u in approved and u in users)
        rng = ctx.rng(conv_id, "group")
        cast: dict[str, str] = {}
        had = _applied_members(ctx, conv_id) if kept else set()
        if had - set(clients) - set(leaders):
            had = set()  # someone left the community: the chat picks its members again
        # An applied chat keeps its kind: a leader joining the community later does not turn
        # a GROUP chat into a SUPPORT one (nor a leader leaving the reverse, while one stays).
        was = ctx.live_choice("Conversation", conv_id, "type") if kept else None
        support = (was == ConversationType.SUPPORT) if was is not None else bool(slot % 2)
        if support and leaders:
            kind, title = "support", rng.choice(corpus.SUPPORT_TITLES)
            cast["T"] = min(had & set(leaders), default=None) or str(
                ctx.pick_one(leaders, conv_id, "facilitator"))
            size = rng.randint(2, 4)
        else:
            kind, title = "group", rng.choice(corpus.GROUP_TITLES)
            size = rng.randint(3, 5)
        # Members as applied stay, in the order they were picked; a newcomer takes no seat.
        stay = sorted(had & set(clients))
        picked = (ctx.pick(stay, len(stay), conv_id, "members") if len(stay) == size
                  else ctx.pick(clients, size, conv_id, "members"))
        cast.update({str(n): uid for n, uid in enumerate(picked)})
        base = latest(*(members[u] for u in cast.values()))
        start = between(rng, base, max(base, ctx.at(days=-4)))
        moderator, since = _moderator(ctx, conv_id, community)
        chats.append(Chat(conv_id, kind.upper(), kind, cast, start,
                          f"{names[community]} · {title}", names[community], moderator, since))
    return chats


def _moderator(ctx: PlanContext, conv_id: str,
               community: str) -> tuple[str | None, dt.datetime | None]:
    """The moderator of the community who drops in on its group chat (the applied one while
    they still moderate it), and since when they can: their assignment and sign-up."""
    assigned = {r["moderatorId"]: r["assignedAt"]
                for r in ctx.group("ModeratorCommunity", "communityId").get(community, [])}
    users = {m: user for m in sorted(assigned) if (user := ctx.get("User", m)) is not None}
    if not users:
        return None, None
    mods = list(users)
    who = str(ctx.live_choice("Message", ctx.id("Message", conv_id, "moderator"), "senderId",
                              mods.__contains__) or ctx.pick_one(mods, conv_id, "moderator"))
    return who, latest(assigned[who], users[who]["createdAt"])


def _drop_in_texts(ctx: PlanContext, chats: list[Chat], taken: set[str]) -> dict[str, str]:
    """Message id -> the text of a moderator's drop-in, none shown twice while the parts
    allow (after every script line has its text)."""
    makers = {}
    for chat in sorted(chats, key=lambda c: c.id):
        if chat.moderator is None:
            continue
        makers[ctx.id("Message", chat.id, "moderator")] = partial(_drop_in_text, chat.community)
    return compose.distinct(ctx, "Message", "content", makers, set(taken))


def _drop_in_text(community: str, rng: random.Random) -> str:
    hello = rng.choice(corpus.MODERATOR_HELLOS).format(community=community)
    return compose.join(hello, rng.choice(corpus.MODERATOR_NOTES),
                        rng.choice(corpus.MODERATOR_CLOSINGS))


def _drop_in_time(ctx: PlanContext, chat: Chat,
                  times: list[dt.datetime]) -> tuple[dt.datetime, dt.datetime] | None:
    """When the chat's moderator joins and says their line: after the chat opened and they
    could, while the chat is quiet (a pause of hours between two messages, else after the last
    one, else any pause), never in the middle of an exchange when there is a choice; None when
    there is no room before the anchor."""
    if chat.moderator_since is None:
        return None
    rng = ctx.rng(chat.id, "moderator")
    since = latest(chat.start, chat.moderator_since)
    joined = between(rng, since + dt.timedelta(minutes=1), since + dt.timedelta(minutes=30))
    gaps = [(latest(a, joined), b) for a, b in zip(times, times[1:], strict=False)
            if (b - latest(a, joined)).total_seconds() >= 4]
    end = (latest(times[-1], joined) if times else joined, ctx.at(minutes=-30))
    quiet = [g for g in gaps if g[1] - g[0] >= dt.timedelta(hours=3)]
    for options in (quiet, [end] if end[1] - end[0] >= dt.timedelta(hours=1) else [], gaps,
                    [end] if (end[1] - end[0]).total_seconds() >= 4 else []):
        if options:
            a, b = options[rng.randrange(len(options))]
            return joined, between(rng, a + dt.timedelta(seconds=1), b - dt.timedelta(seconds=1))
    return None


def _peer_chats(
    ctx: PlanContext, need: MessageMinimums, users: dict[str, Row], counted: dict[str, int],
    pairs: set[tuple[str, str]],
) -> list[Chat]:
    """DIRECT chats for users still short of the minimum, in user-id order."""
    joined: dict[str, dict[str, dt.datetime]] = {}
    members: dict[str, list[str]] = {}
    for m in ctx.rows("Membership"):
        joined.setdefault(m["userId"], {})[m["communityId"]] = m["joinedAt"]
        if m["userId"] in users:
            members.setdefault(m["communityId"], []).append(m["userId"])
    rings = {role: ctx.ring([u for u in users if users[u]["role"] == role], "peer", role)
             for role in (CLIENT, THERAPIST)}
    everyone = ctx.ring(list(users), "peer")
    chats: list[Chat] = []
    kept = _applied_peers(ctx, users, pairs)
    for uid, user in users.items():
        while counted.get(uid, 0) < need.per_user:
            partner = _partner(ctx, uid, (rings[user["role"]], everyone), joined, members,
                               counted, pairs)
            if partner is None:
                break
            pairs.add(_pair(uid, partner))
            chats.append(_peer_chat(ctx, _pair(uid, partner), users, joined))
            counted[uid] = counted.get(uid, 0) + 1
            counted[partner] = counted.get(partner, 0) + 1
    # Chats as applied stay besides the new ones (which are chosen as if there were none, so
    # a deleted chat comes back as it was): a newcomer never takes someone's partner.
    for pair in kept:
        if pair not in pairs:
            pairs.add(pair)
            chats.append(_peer_chat(ctx, pair, users, joined))
    return chats


def _applied_members(ctx: PlanContext, conv_id: str) -> set[str]:
    rows = (ctx.live.group("ConversationParticipant", "conversationId").get(conv_id, [])
            if ctx.live.has("ConversationParticipant") else [])
    return {p["userId"] for p in rows if ctx.applied("ConversationParticipant", p["id"])
            and p["role"] != ParticipantRole.MODERATOR}


def _applied_peers(ctx: PlanContext, users: dict[str, Row],
                   pairs: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs of the applied DIRECT peer chats whose two people are still here."""
    out: list[tuple[str, str]] = []
    if not ctx.live.has("ConversationParticipant"):
        return out
    for conv_id, rows in sorted(ctx.live.group("ConversationParticipant",
                                               "conversationId").items()):
        members = sorted({p["userId"] for p in rows})
        if len(members) != 2 or not all(u in users for u in members):
            continue
        pair = _pair(*members)
        if (pair not in pairs and conv_id == ctx.id("Conversation", "direct", *pair)
                and ctx.keeping("Conversation", conv_id) is not None):
            out.append(pair)
    return out


def _partner(
    ctx: PlanContext, uid: str, pools: tuple[Ring, Ring],
    joined: dict[str, dict[str, dt.datetime]], members: dict[str, list[str]],
    counted: dict[str, int], pairs: set[tuple[str, str]],
) -> str | None:
    """Someone of the same role sharing a community, else of the same role, else anyone; among
    them the least busy: rendezvous-picked among the few who share a community, else the first
    least busy one on the pool's ring."""
    same = pools[0]
    turn = counted.get(uid, 0)
    shared = sorted({v for c in joined.get(uid, {}) for v in members.get(c, ())
                     if v != uid and v in same and _pair(uid, v) not in pairs})
    if shared:
        fewest = min(counted.get(v, 0) for v in shared)
        return ctx.pick_one([v for v in shared if counted.get(v, 0) == fewest],
                            uid, "peer", turn)
    for pool in pools:
        best: str | None = None
        for v in pool.walk(uid, "peer", turn):
            if v == uid or _pair(uid, v) in pairs:
                continue
            if best is None or counted.get(v, 0) < counted.get(best, 0):
                best = v
                if counted.get(v, 0) == 0:
                    break
        if best is not None:
            return best
    return None


def _peer_chat(
    ctx: PlanContext, pair: tuple[str, str], users: dict[str, Row],
    joined: dict[str, dict[str, dt.datetime]],
) -> Chat:
    a, b = pair
    conv_id = ctx.id("Conversation", "direct", a, b)
    rng = ctx.rng(conv_id, "start")
    shared = sorted(c for c in joined.get(a, {}) if c in joined.get(b, {}))

    def started(community: str | None, rng: random.Random) -> dt.datetime:
        moments = [users[a]["createdAt"], users[b]["createdAt"]]
        if community is not None:
            moments += [joined[a][community], joined[b][community]]
        base = latest(*moments)
        return between(rng, base, max(base, ctx.at(days=-3)))

    # An applied chat keeps its community: the one that gives the start it was applied with.
    community = ctx.pick_one(shared, conv_id, "community")
    was = ctx.live_choice("Conversation", conv_id, "createdAt")
    if was is not None and started(community, ctx.rng(conv_id, "start")) != was:
        community = next((c for c in shared if started(c, ctx.rng(conv_id, "start")) == was),
                         community)
    start = started(community, rng)
    name = "the community"
    if community is not None:
        found = ctx.get("Community", community)
        name = found["name"] if found else name
    roles = {users[a]["role"]: a, users[b]["role"]: b}
    if len(roles) == 2:  # only when a user has no peer of their own role: no sessions
        return Chat(conv_id, ConversationType.DIRECT, "reach-out",
                    {"C": roles[CLIENT], "T": roles[THERAPIST]}, start, None, name)
    kind = "peer" if users[a]["role"] == CLIENT else "colleague"
    first = rng.choice(pair)
    cast = {"A": first, "B": b if first == a else a}
    return Chat(conv_id, ConversationType.DIRECT, kind, cast, start, None, name)


def _conversation(
    ctx: PlanContext, chat: Chat, lines: list[Line], texts: dict[str, str]
) -> Iterator[DesiredRow]:
    rng = ctx.rng(chat.id, "timeline")
    times = timeline(rng, chat.start, ctx.at(minutes=-30), len(lines))
    last_own: dict[str, dt.datetime] = {}
    rows: list[DesiredRow] = []
    for n, ((sender, _, reply), created) in enumerate(zip(lines, times, strict=True)):
        mid = ctx.id("Message", chat.id, n)
        text = texts[mid]
        edited = between(rng, created + dt.timedelta(seconds=20),
                         created + dt.timedelta(minutes=3)) if rng.random() < 0.05 else None
        rows.append(ctx.row(
            "Message", id=mid, conversationId=chat.id, senderId=sender, content=text,
            messageType=MessageType.TEXT, replyToId=ctx.id("Message", chat.id, n - 1)
            if reply else None, isEdited=edited is not None, editedAt=edited,
            createdAt=created, updatedAt=edited or created,
        ))
        last_own[sender] = created
    joined = {p["userId"] for p in
              ctx.group("ConversationParticipant", "conversationId", foreign=True).get(chat.id, [])}
    drop_in = (_drop_in_time(ctx, chat, times)
               if chat.moderator is not None and chat.moderator not in joined else None)
    if drop_in is not None:
        mid = ctx.id("Message", chat.id, "moderator")
        rows.append(ctx.row(
            "Message", id=mid, conversationId=chat.id, senderId=chat.moderator,
            content=texts[mid], messageType=MessageType.TEXT, replyToId=None, isEdited=False,
            editedAt=None, createdAt=drop_in[1], updatedAt=drop_in[1]))
        last_own[str(chat.moderator)] = drop_in[1]
    for m in ctx.group("Message", "conversationId", foreign=True).get(chat.id, []):
        last_own[m["senderId"]] = max(m["createdAt"], last_own.get(m["senderId"], m["createdAt"]))
    last = max(last_own.values())
    yield ctx.row("Conversation", id=chat.id, type=chat.type, title=chat.title, isActive=True,
                  lastMessageAt=last, createdAt=chat.start, updatedAt=last)
    for uid in sorted(set(chat.cast.values())):
        late = 0 if uid == chat.creator or chat.creator is None else rng.randint(0, 600)
        role = ParticipantRole.ADMIN if uid == chat.creator else ParticipantRole.MEMBER
        muted = chat.creator is not None and rng.random() < 0.15
        if uid in joined:  # re-added in the app: (conversationId, userId) is unique
            continue
        yield ctx.row(
            "ConversationParticipant", id=ctx.id("ConversationParticipant", chat.id, uid),
            conversationId=chat.id, userId=uid, role=role, lastReadAt=last_own.get(uid),
            joinedAt=chat.start + dt.timedelta(seconds=late), isActive=True, isMuted=muted,
        )
    if drop_in is not None:
        uid = str(chat.moderator)
        yield ctx.row(
            "ConversationParticipant", id=ctx.id("ConversationParticipant", chat.id, uid),
            conversationId=chat.id, userId=uid, role=ParticipantRole.MODERATOR,
            lastReadAt=last_own[uid], joinedAt=drop_in[0], isActive=True, isMuted=False)
    yield from rows
