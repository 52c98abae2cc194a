"""Determinism and common random numbers.

- The same seed gives bit-identical per-path results (float64 and float32), through the core
  and through :func:`hedgelab.api.run`.
- How paths are chunked does not change any path's result (shocks come in independent blocks).
- Common random numbers: the variance of a paired strategy difference with shared shocks is
  below half of that with independent seeds.
"""

from __future__ import annotations

import numpy as np
import pytest

from hedgelab import api
from hedgelab.model import draw_shocks
from hedgelab.scenarios.compile import compile_params, compile_policies
from hedgelab.model.shocks import BLOCK
from hedgelab.scenarios import load_scenario

from .helpers import PRESETS, outcomes

STRATEGIES = {name: PRESETS[name] for name in ("dual_hedge", "anchor", "multi_hedge", "incremental")}


def _core(seed: int, n_paths: int, dtype, first_path: int = 0, n_quarters: int = 24):
    params = compile_params(load_scenario("japan-2026"))
    policy = compile_policies(STRATEGIES, params)
    shocks = draw_shocks(seed, first_path, n_paths, n_quarters, dtype)
    return outcomes(params, policy, shocks, dtype=dtype)


def _assert_identical(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].dtype == b[name].dtype
        assert a[name].tobytes() == b[name].tobytes(), name


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_same_seed_bit_identical_core(dtype):
    first, second = _core(3, 700, dtype), _core(3, 700, dtype)
    _assert_identical(first, second)
    other = _core(4, 700, dtype)
    assert not np.array_equal(first["prosperity"], other["prosperity"])  # the seed matters


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_same_seed_bit_identical_api(dtype):
    runs = [api.run("japan-2026", ["dual_hedge", "leverage"], n_paths=600, years=3, seed=5, dtype=dtype) for _ in range(2)]
    for name in runs[0].data_vars:
        assert runs[0][name].values.tobytes() == runs[1][name].values.tobytes(), name
    timeless = [{k: v for k, v in run.attrs.items() if k not in {"started", "finished", "provenance"}} for run in runs]
    assert timeless[0] == timeless[1]  # the same provenance apart from the clock
    assert runs[0].attrs["run_id"] == runs[1].attrs["run_id"]
    other = api.run("japan-2026", ["dual_hedge", "leverage"], n_paths=600, years=3, seed=6, dtype=dtype)
    assert not np.array_equal(runs[0]["prosperity"].values, other["prosperity"].values)  # the seed matters


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_shocks_do_not_depend_on_chunking(dtype):
    whole = draw_shocks(9, 0, 3 * BLOCK, 8, dtype)
    for first in (0, BLOCK, 2 * BLOCK):
        part = draw_shocks(9, first, BLOCK, 8, dtype)
        assert part.normal.tobytes() == whole.normal[..., first : first + BLOCK].tobytes()
        assert part.uniform.tobytes() == whole.uniform[..., first : first + BLOCK].tobytes()
    short = draw_shocks(9, BLOCK, 100, 8, dtype)  # a ragged last chunk
    assert short.normal.tobytes() == np.ascontiguousarray(whole.normal[..., BLOCK : BLOCK + 100]).tobytes()
    with pytest.raises(ValueError):
        draw_shocks(9, 100, 10, 8, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_chunking_gives_identical_per_path_results(dtype):
    n = 2 * BLOCK + 300
    whole = _core(2, n, dtype)
    pieces = [_core(2, min(BLOCK, n - start), dtype, first_path=start) for start in range(0, n, BLOCK)]
    for name in whole:
        joined = np.concatenate([p[name] for p in pieces], axis=1)
        assert joined.tobytes() == whole[name].tobytes(), name


def test_api_chunk_size_does_not_change_results(monkeypatch):
    from hedgelab.analysis import runner

    default = api.run("japan-2026", ["dual_hedge", "anchor"], n_paths=3 * BLOCK, years=2, seed=1, workers=1)
    monkeypatch.setattr(runner, "chunk_size", lambda n_quarters, n_paths, itemsize=4, max_paths=None: BLOCK)
    chunked = api.run("japan-2026", ["dual_hedge", "anchor"], n_paths=3 * BLOCK, years=2, seed=1, workers=1)
    for name in default.data_vars:
        assert default[name].values.tobytes() == chunked[name].values.tobytes(), name


def test_results_do_not_depend_on_the_number_of_workers(monkeypatch):
    """Chunks finish in any order on a pool; results are placed by path index, so they are
    bit-identical to the serial run (small chunks make several finish out of order)."""
    from hedgelab.analysis import runner

    monkeypatch.setattr(runner, "chunk_size", lambda n_quarters, n_paths, itemsize=4, max_paths=None: BLOCK)
    serial = api.run("japan-2026", ["dual_hedge", "anchor"], n_paths=5 * BLOCK - 100, years=2, seed=4, workers=1)
    pooled = api.run("japan-2026", ["dual_hedge", "anchor"], n_paths=5 * BLOCK - 100, years=2, seed=4, workers=3)
    assert serial.attrs["complete"] == pooled.attrs["complete"] == 1
    for name in serial.data_vars:
        assert serial[name].values.tobytes() == pooled[name].values.tobytes(), name


def test_strategy_results_do_not_depend_on_the_other_strategies():
    """A strategy's per-path results are the same alone or run beside others (shared shocks)."""
    params = compile_params(load_scenario("japan-2026"))
    shocks = draw_shocks(6, 0, 500, 20, np.float64)
    together = outcomes(params, compile_policies(STRATEGIES, params), shocks, dtype=np.float64)
    alone = outcomes(params, compile_policies({"anchor": PRESETS["anchor"]}, params), shocks, dtype=np.float64)
    i = list(STRATEGIES).index("anchor")
    for name in alone:
        np.testing.assert_array_equal(alone[name][0], together[name][i], err_msg=name)


@pytest.mark.slow
@pytest.mark.parametrize("metric", ["prosperity", "security", "deterrence", "support", "coercion"])
def test_common_random_numbers_halve_the_variance(metric):
    n = 4000
    common = _core(0, n, np.float64, n_quarters=40)
    other = _core(1, n, np.float64, n_quarters=40)
    a, b = list(STRATEGIES).index("dual_hedge"), list(STRATEGIES).index("anchor")
    paired = common[metric][a] - common[metric][b]
    independent = common[metric][a] - other[metric][b]
    assert independent.var() > 0.0
    assert paired.var() < 0.5 * independent.var(), (metric, paired.var(), independent.var())


# Not parametrised over ``autonomy``: dual_hedge's autonomy is the same on every path (variance
# 0, its perceived options follow the policy path only), so no pairing can reduce the variance
# of a difference with it.
