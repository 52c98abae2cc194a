"""Signposts: a planted leading variable is found with its lead time on held-out futures; scores
against a loop over futures; first crossings against a brute-force search; a sweep end to end."""

import numpy as np
import pytest

from hedgelab.analysis.explore.design import make_design, uncertainties
from hedgelab.analysis.explore.quarterly import OBSERVABLES, SERIES
from hedgelab.analysis.explore.signposts import first_crossing, fit_signposts, scores, signposts, split
from hedgelab.analysis.explore.sweep import sweep
from hedgelab.analysis.explore.tipping import Criterion
from hedgelab.errors import HedgelabError
from hedgelab.scenarios import load_scenario
from tests.analysis.explore.synthetic import sweep_like

N, Q = 400, 40


def planted(k: int, seed: int = 1):
    """Futures where ``lead`` jumps k quarters before the strategy tips (never in futures that do
    not tip), ``late`` jumps when it tips, ``noise`` is unrelated; security tips at ``tip``."""
    rng = np.random.default_rng(seed)
    tip = np.where(rng.random(N) < 0.5, rng.integers(12, Q + 1, N), 0).astype(float)
    quarters = np.arange(1, Q + 1)[None, :]
    tipped = tip[:, None] > 0
    lead = rng.random((N, Q)) * 0.5 + np.where(tipped & (quarters >= tip[:, None] - k), 1.0, 0.0)
    late = rng.random((N, Q)) * 0.5 + np.where(tipped & (quarters >= tip[:, None]), 1.0, 0.0)
    noise = rng.random((N, Q))
    security = np.where(tipped & (quarters >= tip[:, None]), 0.3, 0.6)
    tip[tip == 0] = np.nan
    return {"lead": lead, "late": late, "noise": noise}, security, tip


@pytest.mark.parametrize("k", [3, 8])
def test_a_planted_signpost_is_found_with_its_lead_time(k):
    signals, _security, tip = planted(k)
    fit, held_out = split(np.arange(N), 0.5, seed=0)
    table, curves = fit_signposts(signals, tip, fit, held_out, max_false_alarm=0.1)
    best = table.iloc[0]
    assert best["signal"] == "lead" and best["direction"] == "above"
    assert best["heldout_median_lead"] == k and best["fit_median_lead"] == k
    assert best["heldout_hit_rate"] == 1.0 and best["heldout_false_alarm_rate"] <= 0.2
    assert best["fit_false_alarm_rate"] <= 0.1
    late = table.set_index("signal").loc["late"]
    assert late["fit_warning"] < 1.0 < best["fit_warning"]  # jumping when it tips is no warning
    assert set(curves["signal"]) == {"lead", "late", "noise"}


def test_the_planted_signpost_through_a_sweep_shaped_dataset():
    signals, security, tip = planted(5, seed=2)
    series = {"security": security[None], **{name: signals["lead"][None] for name in ("assertiveness",)},
              "convergence": signals["noise"][None]}
    results = sweep_like(series, np.random.default_rng(0).random((N, 2)), ["a"])
    found = signposts(results, "a", [Criterion("security", 0.45)], observables=["assertiveness", "convergence"],
                      window=1, max_false_alarm=0.1)
    assert np.array_equal(found.tipping.dates["tip_quarter"].to_numpy(), tip, equal_nan=True)
    best = found.table.iloc[0]
    assert best["signal"] == "assertiveness" and best["heldout_median_lead"] == 5
    assert best["unit"] == OBSERVABLES["assertiveness"].unit
    assert len(found.fit) + len(found.held_out) == N and not set(found.fit) & set(found.held_out)


def test_first_crossing_and_scores_against_loops():
    rng = np.random.default_rng(5)
    signal = rng.random((60, 10))
    thresholds = np.array([0.2, 0.7, 0.95])
    tip = np.where(rng.random(60) < 0.6, rng.integers(1, 11, 60), np.nan)
    for direction in (1.0, -1.0):
        fires = first_crossing(signal, thresholds, direction)
        for i in range(60):
            for j, c in enumerate(thresholds):
                hits = [q + 1 for q in range(10) if direction * signal[i, q] >= direction * c]
                assert (np.isnan(fires[i, j]) and not hits) or fires[i, j] == hits[0]
        got = scores(fires, tip, min_lead=2)
        for j in range(len(thresholds)):
            leads = [tip[i] - fires[i, j] for i in range(60) if np.isfinite(tip[i])]
            hit = [x for x in leads if x >= 2]  # NaN (never fired) compares False
            assert got["hit_rate"][j] == pytest.approx(len(hit) / len(leads))
            assert got["warning"][j] == pytest.approx(sum(hit) / len(leads))
            never = [fires[i, j] for i in range(60) if np.isnan(tip[i])]
            assert got["false_alarm_rate"][j] == pytest.approx(np.mean(np.isfinite(never)))
            if hit:
                assert got["median_lead"][j] == np.median(hit)


def test_signposts_need_futures_that_tip_and_futures_that_do_not():
    signals, _security, tip = planted(3)
    with pytest.raises(HedgelabError, match="futures that tip and futures that never tip"):
        fit_signposts(signals, np.full(N, np.nan), np.arange(200), np.arange(200, N))
    with pytest.raises(HedgelabError, match="min_lead: expected a whole number of quarters of at least 0"):
        fit_signposts(signals, tip, np.arange(200), np.arange(200, N), min_lead=-1)
    with pytest.raises(HedgelabError, match="held_out: expected a share"):
        split(np.arange(N), 1.0, 0)


@pytest.mark.slow
def test_signposts_of_a_sweep_end_to_end():
    scenario = load_scenario("japan-2026")
    design = make_design(uncertainties(scenario, ["environment.assertiveness_mean", "environment.convergence_speed"]),
                         24, "lhs", seed=1)
    results = sweep(scenario, ["dual_hedge", "anchor"], design, paths_per_sample=16, years=3, seed=0, series=SERIES)
    threshold = float(results["quarterly_security"].sel(strategy="dual_hedge").isel(quarter=-1).median())
    found = signposts(results, "dual_hedge", [Criterion("security", threshold)], held_out=0.5, seed=3)
    assert set(found.table["signal"]) == set(OBSERVABLES)
    scored = found.table.dropna(subset=["threshold"])
    assert ((scored["fit_false_alarm_rate"] <= 0.2) & (scored["heldout_hit_rate"].between(0, 1))).all()
    assert found.table.attrs["strategy"] == "dual_hedge" and found.table.attrs["criteria"] == [f"security >= {threshold:g}"]
