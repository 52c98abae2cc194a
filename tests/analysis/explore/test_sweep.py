"""Sweeps: a sample equals a plain comparison with its values; common random numbers across
samples; results independent of workers and chunking; store, resume bit for bit, catalogue."""

import json

import numpy as np
import pytest
import xarray as xr

from hedgelab.analysis import compare
from hedgelab.analysis.explore import sweep as sweep_module
from hedgelab.analysis.explore.catalog import list_runs
from hedgelab.analysis.explore.design import Design, make_design, uncertainties
from hedgelab.analysis.explore.sweep import load, sweep
from hedgelab.analysis.summary import summarise
from hedgelab.errors import HedgelabError
from hedgelab.scenarios import load_scenario

STRATEGIES = ["dual_hedge", "anchor"]
NAMES = ["environment.convergence_speed", "events.coercion_severity", "partners.AUS.reach"]
P, YEARS = 32, 1


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("japan-2026")


@pytest.fixture(scope="module")
def design(scenario):
    return make_design(uncertainties(scenario, NAMES), 6, "lhs", seed=5)


def _run(scenario, design, **kwargs):
    return sweep(scenario, STRATEGIES, design, paths_per_sample=P, years=YEARS, seed=11, **kwargs)


def _identical(a: xr.Dataset, b: xr.Dataset) -> bool:
    return all(np.array_equal(a[v].values, b[v].values, equal_nan=True) for v in a.data_vars) and \
        list(a.data_vars) == list(b.data_vars) and np.array_equal(a.sample.values, b.sample.values)


@pytest.fixture(scope="module")
def reference(scenario, design):
    return _run(scenario, design, samples_per_chunk=6, workers=1)


def test_a_sample_equals_a_comparison_run_with_its_values(scenario, design, reference):
    sample = 4
    values = {name: np.full(P, design.samples[sample, i]) for i, name in enumerate(NAMES)}
    single = summarise(compare.run(scenario, STRATEGIES, n_paths=P, years=YEARS, seed=11, samples=values, workers=1))
    for row in single.itertuples():
        assert reference[row.metric].sel(strategy=row.strategy, sample=sample).item() == pytest.approx(row.mean, rel=1e-12, abs=1e-12)
        if np.isfinite(row.stderr):
            assert reference[f"{row.metric}_stderr"].sel(strategy=row.strategy, sample=sample).item() == \
                pytest.approx(row.stderr, rel=1e-9, abs=1e-12)


def test_common_random_numbers_across_samples(scenario, design):
    twin = Design("lhs", design.uncertainties, design.samples[[2, 0, 2, 1]], 4, design.seed)
    result = _run(scenario, twin, samples_per_chunk=4, workers=1)
    # samples 0 and 2 have the same values: with the same shocks they give the same numbers
    for metric in ("prosperity", "security", "p_coercion"):
        assert np.array_equal(result[metric].sel(sample=0).values, result[metric].sel(sample=2).values)
    assert not np.array_equal(result["prosperity"].sel(sample=0).values, result["prosperity"].sel(sample=1).values)


def test_results_do_not_depend_on_workers_or_chunking(scenario, design, reference):
    assert _identical(reference, _run(scenario, design, samples_per_chunk=1, workers=2))
    assert _identical(reference, _run(scenario, design, samples_per_chunk=4, workers=2))
    assert reference.attrs["complete"] == 1 and reference.attrs["samples_done"] == 6
    assert reference["prosperity"].attrs["better"] == "higher" and reference["p_coercion"].attrs["better"] == "lower"


def test_an_interrupted_sweep_resumes_to_the_same_numbers_without_recomputing(scenario, design, reference, tmp_path,
                                                                             monkeypatch):
    out = tmp_path / "sweep"
    calls = {"n": 0}

    seen_in_catalogue = []

    def stop_in_second_chunk(done, total):
        if done > 2 * P:  # the first chunk (samples 0-1) is written; stop inside the second
            # the finished chunk's row was added as it finished (not only at the end of the sweep)
            seen_in_catalogue.append(list_runs([tmp_path], "SELECT file, n_samples FROM chunks").values.tolist())
            raise KeyboardInterrupt

    partial = _run(scenario, design, out=out, samples_per_chunk=2, workers=1, progress=stop_in_second_chunk)
    assert partial.attrs["complete"] == 0 and partial.sample.values.tolist() == [0, 1]
    stored = json.loads((out / "sweep.json").read_text())
    assert stored["complete"] is False and stored["samples_done"] == 2
    assert seen_in_catalogue[0] == [["samples-00000000-00000001.parquet", 2]]
    (out / "chunks" / ".samples-99.parquet.tmp").write_bytes(b"half-written")  # a write killed mid-way
    real_run = sweep_module.runner.run

    def counting(prepared, *args, **kwargs):
        calls["n"] += 1
        return real_run(prepared, *args, **kwargs)

    monkeypatch.setattr(sweep_module.runner, "run", counting)
    resumed = _run(scenario, design, out=out, samples_per_chunk=3, workers=2)
    assert calls["n"] == 2  # samples 2-4 and 5: the finished chunk is not recomputed
    assert _identical(reference, resumed) and _identical(reference, load(out))
    assert resumed.attrs["run_id"] == reference.attrs["run_id"]
    runs = list_runs([tmp_path])
    assert runs["run_id"].tolist() == [reference.attrs["run_id"]] and bool(runs["complete"].iloc[0])
    assert list_runs([tmp_path], "SELECT sum(n_samples) AS n FROM chunks")["n"].iloc[0] == 6


def test_a_different_sweep_in_the_directory_is_an_error(scenario, design, tmp_path):
    out = tmp_path / "sweep"
    _run(scenario, Design("lhs", design.uncertainties, design.samples[:2], 2, 0), out=out, workers=1)
    with pytest.raises(HedgelabError) as err:
        _run(scenario, design, out=out, workers=1)
    assert err.value.lines[0].startswith(f"{out}: out: expected an empty directory or one holding this sweep")
