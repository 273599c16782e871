"""Render saved benchmark results (``run.py --save FILE``) as Markdown tables.

    python bench/report.py bench/results/default.json [more.json ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

LABEL = {
    "imports": "imports only",
    "fresh-plan": "plan --format json (empty db)",
    "fresh": "fresh apply",
    "noop-plan": "no-op plan",
    "noop-apply": "no-op apply",
    "del10-plan": "10% deleted: plan",
    "del10-apply": "10% deleted: apply",
}


def _f(value: float | None, spec: str, suffix: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{suffix}"


def render(doc: dict) -> str:
    lines = [
        "| scenario | backend | scale | rows | live rows | wall s | cpu s | rows/s | peak RSS MB "
        "| × raw | × naive | target |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    refs = [
        "| scenario | backend | scale | rows | raw load s | raw rows/s | bare load s | × bare "
        "| naive s | naive rows/s | naive rows timed |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in doc["results"]:
        naive = _f(r["x_naive"], ".3f", "×") + ("*" if r["x_naive"] and r["naive_estimated"]
                                                else "")
        targets = "<br>".join(f"{'✓' if t['ok'] else '✗'} {t['target']} ({t['measured']})"
                              for t in r["targets"])
        notes = "<br>".join("! " + n for n in r["notes"])
        remarks = "<br>".join(filter(None, [targets, notes]))
        lines.append(
            f"| {LABEL[r['scenario']]} | {r['backend']} | {r['scale']} | {r['rows']:,} "
            f"| {r['live_rows']:,} | {r['wall']:.2f} | {r['cpu']:.2f} "
            f"| {_f(r['rows_per_s'], ',.0f')} | {r['peak_rss_mb']:,.0f} "
            f"| {_f(r['x_raw'], '.1f', '×')} | {naive} | {remarks} |")
        if r["raw_seconds"] is not None:
            refs.append(
                f"| {LABEL[r['scenario']]} | {r['backend']} | {r['scale']} | {r['rows']:,} "
                f"| {r['raw_seconds']:.3f} | {r['rows'] / r['raw_seconds']:,.0f} "
                f"| {_f(r.get('bare_seconds'), '.3f')} | {_f(r.get('x_bare'), '.1f', '×')} "
                f"| {r['naive_seconds']:.1f}{'*' if r['naive_estimated'] else ''} "
                f"| {r['rows'] / r['naive_seconds']:,.0f} | {r['naive_timed_rows']:,} |")
    m = doc["machine"]
    foot = (f"Measured {m.get('code', '')}; bench took {m.get('bench_seconds')} s; load average "
            f"{m.get('load_average')} at start, {m.get('load_average_end')} at the end; repeat "
            f"{doc.get('repeat')} (best wall kept), naive cap {doc.get('naive_cap'):,} rows.")
    return "\n".join([*lines, "", *refs, "", foot])


def main(paths: list[str]) -> int:
    for path in paths:
        print(f"<!-- {Path(path).name} -->")
        print(render(json.loads(Path(path).read_text())))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
