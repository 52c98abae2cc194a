"""One contract every game sub-model passes (in the spirit of sklearn's parametrize_with_checks).

* out-of-range, NaN and non-numeric values are rejected with one clear HedgelabError line each;
* vectorised inputs give the same answer as a loop of scalar calls;
* every parameter and output is documented with a unit, a source and a description, in the
  parameter table, in the model's docstring and in docs/games.md.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from hedgelab.errors import HedgelabError
from hedgelab.games import MODELS, ModelSpec

DOCS = Path(__file__).resolve().parents[2] / "docs" / "games.md"
models = pytest.mark.parametrize("model", list(MODELS.values()), ids=list(MODELS))


def _bad_values(low: float, high: float, low_open: bool) -> list[float]:
    bad = [math.nan, math.inf]
    if math.isfinite(low):
        bad.append(low if low_open else low - 0.1 * max(1.0, abs(low)))
    if math.isfinite(high):
        bad.append(high + 0.1 * max(1.0, abs(high)))
    return bad


@models
def test_defaults_are_admissible_and_give_finite_results(model: ModelSpec) -> None:
    out = model.evaluate()
    assert set(out) == {o.name for o in model.outputs}
    for name, value in out.items():
        assert np.all(np.isfinite(value)), name
    for spec in model.params:
        assert spec.low <= spec.default <= spec.high, spec.name


@models
def test_out_of_range_values_are_rejected_clearly(model: ModelSpec) -> None:
    for spec in model.params:
        for bad in _bad_values(spec.low, spec.high, spec.low_open):
            with pytest.raises(HedgelabError) as err:
                model.evaluate(**{spec.name: bad})
            assert len(err.value.lines) == 1, (spec.name, bad, err.value.lines)
            line = err.value.lines[0]
            assert line.startswith(f"games {model.name}: {spec.name}: expected "), line
            assert spec.unit in line
        with pytest.raises(HedgelabError):
            model.evaluate(**{spec.name: "abc"})
        # one bad entry in an array is enough
        with pytest.raises(HedgelabError):
            model.evaluate(**{spec.name: np.array([spec.default, math.nan])})


@models
def test_several_problems_give_one_line_each(model: ModelSpec) -> None:
    first, second = model.params[0], model.params[1]
    with pytest.raises(HedgelabError) as err:
        model.evaluate(**{first.name: math.nan, second.name: math.nan, "no_such_param": 1.0})
    assert len(err.value.lines) == 1 and "no_such_param" in err.value.lines[0]
    with pytest.raises(HedgelabError) as err:
        model.evaluate(**{first.name: math.nan, second.name: math.nan})
    assert len(err.value.lines) == 2


@models
def test_vectorised_equals_loop_of_scalars(model: ModelSpec) -> None:
    rng = np.random.default_rng(42)
    n = 6
    values = {}
    for spec in model.params:
        lo = spec.low if math.isfinite(spec.low) else -10.0
        hi = min(spec.high, spec.default * 3 + 1.0) if math.isfinite(spec.high) else spec.default * 3 + 1
        draw = rng.uniform(lo, hi, n)
        if spec.low_open:
            draw = np.maximum(draw, spec.low + 1e-3)
        values[spec.name] = draw
    if model.name == "coercion":  # exposures must sum to at most 1
        values["routed_exposure"] = values["routed_exposure"] * (1 - values["direct_exposure"])
    batch = model.evaluate(**values)
    for i in range(n):
        single = model.evaluate(**{k: float(v[i]) for k, v in values.items()})
        for name in batch:
            assert batch[name][i] == pytest.approx(float(single[name]), rel=1e-9, abs=1e-12), (
                name, i
            )
    # broadcasting: a column against a row gives the outer grid
    a, b = model.params[0], model.params[1]
    # (halved, so that coupled inputs such as the two exposure shares stay admissible)
    grid = model.evaluate(
        **{a.name: 0.5 * values[a.name][:, None], b.name: 0.5 * values[b.name][None, :3]}
    )
    for name in grid:
        assert grid[name].shape == (n, 3)


@models
def test_every_parameter_and_output_is_documented(model: ModelSpec) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    doc = model.evaluate.__doc__ or ""
    assert model.name in docs
    for spec in model.params:
        assert spec.unit.strip() and spec.source.strip() and spec.description.strip(), spec.name
        assert spec.name in doc, f"{spec.name} missing from {model.evaluate.__name__} docstring"
        assert f"`{spec.name}`" in docs, f"{spec.name} missing from docs/games.md"
    for out in model.outputs:
        assert out.unit.strip() and out.description.strip(), out.name
        assert f"`{out.name}`" in docs, f"output {out.name} missing from docs/games.md"


def test_docs_tables_are_generated_from_the_parameter_tables() -> None:
    from hedgelab.games._doc import sync_tables

    text = DOCS.read_text(encoding="utf-8")
    assert sync_tables(text) == text, "run the command in hedgelab/games/_doc.py to regenerate"
    for name in MODELS:
        assert f"<!-- params:{name} -->" in text and f"<!-- outputs:{name} -->" in text
