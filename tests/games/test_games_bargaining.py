"""Bargaining: textbook cases, outside option principle, perceived vs real options."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hedgelab.games.bargaining import (
    nash_payoff,
    outside_option_limit,
    rubinstein_share,
    solve_bargain,
)

share = st.floats(0.0, 1.0)
delta = st.floats(0.0, 0.999)


@pytest.mark.parametrize("surplus,option", [(1.0, 0.0), (3.0, 0.4), (10.0, 2.5)])
def test_symmetric_nash_split_is_one_half(surplus: float, option: float) -> None:
    assert float(nash_payoff(surplus, option, option)) / surplus == pytest.approx(0.5)


def test_rubinstein_textbook_share_and_its_limit() -> None:
    d1, d2 = 0.9, 0.8
    assert float(rubinstein_share(d1, d2)) == pytest.approx((1 - d2) / (1 - d1 * d2))
    # equal patience -> first-mover advantage 1/(1 + delta), tending to the Nash split
    shares = [float(rubinstein_share(d, d)) for d in (0.9, 0.99, 0.999, 0.999999)]
    assert shares == sorted(shares, reverse=True)
    assert shares[-1] == pytest.approx(0.5, abs=1e-6)


def test_outside_option_below_inside_share_changes_nothing() -> None:
    d1, d2 = 0.9, 0.95
    inside = (1 - d2) / (1 - d1 * d2)
    responder_inside = d2 * (1 - d1) / (1 - d1 * d2)  # what the patron gets by responding
    for w2 in (0.0, 0.5 * responder_inside, 0.999 * responder_inside):
        assert float(rubinstein_share(d1, d2, 0.0, w2)) == pytest.approx(inside)
    # once it beats the inside share, it binds: the proposer offers exactly the option
    w2 = responder_inside + 0.1
    assert float(rubinstein_share(d1, d2, 0.0, w2)) == pytest.approx(1 - w2)


def test_rubinstein_share_solves_the_equilibrium_equations() -> None:
    rng = np.random.default_rng(3)
    d1, d2 = rng.uniform(0, 0.99, 200), rng.uniform(0, 0.99, 200)
    w1, w2 = rng.uniform(0, 0.5, 200), rng.uniform(0, 0.5, 200)
    x = rubinstein_share(d1, d2, w1, w2)  # focal proposes
    y = 1 - rubinstein_share(d1, d2, w1, w2, focal_first=False)  # patron proposes: its share
    np.testing.assert_allclose(x, 1 - np.maximum(w2, d2 * y), atol=1e-12)
    np.testing.assert_allclose(y, 1 - np.maximum(w1, d1 * x), atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(w1=share, w2=share)
def test_outside_option_limit(w1: float, w2: float) -> None:
    near_one = 1 - 1e-7
    assert float(rubinstein_share(near_one, near_one, w1, w2)) == pytest.approx(
        float(outside_option_limit(w1, w2)), abs=1e-5
    )


@settings(max_examples=80, deadline=None)
@given(s=st.floats(0.1, 10), d1=st.floats(0, 10), d2=st.floats(0, 10), beta=share)
def test_nash_symmetric_under_relabelling_and_bounded(s: float, d1: float, d2: float,
                                                      beta: float) -> None:
    focal = float(nash_payoff(s, d1, d2, focal_power=beta))
    patron = float(nash_payoff(s, d2, d1, focal_power=1 - beta))
    assert 0.0 <= focal <= s
    assert focal + patron == pytest.approx(s, abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(d1=delta, d2=delta, w1=share, w2=share)
def test_rubinstein_bounded_and_symmetric(d1: float, d2: float, w1: float, w2: float) -> None:
    assume(w1 + w2 <= 1)
    x = float(rubinstein_share(d1, d2, w1, w2))
    assert w1 - 1e-12 <= x <= 1 - w2 + 1e-12
    # relabel: the patron moving first with the roles swapped gets the focal share
    y = float(rubinstein_share(d2, d1, w2, w1, focal_first=False))
    assert x == pytest.approx(1 - y, abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(s=st.floats(0.5, 5), d=st.floats(0, 1), dp=st.floats(0, 1), beta=st.floats(0.05, 0.95))
def test_nash_share_monotone(s: float, d: float, dp: float, beta: float) -> None:
    base = float(nash_payoff(s, d, dp, focal_power=beta))
    assert float(nash_payoff(s, d + 0.1, dp, focal_power=beta)) >= base
    assert float(nash_payoff(s, d, dp + 0.1, focal_power=beta)) <= base
    if d + dp <= s:  # with a bargaining range, more power is worth more
        assert float(nash_payoff(s, d, dp, focal_power=beta + 0.05)) >= base


@settings(max_examples=60, deadline=None)
@given(d1=delta, d2=delta, w1=st.floats(0, 0.5), w2=st.floats(0, 0.5))
def test_rubinstein_monotone(d1: float, d2: float, w1: float, w2: float) -> None:
    x = float(rubinstein_share(d1, d2, w1, w2))
    assert float(rubinstein_share(min(d1 + 0.05, 0.999), d2, w1, w2)) >= x - 1e-12
    assert float(rubinstein_share(d1, min(d2 + 0.05, 0.999), w1, w2)) <= x + 1e-12
    assert float(rubinstein_share(d1, d2, w1 + 0.1, w2)) >= x - 1e-12
    assert float(rubinstein_share(d1, d2, w1, w2 + 0.1)) <= x + 1e-12


def test_perceived_options_are_worth_something_and_cost_when_tested() -> None:
    out = solve_bargain()
    assert out["nash_share_perceived"] > out["nash_share_real"]
    assert out["value_of_perception"] > 0
    assert out["cost_when_tested"] > out["value_of_perception"]
    assert out["abandonment_multiplier"] > 1  # perceived alternatives raise abandonment risk
    honest = solve_bargain(perceived_viability=0.3, real_viability=0.3)
    assert float(honest["value_of_perception"]) == 0.0
    assert float(honest["abandonment_multiplier"]) == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(p1=share, p2=share, t1=share, t2=share)
def test_value_of_perception_monotone(p1: float, p2: float, t1: float, t2: float) -> None:
    lo, hi = sorted((p1, p2))
    a = solve_bargain(perceived_viability=lo)
    b = solve_bargain(perceived_viability=hi)
    assert b["value_of_perception"] >= a["value_of_perception"] - 1e-12
    assert b["abandonment_multiplier"] >= a["abandonment_multiplier"] - 1e-12
    t_lo, t_hi = sorted((t1, t2))
    e_lo = solve_bargain(test_probability=t_lo)["expected_value_of_perception"]
    e_hi = solve_bargain(test_probability=t_hi)["expected_value_of_perception"]
    assert e_hi <= e_lo + 1e-12
