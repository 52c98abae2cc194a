"""Every number the model uses is a scenario parameter: where the model calls a game's closed form,
it passes every shape argument that has a default, so no default silently shapes a hazard.

(Boolean switches that choose between two solutions, such as ``outside_option_principle``, are
not shapes.) The check reads the model's source, resolves each called game function and compares
its signature with the keywords at the call.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

MODEL = Path(__file__).resolve().parents[2] / "src" / "hedgelab" / "model"


def _defaulted_shapes_left_out(source: str) -> list[str]:
    tree = ast.parse(source)
    games = {alias.asname or alias.name: f"hedgelab.games.{alias.name}"
             for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "hedgelab.games"
             for alias in node.names}
    missing = []
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Name) and call.func.value.id in games):
            continue
        function = getattr(importlib.import_module(games[call.func.value.id]), call.func.attr)
        passed = {kw.arg for kw in call.keywords}
        for name, parameter in inspect.signature(function).parameters.items():
            if parameter.default is inspect.Parameter.empty or isinstance(parameter.default, bool):
                continue
            if name not in passed:
                missing.append(f"line {call.lineno}: {call.func.value.id}.{call.func.attr} leaves {name} at its default")
    return missing


def test_the_model_passes_every_shape_of_the_game_functions_it_calls():
    calls = 0
    problems = []
    for path in sorted(MODEL.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        calls += source.count("responses.") + source.count("coercion.leverage")
        problems += [f"{path.name} {p}" for p in _defaulted_shapes_left_out(source)]
    assert calls >= 6, "expected the model to call the games' closed forms"
    assert not problems, "\n".join(problems)


def test_the_check_finds_a_defaulted_shape():
    source = "from hedgelab.games import coercion\n\ndef f(d, r, k, c):\n    return coercion.leverage(d, r, k, c, tolerance=1.0)\n"
    found = _defaulted_shapes_left_out(source)
    assert any("routed_reach" in line for line in found) and not any("tolerance" in line for line in found)
