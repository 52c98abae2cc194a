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
