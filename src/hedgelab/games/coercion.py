"""Economic coercion as a sequential game of incomplete information.

After the focal state tightens its security ties (``provocation``) the great power (the
coercer) decides whether to coerce; the focal state then concedes (rolls the tightening back)
or resists; a resisted coercer either carries out its sanctions or backs down.

Players, types and payoffs (all in damage units):

* Damage to the focal state when sanctions are carried out: ``D = damage_scale * leverage``,
  ``leverage = (direct + routed_reach * routed) * (1 - compartmentalisation * (1 -
  convergence))``: routed exposure counts (the 2026 capital-flows paradox) and
  compartmentalisation shields only while convergence is low ("Double Trouble…", 2021).
* The coercer's gain from a concession: ``G = gain_scale * assertiveness * (baseline_demand +
  provocation)``: an assertive coercer wants concessions (territory, Taiwan statements) even
  from a state that has not tightened its ties, and more from one that has.
* Focal resolve is private: its cost of conceding ``h`` is exponential with mean ``resolve``
  (the coercer's prior), so a focal state that expects damage ``x`` from resisting concedes
  with probability ``psi(x) = 1 - exp(-x / resolve)``.
* The coercer is *committed* (probability ``m``, the focal state's prior; it carries out the
  sanctions at cost ``k``) or a *bluffer* (it backs down, losing ``a = k + premium``).
  ``m = 1`` is the one-sided game in which the focal state knows the threat is real.

Coercing pays a type with cost ``c`` when ``psi G - (1 - psi) c >= 0``, i.e. when
``c <= T(x) = G (exp(x / resolve) - 1)`` with ``x`` the damage the focal state expects. The
perfect Bayesian equilibria (PBE), with ``T1 = T(D)`` and ``Tm = T(m D)``:

* **E0, deterrence** – nobody coerces; supported off the path by the belief that a coercer is
  a bluffer. Exists whenever ``0 < m < 1`` and ``k > 0`` (or when coercion never pays).
* **E1, separating** – the committed type coerces, the bluffer does not (posterior 1):
  ``k <= T1 <= a``.
* **E2, pooling** – both coerce (posterior ``m``): ``Tm >= a``.
* **E3, semi-separating** – the committed type coerces and the bluffer mixes so that the
  posterior ``mu`` makes it indifferent, ``T(mu D) = a``; then ``P(coerce) = m / mu``.

When ``k <= T1`` exactly one of E1–E3 exists (the bluffer's incentive falls as it bluffs more,
so the fixed point is unique) besides E0. **Selection rule**: E0 is discarded when it fails the
D1 criterion (Cho and Kreps 1987; Banks and Sobel 1987): the committed type gains from
coercion for more focal responses than the bluffer, so an off-path coercer is believed
committed, and E0 falls whenever ``k <= T1``. The selected PBE is therefore unique.

The analyst (and the simulation) does not know ``k``: it is log-logistic, ``log k`` logistic
with location ``log(coercer_cost)`` and scale ``cost_spread`` (a positive cost known up to a
factor). The reported probabilities average the selected PBE over ``k``, exactly in closed form
for ``m = 1`` (``P(coercion) = T1**alpha / (T1**alpha + coercer_cost**alpha)``, ``alpha = 1 /
cost_spread``; its logit is linear in leverage for large leverage) and with a
fixed 24-node Gauss-Legendre rule (after a quintic smoothstep change of variable) over
the smooth semi-separating interval otherwise (error below 1e-8 in the tests' cases).

References
----------
Schelling, T. (1966). *Arms and Influence* (coercion, commitment and bluffing).
Cho, I.-K. and Kreps, D. (1987). Signaling games and stable equilibria. *QJE* 102(2).
Banks, J. and Sobel, J. (1987). Equilibrium selection in signaling games. *Econometrica* 55(3).
"Double Trouble for Japan's Dual Hedge on China and the US" (2021): coercion of Australia,
the 2010 rare-earth cut-off, convergence. "Japan's strategic autonomy beyond hedging" (2026):
capital routed through third-country subsidiaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from hedgelab.errors import HedgelabError, error_line
from hedgelab.games._params import (
    FloatArray,
    ModelSpec,
    OutputSpec,
    ParamSpec,
    broadcast_results,
    resolve_params,
)

_TROUBLE = "“Double Trouble for Japan's Dual Hedge on China and the US” (2021)"
_N_NODES = 24
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(_N_NODES)
_T = 0.5 * (_NODES + 1.0)
_PHI = 10 * _T**3 - 15 * _T**4 + 6 * _T**5  # quintic smoothstep on [0, 1]
_QUAD_WEIGHTS = 0.5 * _WEIGHTS * 30 * _T**2 * (1 - _T) ** 2  # includes dphi/dt and dt/dx

COERCION_PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec(
        "direct_exposure", 0.2, 0.0, 1.0, "share of GDP-weighted trade and investment",
        "Exposure to the coercer through direct trade and investment.",
        _TROUBLE + ": China about 20% of Japan's trade in 2019",
    ),
    ParamSpec(
        "routed_exposure", 0.05, 0.0, 1.0, "share of GDP-weighted trade and investment",
        "Exposure routed through third-country subsidiaries and joint ventures.",
        "“Japan's strategic autonomy beyond hedging” (2026), capital-flows paradox; level"
        " judgement",
    ),
    ParamSpec(
        "routed_reach", 0.8, 0.0, 1.0, "share",
        "Part of routed exposure the coercer can still hit.", "judgement",
    ),
    ParamSpec(
        "compartmentalisation", 0.5, 0.0, 1.0, "share",
        "How far the focal state keeps economics apart from security.", _TROUBLE,
    ),
    ParamSpec(
        "convergence", 0.5, 0.0, 1.0, "share",
        "Convergence of technology, economy and security (erodes compartmentalisation).",
        _TROUBLE,
    ),
    ParamSpec(
        "provocation", 0.5, 0.0, 1.0, "share",
        "The focal state's security tightening with the coercer's rivals.",
        _TROUBLE + ": Australia 2020",
    ),
    ParamSpec(
        "assertiveness", 1.0, 0.0, 5.0, "index (1 = base-year level)",
        "The coercer's assertiveness (scales what it gains from a concession).", _TROUBLE,
    ),
    ParamSpec(
        "baseline_demand", 0.5, 0.0, 5.0, "share of a full rollback",
        "What the coercer demands even from a state that has not tightened its ties.",
        "judgement: territorial and Taiwan demands (“Japan's strategic autonomy beyond hedging”,"
        " 2026: radar lock-ons, rare-earth curbs)",
    ),
    ParamSpec(
        "gain_scale", 1.0, 0.0, 100.0, "damage units",
        "Coercer's gain from a full rollback at unit assertiveness.", "judgement",
        low_open=True,
    ),
    ParamSpec(
        "damage_scale", 1.0, 0.0, 100.0, "damage units per unit leverage",
        "Damage to the focal state per unit of leverage when sanctions are carried out.",
        "judgement (numeraire)", low_open=True,
    ),
    ParamSpec(
        "resolve", 0.2, 0.0, 100.0, "damage units",
        "Mean of the focal state's private cost of conceding (coercer's exponential prior).",
        "judgement", low_open=True,
    ),
    ParamSpec(
        "coercer_cost", 1.0, 0.0, 100.0, "damage units",
        "Median of the committed coercer's cost of carrying out sanctions.",
        "judgement: sanctions hurt the coercer's own exporters", low_open=True,
    ),
    ParamSpec(
        "cost_spread", 1.0, 0.0, 10.0, "log damage units (logistic scale of log cost)",
        "The analyst's uncertainty about the coercer's cost (0 = known).",
        "judgement: the cost is known within a factor of about e",
    ),
    ParamSpec(
        "committed_prior", 1.0, 0.0, 1.0, "probability",
        "Focal state's prior that the coercer will carry out its threat (1 = no bluffing).",
        "judgement; Schelling 1966",
    ),
    ParamSpec(
        "bluff_cost_premium", 0.5, 0.0, 100.0, "damage units",
        "Extra loss of a resisted bluffer (backing down) over a committed coercer's cost.",
        "judgement: audience costs of backing down",
    ),
)

COERCION_OUTPUTS: tuple[OutputSpec, ...] = (
    OutputSpec("leverage", "share", "effective exposure the coercer can hit, unshielded"),
    OutputSpec("damage", "damage units", "damage to the focal state if sanctions are carried out"),
    OutputSpec("p_coercion", "probability", "probability that the coercer coerces"),
    OutputSpec("p_concession", "probability", "probability that coercion meets a concession"),
    OutputSpec("p_sanctions", "probability", "probability that sanctions are carried out"),
    OutputSpec("expected_damage", "damage units", "damage times P(sanctions)"),
    OutputSpec("regime", "code", "selected PBE at the cost location: 0 E0,1 E1,2 E2,3 E3"),
    OutputSpec("n_equilibria", "count", "number of PBE at the cost location"),
)


def leverage(
    direct_exposure: ArrayLike,
    routed_exposure: ArrayLike,
    compartmentalisation: ArrayLike,
    convergence: ArrayLike,
    *,
    routed_reach: ArrayLike = 0.8,
    tolerance: ArrayLike = 1.0,
    tech_alignment: ArrayLike = 0.0,
    tech_leverage: ArrayLike = 0.0,
) -> FloatArray:
    """Exposure the coercer can hit, net of the shield compartmentalisation still gives.

    The one definition of leverage: the simulation calls it with every argument from the
    scenario (``events.routed_reach``, ``events.tech_leverage``, the challenger's tolerance of
    compartments and the focal state's technology alignment); the standalone game uses the
    defaults (no technology channel, full tolerance, ``routed_reach`` 0.8 from its own table).

    Parameters
    ----------
    direct_exposure, routed_exposure : array, shares in [0, 1]
        Direct and third-country-routed exposure (Double Trouble…, 2021; 2026 paradox).
    compartmentalisation, convergence : array, shares in [0, 1]
        The shield is ``compartmentalisation * (1 - convergence) * tolerance``.
    routed_reach : array, share in [0, 1], default 0.8
        Part of routed exposure within the coercer's reach (judgement).
    tolerance : array, share in [0, 1], default 1
        How far the coercer still tolerates compartments (falls with assertiveness).
    tech_alignment : array, in [0, 1], default 0
        Technology alignment with the coercer.
    tech_leverage : array, >= 0, default 0
        Leverage per unit of technology alignment at full convergence.

    Returns
    -------
    array, share of trade, >= 0
        ``(direct + routed_reach * routed) * (1 - compartmentalisation * (1 - convergence) * tolerance)
        + tech_leverage * convergence * tech_alignment``.
    """
    effective = np.asarray(direct_exposure) + np.asarray(routed_reach) * np.asarray(routed_exposure)
    shield = np.asarray(compartmentalisation) * (1.0 - np.asarray(convergence)) * np.asarray(tolerance)
    return effective * (1.0 - shield) + np.asarray(tech_leverage) * np.asarray(convergence) * np.asarray(tech_alignment)


def concession_probability(expected_damage: ArrayLike, resolve: ArrayLike) -> FloatArray:
    """Probability that a coerced focal state concedes: ``1 - exp(-x / resolve)``.

    Parameters
    ----------
    expected_damage : array, damage units, >= 0
        Damage the focal state expects from resisting (damage times its belief that the
        coercer is committed).
    resolve : array, damage units, > 0
        Mean of the exponential prior over the focal state's cost of conceding.

    Returns
    -------
    array, probability
    """
    return -np.expm1(-np.asarray(expected_damage) / np.asarray(resolve))


def coercion_threshold(
    expected_damage: ArrayLike, gain: ArrayLike, resolve: ArrayLike
) -> FloatArray:
    """Largest coercer cost at which coercing pays: ``T(x) = G (exp(x / resolve) - 1)``.

    Parameters
    ----------
    expected_damage : array, damage units
        Damage the focal state expects from resisting.
    gain : array, damage units
        Coercer's gain from a concession.
    resolve : array, damage units, > 0
        Mean of the focal state's concession cost.

    Returns
    -------
    array, damage units (``inf`` where the exponential overflows)
    """
    with np.errstate(over="ignore"):
        return np.asarray(gain) * np.expm1(np.asarray(expected_damage) / np.asarray(resolve))


def _cost_cdf(x: FloatArray, median: FloatArray, spread: FloatArray) -> FloatArray:
    """P(k <= x) for a log-logistic cost (point mass at ``median`` when ``spread`` is 0)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z = (np.log(np.maximum(x, 0.0)) - np.log(median)) / spread
        smooth = 0.5 * (1.0 + np.tanh(0.5 * z))
    smooth = np.where(x > 0.0, np.nan_to_num(smooth, nan=0.0, posinf=1.0, neginf=0.0), 0.0)
    step = (x >= median).astype(np.float64)
    return np.where(spread > 0.0, smooth, step)


def coercion_outcome(
    leverage: ArrayLike,
    provocation: ArrayLike,
    assertiveness: ArrayLike,
    *,
    gain_scale: ArrayLike = 1.0,
    damage_scale: ArrayLike = 1.0,
    resolve: ArrayLike = 0.2,
    coercer_cost: ArrayLike = 1.0,
    cost_spread: ArrayLike = 1.0,
    committed_prior: ArrayLike = 1.0,
    bluff_cost_premium: ArrayLike = 0.5,
    baseline_demand: ArrayLike = 0.5,
) -> dict[str, FloatArray]:
    """Selected-PBE probabilities of coercion, concession and sanctions (closed form).

    Averages the D1-selected perfect Bayesian equilibrium over the analyst's log-logistic
    uncertainty about the coercer's cost (see the module docstring). Inputs are not range
    checked here; use :func:`solve_coercion` for the checked entry point.

    Parameters
    ----------
    leverage : array, share in [0, 1]
        Output of :func:`leverage`.
    provocation : array, share in [0, 1]
        Security tightening with the coercer's rivals.
    assertiveness : array, index (1 = base-year level)
        The coercer's assertiveness.
    gain_scale, damage_scale, resolve, coercer_cost, cost_spread : array, damage units
        As in :data:`COERCION_PARAMS` (judgement).
    committed_prior : array, probability, default 1
        Focal state's prior that the coercer is committed (1: one-sided game, closed form).
    bluff_cost_premium : array, damage units, default 0.5
        Extra loss of a resisted bluffer.
    baseline_demand : array, share of a full rollback, default 0.5
        What the coercer demands even without new tightening (judgement).

    Returns
    -------
    dict of str to float64 array
        ``p_coercion``, ``p_concession``, ``p_sanctions`` (probabilities).
    """
    arrs = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (
            leverage, provocation, assertiveness, gain_scale, damage_scale, resolve,
            coercer_cost, cost_spread, committed_prior, bluff_cost_premium, baseline_demand,
        ))
    )
    lev, prov, assert_, g_scale, d_scale, rho, k0, spread, m, prem, demand = arrs
    damage = d_scale * lev
    gain = g_scale * assert_ * (demand + prov)
    t1 = coercion_threshold(damage, gain, rho)
    tm = coercion_threshold(m * damage, gain, rho)
    psi1 = concession_probability(damage, rho)
    psim = concession_probability(m * damage, rho)
    f_t1 = _cost_cdf(t1, k0, spread)
    f_sep = _cost_cdf(t1 - prem, k0, spread)  # E1 for k in [T1 - p, T1]
    f_pool = _cost_cdf(tm - prem, k0, spread)  # E2 for k <= Tm - p
    sep = np.maximum(f_t1 - f_sep, 0.0)
    p_coerce = m * sep + f_pool
    p_concede = m * sep * psi1 + f_pool * psim
    p_sanction = m * sep * (1.0 - psi1) + f_pool * m * (1.0 - psim)
    if np.any(m < 1.0):
        semi = _semi_separating(damage, gain, rho, k0, spread, m, prem, f_pool, f_sep, tm, t1)
        p_coerce = p_coerce + semi[0]
        p_concede = p_concede + semi[1]
        p_sanction = p_sanction + semi[2]
    return {
        "p_coercion": np.clip(p_coerce, 0.0, 1.0),
        "p_concession": np.clip(p_concede, 0.0, 1.0),
        "p_sanctions": np.clip(p_sanction, 0.0, 1.0),
    }


def _semi_terms(
    k: FloatArray, damage: FloatArray, gain: FloatArray, rho: FloatArray, m: FloatArray,
    prem: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """P(coerce), P(concede), P(sanctions) in E3 for a coercer cost ``k``."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a = np.maximum(k + prem, 0.0)
        # in E3 the posterior lies in [m, 1]; clipping only removes rounding at the ends
        posterior = np.clip(rho * np.log1p(a / gain) / damage, np.maximum(m, 1e-300), 1.0)
        coerce = m / posterior
        psi = np.clip(a / (gain + a), 0.0, 1.0)
    return coerce, coerce * psi, m * (1.0 - psi)


def _semi_separating(
    damage: FloatArray, gain: FloatArray, rho: FloatArray, k0: FloatArray, spread: FloatArray,
    m: FloatArray, prem: FloatArray, u_lo: FloatArray, u_hi: FloatArray, tm: FloatArray,
    t1: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Contribution of the semi-separating interval ``Tm - p < k < T1 - p``."""
    width = np.maximum(u_hi - u_lo, 0.0)
    active = (width > 0.0) & (m < 1.0) & (gain > 0.0) & (damage > 0.0)
    # smooth case: integrate over u = F(k) with Gauss-Legendre nodes (a fixed extra axis);
    # the quintic smoothstep u = u_lo + width * phi(t) tames the logit's endpoint singularity
    u = u_lo[..., None] + width[..., None] * _PHI
    u = np.clip(u, 1e-300, 1.0 - 1e-16)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = k0[..., None] * np.exp(spread[..., None] * (np.log(u) - np.log1p(-u)))
    ex = [x[..., None] for x in (damage, gain, rho, m, prem)]
    terms = _semi_terms(k, *ex)
    smooth = [width * np.sum(np.nan_to_num(t) * _QUAD_WEIGHTS, axis=-1) for t in terms]
    # known cost (spread 0): point evaluation
    inside = (k0 > tm - prem) & (k0 < t1 - prem)
    point = _semi_terms(k0, damage, gain, rho, m, prem)
    out = []
    for sm, pt in zip(smooth, point, strict=True):
        value = np.where(spread > 0.0, sm, np.where(inside, np.nan_to_num(pt), 0.0))
        out.append(np.where(active | ((spread == 0.0) & inside & (m < 1.0)), value, 0.0))
    return out[0], out[1], out[2]


@dataclass(frozen=True)
class CoercionEquilibrium:
    """One perfect Bayesian equilibrium of the coercion game at a known coercer cost.

    Attributes
    ----------
    name : str
        ``"E0 deterrence"``, ``"E1 separating"``, ``"E2 pooling"`` or ``"E3 semi-separating"``.
    committed_coerces, bluffer_coerces : float
        Probability that each coercer type coerces.
    posterior : float
        Focal belief that a coercer is committed (the off-path belief for E0).
    concession : float
        Probability that a coerced focal state concedes.
    p_coercion, p_concession : float
        Unconditional probabilities (prior-weighted over coercer types).
    survives_d1 : bool
        Whether the equilibrium survives the D1 criterion (the selection rule).
    """

    name: str
    committed_coerces: float
    bluffer_coerces: float
    posterior: float
    concession: float
    p_coercion: float
    p_concession: float
    survives_d1: bool


def coercion_equilibria(
    damage: float, gain: float, resolve: float, cost: float, committed_prior: float,
    bluff_cost_premium: float,
) -> list[CoercionEquilibrium]:
    """Enumerate every PBE of the coercion game for scalar inputs and a known coercer cost.

    Each candidate is checked against its own conditions (the E3 mixing probability is found
    with a root finder, independently of the closed form in :func:`coercion_outcome`).

    Parameters
    ----------
    damage : float, damage units, >= 0
        Damage to the focal state when sanctions are carried out.
    gain : float, damage units, >= 0
        Coercer's gain from a concession.
    resolve : float, damage units, > 0
        Mean of the focal state's concession cost (coercer's prior).
    cost : float, damage units
        Committed coercer's cost of carrying out sanctions.
    committed_prior : float, probability
        Focal prior that the coercer is committed.
    bluff_cost_premium : float, damage units, >= 0
        Extra loss of a resisted bluffer.

    Returns
    -------
    list of CoercionEquilibrium
        All equilibria; exactly one has ``survives_d1`` set except at knife-edge ties.
    """
    from scipy.optimize import brentq  # imported here: the simulation never needs it

    m, a = committed_prior, cost + bluff_cost_premium

    def psi(x: float) -> float:
        return float(concession_probability(x, resolve))

    def pays(c: float, p: float) -> float:
        return p * gain - (1.0 - p) * c

    def make(name: str, qc: float, qb: float, post: float, conc: float, d1: bool) -> CoercionEquilibrium:
        pc = m * qc + (1.0 - m) * qb
        return CoercionEquilibrium(name, qc, qb, post, conc, pc, pc * conc, d1)

    found: list[CoercionEquilibrium] = []
    committed_gains = m > 0.0 and pays(cost, psi(damage)) >= 0.0
    if m == 1.0:
        if committed_gains:
            found.append(make("E1 separating", 1.0, 0.0, 1.0, psi(damage), True))
        else:
            found.append(make("E0 deterrence", 0.0, 0.0, 1.0, psi(damage), True))
        return found
    if m == 0.0:
        if pays(a, 0.0) >= 0.0:
            found.append(make("E2 pooling", 0.0, 1.0, 0.0, 0.0, True))
        else:
            found.append(make("E0 deterrence", 0.0, 0.0, 0.0, 0.0, True))
        return found
    if cost > 0.0 or not committed_gains:
        found.append(make("E0 deterrence", 0.0, 0.0, 0.0, 0.0, not committed_gains))
    if committed_gains and pays(a, psi(damage)) <= 0.0:
        found.append(make("E1 separating", 1.0, 0.0, 1.0, psi(damage), True))
    if pays(cost, psi(m * damage)) >= 0.0 and pays(a, psi(m * damage)) >= 0.0:
        found.append(make("E2 pooling", 1.0, 1.0, m, psi(m * damage), True))

    def bluff_gain(beta: float) -> float:
        post = m / (m + (1.0 - m) * beta)
        return pays(a, psi(post * damage))

    lo, hi = 1e-12, 1.0 - 1e-12
    if bluff_gain(lo) > 0.0 > bluff_gain(hi):
        beta = brentq(bluff_gain, lo, hi, xtol=1e-14, rtol=1e-14)
        post = m / (m + (1.0 - m) * beta)
        if pays(cost, psi(post * damage)) >= 0.0:
            found.append(make("E3 semi-separating", 1.0, beta, post, psi(post * damage), True))
    return found


_REGIME = {"E0": 0.0, "E1": 1.0, "E2": 2.0, "E3": 3.0}


def equilibrium_regime(
    damage: ArrayLike, gain: ArrayLike, resolve: ArrayLike, cost: ArrayLike,
    committed_prior: ArrayLike, bluff_cost_premium: ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """Selected PBE and number of PBE at a known coercer cost (vectorised).

    The conditions of the module docstring in closed form; the tests check them against
    :func:`coercion_equilibria` (ties at knife edges may differ).

    Parameters
    ----------
    damage, gain, resolve, cost, bluff_cost_premium : array, damage units
        As in :func:`coercion_equilibria` (``cost > 0``).
    committed_prior : array, probability
        Focal prior that the coercer is committed.

    Returns
    -------
    regime : array of float codes
        0 E0 deterrence, 1 E1 separating, 2 E2 pooling, 3 E3 semi-separating.
    n_equilibria : array of float
        2 when deterrence (E0) coexists with a coercion equilibrium, else 1.
    """
    d, g, rho, k, m, prem = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (
            damage, gain, resolve, cost, committed_prior, bluff_cost_premium,
        ))
    )
    t1 = coercion_threshold(d, g, rho)
    tm = coercion_threshold(m * d, g, rho)
    gate = (m > 0.0) & (k <= t1)
    regime = np.where(k >= t1 - prem, 1.0, np.where(k <= tm - prem, 2.0, 3.0))
    regime = np.where(m >= 1.0, 1.0, regime)
    regime = np.where(gate, regime, 0.0)
    count = np.where(gate & (m < 1.0) & (k > 0.0), 2.0, 1.0)
    return regime, count


def solve_coercion(**params: ArrayLike) -> dict[str, FloatArray]:
    """Evaluate the coercion game (checked, vectorised entry point).

    Parameters
    ----------
    **params : array-like
        Any of :data:`COERCION_PARAMS` by name (``direct_exposure``, ``routed_exposure``,
        ``routed_reach``, ``compartmentalisation``, ``convergence``, ``provocation``,
        ``assertiveness``, ``baseline_demand``, ``gain_scale``, ``damage_scale``, ``resolve``,
        ``coercer_cost``, ``cost_spread``, ``committed_prior``, ``bluff_cost_premium``); missing
        ones take their defaults. ``direct_exposure + routed_exposure`` must not exceed 1.

    Returns
    -------
    dict of str to ndarray
        Every output in :data:`COERCION_OUTPUTS`. ``regime`` and ``n_equilibria`` describe the
        game at the median cost ``coercer_cost`` (:func:`equilibrium_regime`).

    Raises
    ------
    HedgelabError
        For an unknown name, a value outside its range, or exposures summing above 1.
    """
    p = resolve_params("games coercion", COERCION_PARAMS, params)
    total = p["direct_exposure"] + p["routed_exposure"]
    if np.any(total > 1.0 + 1e-12):
        raise HedgelabError(
            error_line(
                "games coercion", "routed_exposure",
                f"direct_exposure + routed_exposure <= 1 (shares), got {float(np.max(total)):g}",
            )
        )
    lev = leverage(
        p["direct_exposure"], p["routed_exposure"], p["compartmentalisation"], p["convergence"],
        routed_reach=p["routed_reach"],
    )
    res = coercion_outcome(
        lev, p["provocation"], p["assertiveness"], gain_scale=p["gain_scale"],
        damage_scale=p["damage_scale"], resolve=p["resolve"], coercer_cost=p["coercer_cost"],
        cost_spread=p["cost_spread"], committed_prior=p["committed_prior"],
        bluff_cost_premium=p["bluff_cost_premium"], baseline_demand=p["baseline_demand"],
    )
    damage = p["damage_scale"] * lev
    gain = p["gain_scale"] * p["assertiveness"] * (p["baseline_demand"] + p["provocation"])
    regime, count = equilibrium_regime(
        damage, gain, p["resolve"], p["coercer_cost"], p["committed_prior"],
        p["bluff_cost_premium"],
    )
    out: dict[str, Any] = {
        "leverage": lev, "damage": damage, **res,
        "expected_damage": damage * res["p_sanctions"], "regime": regime, "n_equilibria": count,
    }
    return broadcast_results(p, out)


COERCION = ModelSpec(
    name="coercion",
    title="Coercion game with private resolve and uncertain commitment (PBE, D1 selection)",
    params=COERCION_PARAMS,
    outputs=COERCION_OUTPUTS,
    evaluate=solve_coercion,
)

__all__ = [
    "COERCION", "COERCION_OUTPUTS", "COERCION_PARAMS", "CoercionEquilibrium",
    "coercion_equilibria", "coercion_outcome", "equilibrium_regime", "coercion_threshold", "concession_probability",
    "leverage", "solve_coercion",
]
