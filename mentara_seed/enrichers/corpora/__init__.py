"""Curated text the enrichers draw from: names, places, community themes, professional data.

Plain tuples, in a fixed order: an enricher picks from them with its per-entity RNG, so changing a
line here changes exactly the rows that picked it (``seed plan --compare`` shows which).
"""

CORPUS_VERSION = "2026.12.3"
