"""Which vocabulary a community speaks: community slug -> ``Topic``. A community the corpus
does not know (one the app added) falls back to ``WELLBEING``, general text that fits any
community, never to another topic's."""

from __future__ import annotations

from mentara_seed.enrichers.corpora import topics_general as general
from mentara_seed.enrichers.corpora import topics_illness as illness
from mentara_seed.enrichers.corpora.topic_types import Topic

# slug (without a "-N" circle suffix) -> topic
BY_SLUG: dict[str, Topic] = {
    "adhd-support": illness.ADHD,
    "anxiety-support": illness.ANXIETY,
    "depression-support": illness.DEPRESSION,
    "bipolar-support": illness.BIPOLAR,
    "ptsd-trauma-recovery": illness.PTSD,
    "ocd-support": illness.OCD,
    "eating-disorder-recovery": illness.EATING,
    "insomnia-sleep": illness.SLEEP,
    "panic-disorder-support": illness.PANIC,
    "social-anxiety-circle": illness.SOCIAL_ANXIETY,
    "postpartum-support": illness.POSTPARTUM,
    "bpd-support": illness.BPD,
    "substance-use-recovery": illness.SUBSTANCE,
    "burnout-recovery": illness.BURNOUT,
    "health-anxiety-support": illness.HEALTH_ANXIETY,
    "grief-and-loss": general.GRIEF,
    "self-care-corner": general.SELF_CARE,
    "student-mental-health": general.STUDENT,
    "workplace-wellbeing": general.WORKPLACE,
    "mindfulness-meditation": general.MINDFULNESS,
    "lgbtqia-support": general.LGBTQIA,
    "relationships-family": general.RELATIONSHIPS,
    "caregivers-circle": general.CAREGIVERS,
}

WELLBEING = general.WELLBEING
ALL: tuple[Topic, ...] = (*BY_SLUG.values(), WELLBEING)


def of_slug(slug: str) -> Topic:
    """The topic of a community slug ("anxiety-support-2" -> anxiety), else ``WELLBEING``."""
    base, _, suffix = slug.rpartition("-")
    return BY_SLUG.get(base if suffix.isdigit() and base else slug, WELLBEING)
