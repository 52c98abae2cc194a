"""Strategic triangle (Dittmer 1981) and structural balance (Cartwright-Harary)."""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgelab.errors import HedgelabError
from hedgelab.games.triangle import (
    CONFIGURATIONS,
    classify_triangle,
    solve_triangle,
    structural_balance,
    triangle_positions,
)

rel = st.floats(-1.0, 1.0).filter(lambda x: abs(x) > 1e-6)


@pytest.mark.parametrize(
    "r01,r02,r12,config,pivot,pariah",
    [
        (0.5, 0.5, 0.5, "ménage à trois", -1, -1),
        (-0.5, 0.5, 0.5, "romantic triangle", 2, -1),  # US-China hostile, focal courted by both
        (0.5, 0.5, -0.5, "romantic triangle", 0, -1),  # the US as pivot
        (0.5, -0.5, 0.5, "romantic triangle", 1, -1),  # China as pivot
        (-0.5, 0.8, -0.3, "stable marriage", -1, 1),  # US-focal marriage, China pariah
        (0.6, -0.2, -0.4, "stable marriage", -1, 2),  # US-China condominium over the focal state
        (-0.5, -0.5, -0.5, "unit-veto", -1, -1),
    ],
)
def test_canonical_configurations(r01: float, r02: float, r12: float, config: str, pivot: int,
                                  pariah: int) -> None:
    c, p, q = classify_triangle(r01, r02, r12)
    assert CONFIGURATIONS[int(c)] == config
    assert int(p) == pivot and int(q) == pariah
    pos = triangle_positions(r01, r02, r12)
    if pivot >= 0:
        assert int(np.argmax(pos)) == pivot  # the pivot holds the best position
    if pariah >= 0:
        assert int(np.argmin(pos)) == pariah  # the pariah the worst


def test_solve_triangle_defaults_make_the_focal_state_a_pivot() -> None:
    out = solve_triangle()
    assert CONFIGURATIONS[int(out["configuration"])] == "romantic triangle"
    assert out["focal_is_pivot"] == 1.0
    marriage = solve_triangle(china_focal=-0.4)
    assert marriage["focal_is_pivot"] == 0.0 and marriage["pariah"] == 1.0


@settings(max_examples=60, deadline=None)
@given(r01=rel, r02=rel, r12=rel)
def test_relabelling_permutes_roles_and_positions(r01: float, r02: float, r12: float) -> None:
    r = {(0, 1): r01, (0, 2): r02, (1, 2): r12}
    base_c, base_p, base_q = classify_triangle(r01, r02, r12)
    base_pos = triangle_positions(r01, r02, r12)
    for perm in permutations(range(3)):  # actor i becomes perm[i]
        new = {tuple(sorted((perm[i], perm[j]))): v for (i, j), v in r.items()}
        c, p, q = classify_triangle(new[(0, 1)], new[(0, 2)], new[(1, 2)])
        pos = triangle_positions(new[(0, 1)], new[(0, 2)], new[(1, 2)])
        assert c == base_c
        assert p == (perm[int(base_p)] if base_p >= 0 else -1)
        assert q == (perm[int(base_q)] if base_q >= 0 else -1)
        for i in range(3):
            assert pos[perm[i]] == pytest.approx(float(base_pos[i]))
        assert all(-3.0 <= float(x) <= 3.0 for x in pos)


def test_structural_balance_two_camps() -> None:
    relations = {
        ("US", "Japan"): 0.8, ("US", "Australia"): 0.9, ("Japan", "Australia"): 0.6,
        ("China", "Russia"): 0.7, ("US", "China"): -0.6, ("Japan", "China"): -0.3,
        ("Australia", "China"): -0.4, ("US", "Russia"): -0.8,
    }
    report = structural_balance(relations, "Japan")
    assert report.is_balanced and report.balance_index == 1.0
    assert report.unbalanced_triads == () and report.focal_pivot_triads == ()
    assert report.camps is not None
    assert {frozenset(c) for c in report.camps} == {
        frozenset({"US", "Japan", "Australia"}), frozenset({"China", "Russia"})
    }


def test_structural_balance_finds_the_focal_pivot() -> None:
    relations = {
        ("US", "China"): -0.6, ("US", "Japan"): 0.8, ("China", "Japan"): 0.2,
        ("Japan", "India"): 0.5, ("US", "India"): 0.4, ("China", "India"): -0.5,
        ("Japan", "Russia"): -0.1, ("China", "Russia"): 0.7,
    }
    report = structural_balance(relations, "Japan")
    assert not report.is_balanced and report.camps is None
    assert set(report.focal_pivot_triads) == {("China", "Japan", "US"), ("China", "India", "Japan")}
    # Japan-China-Russia is unbalanced too (one negative tie) but Japan is not its pivot
    assert ("China", "Japan", "Russia") in report.unbalanced_triads
    assert report.n_triads == 5
    assert report.balance_index == pytest.approx(2 / 5)


@pytest.mark.parametrize(
    "relations",
    [{("US", "China"): 1.5}, {("US", "US"): 0.5}, {("US", "China"): float("nan")}],
)
def test_structural_balance_rejects_bad_relations(relations: dict[tuple[str, str], float]) -> None:
    with pytest.raises(HedgelabError) as err:
        structural_balance(relations, "US")
    assert err.value.lines and err.value.lines[0].startswith("games balance: ")


def test_structural_balance_requires_the_focal_node() -> None:
    with pytest.raises(HedgelabError, match="focal"):
        structural_balance({("US", "China"): -0.5}, "Japan")
