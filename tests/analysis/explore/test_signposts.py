"""Signposts scored path by path: a planted per-path warning is found with its lead time and a
false-alarm rate recomputed by a loop; a signpost that only reads the sampled parameter is flagged;
the held-out futures play no part in the fit; ties go to the lowest false-alarm rate, then the
middle; first firings and scores against loops; a sweep end to end."""

import numpy as np
import pytest
import xarray as xr

from hedgelab.analysis.explore.design import make_design, uncertainties
from hedgelab.analysis.explore.quarterly import OBSERVABLES, SERIES
from hedgelab.analysis.explore.signposts import (
    MAX_FALSE_ALARM, OBSERVED_SERIES, choose, first_firing, fit_signposts, scores, signposts, split,
)
from hedgelab.analysis.explore.sweep import load, sweep
from hedgelab.analysis.explore.tipping import Criterion
from hedgelab.errors import HedgelabError
from hedgelab.model.series import PATH_PREFIX
from hedgelab.scenarios import load_scenario
from tests.analysis.explore.synthetic import sweep_like

N, P, Q = 200, 8, 40


def planted(k: int, seed: int = 1):
    """Futures (half tip, in quarter 12..40) with P paths each. On every path of a tipping future
    ``lead`` jumps k quarters before the tipping quarter, give or take a quarter of noise; in futures
    that never tip it stays low (noise only). ``level`` is constant along each path from quarter 1,
    higher in futures that tip: it reads which future the path is in."""
    rng = np.random.default_rng(seed)
    tip = np.where(rng.random(N) < 0.5, rng.integers(12, Q + 1, N), 0).astype(float)
    quarters = np.arange(1, Q + 1)[None, None, :]
    tipped = (tip > 0)[:, None, None]
    jump = tip[:, None, None] - k + rng.integers(0, 2, (N, P, 1))  # k or k − 1 quarters ahead
    lead = rng.random((N, P, Q)) * 0.5 + np.where(tipped & (quarters >= jump), 1.0, 0.0)
    level = np.broadcast_to(np.where(tipped, 1.0, 0.0) + rng.random((N, P, 1)) * 0.5, (N, P, Q)).copy()
    noise = rng.random((N, P, Q))
    tip[tip == 0] = np.nan
    return {"lead": lead, "level": level, "noise": noise}, tip


@pytest.mark.parametrize("k", [3, 8])
def test_a_planted_per_path_signpost_is_found_with_its_lead_time(k):
    signals, tip = planted(k)
    fit, held_out = split(np.arange(N), 0.5, seed=0)
    table, curves, firing = fit_signposts({"lead": signals["lead"], "noise": signals["noise"]}, tip, fit, held_out,
                                  max_false_alarm=0.1)
    best = table.iloc[0]
    assert best["signal"] == "lead" and best["direction"] == "above" and not best["at_once"]
    assert best["heldout_median_lead"] in (k - 1, k) and best["fit_median_lead"] in (k - 1, k)
    assert best["heldout_hit_rate"] == 1.0
    # the held-out false-alarm rate, recomputed by a loop over paths of never-tipping futures
    never = [(f, p) for f in held_out if np.isnan(tip[f]) for p in range(P)]
    fired = sum(any(signals["lead"][f, p, q] > best["threshold"] for q in range(Q)) for f, p in never)
    assert best["heldout_false_alarm_rate"] == pytest.approx(fired / len(never))
    assert best["fit_false_alarm_rate"] <= 0.1 and best["n_paths"] == P
    assert set(curves["signal"]) == {"lead", "noise"}
    lead = firing[firing["signal"] == "lead"]  # the firing quarters add up to the held-out rates
    n_tipped_paths = int(np.isfinite(tip[held_out]).sum()) * P
    assert lead["hit"].sum() == pytest.approx(best["heldout_hit_rate"] * n_tipped_paths)
    assert lead["false_alarm"].sum() == pytest.approx(best["heldout_false_alarm_rate"] * len(never))
    assert lead.loc[lead["hit"] > 0, "quarter"].min() > 12 - k - 2  # no hit fires before the earliest jump


def test_a_signpost_that_reads_the_sampled_future_is_flagged():
    signals, tip = planted(3)
    fit, held_out = split(np.arange(N), 0.5, seed=0)
    table, _, _ = fit_signposts(signals, tip, fit, held_out, max_false_alarm=0.1)
    rows = table.set_index("signal")
    assert rows.loc["level", "at_once"] and rows.loc["level", "fit_first_quarter"] == 1.0
    assert rows.loc["level", "fit_median_fire"] == 1.0
    assert not rows.loc["lead", "at_once"] and rows.loc["lead", "fit_first_quarter"] == 0.0
    assert table.iloc[0]["signal"] == "lead"  # ranked before it although it "warns" longer
    assert rows.loc["level", "fit_warning"] > rows.loc["lead", "fit_warning"]


def test_futures_failing_from_the_start_are_set_aside():
    signals, tip = planted(3)
    tip = tip.copy()
    tip[:20] = 4.0  # tip in the first quarter a 4-quarter rolling objective exists
    fit, held_out = split(np.arange(N), 0.5, seed=0)
    table, _, _ = fit_signposts(signals, tip, fit, held_out, max_false_alarm=0.1, start=4)
    assert table["n_fit_from_start"].iloc[0] + table["n_heldout_from_start"].iloc[0] == 20
    kept = [f for f in held_out if not tip[f] <= 4]
    assert table["n_heldout_tipped"].iloc[0] == int(np.isfinite(tip[kept]).sum())
    assert table.set_index("signal").loc["lead", "heldout_hit_rate"] == 1.0  # hits counted over the rest


def test_held_out_futures_play_no_part_in_the_fit():
    signals, tip = planted(4, seed=3)
    fit, held_out = split(np.arange(N), 0.5, seed=0)
    before, curves_before, _ = fit_signposts(signals, tip, fit, held_out, max_false_alarm=0.1)
    rng = np.random.default_rng(9)
    changed = {name: values.copy() for name, values in signals.items()}
    for values in changed.values():
        values[held_out] = rng.random(values[held_out].shape) * 3.0
    moved = tip.copy()
    moved[held_out] = np.where(rng.random(len(held_out)) < 0.5, rng.integers(5, Q + 1, len(held_out)), np.nan)
    after, curves_after, _ = fit_signposts(changed, moved, fit, held_out, max_false_alarm=0.1)
    fit_columns = ["signal", "direction", "threshold", "at_once", *[c for c in before if c.startswith("fit_")]]
    assert before[fit_columns].equals(after[fit_columns])
    assert curves_before.equals(curves_after)
    assert not before["heldout_warning"].equals(after["heldout_warning"])  # the perturbation did reach them


def test_ties_go_to_the_lowest_false_alarm_rate_then_the_middle():
    fitted = {"warning": np.array([0.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0]),
              "false_alarm_rate": np.array([0.3, 0.15, 0.1, 0.1, 0.1, 0.25, 0.0])}
    assert choose(fitted, 0.2) == 3  # of 1..5 best warning, 0.25 is over the cap, 2..4 have 0.1: the middle
    assert choose({"warning": np.array([0.0, 0.0]), "false_alarm_rate": np.zeros(2)}, 0.2) is None  # no warning
    assert choose({"warning": np.ones(2), "false_alarm_rate": np.ones(2)}, 0.2) is None  # all over the cap


def test_first_firing_and_scores_against_loops():
    rng = np.random.default_rng(5)
    signal = rng.random((30, 3, 10))
    thresholds = np.array([0.2, 0.7, 0.95])
    tip = np.where(rng.random(30) < 0.6, rng.integers(1, 11, 30), np.nan)
    for direction in (1.0, -1.0):
        for hold in (1, 2):
            fires = first_firing(signal, thresholds, direction, hold)
            for i in range(30):
                for p in range(3):
                    for j, c in enumerate(thresholds):
                        beyond = [direction * signal[i, p, q] > direction * c for q in range(10)]
                        when = [q + 1 for q in range(hold - 1, 10) if all(beyond[q - hold + 1: q + 1])]
                        assert (np.isnan(fires[i, p, j]) and not when) or fires[i, p, j] == when[0]
            got = scores(fires, tip, min_lead=2, hold=hold)
            for j in range(len(thresholds)):
                leads = [tip[i] - fires[i, p, j] for i in range(30) for p in range(3) if np.isfinite(tip[i])]
                hit = [x for x in leads if x >= 2]  # NaN (never fired) compares False
                assert got["hit_rate"][j] == pytest.approx(len(hit) / len(leads))
                assert got["warning"][j] == pytest.approx(sum(hit) / len(leads))
                never = [fires[i, p, j] for i in range(30) for p in range(3) if np.isnan(tip[i])]
                assert got["false_alarm_rate"][j] == pytest.approx(np.mean(np.isfinite(never)))
                if hit:
                    assert got["median_lead"][j] == np.median(hit)


def sweep_with_paths(signals: dict, tip_security: np.ndarray) -> xr.Dataset:
    """A sweep-shaped dataset of strategy ``a``: quarterly security, and observables per path and
    as means over the paths."""
    means = {name: values.mean(1)[None] for name, values in signals.items()}
    results = sweep_like({"security": tip_security[None], **means}, np.random.default_rng(0).random((N, 2)), ["a"])
    for name, values in signals.items():
        results[f"{PATH_PREFIX}{name}"] = (("strategy", "sample", "observed_path", "quarter"), values[None])
    return results


def test_the_planted_signpost_through_a_sweep_shaped_dataset():
    signals, tip = planted(5, seed=2)
    quarters = np.arange(1, Q + 1)[None, :]
    security = np.where(np.isfinite(tip)[:, None] & (quarters >= np.nan_to_num(tip)[:, None]), 0.3, 0.6)
    results = sweep_with_paths({"assertiveness": signals["lead"], "convergence": signals["noise"]}, security)
    found = signposts(results, "a", [Criterion("security", 0.45)], observables=["assertiveness", "convergence"],
                      window=1, max_false_alarm=0.1)
    best = found.table.iloc[0]
    assert best["signal"] == "assertiveness" and best["heldout_median_lead"] in (4, 5)
    assert best["unit"] == OBSERVABLES["assertiveness"].unit
    assert len(found.fit) + len(found.held_out) == N and not set(found.fit) & set(found.held_out)
    with pytest.raises(HedgelabError, match="observable: expected at least one"):
        signposts(results, "a", [Criterion("security", 0.45)], observables=[], window=1)
    with pytest.raises(HedgelabError, match="min_lead: expected a whole number of quarters from 0 to 39"):
        signposts(results, "a", [Criterion("security", 0.45)], observables=["assertiveness"], window=1, min_lead=40)
    with pytest.raises(HedgelabError, match="criteria: expected criteria .* under which some futures tip"):
        signposts(results, "a", [Criterion("security", -1.0)], observables=["assertiveness"], window=1)


def test_a_sweep_without_per_path_observables_is_refused_in_one_line():
    _signals, tip = planted(3)
    results = sweep_like({"security": np.full((1, N, Q), 0.6), "assertiveness": np.zeros((1, N, Q))},
                         np.zeros((N, 1)), ["a"])
    with pytest.raises(HedgelabError, match="re-run hedgelab explore --quarterly") as err:
        signposts(results, "a", [Criterion("security", 0.45)], observables=["assertiveness"])
    assert len(err.value.lines) == 1


@pytest.mark.slow
def test_signposts_of_a_sweep_end_to_end():
    scenario = load_scenario("japan-2026")
    design = make_design(uncertainties(scenario, ["environment.assertiveness_mean", "environment.convergence_speed"]),
                         24, "lhs", seed=1)
    results = sweep(scenario, ["dual_hedge", "anchor"], design, paths_per_sample=16, years=3, seed=0, series=SERIES,
                    observed=OBSERVED_SERIES, observed_paths=99)
    assert results.sizes["observed_path"] == 16  # all the paths there are: their mean is the stored mean
    for name in OBSERVED_SERIES:
        assert np.allclose(results[f"{PATH_PREFIX}{name}"].mean("observed_path"), results[f"quarterly_{name}"],
                           atol=1e-5)
    threshold = float(results["quarterly_security"].sel(strategy="dual_hedge").isel(quarter=-1).median())
    found = signposts(results, "dual_hedge", [Criterion("security", threshold)], held_out=0.5, seed=3)
    assert set(found.table["signal"]) == set(OBSERVABLES)
    scored = found.table.dropna(subset=["threshold"])
    assert ((scored["fit_false_alarm_rate"] <= MAX_FALSE_ALARM) & (scored["heldout_hit_rate"].between(0, 1))).all()
    assert found.table.attrs["strategy"] == "dual_hedge" and found.table.attrs["criteria"] == [f"security >= {threshold:g}"]


@pytest.mark.slow
def test_per_path_observables_are_stored_and_resumed(tmp_path):
    scenario = load_scenario("japan-2026")
    design = make_design(uncertainties(scenario, ["environment.assertiveness_mean"]), 4, "lhs", seed=1)
    kwargs = dict(paths_per_sample=6, years=1, seed=0, series=SERIES, observed=OBSERVED_SERIES, observed_paths=3,
                  samples_per_chunk=2)
    whole = sweep(scenario, ["dual_hedge"], design, out=tmp_path / "a", **kwargs)
    chunks = sorted((tmp_path / "a" / "chunks").glob("samples-*.parquet"))
    chunks[-1].unlink()  # the last chunk unfinished: its paths file is left behind and rewritten
    resumed = sweep(scenario, ["dual_hedge"], design, out=tmp_path / "a", **kwargs)
    loaded = load(tmp_path / "a")
    for name in OBSERVED_SERIES:
        stored = f"{PATH_PREFIX}{name}"
        assert whole[stored].shape == (1, 4, 3, 4)
        assert np.array_equal(whole[stored], resumed[stored]) and np.array_equal(whole[stored], loaded[stored])
    with pytest.raises(HedgelabError, match="keeps 3 observed paths per future, this request 2"):
        sweep(scenario, ["dual_hedge"], design, out=tmp_path / "a", **{**kwargs, "observed_paths": 2})
    earlier = sweep(scenario, ["dual_hedge"], design, out=tmp_path / "b", **{**kwargs, "observed": ()})
    assert not any(v.startswith(PATH_PREFIX) for v in load(tmp_path / "b").data_vars)  # a sweep without them loads
    with pytest.raises(HedgelabError, match="re-run hedgelab explore --quarterly"):
        signposts(earlier, "dual_hedge", [Criterion("security", 0.45)])
