"""The simulation's response functions against the standalone game models, on a grid."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from hedgelab.games import MODELS, responses
from hedgelab.games.bargaining import outside_option_limit, rubinstein_share, solve_bargain
from hedgelab.games.coercion import leverage, solve_coercion
from hedgelab.games.dilemma import solve_dilemma
from hedgelab.scenarios import load_scenario

GRID = np.linspace(0.05, 0.95, 4)
SCENARIO = load_scenario("japan-2026")


def _shapes(func: str) -> dict[str, float]:
    """The shape keywords of ``responses.<func>`` with japan-2026's values (no defaults exist)."""
    out = {}
    for key, path in responses.SHAPES[func].items():
        group, name = path.split(".")
        out[key] = float(getattr(getattr(SCENARIO, group), name).value)
    return out


AB, EN, CO, DE, NS = (
    _shapes(f) for f in (
        "abandonment_intensity", "entrapment_intensity", "coercion_probability", "deal_intensity",
        "nash_share",
    )
)
# the standalone coercion game keeps its own cost numeraire (events.coercer_cost is the model's)
GAME_COST = MODELS["coercion"].param("coercer_cost").default


def _grid(*axes: np.ndarray) -> list[np.ndarray]:
    return [np.array(v) for v in zip(*itertools.product(*axes), strict=True)]


def test_abandonment_and_entrapment_match_the_dilemma() -> None:
    c, r, a, q = _grid(GRID, GRID, GRID, np.array([0.0, 0.5, 1.0, 3.0]))
    g = np.resize(np.array([-1.0, 0.0, 0.5, 2.0]), c.shape)
    rate = 0.1
    model = solve_dilemma(commitment=c, reliability=r, perceived_alternatives=a, burden_gap=g,
                          conflict_risk=q, abandonment_rate=rate, entrapment_rate=rate)
    # the dilemma reports P(at least one episode a year) = 1 - exp(-rate * intensity)
    np.testing.assert_allclose(
        responses.abandonment_intensity(c, r, a, g, **AB),
        -np.log1p(-model["abandonment_risk"]) / rate, rtol=1e-10,
    )
    np.testing.assert_allclose(
        responses.entrapment_intensity(c, q, **EN),
        -np.log1p(-model["entrapment_risk"]) / rate, rtol=1e-10,
    )


@pytest.mark.parametrize("committed_prior", [1.0, 0.6])
def test_coercion_probability_is_the_games_equilibrium_probability(committed_prior: float) -> None:
    d, routed, comp, conv, prov, assertive = _grid(
        np.array([0.1, 0.3]), np.array([0.0, 0.1]), np.array([0.0, 0.8]), np.array([0.2, 0.9]),
        np.array([0.0, 0.4, 1.0]), np.array([0.5, 1.0, 2.0]),
    )
    model = solve_coercion(direct_exposure=d, routed_exposure=routed,
                           compartmentalisation=comp, convergence=conv, provocation=prov,
                           assertiveness=assertive, committed_prior=committed_prior)
    lev = leverage(d, routed, comp, conv)
    kw = {**CO, "coercer_cost": GAME_COST, "committed_prior": committed_prior}
    got = responses.coercion_probability(lev, prov, assertive, **kw)
    np.testing.assert_allclose(got, model["p_coercion"], atol=1e-12)
    assert np.ptp(got) > 0.3  # the grid spans a real range of coercion probabilities


def test_one_sided_closed_form() -> None:
    lev, prov, assertive = 0.2, 0.6, 1.3
    assert CO["committed_prior"] == 1.0  # the one-sided game
    gain = CO["gain_scale"] * assertive * (CO["baseline_demand"] + prov)
    threshold = gain * np.expm1(CO["damage_scale"] * lev / CO["resolve"])
    alpha = 1.0 / CO["cost_spread"]
    expected = threshold**alpha / (threshold**alpha + CO["coercer_cost"] ** alpha)  # T / (T + k) at spread 1
    assert float(responses.coercion_probability(lev, prov, assertive, **CO)) == pytest.approx(expected)


def test_nash_share_matches_the_bargaining_model() -> None:
    p, v, dp = _grid(np.linspace(0, 1, 5), np.array([0.2, 0.6, 1.5]), np.array([0.0, 0.3, 0.9]))
    model = solve_bargain(perceived_viability=p, option_value=v, patron_option=dp, surplus=1.3)
    np.testing.assert_allclose(
        responses.nash_share(1.3, p * v, dp, **NS), model["nash_share_perceived"], atol=1e-12
    )
    w_f, w_p = np.clip(p * v / 1.3, 0, 1), dp / 1.3
    assert np.any(w_f + w_p > 1)  # the grid includes options that leave no agreement
    principle = responses.nash_share(1.3, p * v, dp, **NS, outside_option_principle=True)
    np.testing.assert_allclose(principle, outside_option_limit(w_f, w_p, **NS), atol=1e-12)
    # and it is the Rubinstein game's share as both players become patient
    near_one = 1 - 1e-7
    np.testing.assert_allclose(principle, rubinstein_share(near_one, near_one, w_f, w_p), atol=1e-5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_shape_dtype_and_batch(dtype: type) -> None:
    rng = np.random.default_rng(0)
    n_strategies, n_paths = 3, 50
    x = rng.uniform(0.05, 0.95, (4, n_strategies, n_paths)).astype(dtype)
    calls = {
        "abandonment": lambda s: responses.abandonment_intensity(s[0], s[1], s[2], s[3], **AB),
        "entrapment": lambda s: responses.entrapment_intensity(s[0], s[1], **EN),
        "coercion": lambda s: responses.coercion_probability(s[0], s[1], s[2] + 0.5, **CO),
        "deal": lambda s: responses.deal_intensity(s[0], s[1], s[2], **DE),
        "nash": lambda s: responses.nash_share(s[0] + 1.0, s[1], s[2], **NS),
    }
    for name, call in calls.items():
        out = call(x)
        assert out.shape == (n_strategies, n_paths), name
        assert out.dtype == dtype, name
        assert np.all(np.isfinite(out)) and np.all(out > 0), name
        # a batch equals a loop over paths (no hidden coupling between elements)
        one = call(x[:, :1, 7:8])
        np.testing.assert_allclose(one[0, 0], out[0, 7], rtol=1e-6)


def test_documented_directions() -> None:
    lo, hi = 0.2, 0.8
    def ab(*x: float) -> float:
        return float(responses.abandonment_intensity(*x, **AB))

    def en(*x: float) -> float:
        return float(responses.entrapment_intensity(*x, **EN))

    def co(*x: float) -> float:
        return float(responses.coercion_probability(*x, **CO))

    def ns(*x: float) -> float:
        return float(responses.nash_share(*x, **NS))

    def de(*x: float) -> float:
        return float(responses.deal_intensity(*x, **DE))

    assert ab(hi, 0.5, 0.2, 0.0) < ab(lo, 0.5, 0.2, 0.0)  # falls with commitment
    assert ab(0.5, 0.5, hi, 0.0) > ab(0.5, 0.5, lo, 0.0)  # rises with perceived alternatives
    assert ab(0.5, 0.5, 0.2, hi) > ab(0.5, 0.5, 0.2, lo)  # rises with the burden gap
    assert ab(0.5, lo, 0.2, 0.0) > ab(0.5, hi, 0.2, 0.0)  # rises with unreliability
    assert en(hi, 1.0) > en(lo, 1.0) and en(0.5, 2.0) > en(0.5, 1.0)
    assert co(hi, 0.5, 1.0) > co(lo, 0.5, 1.0)
    assert co(0.3, hi, 1.0) > co(0.3, lo, 1.0)
    assert co(0.3, 0.5, 1.5) > co(0.3, 0.5, 1.0)
    assert ns(1.0, hi, 0.1) > ns(1.0, lo, 0.1) and ns(1.0, 0.1, hi) < ns(1.0, 0.1, lo)
    assert de(1.0, 0.5, 0.2) > de(0.0, 0.5, 0.2) and de(0.5, 0.5, hi) < de(0.5, 0.5, lo)


def test_keyword_defaults_agree_with_the_parameter_tables() -> None:
    """The standalone functions' keyword defaults are the models' parameter tables.

    The responses themselves have no defaults (tests/games/test_games_shapes.py): the simulation
    passes the scenario's ``[responses]`` values, which equal these tables' defaults.
    """
    import inspect

    from hedgelab.games import MODELS, bargaining, coercion, dilemma

    checks = [
        (dilemma.abandonment_intensity, "dilemma"), (dilemma.entrapment_intensity, "dilemma"),
        (dilemma.best_commitment, "dilemma"), (coercion.coercion_outcome, "coercion"),
        (bargaining.nash_payoff, "bargain"), (bargaining.outside_option_limit, "bargain"),
    ]
    for func, model in checks:
        table = MODELS[model].defaults()
        compared = 0
        for name, par in inspect.signature(func).parameters.items():
            if par.default is inspect.Parameter.empty or name not in table:
                continue
            assert par.default == table[name], (func.__name__, name)
            compared += 1
        assert compared >= 1, func.__name__
