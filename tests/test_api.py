"""The Python API: sampled parameters, summaries, breakdowns, shocks shared across horizons."""

import numpy as np
import pytest

from hedgelab import api
from hedgelab.errors import HedgelabError
from hedgelab.analysis.summary import lower_tail_mean
from hedgelab.model import draw_shocks


def test_samples_equal_the_matching_overrides_path_by_path():
    values = np.array([0.0, 0.05, 0.2, 0.1])
    sampled = api.run("japan-2026", ["dual_hedge", "anchor"], n_paths=4, years=3, seed=3,
                      samples={"environment.convergence_speed": np.repeat(values, 1)}, dtype=np.float64)
    for i, value in enumerate(values):
        single = api.run("japan-2026", ["dual_hedge", "anchor"], n_paths=4, years=3, seed=3,
                         overrides=[f"environment.convergence_speed={value}"], dtype=np.float64)
        for name in ("prosperity", "security", "autonomy", "depth", "coercion"):
            np.testing.assert_allclose(sampled[name].values[:, i], single[name].values[:, i], rtol=1e-6, err_msg=name)


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        ({"environment.convergence_speed": np.full(8, np.nan)}, "finite numbers"),
        ({"environment.convergence_speed": np.full(8, 0.9)}, "values in [0.0, 0.2]"),
        ({"environment.convergence_speed": 0.1}, "one value per path"),
        ({"environment.convergense_speed": np.zeros(8)}, "did you mean environment.convergence_speed"),
        ({"partners.CHN.exposure": np.full(8, 0.9)}, "summing to at most 1 on every path"),
    ],
)
def test_bad_samples_are_refused_with_a_clear_line(samples, expected):
    with pytest.raises(HedgelabError) as err:
        api.run("japan-2026", ["anchor"], n_paths=8, years=1, samples=samples)
    assert expected in str(err.value)


def test_requests_beyond_the_memory_budget_are_refused_before_running():
    from hedgelab.analysis.limits import MAX_RESULT_BYTES

    from hedgelab.analysis.metrics import VARIABLES

    # 9 strategies x every per-path output x 4 bytes (float32): the largest request that fits, plus one
    with pytest.raises(HedgelabError, match="request: n_paths: expected at most"):
        api.run("japan-2026", None, n_paths=MAX_RESULT_BYTES // (9 * len(VARIABLES) * 4) + 1, years=1)


def test_cvar_is_the_mean_of_the_worst_five_percent_and_its_stderr_matches_a_bootstrap():
    rng = np.random.default_rng(0)
    values = rng.normal(size=4000)
    cvar, stderr = lower_tail_mean(values)
    worst = np.sort(values)[:200]
    assert cvar == pytest.approx(worst.mean())
    boot = [lower_tail_mean(rng.choice(values, size=values.size))[0] for _ in range(300)]
    assert stderr == pytest.approx(np.std(boot), rel=0.25)


def test_summary_means_match_the_per_path_result():
    result = api.run("japan-2026", ["dual_hedge", "anchor"], n_paths=300, years=2)
    table = api.summarise(result).set_index(["strategy", "metric"])
    for strategy in ("dual_hedge", "anchor"):
        per_path = result.sel(strategy=strategy)
        assert table.loc[(strategy, "security"), "mean"] == pytest.approx(float(per_path.security.mean()), rel=1e-6)
        assert table.loc[(strategy, "p_coercion"), "mean"] == pytest.approx(float(per_path.coercion.mean()))
        assert table.loc[(strategy, "cvar_prosperity"), "mean"] <= table.loc[(strategy, "prosperity"), "mean"]


def test_breakdown_parts_add_up_to_the_prosperity_gap():
    result = api.run("japan-2026", ["anchor", "dual_hedge"], n_paths=500, years=5)
    table = api.breakdown(result, "anchor", "dual_hedge")
    prosperity = table[table.metric == "prosperity"].set_index("component")["difference"]
    parts = prosperity.drop("prosperity")
    assert parts.sum() == pytest.approx(prosperity["prosperity"], abs=1e-5)
    with pytest.raises(HedgelabError, match="a strategy in the result"):
        api.breakdown(result, "anchor", "tilt_china")


def test_a_longer_horizon_shares_its_first_years_of_shocks():
    short, long = draw_shocks(5, 0, 2048, 8), draw_shocks(5, 0, 2048, 20)
    np.testing.assert_array_equal(short.normal, long.normal[:8])
    np.testing.assert_array_equal(short.uniform, long.uniform[:8])


def test_depth_is_taken_at_the_first_crisis_where_one_occurs():
    # With crises made likely, depth is measured early, before the anchor's realignment has
    # deepened the alliance; with crises made rare, it is measured at the horizon, after it has.
    certain = api.run("japan-2026", ["anchor"], n_paths=64, years=5, dtype=np.float64,
                      overrides=["environment.crisis_rate=0.2", "environment.crisis_sensitivity=3.0",
                                 "environment.taiwan_tension=2.5"])
    crisis = certain.crisis.values[0] > 0
    assert crisis.mean() > 0.3
    never = api.run("japan-2026", ["anchor"], n_paths=64, years=5, dtype=np.float64,
                    overrides=["environment.crisis_rate=0.01", "environment.crisis_sensitivity=0.5",
                               "environment.taiwan_tension=0.5"])
    # Anchor deepens the alliance over time, so depth at an early crisis is below depth at the horizon.
    assert certain.depth.values[0][crisis].mean() < never.depth.values[0].mean()


def test_sampled_base_compartmentalisation_keeps_one_baseline_per_path():
    # Regression: the base-year shield must broadcast as [1, P], not [P, P], when the base-year
    # compartmentalisation varies along paths (simulate without a reference normalises there).
    from hedgelab.model.environment import initial_environment
    from hedgelab.model.loop import initial_focal
    from hedgelab.model.step import baseline
    from hedgelab.scenarios import load_scenario, strategies_for
    from hedgelab.analysis.compare import outcome_recorders
    from hedgelab.model import simulate
    from hedgelab.scenarios.compile import compile_params, compile_policies

    scenario = load_scenario("japan-2026")
    params = compile_params(scenario).with_samples({"focal_state.compartmentalisation": np.linspace(0.1, 0.9, 6)})
    base = baseline(params, initial_environment(params, np.zeros(6), np.float64), initial_focal(params, 1, 6, np.float64))
    assert base.intensity["coercion"].shape == (1, 6)
    assert np.all(np.diff(base.intensity["coercion"][0]) < 0)  # more shielding, less coercion
    policy = compile_policies(strategies_for(scenario, ["anchor"]), params)
    recorders = outcome_recorders()
    simulate(params, policy, draw_shocks(0, 0, 6, 4), recorders, dtype=np.float64)
    metrics = recorders[0].result()
    assert metrics["prosperity"].shape == (1, 6)
