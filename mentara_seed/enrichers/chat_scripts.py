"""Conversation scripts made concrete: who says what, and when. Used by the ``messages``
enricher; pure functions of a chat's key, its cast and the corpus."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from mentara_seed.enrichers.corpora import messages as corpus
from mentara_seed.enrichers.messaging_rules import GROUP_TYPES
from mentara_seed.planner.context import PlanContext
from mentara_seed.schema.enums import ConversationType

SCRIPTS = {"care": corpus.CARE_SCRIPTS, "intake": corpus.INTAKE_SCRIPTS,
           "reach-out": corpus.REACH_OUT_SCRIPTS,
           "peer": corpus.PEER_SCRIPTS,
           "colleague": corpus.COLLEAGUE_SCRIPTS, "group": corpus.GROUP_SCRIPTS,
           "support": corpus.SUPPORT_SCRIPTS}
SYMMETRIC = ("peer", "colleague")
Line = tuple[str, str, bool]  # sender id, text, replies to the message before it


@dataclass
class Chat:
    """One conversation to seed: type, script family, cast (script speaker -> user id), start."""

    id: str
    type: str
    kind: str
    cast: dict[str, str]
    start: dt.datetime
    title: str | None = None
    community: str = "the community"

    @property
    def creator(self) -> str | None:
        """The user who opened a group chat (its ADMIN); DIRECT chats have none."""
        if self.type not in GROUP_TYPES:
            return None
        return self.cast.get("T") or self.cast.get("0")


def script_lines(
    ctx: PlanContext, chat: Chat, want: int, first_names: dict[str, str]
) -> list[Line]:
    """Script lines until ``want`` messages: whole scripts, chained so two-person chats keep
    alternating (a care script must open with the other speaker; a peer script swaps A/B)."""
    scripts = SCRIPTS[chat.kind]
    rng = ctx.rng(chat.id, "script")
    pool: list[int] = []
    out: list[Line] = []
    while len(out) < want:
        pool = pool or list(range(len(scripts)))
        script = scripts[pool.pop(rng.randrange(len(pool)))]
        cast = dict(chat.cast)
        opener = cast[script[0][0]]
        if out and opener == out[-1][0] and chat.kind in SYMMETRIC:
            cast["A"], cast["B"] = cast["B"], cast["A"]
        elif out and opener == out[-1][0] and chat.type == ConversationType.DIRECT:
            continue
        fields = {"client": cast.get("C"), "therapist": cast.get("T"), "a": cast.get("A"),
                  "b": cast.get("B")}
        names = {k: first_names.get(v or "", "") for k, v in fields.items()}
        previous_kept = False
        for speaker, text in script:
            sender = cast.get(speaker)
            if sender is not None:
                reply = text.startswith("> ") and previous_kept
                body = text.removeprefix("> ").format(community=chat.community, **names)
                out.append((sender, body, reply))
            previous_kept = sender is not None
    return out


def timeline(
    rng: random.Random, start: dt.datetime, end: dt.datetime, n: int
) -> list[dt.datetime]:
    """``n`` strictly increasing whole-second moments after ``start`` (and after everyone
    joined) and before ``end``: bursts of replies minutes apart, separated by quiet days that
    end in the Manila daytime when there is room."""
    first = start + dt.timedelta(minutes=rng.randint(12, 40))
    room = max(n, int((end - first).total_seconds()) - n)
    long_gap = max(4 * 3600, room // max(n, 1))
    gaps = [rng.randint(60, 1500) if rng.random() < 0.65 else rng.randint(4 * 3600, long_gap)
            for _ in range(n - 1)]
    total = sum(gaps)
    if total > room:
        gaps = [max(1, g * room // total) for g in gaps]
    times, awake = [first], [first]
    for gap in gaps:
        times.append(times[-1] + dt.timedelta(seconds=gap))
        moment = awake[-1] + dt.timedelta(seconds=gap)
        if gap >= 3600 and moment.hour >= 15:  # 23:00-08:00 in Manila: wait for the morning
            moment += dt.timedelta(hours=24 - moment.hour, minutes=rng.randint(0, 150))
        awake.append(moment)
    return awake if awake[-1] < end else times
