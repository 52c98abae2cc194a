"""The engine: one runner for every analysis, the metric registry, errors that speak Python."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hedgelab import api
from hedgelab.analysis import runner
from hedgelab.analysis.compare import outcome_recorders
from hedgelab.analysis.metrics import METRICS, VARIABLES
from hedgelab.analysis.prepare import prepare
from hedgelab.errors import HedgelabError
from hedgelab.model.recorders import VARIABLES as QUARTERLY
from hedgelab.model.recorders import FirstEvent, TimeAverages
from hedgelab.model.shocks import BLOCK


def test_every_output_is_in_the_registry_and_every_registered_variable_is_produced():
    result = api.run("japan-2026", ["anchor"], n_paths=16, years=1)
    assert set(result.data_vars) == set(VARIABLES)
    for name, variable in result.data_vars.items():
        assert variable.attrs["units"] == VARIABLES[name].unit and variable.attrs["long_name"]
    for metric in METRICS.values():
        assert metric.variable in VARIABLES and metric.better in {"higher", "lower", "neither"}
        assert metric.unit and metric.definition


def test_recorders_name_only_quarterly_variables_that_exist():
    for recorder in outcome_recorders():
        for name in getattr(recorder, "names", ()):
            assert name in QUARTERLY, name


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"n_paths": 0}, "n_paths"), ({"years": 0}, "years"), ({"seed": -1}, "seed"), ({"years": 51}, "years"),
])
def test_library_errors_name_the_python_parameter_not_a_flag(kwargs, field):
    with pytest.raises(HedgelabError) as err:
        api.run("japan-2026", ["anchor"], **{"n_paths": 8, "years": 1, **kwargs})
    assert f"request: {field}: expected" in str(err.value) and "--" not in str(err.value)


def test_interrupted_run_keeps_the_finished_chunks_and_says_so(monkeypatch):
    """Ctrl-C after the first chunk: the result covers exactly that chunk's paths, flagged
    incomplete, with values equal to the same paths of a full run."""
    monkeypatch.setattr(runner, "chunk_size", lambda n_quarters, n_paths, itemsize=4, max_paths=None: BLOCK)
    calls = []

    def interrupt_after_first(done, total):
        calls.append(done)
        if len(calls) == 1:
            raise KeyboardInterrupt

    partial = api.run("japan-2026", ["anchor"], n_paths=3 * BLOCK, years=1, seed=2, workers=1,
                      progress=interrupt_after_first)
    full = api.run("japan-2026", ["anchor"], n_paths=3 * BLOCK, years=1, seed=2, workers=1)
    assert partial.attrs["complete"] == 0 and partial.attrs["paths"] == BLOCK
    np.testing.assert_array_equal(partial.path.values, np.arange(BLOCK))
    for name in ("security", "coercion", "first_coercion"):
        np.testing.assert_array_equal(partial[name].values, full[name].values[:, :BLOCK])


def test_interruption_before_any_chunk_finishes_propagates():
    def interrupted_policy(*args):
        raise KeyboardInterrupt

    prepared = prepare("japan-2026", ["anchor"])
    with pytest.raises(KeyboardInterrupt):
        runner.run(prepared, [TimeAverages(("security",))], n_paths=8, years=1, seed=0, workers=1,
                   target_fn=interrupted_policy)


def test_time_averages_and_first_events_of_the_runner_match_a_direct_recomputation():
    """The runner's stitched outputs equal the recorders run by hand on the whole path range."""
    from hedgelab.model import draw_shocks, simulate

    prepared = prepare("japan-2026", ["dual_hedge", "anchor"])
    recorders = [TimeAverages(("security", "prosperity_trade")), FirstEvent(("coercion",))]
    out = runner.run(prepared, recorders, n_paths=BLOCK + 10, years=2, seed=5, workers=2, backend="numpy")
    fresh = [TimeAverages(("security", "prosperity_trade")), FirstEvent(("coercion",))]
    simulate(prepared.params, prepared.policy, draw_shocks(5, 0, BLOCK + 10, 8), fresh, reference=prepared.reference)
    for recorder in fresh:
        for name, values in recorder.result().items():
            np.testing.assert_array_equal(out.outputs[name][1], values.astype(np.float32), err_msg=name)


def test_refused_requests_allocate_nothing_and_name_the_analysis():
    with pytest.raises(HedgelabError, match="for trajectories"):
        api.trajectories("japan-2026", None, n_paths=api.MAX_PATHS, years=50)


def test_samples_change_the_parameter_hash():
    plain = api.run("japan-2026", ["anchor"], n_paths=8, years=1)
    sampled = api.run("japan-2026", ["anchor"], n_paths=8, years=1,
                      samples={"environment.convergence_speed": np.linspace(0.0, 0.2, 8)})
    assert plain.attrs["param_hash"] != sampled.attrs["param_hash"]
    assert json.loads(sampled.attrs["sampled"]) == ["environment.convergence_speed"]
    assert json.loads(sampled.attrs["provenance"])["param_hash"] == sampled.attrs["param_hash"]


def test_one_path_has_an_undefined_standard_error():
    table = api.summarise(api.run("japan-2026", ["anchor"], n_paths=1, years=1)).set_index("metric")
    assert table["stderr"].isna().all() and table["mean"].notna().all()


def test_param_hash_follows_values_and_strategies_not_source_texts():
    base = api.prepare("japan-2026", ["anchor"]).param_hash
    assert api.prepare("japan-2026", ["anchor"], ["environment.convergence_speed=0.1"]).param_hash != base
    assert api.prepare("japan-2026", ["dual_hedge"]).param_hash != base
    # a scenario that differs only in a source text keeps the hash
    from hedgelab.scenarios import load_scenario

    scenario = load_scenario("japan-2026")
    speed = scenario.environment.convergence_speed.model_copy(update={"source": "another source text"})
    retexted = scenario.model_copy(update={"environment": scenario.environment.model_copy(update={"convergence_speed": speed})})
    assert api.prepare(retexted, ["anchor"]).param_hash == base


def test_an_interrupted_pool_keeps_chunks_that_finished_out_of_order(monkeypatch):
    """Chunk 0 is slow; Ctrl-C arrives after chunk 1 finished: the result holds exactly paths
    1,024–2,047, equal to the same paths of a full run (not the first 1,024 paths)."""
    import threading

    monkeypatch.setattr(runner, "chunk_size", lambda n_quarters, n_paths, itemsize=4, max_paths=None: BLOCK)
    original = runner._run_chunk
    release = threading.Event()

    def slow_first_chunk(chunk):
        if chunk.start == 0:
            release.wait(timeout=30)
        return original(chunk)

    def interrupt_once(done, total):
        release.set()
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "_run_chunk", slow_first_chunk)
    partial = api.run("japan-2026", ["anchor"], n_paths=2 * BLOCK, years=1, seed=3, workers=2,
                      progress=interrupt_once)
    monkeypatch.setattr(runner, "_run_chunk", original)
    full = api.run("japan-2026", ["anchor"], n_paths=2 * BLOCK, years=1, seed=3, workers=1)
    assert partial.attrs["complete"] == 0
    np.testing.assert_array_equal(partial.path.values, np.arange(BLOCK, 2 * BLOCK))
    np.testing.assert_array_equal(partial["security"].values, full["security"].values[:, BLOCK:])


def test_run_id_changes_with_every_input_that_changes_the_numbers():
    def run_id(**changes):
        kwargs = {"strategies": ["anchor"], "n_paths": 8, "years": 1, "seed": 0, **changes}
        return api.run("japan-2026", kwargs.pop("strategies"), **kwargs).attrs["run_id"]

    base = run_id()
    assert run_id() == base  # deterministic
    variants = [run_id(seed=1), run_id(n_paths=9), run_id(years=2), run_id(dtype=np.float64),
                run_id(strategies=["dual_hedge"]), run_id(overrides=["environment.convergence_speed=0.1"])]
    assert len({base, *variants}) == 1 + len(variants)


def test_param_hash_follows_partner_roles():
    from hedgelab.scenarios import load_scenario

    scenario = load_scenario("japan-2026")
    swapped = {code: p.model_copy(update={"role": {"CHN": "secondary", "AUS": "challenger"}.get(code, p.role)})
               for code, p in scenario.partners.items()}
    changed = scenario.model_copy(update={"partners": swapped})
    assert api.prepare(changed, ["anchor"]).param_hash != api.prepare(scenario, ["anchor"]).param_hash


def test_trajectory_event_shares_are_the_per_path_means():
    paths = api.trajectories("japan-2026", ["anchor"], n_paths=64, years=2, quantiles=False)
    shares = api.trajectories("japan-2026", ["anchor"], n_paths=64, years=2, quantiles=True)
    for event in ("coercion", "abandonment"):
        np.testing.assert_allclose(shares[event].values, paths[event].mean("path").values, rtol=1e-6)


def test_breakdown_rows_are_strategy_minus_reference():
    result = api.run("japan-2026", ["anchor", "dual_hedge"], n_paths=64, years=2)
    table = api.breakdown(result, "anchor", "dual_hedge").set_index(["metric", "component"])
    for component in ("prosperity", "prosperity_trade", "us_protection"):
        expected = float((result[component].sel(strategy="anchor") - result[component].sel(strategy="dual_hedge"))
                         .astype(np.float64).mean())
        metric = "prosperity" if component.startswith("prosperity") else "security"
        assert table.loc[(metric, component), "difference"] == pytest.approx(expected, rel=1e-6)


def test_a_missing_optional_package_is_one_line_naming_its_extra():
    from hedgelab.analysis.optional import optional

    with pytest.raises(HedgelabError) as err:
        optional("hedgelab_no_such_package", "explore")
    assert err.value.lines == ["hedgelab_no_such_package: import: expected the optional package of the "
                               "'explore' extra: pip install 'hedgelab[explore]'"]


def test_a_chunk_that_wraps_the_shock_period_draws_only_the_blocks_it_needs(monkeypatch):
    """Exploration reuses the shocks of paths 0..P-1 for every sample (path p sees path p % P):
    a chunk crossing P draws the blocks at each end, not all P paths, and gets the same numbers."""
    from hedgelab.model import draw_shocks

    period, start, width = 50_000, 49_152, 1024
    drawn = []

    def counting(seed, first, n_paths, n_quarters, dtype):
        drawn.append(n_paths)
        return draw_shocks(seed, first, n_paths, n_quarters, dtype)

    monkeypatch.setattr(runner, "draw_shocks", counting)
    chunk = runner._Chunk(None, None, {}, (), 3, start, width, 8, np.dtype(np.float32), None, shock_period=period)
    shocks = runner._chunk_shocks(chunk)
    assert sum(drawn) <= 2 * BLOCK
    full = draw_shocks(3, 0, period + BLOCK, 8, np.float32)
    index = (start + np.arange(width)) % period
    assert np.array_equal(shocks.normal, full.normal[:, :, index])
    assert np.array_equal(shocks.uniform, full.uniform[:, :, index])
