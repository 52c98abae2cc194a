"""Shared helpers of the model tests: run custom strategies the way ``api.run`` does.

Strategies are :class:`hedgelab.scenarios.Strategy` objects attached to the scenario, so that
:func:`hedgelab.api.run` evaluates them with common random numbers and the scenario's
reference-state hazard normalisation, exactly as a user's ``compare`` would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from hedgelab import api
from hedgelab.analysis.compare import outcome_recorders
from hedgelab.model import ModelParams, PolicyArrays, Shocks, simulate
from hedgelab.model.recorders import Recorder
from hedgelab.scenarios import Scenario, Strategy, builtin_strategies, load_scenario

PRESETS: dict[str, Strategy] = builtin_strategies()


def scenario_with(
    strategies: Mapping[str, Strategy],
    scenario: str | Path = "japan-2026",
    overrides: Sequence[str] = (),
) -> Scenario:
    """Load ``scenario`` with ``--set`` overrides and attach ``strategies`` to it."""
    loaded = load_scenario(str(scenario), list(overrides))
    return loaded.model_copy(update={"strategies": {**loaded.strategies, **strategies}})


def run(
    strategies: Mapping[str, Strategy],
    overrides: Sequence[str] = (),
    *,
    scenario: str | Path = "japan-2026",
    n_paths: int = 3000,
    years: int = 10,
    seed: int = 0,
    dtype: np.dtype = np.float64,
) -> dict[str, dict[str, np.ndarray]]:
    """Per-path metrics ``{strategy: {metric: array[P]}}`` from :func:`hedgelab.api.run`."""
    sc = scenario_with(strategies, scenario, overrides)
    result = api.run(sc, list(strategies), n_paths=n_paths, years=years, seed=seed, dtype=dtype)
    return {
        name: {var: result[var].sel(strategy=name).values for var in result.data_vars}
        for name in strategies
    }


class Callback(Recorder):
    """A recorder that calls ``fn(t, state, quarter)`` after every quarter (for tests)."""

    def __init__(self, fn):
        self.fn = fn

    def outputs(self) -> dict:
        return {}

    def update(self, t, state, quarter) -> None:
        self.fn(t, state, quarter)

    def result(self) -> dict:
        return {}


def outcomes(
    params: ModelParams, policy: PolicyArrays, shocks: Shocks, *, dtype: np.dtype = np.float64,
    reference: Mapping[str, float] | None = None, record=None,
) -> dict[str, np.ndarray]:
    """Per-path outcomes ``{variable: [S, P]}`` of one core call, with the comparison's recorders
    (and ``record(t, state, quarter)`` called after every quarter when given)."""
    recorders = outcome_recorders() + ([Callback(record)] if record is not None else [])
    simulate(params, policy, shocks, recorders, dtype=dtype, reference=reference)
    merged: dict[str, np.ndarray] = {}
    for recorder in recorders:
        merged.update(recorder.result())
    return merged


def paired(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean and standard error of the paired difference ``a - b`` (same paths, same shocks)."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d)))


def z(a: np.ndarray, b: np.ndarray) -> float:
    """Paired difference of ``a - b`` in standard errors (``inf`` with zero spread)."""
    mean, se = paired(a, b)
    if se == 0.0:
        return float("inf") * np.sign(mean) if mean else 0.0
    return mean / se


def fmt(a: np.ndarray, b: np.ndarray) -> str:
    """``mean ± se (z)`` of a paired difference, for assertion messages."""
    mean, se = paired(a, b)
    return f"{mean:+.5f} ± {se:.5f} (z={z(a, b):+.1f})"
