"""Flatten a scenario into parameter rows (for ``hedgelab show``, ``diff`` and the docs)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from hedgelab.scenarios.schema import Parameter, Scenario

_META = {"name", "description", "focal", "focal_name", "base_year", "strategies"}


def _walk(node: BaseModel | dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    items = node.items() if isinstance(node, dict) else ((k, getattr(node, k)) for k in type(node).model_fields)
    for key, value in items:
        path = f"{prefix}{key}"
        if isinstance(value, Parameter):
            rows.append({
                "path": path, "value": value.value, "unit": value.unit,
                "range": list(value.range) if value.range is not None else None,
                "kind": value.kind, "source": value.source, "as_of": value.as_of,
            })
        elif isinstance(value, (BaseModel, dict)):
            rows.extend(_walk(value, f"{path}."))
        elif key not in {"name", "role"}:
            rows.append({"path": path, "value": value, "unit": "", "range": None,
                         "kind": "uncertainty", "source": "scenario setting", "as_of": None})
    return rows


def parameter_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """One row per parameter: path (what ``--set`` accepts), value, unit, range, kind, source, as_of."""
    rows: list[dict[str, Any]] = []
    for key in type(scenario).model_fields:
        if key in _META:
            continue
        rows.extend(_walk(getattr(scenario, key), f"{key}."))
    return rows


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def parameter_markdown(scenarios: list[Scenario]) -> str:
    """The parameter reference of docs/parameters.md: the first scenario in full, then what
    each other scenario changes. Regenerate with ``python scripts/render_parameter_docs.py``."""
    first, *others = scenarios
    lines = [
        "# Parameters",
        "",
        "Generated from the built-in scenario files by `python scripts/render_parameter_docs.py`;",
        "a test checks that this file is current. `path` is what `--set` accepts.",
        "",
        f"## {first.name} (default)",
        "",
        "| path | value | unit | range | kind | source | as of |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in parameter_rows(first):
        rng = "" if r["range"] is None else f"[{r['range'][0]:g}, {r['range'][1]:g}]"
        lines.append(
            f"| `{r['path']}` | {_cell(r['value'])} | {_cell(r['unit'])} | {rng} | {r['kind']} | {_cell(r['source'])} | {r['as_of'] or ''} |"
        )
    base = {r["path"]: r for r in parameter_rows(first)}
    for other in others:
        lines += ["", f"## {other.name}: what differs from {first.name}", "", "| path | value | source | as of |", "|---|---|---|---|"]
        for r in parameter_rows(other):
            old = base.get(r["path"])
            if old is None or old["value"] != r["value"] or old["source"] != r["source"]:
                lines.append(f"| `{r['path']}` | {_cell(r['value'])} | {_cell(r['source'])} | {r['as_of'] or ''} |")
    return "\n".join(lines) + "\n"
