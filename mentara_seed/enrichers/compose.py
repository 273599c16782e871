"""Community text composed from parts: a post or a comment takes one part of each kind
(opening, situation, feeling, what helped, question, sign-off) from its community's topic and
its author's voice, each chosen by the slot's own RNG, so texts vary with volume while every
part fits its place (a therapist never writes a client's line, an OCD community never shows a
sleep community's).

``unique`` keeps texts apart: a slot tries its own next draw while its text is already shown
elsewhere; ``kept_attempt`` lets an applied text that is still one of the slot's own draws stay
as it is, so texts planned around it never move it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Mapping
from functools import cache
from typing import TypeVar

from mentara_seed.enrichers.corpora import voices as v
from mentara_seed.enrichers.corpora.topic_types import Topic
from mentara_seed.enrichers.corpora.topics import WELLBEING
from mentara_seed.planner.context import PlanContext

T = TypeVar("T")
ATTEMPTS = 12  # draws a slot tries before it accepts a repeated text (a saturated corpus)
POST_KINDS = ("intro", "theme", "question", "checkin", "win", "tip")


def continued(part: str) -> str:
    """``part`` as it reads going on with a sentence left open: first letter in lower case
    (``join``)."""
    return part[:1].lower() + part[1:]


def join(*parts: str) -> str:
    """The parts as one text; a part that goes on with a sentence the part before left open
    ("I can only speak for myself, but") starts in lower case."""
    out: list[str] = []
    for part in parts:
        if not part:
            continue
        if out and out[-1][-1].isalpha() and part[:1].isupper() and not part.startswith("I "):
            part = continued(part)
        out.append(part)
    return " ".join(out)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _maybe(rng: random.Random, share: float, options: tuple[str, ...]) -> str:
    return rng.choice(options) if rng.random() < share else ""


# --- posts ----------------------------------------------------------------------------------


def post(kind: str, topic: Topic, therapist: bool, community: str,
         rng: random.Random) -> tuple[str, str]:
    """(title, body) of a post of ``kind`` in a community of ``topic``."""
    if therapist:
        return _therapist_intro(topic, community, rng) if kind == "intro" else _tip(topic, rng)
    return {"intro": _intro, "question": _question, "win": _win, "checkin": _checkin}.get(
        kind, _discussion)(topic, community, rng)


def _discussion(topic: Topic, community: str, rng: random.Random) -> tuple[str, str]:
    subject = rng.choice(topic.subjects)
    title = rng.choice(v.TITLE_FRAMES).format(s=subject, S=cap(subject))
    return title, join(rng.choice(v.OPENERS), rng.choice(topic.struggles),
                       rng.choice(v.FEELINGS), rng.choice(topic.helped), rng.choice(v.ENDINGS))


def _question(topic: Topic, community: str, rng: random.Random) -> tuple[str, str]:
    question = rng.choice(topic.questions)
    if rng.random() < 0.6:
        title = rng.choice(v.QUESTION_FRAMES).format(Q=question)
    else:
        subject = rng.choice(topic.subjects)
        title = rng.choice(v.QUESTION_SUBJECT_FRAMES).format(s=subject, S=cap(subject))
    return title, join(rng.choice(topic.struggles), question, rng.choice(v.QUESTION_ENDINGS))


def _win(topic: Topic, community: str, rng: random.Random) -> tuple[str, str]:
    short, told = rng.choice(topic.wins)
    title = rng.choice(v.WIN_FRAMES).format(w=short, W=cap(short))
    return title, join(told, rng.choice(v.WIN_FEELINGS), _maybe(rng, 0.6, topic.helped),
                       rng.choice(v.WIN_ENDINGS))


def _checkin(topic: Topic, community: str, rng: random.Random) -> tuple[str, str]:
    title = f"{rng.choice(v.CHECKIN_DAYS)} check-in: {rng.choice(v.CHECKIN_MOODS)}"
    middle = rng.choice(topic.struggles if rng.random() < 0.5 else topic.helped)
    return title, join(rng.choice(v.CHECKIN_STATUS), middle, rng.choice(v.CHECKIN_ASKS))


def _intro(topic: Topic, community: str, rng: random.Random) -> tuple[str, str]:
    title = f"{rng.choice(v.INTRO_GREETINGS)}, {rng.choice(v.INTRO_WHO)}"
    return title, join(rng.choice(v.INTRO_JOINED).format(community=community),
                       rng.choice(topic.struggles), rng.choice(v.INTRO_HOPES))


def _therapist_intro(topic: Topic, community: str, rng: random.Random) -> tuple[str, str]:
    _, explanation, _ = rng.choice(topic.skills)
    return (rng.choice(v.THERAPIST_INTRO_TITLES).format(community=community),
            join(rng.choice(v.THERAPIST_INTRO).format(community=community), explanation,
                 rng.choice(v.BOUNDARIES), rng.choice(v.INVITATIONS)))


def _tip(topic: Topic, rng: random.Random) -> tuple[str, str]:
    subject, explanation, to_try = rng.choice(topic.skills + WELLBEING.skills)
    title = rng.choice(v.TIP_FRAMES).format(s=subject, S=cap(subject))
    return title, join(rng.choice(v.THERAPIST_OPENERS), explanation, to_try,
                       _maybe(rng, 0.5, v.BOUNDARIES), rng.choice(v.INVITATIONS))


# --- comments -------------------------------------------------------------------------------


def comment(answers: str, topic: Topic, voice: str, reply: bool, rng: random.Random) -> str:
    """A comment on a post of kind ``answers`` (or, ``reply``, on another comment there) in a
    ``voice``: "client", "therapist" or "moderator"."""
    if voice == "therapist":
        return _therapist_comment(answers, topic, rng)
    if voice == "moderator":
        if answers == "intro":
            return join(rng.choice(v.MODERATOR_WELCOMES), rng.choice(v.MODERATOR_POINTERS))
        return join(rng.choice(v.MODERATOR_THANKS), rng.choice(v.MODERATOR_NOTES),
                    _maybe(rng, 0.5, v.MODERATOR_POINTERS))
    if reply:
        if rng.random() < 0.5:
            return join(rng.choice(v.REPLY_AGREE), rng.choice(v.COMMENT_ENDINGS))
        return join(rng.choice(v.REPLY_ADD), rng.choice(topic.helped),
                    rng.choice(v.COMMENT_ENDINGS))
    if answers == "win":
        return join(rng.choice(v.CHEERS), _maybe(rng, 0.4, topic.relate),
                    rng.choice(v.CHEER_MORE))
    if answers == "intro":
        return join(rng.choice(v.WELCOMES), _maybe(rng, 0.4, topic.relate),
                    rng.choice(v.WELCOME_MORE))
    if answers == "question":
        return join(rng.choice(v.ANSWER_OPENERS), rng.choice(topic.helped),
                    rng.choice(v.COMMENT_ENDINGS))
    if answers == "tip":
        return join(rng.choice(v.TIP_THANKS), rng.choice(topic.relate + topic.helped),
                    rng.choice(v.COMMENT_ENDINGS))
    return join(rng.choice(v.EMPATHY), rng.choice(topic.relate + topic.helped),
                rng.choice(v.COMMENT_ENDINGS))


def _therapist_comment(answers: str, topic: Topic, rng: random.Random) -> str:
    if answers == "win":
        return join(rng.choice(v.THERAPIST_CHEERS), rng.choice(v.THERAPIST_CHEER_MORE),
                    _maybe(rng, 0.5, v.INVITATIONS))
    if answers == "intro":
        return join(rng.choice(v.THERAPIST_WELCOMES), _maybe(rng, 0.4, v.BOUNDARIES),
                    rng.choice(v.INVITATIONS))
    _, explanation, to_try = rng.choice(topic.skills)
    if answers == "tip":
        return join(rng.choice(v.THERAPIST_COLLEAGUE), to_try, _maybe(rng, 0.5, v.INVITATIONS))
    return join(rng.choice(v.THERAPIST_VALIDATIONS), explanation if rng.random() < 0.5
                else to_try, rng.choice(v.BOUNDARIES + v.INVITATIONS))


# --- keeping texts apart --------------------------------------------------------------------


def unique(ctx: PlanContext, make: Callable[[random.Random], T], taken: set[Hashable],
           key: Callable[[T], Hashable], *parts: object,
           fits: Callable[[T], bool] | None = None,
           keys: frozenset[Hashable] | None = None) -> T:
    """The slot's first draw (``make`` with its RNG for attempt 0, 1, …) whose ``key`` is not
    ``taken`` (and that ``fits``, when given); after ``ATTEMPTS`` the last draw even if not.
    Adds its key to ``taken``. ``keys``, when given, holds every key ``make`` can give: once
    all of them are taken, every draw would be refused, so the last one is made alone."""
    if keys is not None and keys <= taken:
        value = make(ctx.rng(*parts, ATTEMPTS - 1))
        taken.add(key(value))
        return value
    value = make(ctx.rng(*parts, 0))
    for attempt in range(1, ATTEMPTS):
        if key(value) not in taken and (fits is None or fits(value)):
            break
        value = make(ctx.rng(*parts, attempt))
    taken.add(key(value))
    return value


def distinct(ctx: PlanContext, table: str, column: str,
             makers: Mapping[str, Callable[[random.Random], str]],
             taken: set[Hashable]) -> dict[str, str]:
    """Row id -> its text (``column`` of ``table``), in the order of ``makers`` (row id -> its
    slot's ``make``), none shown twice while the parts allow: an applied row keeps its text
    while it is one of its own draws (so rows added around it never change it); the others
    draw in order (``unique``, parts ``(id, "text")``). Adds the texts to ``taken``."""
    out: dict[str, str] = {}
    for key, make in makers.items():
        live = ctx.applied(table, key)
        text = None if live is None else live[column]
        if text is not None and text not in taken and kept_attempt(ctx, make, text, key,
                                                                   "text"):
            out[key] = text
            taken.add(text)
    for key, make in makers.items():
        if key not in out:
            out[key] = unique(ctx, make, taken, str, key, "text")
    return out


def kept_attempt(ctx: PlanContext, make: Callable[[random.Random], T], applied: T | None,
                 *parts: object) -> bool:
    """Whether ``applied`` (the live row's text, as the seeder wrote it) is one of the slot's
    own draws, so it may stay."""
    if applied is None:
        return False
    return any(make(ctx.rng(*parts, attempt)) == applied for attempt in range(ATTEMPTS))


# --- what a text may be made of (verification and tests) ------------------------------------


def parts(topic: Topic, voice: str, community: str) -> frozenset[str]:
    """Every part a post body or comment in this voice ("client", "therapist", "moderator")
    and topic may be made of (general parts of the voice included); a text is a space-joined
    sequence of them."""
    pools: tuple[tuple[str, ...], ...]
    if voice == "moderator":
        pools = (v.MODERATOR_WELCOMES, v.MODERATOR_POINTERS, v.MODERATOR_THANKS,
                 v.MODERATOR_NOTES)
    elif voice == "therapist":
        pools = (v.THERAPIST_OPENERS, v.THERAPIST_INTRO, v.BOUNDARIES, v.INVITATIONS,
                 v.THERAPIST_VALIDATIONS, v.THERAPIST_CHEERS, v.THERAPIST_CHEER_MORE,
                 v.THERAPIST_WELCOMES, v.THERAPIST_COLLEAGUE,
                 tuple(p for s in topic.skills + WELLBEING.skills for p in s[1:]))
    else:
        pools = (v.OPENERS, v.FEELINGS, v.ENDINGS, v.QUESTION_ENDINGS, v.WIN_FEELINGS,
                 v.WIN_ENDINGS,
                 v.CHECKIN_STATUS, v.CHECKIN_ASKS, v.INTRO_JOINED, v.INTRO_HOPES, v.EMPATHY,
                 v.ANSWER_OPENERS, v.CHEERS, v.CHEER_MORE, v.WELCOMES, v.WELCOME_MORE,
                 v.REPLY_AGREE, v.REPLY_ADD, v.TIP_THANKS, v.COMMENT_ENDINGS, topic.struggles,
                 topic.helped, topic.questions, topic.relate, tuple(w for _, w in topic.wins))
    return frozenset(p.format(community=community) for pool in pools for p in pool if p)


@cache
def topic_parts(topic: Topic) -> frozenset[str]:
    """The parts only this topic has (its own, not the general voices')."""
    return frozenset((*topic.struggles, *topic.helped, *topic.questions, *topic.relate,
                      *(w for _, w in topic.wins), *(p for s in topic.skills for p in s[1:])))


# The general voices' lines a reader notices twice under one post (a cheer's second sentence,
# a validation, empathy, how an answer or a reply opens, how a comment signs off, a moderator's
# note): said twice there, they read as a bot. Short cheers and thanks may repeat.
_SUBSTANCE = frozenset(p for p in (*v.CHEER_MORE, *v.THERAPIST_CHEER_MORE,
                                   *v.THERAPIST_VALIDATIONS, *v.THERAPIST_COLLEAGUE, *v.EMPATHY,
                                   *v.WELCOME_MORE, *v.ANSWER_OPENERS, *v.REPLY_ADD,
                                   *v.COMMENT_ENDINGS, *v.MODERATOR_NOTES, *v.MODERATOR_THANKS)
                       if p)


def thread_parts(topic: Topic) -> frozenset[str]:
    """The lines one post and its comments never say twice: the topic's own parts and the
    voices' lines of substance (``thread_forms`` keeps them per topic)."""
    return topic_parts(topic) | _SUBSTANCE


Said = tuple[str, str]  # a line, and the line as it reads going on with an open sentence
Forms = dict[str, list[Said]]  # the first PREFIX characters of either form of a line -> it
PREFIX = 8  # every line of a thread is longer
_THREAD_FORMS: dict[str, Forms] = {}


def thread_forms(topic: Topic) -> Forms:
    """``thread_parts`` with each line's ``continued`` form, by how either form begins (so a
    text is looked up by its own characters, without putting each of its words in lower
    case)."""
    found = _THREAD_FORMS.get(topic.key)
    if found is None:
        found = _THREAD_FORMS[topic.key] = {}
        for line in sorted(thread_parts(topic)):
            low = continued(line)
            for begins in dict.fromkeys((line[:PREFIX], low[:PREFIX])):
                found.setdefault(begins, []).append((line, low))
    return found


def says(text: str, forms: Forms) -> set[Said]:
    """The lines of ``forms`` that ``text`` says, in either form. A text is parts joined by
    spaces, so a line begins at its start or after a space: only there are lines looked up
    (by their first characters), not searched for along the whole text."""
    out: set[Said] = set()
    start = 0
    while start >= 0:
        for line, low in forms.get(text[start:start + PREFIX], ()):
            if text.startswith(line, start) or text.startswith(low, start):
                out.add((line, low))
        start = text.find(" ", start) + 1 or -1
    return out


def titles(topic: Topic, therapist: bool, community: str) -> frozenset[str]:
    """Every title a post in this voice and topic may have."""
    return frozenset().union(*(post_titles(kind, topic, therapist, community)
                               for kind in POST_KINDS))


def post_titles(kind: str, topic: Topic, therapist: bool, community: str) -> frozenset[str]:
    """Every title ``post`` can draw for a post of ``kind`` (its branches, one by one)."""
    if therapist and kind == "intro":
        return frozenset(t.format(community=community) for t in v.THERAPIST_INTRO_TITLES)
    return _topic_titles(kind, topic, therapist)


@cache
def _topic_titles(kind: str, topic: Topic, therapist: bool) -> frozenset[str]:
    """``post_titles`` of a kind whose titles do not name the community: made once."""
    if therapist:
        skills = [s for s, _, _ in topic.skills + WELLBEING.skills]
        return frozenset(f.format(s=s, S=cap(s)) for f in v.TIP_FRAMES for s in skills)
    subjects = [(s, cap(s)) for s in topic.subjects]
    if kind == "question":
        return frozenset([f.format(Q=q) for f in v.QUESTION_FRAMES for q in topic.questions]
                         + [f.format(s=s, S=c) for f in v.QUESTION_SUBJECT_FRAMES
                            for s, c in subjects])
    if kind == "win":
        return frozenset(f.format(w=w, W=cap(w)) for f in v.WIN_FRAMES for w, _ in topic.wins)
    if kind == "checkin":
        return frozenset(f"{d} check-in: {m}" for d in v.CHECKIN_DAYS for m in v.CHECKIN_MOODS)
    if kind == "intro":
        return frozenset(f"{g}, {w}" for g in v.INTRO_GREETINGS for w in v.INTRO_WHO)
    return frozenset(f.format(s=s, S=c) for f in v.TITLE_FRAMES for s, c in subjects)


def made_of(text: str, allowed: frozenset[str]) -> bool:
    """Whether ``text`` is a space-joined sequence of ``allowed`` parts (as ``join`` joins
    them: one that goes on with an open sentence starts in lower case)."""
    ends = {0}
    for start in range(len(text) + 1):
        if start not in ends:
            continue
        open_sentence = start > 1 and text[start - 2].isalpha()
        for whole in allowed:
            if not (text.startswith(whole, start) or open_sentence and text.startswith(
                    continued(whole), start)):
                continue
            end = start + len(whole)
            if end == len(text):
                return True
            if text[end] == " ":
                ends.add(end + 1)
    return False
