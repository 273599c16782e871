"""Tier 2: AI intake chats (ChatbotSession with its ChatbotMessage turns)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from functools import partial
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import between, fixed_id
from mentara_seed.enrichers.corpora import intake
from mentara_seed.enrichers.instruments import BY_KEY, Profile, answer_items, intake_profile
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import ChatbotMessageRole as Role
from mentara_seed.schema.values import Row

CORE = ("Anxiety", "Depression Secondary", "Stress")
FOLLOW_UP = ("Anxiety", "Depression Secondary")
# The one extra questionnaire the chat adds for an archetype (the short ones it can ask).
FOCUS = {"severe-depression": "Insomnia", "stress-burnout": "Insomnia", "trauma": "Insomnia",
         "sleep": "Insomnia", "mixed-anxiety-depression": "Insomnia",
         "anxiety-dominant": "Panic"}
REASONS = ("all_questionnaires_completed", "follow_up_completed")


class ChatbotMinimums(Minimums):
    """Share of clients who did the AI intake chat, and how many chats such a client has."""

    client_share: float = Field(0.33, ge=0, le=1, description="share of clients with a chat")
    most_sessions: int = Field(2, ge=1, description="upper end of a chatting client's sessions")

    PROFILES: ClassVar = {"light": {"client_share": 0.25}, "heavy": {"client_share": 0.4}}


def too_new_to_chat(user: Row | None, anchor: dt.datetime | None) -> bool:
    """Whether a client signed up too late for an intake chat that ends before the anchor
    (the planner picks chatting clients among the others; verify counts alike)."""
    if user is None or anchor is None:
        return False
    start, end = _intake_window(user["createdAt"], anchor)
    return start >= end


def wanted_chats(clients: list[str], chatting: set[str], users: dict[str, Row],
                 anchor: dt.datetime | None, share: float) -> int:
    """How many clients should have had a chat: the share of all clients, but no more than
    there are clients who have one or signed up early enough for one."""
    able = sum(1 for c in clients if c in chatting or not too_new_to_chat(users.get(c), anchor))
    return min(math.ceil(share * len(clients)), able)


def _verify(live: LiveState, need: ChatbotMinimums) -> Iterator[Violation]:
    clients = live.rows("Client")
    by_client = live.group("ChatbotSession", "clientId")
    have = sum(1 for c in clients if by_client.get(c["userId"]))
    want = wanted_chats([c["userId"] for c in clients], set(by_client),
                        live.by_pk("User") if live.has("User") else {}, live.anchor,
                        need.client_share)
    if have < want:
        yield Violation("chatbot", "clients", f"{have}/{want} clients had an intake chat")
    messages = live.group("ChatbotMessage", "sessionId")
    for session in live.rows("ChatbotSession"):
        turns = messages.get(session["id"], [])
        # The session and its messages are the rows at fault: a person may have edited any.
        rows = (session["id"], *(m["id"] for m in turns))
        for problem in session_problems(session, turns):
            yield Violation("chatbot", f"session {session['sessionId']}", problem, rows=rows)


def session_problems(session: Row, messages: list[Row]) -> Iterator[str]:
    """What breaks the chat rules: owner, completion, turn order, answers agreeing with turns."""
    if session["clientId"] and session["userId"] not in (None, session["clientId"]):
        yield "userId differs from clientId"
    if session["isComplete"] and (session["completedAt"] is None
                                  or session["completedAt"] < session["startedAt"]):
        yield "complete without a completedAt after startedAt"
    if not messages:
        return
    turns = sorted(messages, key=lambda m: (m["timestamp"], m["id"]))
    if any(a["timestamp"] >= b["timestamp"] for a, b in zip(turns, turns[1:], strict=False)):
        yield "message timestamps are not strictly increasing"
    if turns[0]["timestamp"] < session["startedAt"]:
        yield "a message before the session started"
    roles = [m["role"] for m in turns]
    expected = [Role.SYSTEM] + [Role.ASSISTANT if i % 2 == 0 else Role.USER
                                for i in range(len(turns) - 1)]
    if roles != expected:
        yield "turns do not alternate SYSTEM, ASSISTANT, USER, ASSISTANT…"
    extracted: dict[str, list[int]] = {}
    for m in turns:
        if m["role"] == Role.USER and m["questionnaireContext"]:
            extracted.setdefault(m["questionnaireContext"], []).append(m["extractedAnswer"])
    if extracted and extracted != session["collectedAnswers"]:
        yield "collectedAnswers differ from the answers extracted from the messages"


@enricher(
    "chatbot",
    writes=("ChatbotSession", "ChatbotMessage"),
    depends_on=("users",),
    tier=2,
    minimums=ChatbotMinimums,
    verify=_verify,
)
def chatbot(ctx: PlanContext, need: ChatbotMinimums) -> Iterator[DesiredRow]:
    """About a third of clients (the share is configurable; ``dev_client_1`` always) did the AI
    intake chat: one to two completed sessions each, the first shortly after sign-up and a
    later follow-up within the last 60 days. A session opens with the SYSTEM prompt, then
    ASSISTANT questions and USER answers alternate, one screening item per turn, timestamps
    strictly increasing; each USER turn carries its ``extractedAnswer`` and
    ``questionnaireContext``, and ``collectedAnswers`` holds exactly those answers per
    questionnaire (GAD-7, PHQ-9, PSS-10, plus ISI or PDSS for some intake profiles).
    ``sessionId`` follows the app's ``chatbot_<userId>_<epoch ms>`` pattern and never
    collides with an existing one."""
    foreign = ctx.group("ChatbotSession", "clientId", foreign=True)
    taken = {r["sessionId"] for r in ctx.foreign("ChatbotSession")}
    for client_id in _chatting_clients(ctx, need):
        count = ctx.rng(client_id, "chatbot-sessions").randint(1, need.most_sessions)
        for slot in range(ctx.slots(count - len(foreign.get(client_id, [])), "ChatbotSession",
                                    partial(ctx.id, "ChatbotSession", client_id))):
            yield from _session(ctx, client_id, slot, taken)


def _chatting_clients(ctx: PlanContext, need: ChatbotMinimums) -> list[str]:
    clients = [c["userId"] for c in ctx.rows("Client")]
    foreign = ctx.group("ChatbotSession", "clientId", foreign=True)
    chosen = [c for c in clients if c in foreign]
    users = {c: ctx.get("User", c) for c in clients}
    first = fixed_id("client", 1)
    if first in clients and first not in chosen and not too_new_to_chat(users[first],
                                                                        ctx.anchor):
        chosen.append(first)
    wanted = math.ceil(need.client_share * len(clients))
    able = wanted_chats(clients, set(foreign), {c: u for c, u in users.items() if u},
                        ctx.anchor, need.client_share)
    if able < wanted:
        ctx.warn("chatbot", "clients", f"{wanted - able} of the {wanted} clients who should "
                 "have had an intake chat signed up too late for one before the anchor")
    others = [c for c in clients if c not in chosen and not too_new_to_chat(users[c],
                                                                             ctx.anchor)]
    chosen += ctx.pick(others, able - len(chosen), "chatbot-clients")
    # Clients who chat as applied stay besides the picks (made as if there were none).
    chosen += [c for c in others if c not in chosen
               and ctx.keeping("ChatbotSession", ctx.id("ChatbotSession", c, 0)) is not None]
    return sorted(chosen)


def _session(ctx: PlanContext, client_id: str, slot: int, taken: set[str]
             ) -> Iterator[DesiredRow]:
    sid = ctx.id("ChatbotSession", client_id, slot)
    rng = ctx.rng(sid)
    user = ctx.get("User", client_id)
    assert user is not None
    profile = intake_profile(ctx, client_id)
    follow_up = slot > 0
    window = _window(ctx, user["createdAt"], follow_up)
    if window[0] >= window[1]:
        return  # an account too new for this chat: it would end after the anchor
    start = between(rng, *window)
    keys = (list(FOLLOW_UP) if follow_up else
            [*CORE, *([FOCUS[profile.archetype]] if profile.archetype in FOCUS else [])])
    collected = _answers(profile, keys, rng, follow_up)
    messages = list(_turns(ctx, sid, user["firstName"], collected, start, rng, follow_up))
    end = messages[-1]["timestamp"]
    external = f"chatbot_{client_id}_{int(start.replace(tzinfo=dt.UTC).timestamp() * 1000)}"
    if external in taken:
        external = f"{external}_{slot}"
    taken.add(external)
    concerns, themes, tone = intake.INSIGHTS[profile.archetype]
    yield ctx.row(
        "ChatbotSession", id=sid, sessionId=external, userId=client_id, clientId=client_id,
        startedAt=start, completedAt=end, isComplete=True, currentQuestionnaire=None,
        completedQuestionnaires=keys, presentedQuestionnaires=keys, collectedAnswers=collected,
        conversationInsights={"primaryConcerns": concerns, "themes": themes,
                              "emotionalTone": tone, "engagementLevel":
                              rng.choice(("high", "high", "moderate"))},
        completionReason=REASONS[1] if follow_up else REASONS[0],
        completionConfidence=round(rng.uniform(0.72, 0.96), 2), lastActivity=end,
        createdAt=start, updatedAt=end,
    )
    for message in messages:
        yield ctx.row("ChatbotMessage", **message)


def _window(ctx: PlanContext, signed_up: dt.datetime, follow_up: bool
            ) -> tuple[dt.datetime, dt.datetime]:
    """When the chat may start: within three days of sign-up (the intake), or in the last 60
    days and at least a week after sign-up (a follow-up)."""
    if follow_up:
        return (max(signed_up + dt.timedelta(days=7), ctx.at(days=-60)), ctx.at(hours=-3))
    return _intake_window(signed_up, ctx.anchor)


def _intake_window(signed_up: dt.datetime, anchor: dt.datetime,
                   ) -> tuple[dt.datetime, dt.datetime]:
    return (signed_up + dt.timedelta(minutes=5),
            min(signed_up + dt.timedelta(days=3), anchor - dt.timedelta(days=1)))


def _answers(profile: Profile, keys: list[str], rng: random.Random, follow_up: bool
             ) -> dict[str, list[int]]:
    change = rng.uniform(0.6, 1.05) if follow_up else 1.0
    return {k: answer_items(BY_KEY[k], min(0.95, profile.load[k] * change), rng) for k in keys}


def _turns(ctx: PlanContext, sid: str, name: str, collected: dict[str, list[int]],
           start: dt.datetime, rng: random.Random, follow_up: bool) -> Iterator[Row]:
    """SYSTEM, then ASSISTANT question / USER answer pairs, then the ASSISTANT's closing."""
    clock = start
    n = 0

    def turn(role: Role, content: str, context: str | None = None,
             answer: int | None = None, pause: tuple[int, int] = (2, 6)) -> Row:
        nonlocal clock, n
        clock = clock + dt.timedelta(seconds=rng.randint(*pause))
        n += 1
        return {"id": ctx.id("ChatbotMessage", sid, n - 1), "sessionId": sid, "role": role,
                "content": content, "questionnaireContext": context,
                "extractedAnswer": answer, "timestamp": clock, "createdAt": clock}

    yield turn(Role.SYSTEM, intake.SYSTEM_PROMPT, pause=(0, 1))
    greeting = rng.choice(intake.FOLLOWUP_GREETINGS if follow_up else intake.GREETINGS)
    lead = greeting.format(name=name)
    for key, values in collected.items():
        lead = f"{lead} {intake.INTROS[key]}".strip()
        for i, value in enumerate(values):
            question = intake.QUESTIONS[key][i]
            yield turn(Role.ASSISTANT, f"{lead} {question}".strip(), key, pause=(3, 12))
            yield turn(Role.USER, _reply(key, i, value, rng), key, value, pause=(8, 75))
            lead = rng.choice(intake.ACKNOWLEDGEMENTS)
    yield turn(Role.ASSISTANT, rng.choice(intake.CLOSINGS).format(name=name), pause=(3, 10))


def _reply(key: str, item: int, value: int, rng: random.Random) -> str:
    if key == "Depression Secondary" and item == 8:
        return rng.choice(intake.SELF_HARM_REPLY)
    return rng.choice(intake.ANSWERS[intake.SCALE[key]][value])
