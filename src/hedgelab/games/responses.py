"""Vectorised, closed-form intensities that the simulation turns into event hazards.

The model computes each hazard as ``base_rate × response(state)`` with
``response(state) = intensity(state) / intensity(base_state)``, so that the response equals 1 at
the scenario's base-year state and the base rate keeps its empirical meaning (episodes per year
at the base-year state). The functions here return the un-normalised ``intensity`` and accept
NumPy arrays of any broadcastable shapes (a leading path axis, possibly a strategy axis); they
never loop over paths, never solve for an equilibrium per path, never receive a strategy's name,
and return float32 for float32 array inputs.

Each function is the closed form (or reduced form) of one game in this package:

============================  ==============================================================
function                      standalone model
============================  ==============================================================
``abandonment_intensity``     :mod:`hedgelab.games.dilemma`, abandonment side (Snyder 1984)
``entrapment_intensity``      :mod:`hedgelab.games.dilemma`, entrapment side
``coercion_probability``      :mod:`hedgelab.games.coercion`, P(coercion) in the D1-selected
                              perfect Bayesian equilibrium, averaged over the coercer's cost
``nash_share``                :mod:`hedgelab.games.bargaining`, Nash bargaining share (or the
                              outside-option-principle limit of Rubinstein bargaining)
``deal_intensity``            reduced form only (no game behind it yet; see its docstring)
============================  ==============================================================

``tests/games/test_games_responses.py`` checks each against its standalone model on a grid of states.

Every shape of these functions (slopes, exponents, scales, the Nash weight …) is a keyword
argument without a default: the model passes the scenario's value, and :data:`SHAPES` names the
scenario parameter behind each keyword (docs/games.md, docs/parameters.md).
``tests/games/test_games_shapes.py`` fails on a shape keyword with a default and on any number
in this file other than 0, 1, a square's exponent or a named module-level guard.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hedgelab.games import bargaining, coercion, dilemma
from hedgelab.games._params import result_dtype as _dtype

#: The scenario parameter behind every shape keyword of every function the model calls:
#: function name -> keyword -> dotted scenario path (what ``--set`` and ``hedgelab show`` use).
#: The functions have no defaults for these keywords, so the model must pass each one, and the
#: standalone games (``hedgelab games``) take their defaults for the same quantities from the
#: default scenario through :data:`STANDALONE`; tests/games checks both tables against the
#: signatures, the scenario schema and the games' parameter tables.
SHAPES: dict[str, dict[str, str]] = {
    "abandonment_intensity": {
        "commitment_slope": "responses.abandonment_commitment_slope",
        "alternatives_slope": "responses.abandonment_alternatives_slope",
        "burden_slope": "responses.abandonment_burden_slope",
        "reliability_floor": "responses.abandonment_reliability_floor",
    },
    "entrapment_intensity": {
        "commitment_exponent": "responses.entrapment_commitment_exponent",
    },
    "coercion_probability": {
        "gain_scale": "responses.coercion_gain_scale",
        "damage_scale": "responses.coercion_damage_scale",
        "resolve": "responses.coercion_resolve",
        "coercer_cost": "events.coercer_cost",
        "cost_spread": "responses.coercion_cost_spread",
        "committed_prior": "responses.coercion_committed_prior",
        "bluff_cost_premium": "responses.coercion_bluff_premium",
        "baseline_demand": "responses.coercion_baseline_demand",
    },
    "deal_intensity": {
        "deal_base_intensity": "responses.deal_base_intensity",
        "weakness_slope": "responses.deal_weakness_slope",
        "weight_slope": "responses.deal_weight_slope",
    },
    "nash_share": {
        "focal_power": "responses.focal_bargaining_power",
    },
}

#: Which response functions stand for each standalone game (:data:`hedgelab.games.MODELS`): a
#: game parameter with the name of one of their shape keywords is the same quantity, so its
#: default in ``hedgelab games`` is the scenario's value (``events.coercer_cost`` excepted: the
#: standalone coercion game keeps its own cost numeraire, see docs/games.md).
STANDALONE: dict[str, tuple[str, ...]] = {
    "dilemma": ("abandonment_intensity", "entrapment_intensity"),
    "bargain": ("abandonment_intensity", "nash_share"),
    "coercion": ("coercion_probability",),
}


def standalone_paths(model: str) -> dict[str, str]:
    """Scenario path behind each parameter of a standalone game that is a response shape.

    Parameters
    ----------
    model : str
        A name in :data:`STANDALONE` (``"dilemma"``, ``"bargain"``, ``"coercion"``); any other
        game has no response shapes.

    Returns
    -------
    dict of str to str
        Game parameter name -> dotted path of a ``responses.*`` scenario parameter.
    """
    spec = {"dilemma": dilemma.DILEMMA, "bargain": bargaining.BARGAIN, "coercion": coercion.COERCION}
    names = {p.name for p in spec[model].params} if model in spec else set()
    return {
        key: path
        for func in STANDALONE.get(model, ())
        for key, path in SHAPES[func].items()
        if key in names and path.startswith("responses.")
    }


def abandonment_intensity(
    commitment: ArrayLike,
    reliability: ArrayLike,
    perceived_alternatives: ArrayLike,
    burden_gap: ArrayLike,
    *,
    commitment_slope: float,
    alternatives_slope: float,
    burden_slope: float,
    reliability_floor: float,
) -> NDArray[np.floating]:
    """Intensity of a US abandonment episode (alliance security dilemma, abandonment side).

    Exactly :func:`hedgelab.games.dilemma.abandonment_intensity`:
    ``(1 - reliability + floor) * exp(-k_c commitment + k_a alternatives + k_g gap)``. The
    standalone dilemma multiplies it by a rate (episodes per year) and weighs it against
    entrapment to find the ally's best commitment.

    Parameters
    ----------
    commitment : array, in [0, 1]
        The focal state's security alignment with its patron.
    reliability : array, in [0, 1]
        The patron's reliability this quarter (regime-dependent).
    perceived_alternatives : array, >= 0, share of alliance surplus
        Outside options as the patron perceives them (visible tilting and alternatives).
    burden_gap : array, percentage points of GDP
        Shortfall of the focal state's defence spending below what the patron expects
        (negative when it spends more).
    commitment_slope, alternatives_slope, burden_slope : float
        Log-intensity per unit of each input (judgement; Snyder 1984 gives the signs only).
        Scenario: ``responses.abandonment_commitment_slope``, ``…_alternatives_slope``,
        ``…_burden_slope``.
    reliability_floor : float, probability
        Intensity left with a fully reliable patron (judgement). Scenario:
        ``responses.abandonment_reliability_floor``.

    Returns
    -------
    array, > 0
        Intensity: rises as reliability falls, as perceived alternatives grow and as burden
        sharing falls short; falls with commitment.
    """
    out = dilemma.abandonment_intensity(
        commitment, reliability, perceived_alternatives, burden_gap,
        commitment_slope=commitment_slope, alternatives_slope=alternatives_slope,
        burden_slope=burden_slope, reliability_floor=reliability_floor,
    )
    return np.asarray(out).astype(
        _dtype(commitment, reliability, perceived_alternatives, burden_gap), copy=False
    )


def entrapment_intensity(
    commitment: ArrayLike,
    conflict_risk: ArrayLike,
    *,
    commitment_exponent: float,
) -> NDArray[np.floating]:
    """Intensity of an entrapment episode (alliance security dilemma, entrapment side).

    Exactly :func:`hedgelab.games.dilemma.entrapment_intensity`:
    ``conflict_risk * commitment**gamma + 1e-6`` (the ``1e-6`` is the dilemma's named numerical
    guard ``_ENTRAPMENT_FLOOR``, which keeps the intensity positive so that it can be normalised).

    Parameters
    ----------
    commitment : array, in [0, 1]
        Security alignment with the patron; deep, unconditional alignment entraps most.
    conflict_risk : array, >= 0
        Regional conflict risk (Taiwan-strait tension, index, 1 = base-year level).
    commitment_exponent : float, >= 1
        Convexity of entrapment in commitment (judgement; Snyder 1984 for the sign). Scenario:
        ``responses.entrapment_commitment_exponent``.

    Returns
    -------
    array, > 0
        Rises with commitment and with conflict risk.
    """
    out = dilemma.entrapment_intensity(
        commitment, conflict_risk, commitment_exponent=commitment_exponent
    )
    return np.asarray(out).astype(_dtype(commitment, conflict_risk), copy=False)


def coercion_probability(
    leverage: ArrayLike,
    provocation: ArrayLike,
    assertiveness: ArrayLike,
    *,
    gain_scale: float,
    damage_scale: float,
    resolve: float,
    coercer_cost: float,
    cost_spread: float,
    committed_prior: float,
    bluff_cost_premium: float,
    baseline_demand: float,
) -> NDArray[np.floating]:
    """Probability that the great power coerces the focal state (coercion game's PBE).

    The coercion game's probability of coercion in its D1-selected perfect Bayesian
    equilibrium, averaged over the analyst's log-logistic uncertainty about the coercer's cost.
    With ``committed_prior = 1`` (the focal state takes the threat as real) it is the
    closed form ``T**alpha / (T**alpha + coercer_cost**alpha)`` with ``alpha = 1 / cost_spread``,
    ``T = G (exp(D / resolve) - 1)`` the largest cost at which coercing pays,
    ``D = damage_scale * leverage`` and ``G = gain_scale * assertiveness * (baseline_demand +
    provocation)``; its logit is about linear in leverage. For ``committed_prior < 1``
    (bluffing possible) a fixed 24-node quadrature is added (still no solver and no loop over
    elements).

    Parameters
    ----------
    leverage : array, share of GDP-weighted exposure in [0, 1]
        Damage the coercer can inflict: effective (direct + routed) exposure times the part not
        shielded by compartmentalisation (:func:`hedgelab.games.coercion.leverage`).
    provocation : array, in [0, 1]
        The focal state's security tightening with the coercer's rivals.
    assertiveness : array, index (base-year level about 1)
        The coercer's assertiveness.
    gain_scale, damage_scale, resolve, coercer_cost : float, damage units, > 0
        Game parameters (judgement; see :data:`hedgelab.games.coercion.COERCION_PARAMS`).
        Scenario: ``responses.coercion_gain_scale``, ``responses.coercion_damage_scale``,
        ``responses.coercion_resolve``, ``events.coercer_cost``.
    cost_spread : float, log damage units, > 0
        Logistic scale of the log of the coercer's cost (the analyst's uncertainty). Scenario:
        ``responses.coercion_cost_spread``.
    committed_prior : float, probability in (0, 1]
        Focal prior that the coercer carries out its threat. Scenario:
        ``responses.coercion_committed_prior``.
    bluff_cost_premium : float, damage units, >= 0
        Extra loss of a resisted bluffer. Scenario: ``responses.coercion_bluff_premium``.
    baseline_demand : float, share of a full rollback, > 0
        What an assertive coercer demands even without new tightening (judgement). Scenario:
        ``responses.coercion_baseline_demand``.

    Returns
    -------
    array, probability in [0, 1]
        Rises with leverage, provocation and assertiveness.
    """
    dtype = _dtype(leverage, provocation, assertiveness)
    one_sided = all(np.ndim(x) == 0 for x in (committed_prior, cost_spread))
    if one_sided and float(committed_prior) == 1.0 and float(cost_spread) > 0.0:
        # the closed form, in the inputs' dtype (the common case in the simulation)
        gain = gain_scale * np.asarray(assertiveness) * (baseline_demand + np.asarray(provocation))
        threshold = coercion.coercion_threshold(damage_scale * np.asarray(leverage), gain, resolve)
        with np.errstate(divide="ignore", over="ignore"):
            odds = (coercer_cost / threshold) ** (1.0 / cost_spread)
        return np.asarray(1.0 / (1.0 + odds)).astype(dtype, copy=False)
    out = coercion.coercion_outcome(
        leverage, provocation, assertiveness, gain_scale=gain_scale, damage_scale=damage_scale,
        resolve=resolve, coercer_cost=coercer_cost, cost_spread=cost_spread,
        committed_prior=committed_prior, bluff_cost_premium=bluff_cost_premium,
        baseline_demand=baseline_demand,
    )["p_coercion"]
    return out.astype(dtype, copy=False)


def deal_intensity(
    transactional: ArrayLike,
    coercer_weakness: ArrayLike,
    focal_weight: ArrayLike,
    *,
    deal_base_intensity: float,
    weakness_slope: float,
    weight_slope: float,
) -> NDArray[np.floating]:
    """Intensity of a patron–coercer deal struck over the focal state's head.

    A reduced form, not derived from a game in this package: ``(deal_base_intensity +
    transactional) * exp(weakness_slope * weakness - weight_slope * focal_weight)``, so a
    transactional patron is ``(1 + deal_base_intensity) / deal_base_intensity`` times as likely
    to deal as a committed one. The mechanism ("grand
    bargain" fears under a transactional US) is from "Japan's strategic hedging under Trump"
    (2017) and "Japan Remains Anchored With US Alliance, but Hedges on the Edges" (2017); the
    slopes are judgement. ``focal_weight`` is meant to be :func:`nash_share`, so the bargaining
    model feeds it.

    Parameters
    ----------
    transactional : array, in [0, 1]
        1 when the patron is in a transactional or retrenching regime, else 0 (or a
        probability).
    coercer_weakness : array, index
        The coercer's economic weakness (a weak coercer seeks a deal).
    focal_weight : array, in [0, 1]
        The focal state's bargaining weight inside the alliance; weight protects against deals
        over its head.
    deal_base_intensity : float, > 0
        Intensity under a committed patron relative to a transactional one's (judgement).
        Scenario: ``responses.deal_base_intensity``.
    weakness_slope, weight_slope : float, >= 0
        Log-intensity per unit of weakness and of focal weight (judgement). Scenario:
        ``responses.deal_weakness_slope``, ``responses.deal_weight_slope``.

    Returns
    -------
    array, > 0
        Rises with transactionalism and coercer weakness, falls with focal weight.
    """
    return (deal_base_intensity + np.asarray(transactional)) * np.exp(
        weakness_slope * np.asarray(coercer_weakness) - weight_slope * np.asarray(focal_weight)
    )


def nash_share(
    surplus: ArrayLike,
    focal_option: ArrayLike,
    patron_option: ArrayLike,
    *,
    focal_power: float,
    outside_option_principle: bool = False,
) -> NDArray[np.floating]:
    """Focal state's share of the alliance surplus under the Nash bargaining solution.

    With disagreement points ``focal_option`` and ``patron_option`` (the value each side
    *perceives* it would get outside the alliance) the Nash solution gives the focal state
    ``d_f + beta (S − d_f − d_p)`` (``beta = focal_power``; 1/2 is Nash's symmetric solution).
    The share is that amount over ``S``, clipped to [0, 1] (when the options exceed the surplus,
    the alliance has no bargaining range and the side with the better option takes the whole of
    it). Exactly
    :func:`hedgelab.games.bargaining.nash_payoff` divided by ``S``.

    With ``outside_option_principle=True`` the options are treated as outside options rather
    than disagreement points: the share is ``min(1 - d_p/S, max(d_f/S, beta))``, the limit of
    Rubinstein bargaining as both discount factors approach one
    (:func:`hedgelab.games.bargaining.outside_option_limit`); an option then matters only when it
    beats the inside share.

    Parameters
    ----------
    surplus : array, > 0
        Value created by the alliance (index units).
    focal_option, patron_option : array, >= 0
        Perceived outside options (same units as ``surplus``).
    focal_power : float, share in [0, 1]
        Focal bargaining power (Nash 1950). Scenario: ``responses.focal_bargaining_power``.
    outside_option_principle : bool, default False
        Use the outside-option-principle limit instead of the disagreement-point split.

    Returns
    -------
    array, share in [0, 1]
        Rises with the focal option and falls with the patron option (weakly under the
        outside option principle).
    """
    dtype = _dtype(surplus, focal_option, patron_option)
    s = np.asarray(surplus)
    if outside_option_principle:
        w_f = np.clip(np.asarray(focal_option) / s, 0.0, 1.0)
        w_p = np.clip(np.asarray(patron_option) / s, 0.0, 1.0)
        share = bargaining.outside_option_limit(w_f, w_p, focal_power=focal_power)
    else:
        share = bargaining.nash_payoff(s, focal_option, patron_option, focal_power=focal_power) / s
    return np.asarray(share).astype(dtype, copy=False)
