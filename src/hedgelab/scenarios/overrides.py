"""Merging scenario tables: inheritance (``base = …``) and ``--set dotted.path=VALUE`` overrides.

Both go through :func:`merge_tables`, so a child file and ``--set`` follow one rule: tables merge
key by key, and a bare value given for a parameter table sets that parameter's ``value`` (keeping
its unit, range and source). The result is validated like any scenario file.
"""

from __future__ import annotations

import copy
import tomllib
from typing import Any

from hedgelab.errors import HedgelabError, error_line, suggest


def _is_parameter(node: Any) -> bool:
    return isinstance(node, dict) and "value" in node and "unit" in node


def merge_tables(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``base`` with ``override`` merged in (``base`` is left unchanged)."""
    merged = copy.deepcopy(base)
    _merge_into(merged, override)
    return merged


def _merge_into(target: dict[str, Any], override: dict[str, Any]) -> None:
    for key, value in override.items():
        current = target.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            _merge_into(current, value)
        elif _is_parameter(current) and not isinstance(value, dict):
            target[key] = {**current, "value": value}  # shorthand: `name = 0.1` sets the value
        else:
            target[key] = copy.deepcopy(value)


def parameter_paths(data: dict[str, Any], prefix: str = "") -> list[str]:
    """All dotted paths that ``--set`` accepts in a (merged) scenario dict."""
    paths: list[str] = []
    for key, value in data.items():
        path = f"{prefix}{key}"
        if _is_parameter(value):
            paths.append(path)
        elif isinstance(value, dict):
            paths.extend(parameter_paths(value, f"{path}."))
        else:
            paths.append(path)
    return paths


def apply_overrides(data: dict[str, Any], items: list[str]) -> dict[str, Any]:
    """Return a copy of ``data`` with each ``path=VALUE`` applied (every bad item reported)."""
    known = parameter_paths(data)
    override: dict[str, Any] = {}
    errors: list[str] = []
    for item in items:
        if "=" not in item:
            errors.append(error_line("overrides", item, "dotted.path=VALUE"))
            continue
        path, text = (part.strip() for part in item.split("=", 1))
        if path not in known:
            errors.append(error_line("overrides", path, f"a scenario parameter path{suggest(path, known)}"))
            continue
        try:
            value = tomllib.loads(f"v = {text}")["v"]
        except (tomllib.TOMLDecodeError, ValueError, RecursionError):
            errors.append(error_line("overrides", item, 'a TOML literal after \'=\' (e.g. 0.3, true, "transactional")'))
            continue
        *parents, leaf = path.split(".")
        node = override
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    if errors:
        raise HedgelabError(errors)
    return merge_tables(data, override)
