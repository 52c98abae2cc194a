"""Every shape of the event intensities is a scenario parameter, and only there.

The simulation's response functions (:mod:`hedgelab.games.responses`) take their shapes as
keyword arguments without defaults; :data:`~hedgelab.games.responses.SHAPES` names the scenario
parameter behind each one. These tests check that table against the signatures, the scenario
schema and the standalone games, and that no number hides in responses.py.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from hedgelab.games import MODELS, responses
from hedgelab.scenarios import load_scenario
from hedgelab.scenarios.schema import ResponsesSpec

RESPONSES_PY = Path(responses.__file__)
MODES = {"outside_option_principle"}  # a switch between two solutions, not a number
MODEL_SIDE = {"provocation_tech_weight"}  # read by hedgelab.model.mechanisms, not by a response


def _value(scenario, path: str) -> float:  # type: ignore[no-untyped-def]
    group, name = path.split(".")
    return float(getattr(getattr(scenario, group), name).value)


def _range(scenario, path: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    group, name = path.split(".")
    rng = getattr(getattr(scenario, group), name).range
    assert rng is not None, path
    return rng


@pytest.fixture(scope="module")
def japan():  # type: ignore[no-untyped-def]
    return load_scenario("japan-2026")


def _allowed(node: ast.Constant, parents: dict[ast.AST, ast.AST]) -> bool:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return True  # strings (docstrings, names) and the True/False switches
    if value in (0, 1):
        return True  # additive and multiplicative identities (1 - p, clip to [0, 1], 1 / x)
    parent = parents.get(node)
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.USub) and value == 1:
        return True
    if value == 2 and isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Pow) and parent.right is node:
        return True  # x**2
    # a named module-level guard: NAME = literal at the top of the module
    stmt = parent
    while stmt is not None and not isinstance(stmt, ast.stmt):
        stmt = parents.get(stmt)
    return (
        isinstance(stmt, (ast.Assign, ast.AnnAssign))
        and isinstance(parents.get(stmt), ast.Module)
        and isinstance(stmt.value, (ast.Constant, ast.UnaryOp))
    )


def test_no_hidden_numbers_in_responses() -> None:
    tree = ast.parse(RESPONSES_PY.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    bad = [
        f"{RESPONSES_PY}:{node.lineno}: literal {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and not _allowed(node, parents)
    ]
    assert not bad, "numbers belong in the scenario ([responses]), not in responses.py:\n" + "\n".join(bad)


@pytest.mark.parametrize("func_name", list(responses.SHAPES))
def test_shape_keywords_have_no_default_and_a_scenario_parameter(func_name: str, japan) -> None:  # type: ignore[no-untyped-def]
    func = getattr(responses, func_name)
    table = responses.SHAPES[func_name]
    keywords = {
        name: par for name, par in inspect.signature(func).parameters.items()
        if par.kind is inspect.Parameter.KEYWORD_ONLY and name not in MODES
    }
    with_default = [n for n, p in keywords.items() if p.default is not inspect.Parameter.empty]
    assert not with_default, f"{func_name}: shape keywords with a default {with_default}"
    assert set(keywords) == set(table), func_name
    for path in table.values():
        _value(japan, path)  # the path names a parameter of the scenario
    positional = [
        n for n, p in inspect.signature(func).parameters.items()
        if p.kind is not inspect.Parameter.KEYWORD_ONLY and p.default is not inspect.Parameter.empty
    ]
    assert not positional, f"{func_name}: state inputs with a default {positional}"


def test_every_responses_parameter_is_used() -> None:
    used = {p.split(".")[1] for table in responses.SHAPES.values() for p in table.values() if p.startswith("responses.")}
    assert used | MODEL_SIDE == set(ResponsesSpec.model_fields)
    assert not used & MODEL_SIDE


@pytest.mark.parametrize("model", list(responses.STANDALONE))
def test_standalone_games_default_to_the_default_scenario(model: str, japan) -> None:  # type: ignore[no-untyped-def]
    """The games' own parameter tables hold japan-2026's values, and its ranges fit theirs."""
    paths = responses.standalone_paths(model)
    assert paths, model
    spec = MODELS[model]
    for name, path in paths.items():
        param = spec.param(name)
        assert param.default == _value(japan, path), (model, name, path)
        low, high = _range(japan, path)
        above = low > param.low if param.low_open else low >= param.low
        assert above and high <= param.high, f"{path} range [{low}, {high}] outside the game's {param.expected()}"


def test_every_scenario_shape_range_is_evaluable(japan) -> None:  # type: ignore[no-untyped-def]
    """At both ends of every range each response is finite and positive on a small grid."""
    import numpy as np

    x = np.linspace(0.05, 0.95, 7)
    base = {func: {k: _value(japan, p) for k, p in table.items()} for func, table in responses.SHAPES.items()}
    calls = {
        "abandonment_intensity": lambda kw: responses.abandonment_intensity(x, x[::-1], x, x - 0.5, **kw),
        "entrapment_intensity": lambda kw: responses.entrapment_intensity(x, 2 * x, **kw),
        "coercion_probability": lambda kw: responses.coercion_probability(x, x[::-1], x + 0.5, **kw),
        "deal_intensity": lambda kw: responses.deal_intensity(np.round(x), x, x[::-1], **kw),
        "nash_share": lambda kw: responses.nash_share(1.0, x, x[::-1] / 2, **kw),
    }
    for func, table in responses.SHAPES.items():
        for name, path in table.items():
            for end in _range(japan, path):
                out = np.asarray(calls[func]({**base[func], name: end}))
                assert np.all(np.isfinite(out)), (func, name, end)
                if func != "nash_share":
                    assert np.all(out > 0), (func, name, end)
