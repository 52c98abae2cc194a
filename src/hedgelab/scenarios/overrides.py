"""``--set dotted.path=VALUE`` overrides, validated like the scenario file itself."""

from __future__ import annotations

import copy
import tomllib
from typing import Any

from hedgelab.errors import HedgelabError, error_line, suggest


def parameter_paths(data: dict[str, Any], prefix: str = "") -> list[str]:
    """All dotted paths that ``--set`` accepts in a (merged) scenario dict."""
    paths: list[str] = []
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and "value" in value and "unit" in value:
            paths.append(path)
        elif isinstance(value, dict):
            paths.extend(parameter_paths(value, f"{path}."))
        else:
            paths.append(path)
    return paths


def _parse_literal(item: str, text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        raise HedgelabError(
            error_line("--set", item, "a TOML literal after '=' (e.g. 0.3, true, \"transactional\")")
        ) from None


def apply_overrides(data: dict[str, Any], items: list[str]) -> dict[str, Any]:
    """Return a copy of ``data`` with each ``path=VALUE`` applied; unknown paths get a hint."""
    result = copy.deepcopy(data)
    known = parameter_paths(result)
    errors: list[str] = []
    for item in items:
        if "=" not in item:
            errors.append(error_line("--set", item, "dotted.path=VALUE"))
            continue
        path, text = (part.strip() for part in item.split("=", 1))
        if path not in known:
            errors.append(error_line("--set", path, f"a scenario parameter path{suggest(path, known)}"))
            continue
        value = _parse_literal(item, text)
        *parents, leaf = path.split(".")
        node = result
        for key in parents:
            node = node[key]
        if isinstance(node[leaf], dict):
            node[leaf] = {**node[leaf], "value": value}
        else:
            node[leaf] = value
    if errors:
        raise HedgelabError(errors)
    return result
