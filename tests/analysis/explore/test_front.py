"""The trilemma front: its points are mutually non-dominated, every named strategy is on it or
dominated by one of its points, distances and objectives agree with independent recomputations,
and the pilot's path count meets the precision rule."""

import numpy as np
import pytest

from hedgelab.analysis import compare
from hedgelab.analysis.explore.front import OBJECTIVES, front, igd_plus, lever_values, levers, paths_for, strategy_from
from hedgelab.analysis.summary import summarise
from hedgelab.errors import HedgelabError
from hedgelab.scenarios import load_scenario, strategies_for


def dominates(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.all(a >= b) and np.any(a > b))


@pytest.fixture(scope="module")
def found():
    return front("japan-2026", n_paths=64, years=2, seed=3, population=8, generations=3, workers=1)


def test_front_points_are_mutually_non_dominated_and_every_named_strategy_is_on_or_below_it(found):
    points = found.points[list(OBJECTIVES)].to_numpy()
    assert len(points) >= 2
    for i, a in enumerate(points):
        assert not any(dominates(b, a) for j, b in enumerate(points) if j != i)
    named = found.named.set_index("strategy")
    assert list(named.index) == list(strategies_for(load_scenario("japan-2026"), None))
    for name, row in named.iterrows():
        p = row[list(OBJECTIVES)].to_numpy(dtype=float)
        below = [label for label, q in zip(found.points["point"], points) if dominates(q, p)]
        assert row["on_front"] or below, name
        assert row["on_front"] == (not below)  # on it exactly when nothing on it dominates it
        assert (row["distance"] == 0) == row["on_front"]
        assert row["dominated_by"] in (below or [""])
    # distances recomputed by a loop: smallest norm of the shortfall, in units of the front's range
    scale = points.max(0) - points.min(0)
    for name, row in named.iterrows():
        p = row[list(OBJECTIVES)].to_numpy(dtype=float)
        expected = min(np.sqrt(sum((max(q[k] - p[k], 0.0) / scale[k]) ** 2 for k in range(3))) for q in points)
        assert row["distance"] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_a_front_point_equals_a_comparison_run_with_its_levers(found):
    chosen = levers()
    row = found.points[found.points["origin"] == "search"].iloc[0]
    strategy = strategy_from(row[[lever.name for lever in chosen]].to_numpy(dtype=float), chosen)
    single = summarise(compare.run("japan-2026", {"candidate": strategy}, n_paths=64, years=2, seed=3, workers=1))
    for name in OBJECTIVES:
        got = single[(single.metric == name)]["mean"].iloc[0]
        assert got == pytest.approx(row[name], rel=1e-9)
        assert single[(single.metric == name)]["stderr"].iloc[0] == pytest.approx(row[f"{name}_se"], rel=1e-6)
    assert found.recheck["seed"] == 4 and 0 <= found.recheck["share_still_non_dominated"] <= 1
    assert set(found.settings["se_over_range"]) == set(OBJECTIVES)


def test_paths_rule_and_distance_by_hand():
    # sd 0.05 over a range of 0.1 needs (0.05 / 0.001)^2 = 2,500 paths: rounded up to 3 blocks of 1,024
    assert paths_for(np.array([0.05, 0.001]), np.array([0.1, 0.1])) == 3072
    assert paths_for(np.array([1e-6]), np.array([1.0])) == 1024
    front_points = np.array([[1.0, 0.0], [0.0, 1.0]])
    got = igd_plus(np.array([[0.5, 0.5], [1.0, 0.0], [0.0, 0.0]]), front_points, np.ones(2))
    np.testing.assert_allclose(got, [0.5, 0.0, 1.0])


def test_levers_come_from_the_schema_and_bad_requests_are_one_line():
    names = [lever.name for lever in levers()]
    assert "patron.security" in names and "defence_shift" in names and "description" not in names
    defence = levers(["defence_shift"])[0]
    assert (defence.low, defence.high) == (-1.0, 3.0) and defence.unit == "percentage points of GDP"
    with pytest.raises(HedgelabError, match="did you mean defence_shift"):
        levers(["defence_shif"])
    with pytest.raises(HedgelabError, match="n_paths: expected a whole number from 1"):
        front("japan-2026", n_paths=0, years=1, population=4, generations=1)
    with pytest.raises(HedgelabError, match="population: expected at least 4"):
        front("japan-2026", n_paths=16, years=1, population=2, generations=1)


class Synthetic:
    """A stand-in for the model: objectives a known function of three levers plus seed-dependent
    noise of ``noise``, standard deviation ``sd`` per path (so a standard error ``sd / √n``)."""

    chosen = ("defence_shift", "patron.security", "compartmentalisation")

    def __init__(self, sd: float, noise: float) -> None:
        self.sd, self.noise = sd, noise

    def values(self, x: np.ndarray, seed: int) -> np.ndarray:
        lever = levers(list(self.chosen))
        u = (x - np.array([l.low for l in lever])) / np.array([l.high - l.low for l in lever])
        base = np.array([u[0], u[1], 1.0 - 0.5 * (u[0] + u[1]) - 0.6 * u[2]])
        rng = np.random.default_rng([seed, *np.frombuffer(np.round(x, 12).tobytes(), dtype=np.uint32)])
        return base + self.noise * rng.standard_normal(3)

    def __call__(self, scenario, strategies, *, n_paths, years, seed, workers=None):
        chosen = levers(list(self.chosen))
        means = np.array([self.values(lever_values(s, chosen), seed) for s in strategies.values()])
        return means, np.full_like(means, self.sd / np.sqrt(n_paths))


def non_dominated_by_hand(points: np.ndarray) -> np.ndarray:
    return np.array([not any(dominates(q, p) for q in points) for p in points])


def test_the_recheck_reevaluates_the_layers_behind_the_front_and_shifts_are_in_se_of_a_difference(monkeypatch):
    from hedgelab.analysis.explore import front as module
    from hedgelab.analysis.explore.front import RECHECK_LAYERS, RECHECK_SEED_OFFSET

    model = Synthetic(sd=0.5, noise=0.05)
    monkeypatch.setattr(module, "evaluate", model)
    found = front("japan-2026", lever_names=list(Synthetic.chosen), n_paths=64, years=1, seed=5, population=12,
                  generations=4)
    chosen = levers(list(Synthetic.chosen))
    named = strategies_for(load_scenario("japan-2026"), None)
    searched = found.points  # the search's evaluations are not exposed: rebuild them the way NSGA-II drew them
    # every evaluation on the search seed, recomputed from the levers: named strategies and front points ...
    x_named = np.array([lever_values(s, chosen) for s in named.values()])
    x_front = searched[list(Synthetic.chosen)].to_numpy(dtype=float)
    fresh = 5 + RECHECK_SEED_OFFSET
    assert found.recheck["seed"] == fresh and found.recheck["layers"] == RECHECK_LAYERS
    # the fresh values of every re-checked point are the model's at the fresh seed; the front's
    # points still non-dominated among them, by hand
    rechecked = found.recheck["n_rechecked"]
    assert rechecked > len(x_named) + (searched["origin"] == "search").sum()  # more than the front and the named
    fresh_front = np.array([model.values(x, fresh) for x in x_front])
    shift = np.abs(fresh_front - searched[list(OBJECTIVES)].to_numpy())
    se = 0.5 / np.sqrt(64)
    assert found.recheck["max_shift_over_se"] == pytest.approx(shift.max() / (se * np.sqrt(2)), rel=1e-9)
    # front-only recheck (the old rule) against the layered one: points from behind can overtake
    fresh_named = np.array([model.values(x, fresh) for x in x_named])
    front_only = non_dominated_by_hand(np.vstack([fresh_front, fresh_named]))[:len(fresh_front)].mean()
    joined = found.recheck["joined_from_behind"]
    assert joined and found.recheck["share_still_non_dominated"] < front_only  # the layers change the verdict
    assert all(label.startswith("point") and label not in set(searched["point"]) for label in joined)


def test_a_standard_error_above_the_precision_target_warns_and_says_why(monkeypatch, caplog):
    from hedgelab.analysis.explore import front as module
    from hedgelab.analysis.explore.front import MAX_PATHS, PILOT_PATHS

    small = dict(lever_names=list(Synthetic.chosen), years=1, seed=2, population=8, generations=2)
    monkeypatch.setattr(module, "evaluate", Synthetic(sd=0.5, noise=0.0))
    given = front("japan-2026", n_paths=64, **small)  # se 0.0625 over a range near 1
    assert max(given.settings["se_over_range"].values()) > 0.01 and not given.settings["precision_met"]
    assert "n_paths = 64 was given" in given.warning and given.warning in caplog.text
    # the pilot's rule sizes paths from the pilot's range; the ratio is over the front's (narrower here)
    narrow = front("japan-2026", **small)
    assert max(narrow.settings["se_over_range"].values()) > 0.01 and narrow.settings["n_paths"] < MAX_PATHS
    assert "the pilot's range understated the front's" in narrow.warning
    met = front("japan-2026", precision=0.1, **small)
    assert met.warning is None and met.settings["precision_met"]
    assert max(met.settings["se_over_range"].values()) <= 0.1
    monkeypatch.setattr(module, "evaluate", Synthetic(sd=5.0, noise=0.0))
    capped = front("japan-2026", **small)
    assert capped.settings["n_paths"] == MAX_PATHS and capped.settings["paths_needed"] > MAX_PATHS
    assert f"capped at MAX_PATHS = {MAX_PATHS:,}" in capped.warning and capped.settings["pilot_paths"] == PILOT_PATHS


def test_settings_record_overrides_version_and_parameter_hash(monkeypatch):
    import hedgelab
    from hedgelab.analysis.explore import front as module
    from hedgelab.analysis.provenance import param_hash

    monkeypatch.setattr(module, "evaluate", Synthetic(sd=0.5, noise=0.0))
    small = dict(lever_names=["defence_shift"], n_paths=64, years=1, seed=2, population=4, generations=1)
    plain = front("japan-2026", **small)
    changed = front("japan-2026", overrides=["environment.assertiveness_mean=0.9"], **small)
    assert plain.settings["overrides"] == [] and changed.settings["overrides"] == ["environment.assertiveness_mean=0.9"]
    assert plain.settings["version"] == hedgelab.__version__
    scenario = load_scenario("japan-2026")
    assert plain.settings["param_hash"] == param_hash(scenario, strategies_for(scenario, None), "")
    assert changed.settings["param_hash"] != plain.settings["param_hash"]
    with pytest.raises(HedgelabError, match="levers: expected at least one lever name"):
        levers([])
