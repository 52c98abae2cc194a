"""Alliance security dilemma: closed forms, brute force, comparative statics, monotonicity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import lambertw

from hedgelab.games.dilemma import (
    DILEMMA_PARAMS,
    abandonment_intensity,
    best_commitment,
    entrapment_intensity,
    solve_dilemma,
)

DEFAULTS = {p.name: p.default for p in DILEMMA_PARAMS}
unit = st.floats(0.0, 1.0)


def test_best_commitment_is_interior_at_defaults() -> None:
    best = float(solve_dilemma()["best_commitment"])
    assert 0.05 < best < 0.95


def test_best_commitment_matches_lambert_w_closed_form() -> None:
    rng = np.random.default_rng(1)
    r, q = rng.uniform(0.2, 0.95, 50), rng.uniform(0.3, 3.0, 50)
    best = best_commitment(r, q)
    lam0 = (1 - r + 0.02) * np.exp(2.0 * 0.2 + 1.0 * 0.5)
    closed = lambertw(2.0**2 * 1.0 * 0.1 * lam0 / (2 * 0.5 * 0.1 * q)).real / 2.0
    np.testing.assert_allclose(best, np.clip(closed, 0, 1), atol=1e-12)


def test_best_commitment_minimises_expected_loss_on_a_grid() -> None:
    grid = np.linspace(0, 1, 20001)
    for reliability, conflict in [(0.7, 1.0), (0.3, 0.2), (0.95, 4.0), (0.1, 0.05)]:
        loss = solve_dilemma(commitment=grid, reliability=reliability, conflict_risk=conflict,
                             commitment_exponent=3.0)
        best = float(best_commitment(reliability, conflict, commitment_exponent=3.0))
        assert abs(grid[np.argmin(loss["expected_loss"])] - best) <= 1e-4


def test_corner_solutions() -> None:
    # a very unreliable patron and no conflict risk: commit fully
    assert float(best_commitment(0.0, 0.0)) == 1.0
    # a fully reliable patron, tiny abandonment cost, high conflict risk: commit little
    assert float(best_commitment(1.0, 10.0, abandonment_cost=1e-3)) < 0.01


@pytest.mark.parametrize(
    "name", ["reliability", "conflict_risk", "perceived_alternatives", "burden_gap"]
)
def test_comparative_statics_match_finite_differences(name: str) -> None:
    base = {k: v for k, v in DEFAULTS.items() if k != "commitment"}
    h = 1e-6
    up = float(best_commitment(**{**base, name: base[name] + h}))
    down = float(best_commitment(**{**base, name: base[name] - h}))
    analytic = float(solve_dilemma()[f"d_best_d_{name}"])
    assert analytic == pytest.approx((up - down) / (2 * h), rel=1e-5)


def test_snyder_directions_of_the_statics() -> None:
    out = solve_dilemma()
    assert out["d_best_d_reliability"] < 0 and out["d_best_d_conflict_risk"] < 0
    assert out["d_best_d_perceived_alternatives"] > 0 and out["d_best_d_burden_gap"] > 0


@settings(max_examples=60, deadline=None)
@given(c1=unit, c2=unit, r=unit, a=unit, g=st.floats(-3, 5), q=st.floats(1e-3, 10))
def test_risks_move_with_commitment(c1: float, c2: float, r: float, a: float, g: float,
                                    q: float) -> None:
    lo, hi = min(c1, c2), max(c1, c2)
    if hi - lo < 1e-3:
        return
    assert abandonment_intensity(hi, r, a, g) < abandonment_intensity(lo, r, a, g)
    assert entrapment_intensity(hi, q) > entrapment_intensity(lo, q)


@settings(max_examples=60, deadline=None)
@given(c=unit, r1=unit, r2=unit, a=unit, g=st.floats(-3, 5))
def test_abandonment_falls_with_reliability_and_rises_with_alternatives(
    c: float, r1: float, r2: float, a: float, g: float
) -> None:
    lo, hi = min(r1, r2), max(r1, r2)
    if hi - lo < 1e-9:
        return
    assert abandonment_intensity(c, hi, a, g) < abandonment_intensity(c, lo, a, g)
    assert abandonment_intensity(c, lo, a + 0.1, g) > abandonment_intensity(c, lo, a, g)
    assert abandonment_intensity(c, lo, a, g + 0.1) > abandonment_intensity(c, lo, a, g)


@settings(max_examples=40, deadline=None)
@given(r1=unit, r2=unit, q1=st.floats(0, 10), q2=st.floats(0, 10), a=unit)
def test_best_commitment_falls_with_reliability_and_conflict_risk(
    r1: float, r2: float, q1: float, q2: float, a: float
) -> None:
    r_lo, r_hi = sorted((r1, r2))
    q_lo, q_hi = sorted((q1, q2))
    assert best_commitment(r_hi, q_lo, a) <= best_commitment(r_lo, q_lo, a) + 1e-12
    assert best_commitment(r_lo, q_hi, a) <= best_commitment(r_lo, q_lo, a) + 1e-12
    assert best_commitment(r_lo, q_lo, min(a + 0.1, 1.0)) >= best_commitment(r_lo, q_lo, a) - 1e-12
    risk = solve_dilemma(reliability=r1, conflict_risk=q1, perceived_alternatives=a)
    for key in ("abandonment_risk", "entrapment_risk", "abandonment_risk_at_best"):
        assert 0.0 <= float(risk[key]) <= 1.0


def test_float32_is_kept() -> None:
    x = np.full((3, 5), 0.5, dtype=np.float32)
    assert abandonment_intensity(x, x, x, x).dtype == np.float32
    assert entrapment_intensity(x, x).dtype == np.float32
    assert best_commitment(x, x, x, x).dtype == np.float32
