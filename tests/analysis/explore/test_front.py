"""The trilemma front: its points are mutually non-dominated, every named strategy is on it or
dominated by one of its points, distances and objectives agree with independent recomputations,
and the pilot's path count meets the precision rule."""

import numpy as np
import pytest

from hedgelab.analysis import compare
from hedgelab.analysis.explore.front import OBJECTIVES, front, igd_plus, levers, paths_for, strategy_from
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
