"""Coercion game: PBE enumeration against the closed form, selection, comparative statics."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from hedgelab.games.coercion import (
    coercion_equilibria,
    coercion_outcome,
    equilibrium_regime,
    leverage,
    solve_coercion,
)


def _selected(eqs):  # type: ignore[no-untyped-def]
    chosen = [e for e in eqs if e.survives_d1]
    assert len(chosen) == 1, eqs
    return chosen[0]


def test_one_sided_textbook_case() -> None:
    # known committed coercer: coerce iff k <= G (exp(D / rho) - 1)
    damage, gain, rho = 0.3, 0.5, 0.2
    threshold = gain * np.expm1(damage / rho)
    for k, coerce in [(threshold - 0.01, True), (threshold + 0.01, False)]:
        eqs = coercion_equilibria(damage, gain, rho, k, 1.0, 0.5)
        assert len(eqs) == 1
        assert eqs[0].p_coercion == (1.0 if coerce else 0.0)
        if coerce:  # the focal state concedes with probability 1 - exp(-D / rho)
            assert eqs[0].p_concession == pytest.approx(-np.expm1(-damage / rho))


def test_multiple_equilibria_and_the_d1_selection() -> None:
    # bluffing possible, committed type profits when recognised: E0 (deterrence held up by
    # pessimistic off-path beliefs) coexists with a coercion equilibrium and fails D1
    eqs = coercion_equilibria(0.3, 0.5, 0.2, 0.5, 0.6, 0.5)
    names = {e.name[:2] for e in eqs}
    assert "E0" in names and len(eqs) == 2
    assert _selected(eqs).name[:2] != "E0"
    out = solve_coercion(direct_exposure=0.3, routed_exposure=0.0, compartmentalisation=0.0,
                         provocation=0.5, assertiveness=1.0, coercer_cost=0.5, cost_spread=0.0,
                         committed_prior=0.6)
    assert out["n_equilibria"] == 2 and out["regime"] != 0


@pytest.mark.parametrize("regime", ["E1", "E2", "E3"])
def test_each_regime_occurs_and_matches_its_definition(regime: str) -> None:
    rng = np.random.default_rng(7)
    for _ in range(5000):
        d, g, rho = rng.uniform(0.05, 1), rng.uniform(0.05, 2), rng.uniform(0.05, 1)
        k, m, p = rng.uniform(0, 2), rng.uniform(0.05, 0.95), rng.uniform(0, 1)
        sel = _selected(coercion_equilibria(d, g, rho, k, m, p))
        if sel.name[:2] == regime:
            break
    else:
        pytest.fail(f"{regime} never selected")
    if regime == "E1":
        assert sel.posterior == 1.0 and sel.p_coercion == pytest.approx(m)
    elif regime == "E2":
        assert sel.posterior == pytest.approx(m) and sel.p_coercion == 1.0
    else:  # the bluffer is indifferent at the posterior it induces
        a = k + p
        psi = -np.expm1(-sel.posterior * d / rho)
        assert psi * g - (1 - psi) * a == pytest.approx(0.0, abs=1e-9)
        assert m < sel.posterior < 1 and sel.p_coercion == pytest.approx(m / sel.posterior)


def test_closed_form_equals_enumeration_at_a_known_cost() -> None:
    rng = np.random.default_rng(11)
    n = 1500
    d, g, rho = rng.uniform(0, 1, n), rng.uniform(0, 2, n), rng.uniform(0.05, 1, n)
    k, p = rng.uniform(0, 3, n), rng.uniform(0, 1, n)
    m = np.where(rng.random(n) < 0.2, 1.0, rng.uniform(0, 1, n))
    out = coercion_outcome(d, 1.0, g, baseline_demand=0.0, resolve=rho, coercer_cost=k, cost_spread=0.0,
                           committed_prior=m, bluff_cost_premium=p)
    regime, count = equilibrium_regime(d, g, rho, k, m, p)
    for i in range(n):
        eqs = coercion_equilibria(d[i], g[i], rho[i], k[i], m[i], p[i])
        sel = _selected(eqs)
        assert out["p_coercion"][i] == pytest.approx(sel.p_coercion, abs=1e-9)
        assert out["p_concession"][i] == pytest.approx(sel.p_concession, abs=1e-9)
        assert regime[i] == {"E0": 0, "E1": 1, "E2": 2, "E3": 3}[sel.name[:2]]
        assert count[i] == len(eqs)


@pytest.mark.parametrize("seed", range(6))
def test_average_over_the_cost_matches_numerical_integration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    d, g, rho = rng.uniform(0.1, 1), rng.uniform(0.2, 2), rng.uniform(0.1, 1)
    k0, m, p, s = rng.uniform(0.1, 2), rng.uniform(0.1, 0.9), rng.uniform(0, 1), rng.uniform(0.1, 1)

    def selected_p(k: float) -> float:
        return _selected(coercion_equilibria(d, g, rho, k, m, p)).p_coercion

    def density(k: float) -> float:  # log-logistic: log k logistic(log k0, s)
        z = (np.log(k) - np.log(k0)) / s
        return float(np.exp(-abs(z)) / (s * k * (1 + np.exp(-abs(z))) ** 2))

    t1 = g * np.expm1(d / rho)
    tm = g * np.expm1(m * d / rho)
    breaks = sorted({t1, t1 - p, tm - p})
    lo, hi = k0 * np.exp(-40 * s), k0 * np.exp(40 * s)
    edges = [lo, *[b for b in breaks if lo < b < hi], hi]
    total = sum(quad(lambda k: selected_p(k) * density(k), a, b, limit=200)[0]
                for a, b in zip(edges[:-1], edges[1:]))
    out = coercion_outcome(d, 1.0, g, baseline_demand=0.0, resolve=rho, coercer_cost=k0, cost_spread=s,
                           committed_prior=m, bluff_cost_premium=p)
    assert float(out["p_coercion"]) == pytest.approx(total, abs=1e-8)


prob = st.floats(0.0, 1.0)


@settings(max_examples=50, deadline=None)
@given(lev=st.floats(0, 1), prov=prob, assertive=st.floats(0, 3), m=prob,
       step=st.floats(0.01, 0.3))
def test_coercion_rises_with_leverage_provocation_and_assertiveness(
    lev: float, prov: float, assertive: float, m: float, step: float
) -> None:
    kw = {"committed_prior": m}
    base = float(coercion_outcome(lev, prov, assertive, **kw)["p_coercion"])
    assert 0.0 <= base <= 1.0
    assert float(coercion_outcome(lev + step, prov, assertive, **kw)["p_coercion"]) >= base - 1e-9
    assert float(coercion_outcome(lev, prov + step, assertive, **kw)["p_coercion"]) >= base - 1e-9
    assert float(coercion_outcome(lev, prov, assertive + step, **kw)["p_coercion"]) >= base - 1e-9
    assert float(coercion_outcome(lev, prov, assertive, coercer_cost=1.5, **kw)["p_coercion"]) <= (
        base + 1e-9
    )


def test_strict_increase_in_the_one_sided_game() -> None:
    lev = np.linspace(0.0, 0.6, 13)
    p = coercion_outcome(lev, 0.5, 1.0)["p_coercion"]
    assert np.all(np.diff(p) > 0)


def test_routed_exposure_and_convergence_raise_leverage_and_coercion() -> None:
    assert leverage(0.2, 0.1, 0.5, 0.5) > leverage(0.2, 0.0, 0.5, 0.5)
    assert leverage(0.2, 0.0, 0.5, 0.9) > leverage(0.2, 0.0, 0.5, 0.1)
    # compartmentalisation shields only while convergence is low
    assert leverage(0.2, 0.0, 1.0, 1.0) == pytest.approx(leverage(0.2, 0.0, 0.0, 1.0))
    low = solve_coercion(routed_exposure=0.0)["p_coercion"]
    high = solve_coercion(routed_exposure=0.1)["p_coercion"]
    assert high > low


def test_australia_like_state_draws_more_coercion() -> None:
    japan = solve_coercion(direct_exposure=0.2, provocation=0.5)
    australia = solve_coercion(direct_exposure=0.3, provocation=0.7)
    assert australia["p_coercion"] > japan["p_coercion"]
    assert australia["expected_damage"] > japan["expected_damage"]


def test_probabilities_are_consistent() -> None:
    out = solve_coercion(committed_prior=np.linspace(0, 1, 11), coercer_cost=0.4)
    assert np.all(out["p_concession"] <= out["p_coercion"] + 1e-12)
    assert np.all(out["p_sanctions"] + out["p_concession"] <= out["p_coercion"] + 1e-12)
