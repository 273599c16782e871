"""The shape of one community topic's vocabulary (``corpora.topics``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Topic:
    """What a community's members and therapists talk about. Client parts are first-person
    peer text; ``skills`` are a therapist's (subject, explanation, something to try). Every part
    belongs to this topic only: a community never shows another topic's parts."""

    key: str
    subjects: tuple[str, ...]  # lower-case noun phrases for titles
    struggles: tuple[str, ...]
    helped: tuple[str, ...]
    wins: tuple[tuple[str, str], ...]  # (title phrase, the sentence telling it)
    questions: tuple[str, ...]
    relate: tuple[str, ...]  # a peer relating, in a comment
    skills: tuple[tuple[str, str, str], ...]
