"""Tipping points: quarterly series of a sweep equal a direct recomputation; the tipping quarter
against a brute-force search; a strategy that never fails never tips; a planted early-tipping
region is found by PRIM."""

import numpy as np
import pytest

from hedgelab.analysis import runner
from hedgelab.analysis.explore.design import make_design, uncertainties
from hedgelab.analysis.explore.sweep import load, sweep
from hedgelab.analysis.explore.tipping import Criterion, failing, tipping, tipping_quarter
from hedgelab.analysis.prepare import prepare
from hedgelab.errors import HedgelabError
from hedgelab.model.recorders import Trajectory
from hedgelab.scenarios import load_scenario
from tests.analysis.explore.synthetic import sweep_like

STRATEGIES = ["dual_hedge", "anchor"]
NAMES = ["environment.assertiveness_mean", "events.coercion_severity"]
P, YEARS, SEED = 32, 2, 4
SERIES = ("security", "prosperity", "coercion", "assertiveness", "unreliability")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("japan-2026")


@pytest.fixture(scope="module")
def design(scenario):
    return make_design(uncertainties(scenario, NAMES), 4, "lhs", seed=2)


@pytest.fixture(scope="module")
def results(scenario, design, tmp_path_factory):
    out = tmp_path_factory.mktemp("tipping") / "sweep"
    found = sweep(scenario, STRATEGIES, design, paths_per_sample=P, years=YEARS, seed=SEED, workers=1,
                  samples_per_chunk=3, series=SERIES, out=out)
    return found, out


def test_quarterly_means_equal_a_direct_trajectory_run(scenario, design, results):
    found, out = results
    sample = 3
    values = {name: np.full(P, design.samples[sample, i]) for i, name in enumerate(NAMES)}
    prepared = prepare(scenario, STRATEGIES, None, values, P)
    direct = runner.run(prepared, [Trajectory(("security", "coercion", "assertiveness"))], n_paths=P, years=YEARS,
                        seed=SEED, workers=1, shock_period=P)
    for name in ("security", "coercion", "assertiveness"):
        expected = direct.outputs[name][1].astype(np.float64).mean(1)  # [strategy, quarter]
        got = found[f"quarterly_{name}"].sel(sample=sample).transpose("strategy", "quarter").values
        np.testing.assert_allclose(got, expected, rtol=1e-12)
    unreliability = found["quarterly_unreliability"].sel(sample=sample, strategy="anchor").values
    assert np.all((unreliability >= 0) & (unreliability <= 1))
    stored = load(out)  # two chunks (samples 0-2, 3) read back
    for name in SERIES:
        np.testing.assert_array_equal(stored[f"quarterly_{name}"].values, found[f"quarterly_{name}"].values)
    assert stored.quarter.values.tolist() == list(range(1, 4 * YEARS + 1))


def test_a_sweep_without_series_is_refused_with_one_line(scenario, design):
    plain = sweep(scenario, STRATEGIES, design, paths_per_sample=8, years=1, seed=0, workers=1)
    with_series = sweep(scenario, STRATEGIES, design, paths_per_sample=8, years=1, seed=0, workers=1, series=SERIES)
    for name in plain.data_vars:  # keeping the series changes no metric
        np.testing.assert_array_equal(plain[name].values, with_series[name].values)
    assert len(with_series.data_vars) == len(plain.data_vars) + len(SERIES)
    with pytest.raises(HedgelabError, match="explore --quarterly"):
        tipping(plain, "dual_hedge", [Criterion("security", 0.4)])
    with pytest.raises(HedgelabError, match="per-quarter series names"):
        sweep(scenario, STRATEGIES, design, paths_per_sample=8, years=1, seed=0, series=["securty"])


def test_tipping_quarter_against_a_brute_force_search():
    rng = np.random.default_rng(3)
    fails = rng.random((500, 12)) < 0.8
    fails[:50] = True  # fails from the start
    fails[50:100, -1] = False  # meets the criterion in the last quarter
    got = tipping_quarter(fails)
    for row, quarter in zip(fails, got):
        candidates = [q for q in range(12) if row[q:].all()]
        assert (np.isnan(quarter) and not candidates) or quarter == candidates[0] + 1
    assert np.all(got[:50] == 1) and np.all(np.isnan(got[50:100]))


def test_a_strategy_that_never_fails_never_tips_and_one_that_always_fails_tips_at_once(results):
    found, _ = results
    never = tipping(found, "dual_hedge", [Criterion("security", -1.0)])  # security is an index in [0, 1]
    assert never.share_never == 1.0 and never.dates["tip_quarter"].isna().all() and never.box is None
    assert never.distribution["tipped"].sum() == 0 and never.quantiles()["p10"] == np.inf
    always = tipping(found, "dual_hedge", [Criterion("security", 2.0)], window=4)
    assert always.share_never == 0.0 and (always.dates["tip_quarter"] == 4).all()  # the first rolling quarter
    assert always.distribution["cumulative_share"].iloc[-1] == 1.0
    # a strategy compared with itself never falls below itself
    assert tipping(found, "anchor", [Criterion("prosperity", versus="anchor")]).share_never == 1.0


def test_rolling_criteria_against_an_independent_recomputation(results):
    found, _ = results
    criteria = [Criterion("security", float(found["quarterly_security"].median())),
                Criterion("rate_coercion", 0.5), Criterion("prosperity", versus="anchor")]
    fails = failing(found, "dual_hedge", criteria, window=3).values
    for sample in range(found.sizes["sample"]):
        def rolled(name, strategy, scale=1.0):
            x = found[f"quarterly_{name}"].sel(strategy=strategy, sample=sample).values * scale
            return np.array([np.nan, np.nan, *np.convolve(x, np.ones(3) / 3, mode="valid")])
        expected = ((rolled("security", "dual_hedge") < criteria[0].threshold)
                    | (rolled("coercion", "dual_hedge", 4.0) > 0.5)  # a risk: fails above its threshold
                    | (rolled("prosperity", "dual_hedge") < rolled("prosperity", "anchor")))
        np.testing.assert_array_equal(fails[sample], expected)
    result = tipping(found, "dual_hedge", criteria, window=3)
    np.testing.assert_array_equal(result.dates["tip_quarter"].to_numpy(), tipping_quarter(fails))
    with pytest.raises(HedgelabError, match="a strategy of the sweep"):
        tipping(found, "dual_hedge", [Criterion("security", versus="anchr")])
    with pytest.raises(HedgelabError, match="one of security"):
        tipping(found, "dual_hedge", [Criterion("securty", 0.4)])


@pytest.mark.slow
def test_prim_finds_the_futures_that_tip_early():
    rng = np.random.default_rng(0)
    n, n_quarters = 300, 40
    design = rng.random((n, 3))
    tip = np.where(design[:, 1] > 0.6, 8, np.where(design[:, 0] > 0.5, 30, n_quarters + 1))
    security = np.where(np.arange(1, n_quarters + 1)[None, :] >= tip[:, None], 0.3, 0.6)
    results = sweep_like({"security": security[None]}, design, ["a"])
    found = tipping(results, "a", [Criterion("security", 0.45)], window=1, early_year=3.0,
                    density_target=1.0)
    assert np.array_equal(found.dates["tip_quarter"].fillna(0).to_numpy(), np.where(tip <= n_quarters, tip, 0))
    assert found.share_never == pytest.approx(np.mean(tip > n_quarters))
    assert found.distribution.set_index("year").loc[2, "tipped"] == np.sum(tip == 8)
    limits = found.box.limits.set_index("parameter")
    assert list(limits.index) == ["x1"] and limits.loc["x1", "low"] == pytest.approx(0.6, abs=0.03)
    assert found.box.density == 1.0 and found.box.coverage == 1.0


def test_futures_failing_from_the_start_are_counted_apart():
    # futures 0-2 fail from the first rolling quarter (window 2 -> quarter 2); 3-4 tip in quarter 6; 5 never
    n_quarters, window = 12, 2
    tip = np.array([1, 1, 1, 6, 6, 99])
    security = np.where(np.arange(1, n_quarters + 1)[None, :] >= tip[:, None], 0.3, 0.6)
    found = tipping(sweep_like({"security": security[None]}, np.random.default_rng(0).random((6, 2)), ["a"]), "a",
                    [Criterion("security", 0.4)], window=window, box=False)
    assert found.dates["tip_quarter"].fillna(0).tolist() == [2, 2, 2, 7, 7, 0]  # rolling mean of 2 quarters
    assert found.dates["from_start"].tolist() == [True, True, True, False, False, False]
    assert found.share_from_start == 0.5
    assert found.distribution["from_start"].tolist() == [3, 0, 0] and found.distribution["tipped"].tolist() == [3, 2, 0]
    # over all futures p10 is the start; without them, 2 of 3 remaining tip in year 7/4 and one never
    assert found.quantiles((0.1,))["p10"] == 0.5
    later = found.quantiles((0.1, 0.9), from_start=False)
    assert later["p10"] == 7 / 4 and later["p90"] == np.inf


def test_bad_criteria_windows_and_early_years_are_refused_with_one_line(results):
    found, _ = results  # 2 years: 8 quarters
    cases = [([Criterion("security", float("nan"))], {}, "threshold: expected a finite number for security"),
             ([Criterion("security", float("inf"))], {}, "threshold: expected a finite number"),
             ([Criterion("security", 0.4), Criterion("security", 0.5)], {}, "security is given twice"),
             ([Criterion("security", 0.4)], {"window": 9}, "window: expected a whole number of quarters from 1 to "
                                                             "the sweep's horizon, 8 \\(got 9\\)"),
             ([Criterion("security", 0.4)], {"window": 0}, "window: expected"),
             ([Criterion("security", 0.4)], {"early_year": -1.0}, "early_year: expected years in \\(0, 2\\]"),
             ([Criterion("security", 0.4)], {"early_year": float("nan")}, "early_year: expected"),
             ([Criterion("security", 0.4)], {"early_year": 2.5}, "early_year: expected")]
    for criteria, kwargs, message in cases:
        with pytest.raises(HedgelabError, match=message) as err:
            tipping(found, "dual_hedge", criteria, **kwargs)
        assert len(err.value.lines) == 1
    # a threshold and a comparison on the same metric are two criteria, not a duplicate
    both = tipping(found, "dual_hedge", [Criterion("prosperity", 0.0), Criterion("prosperity", versus="anchor")],
                   window=8, early_year=2.0, box=False)
    assert both.window == 8
