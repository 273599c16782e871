"""The plan as a canonical JSON document: header keys in sorted order, one change per line, so
`git diff` of two saved plans is readable and equal plans are byte-identical."""

from __future__ import annotations

from mentara_seed.planner.plan import Plan
from mentara_seed.schema.values import dumps


def render(plan: Plan) -> str:
    doc = plan.to_json()
    changes = doc.pop("changes")
    held = doc.pop("held")
    warnings = doc.pop("warnings")
    lines = ["{"]
    for key in sorted(doc):
        lines.append(f"{dumps(key)}: {dumps(doc[key])},")
    for name, items, last in (("changes", changes, False), ("held", held, False),
                              ("warnings", warnings, True)):
        lines.append(f"{dumps(name)}: [")
        lines.extend(dumps(item) + ("," if i < len(items) - 1 else "")
                     for i, item in enumerate(items))
        lines.append("]" + ("" if last else ","))
    lines.append("}")
    return "\n".join(lines) + "\n"
