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
    # A moderator of the community who drops in on a group chat, and since when they can.
    moderator: str | None = None
    moderator_since: dt.datetime | None = None

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


# Neutral enough for any line (no "haha" before a heavy one).
INTERJECTIONS = ("Oh, ", "Okay, ", "Ah, ", "Sige, ", "Well, ")
EMOJI = (" 🙏", " 🙂", " ❤️", " 😊", " 👍", " ✨", " 💪", " 🙌")
# How a line may be said after an interjection or a name, by its first word: lower-cased
# (a common word), as it is (I, a day), or with no interjection (it already opens with one:
# "Okay, okay, …"); a line opening with any other word only takes an emoji.
LOWER = {"a", "also", "agree", "agreed", "appreciate", "awkward", "better", "definitely",
         "distraction", "do", "fingers", "glad", "has", "honestly", "how", "is", "it", "it's",
         "let's", "love", "mine", "mostly", "my", "not", "noted", "nothing", "please",
         "really", "right", "same", "see", "sorry", "sounds", "still", "sure", "that",
         "that's", "this", "two", "video", "will", "writing", "you're", "you've", "your"}
AS_IS = {"I", "I'd", "I'll", "I'm", "I've", "Monday", "Tuesday", "Wednesday", "Thursday",
         "Friday", "Saturday", "Sunday"}
OPENINGS = {"okay", "oh", "ah", "yes", "no", "hi", "hello", "hey", "good", "thanks", "thank",
            "kumusta", "morning", "salamat", "done", "great", "perfect", "of", "welcome",
            "deal", "let"}


def variants(text: str, rng: random.Random, name: str) -> list[str]:
    """Ways the same line is said in another chat: the line itself, then, in the message's
    own order, with an interjection, the other person's name, or an emoji; so no two chats
    need to show one identical message. A word is lower-cased only where that is safe
    ("Friday" stays "Friday")."""
    first = text.split(" ", 1)[0].strip(",.!?")
    lowered = text[:1].lower() + text[1:]
    spoken = (lowered if first.lower() in LOWER | OPENINGS else text
              if first in AS_IS or first[:1].isdigit() else None)
    said = [f"{i}{spoken}" for i in INTERJECTIONS] if spoken and (
        first.lower() not in OPENINGS) else []
    out = said + [f"{text}{e}" for e in EMOJI]
    if spoken and name and name not in text:
        out.append(f"{name}, {spoken}")
    rng.shuffle(out)
    out += [f"{i}{e}" for i in said for e in EMOJI]
    if spoken and name and name not in text:
        out += [f"{name}, {spoken}{e}" for e in EMOJI]
    # Last: two emoji, for a line said in very many chats (a big group's script).
    out += [f"{text}{e}{f.strip()}" for e in EMOJI for f in EMOJI if f != e]
    return [text, *out]


def distinct_texts(ctx: PlanContext, chats: list[Chat], lines: dict[str, list[Line]],
                   names: dict[str, str], taken: set[str]) -> dict[str, str]:
    """Message id -> its text: the script's line, or its first variant no other message
    shows yet (chats in id order). A live message whose text is still one of its own
    variants keeps it, so the chats planned around it never change it."""
    # The variants of a line are made only when it needs them (its plain text is taken, or a
    # live text is checked against them), one line at a time: held for every message at once
    # they take ~120 strings each (1.9 GB at a million rows).
    slots: list[tuple[str, str, str]] = []
    for chat in sorted(chats, key=lambda c: c.id):
        members = set(chat.cast.values())
        for n, (sender, text, _) in enumerate(lines[chat.id]):
            mid = ctx.id("Message", chat.id, n)
            other = sorted(members - {sender})
            slots.append((mid, text, names.get(other[0], "") if len(other) == 1 else ""))

    def options(mid: str, text: str, name: str) -> list[str]:
        return variants(text, ctx.rng(mid, "variant"), name)

    out: dict[str, str] = {}
    for mid, text, name in slots:
        live = ctx.live_choice("Message", mid, "content")
        if live is not None and live not in taken and (
                live == text or live in options(mid, text, name)):
            out[mid] = live
            taken.add(live)
    for mid, text, name in slots:
        if mid not in out:
            out[mid] = text if text not in taken else next(
                (t for t in options(mid, text, name) if t not in taken), text)
            taken.add(out[mid])
    return out
