"""Bargaining inside an asymmetric alliance with *perceived* outside options.

Two solutions of the same problem, splitting an alliance surplus ``S`` between the focal state
and its patron:

* the (generalised) **Nash bargaining solution** with the perceived outside options as the
  disagreement point: the focal state gets ``d_f + beta (S - d_f - d_p)``;
* **Rubinstein alternating offers with outside options** (a responder may quit to its option):
  with discount factors ``delta_f``, ``delta_p`` and options ``w_f``, ``w_p`` as shares of ``S``
  the first proposer (the focal state) gets the unique subgame-perfect share

      x* = min(1 - w_p, max(1 - delta_p + delta_p w_f, (1 - delta_p) / (1 - delta_f delta_p)))

  which is Rubinstein's ``(1 - delta_p)/(1 - delta_f delta_p)`` whenever neither option beats
  what its holder gets inside (the *outside option principle*), and tends to
  ``min(1 - w_p, max(w_f, 1/2))`` as both discount factors approach one.

The focal state's alternative has a value ``v`` if fully viable; the patron believes it is
viable with probability ``p`` (perceived viability) while it is with probability ``rho`` (real
viability). The patron bargains against ``p v``; when it tests the alternative it learns
``rho v`` and the bluff costs a credibility penalty. Perceived alternatives also raise the
patron's abandonment intensity (the dilemma's ``alternatives_slope``).

References
----------
Nash, J. (1950). The bargaining problem. *Econometrica* 18(2).
Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. *Econometrica* 50(1).
Binmore, K., Shaked, A. and Sutton, J. (1989). An outside option experiment. *QJE* 104(4);
Osborne, M. and Rubinstein, A. (1990). *Bargaining and Markets*, ch. 5 (outside options).
"Japan's Search for a More Equal Alliance" (2013): alternatives that need only appear viable
raise the junior ally's weight (the Kissinger remark on perceived options).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from hedgelab.games._params import (
    FloatArray,
    ModelSpec,
    OutputSpec,
    ParamSpec,
    broadcast_results,
    resolve_params,
)
from hedgelab.games.dilemma import abandonment_intensity

_EQUAL = "“Japan's Search for a More Equal Alliance” (2013); level judgement"

BARGAIN_PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec(
        "surplus", 1.0, 0.0, 1e6, "index (numeraire)", "Value the alliance creates each year.",
        "judgement (numeraire: other values are in the same units)", low_open=True,
    ),
    ParamSpec(
        "option_value", 0.6, 0.0, 1e6, "surplus units",
        "Value of the focal state's alternative (e.g. closer ties with China) if fully viable.",
        _EQUAL,
    ),
    ParamSpec(
        "perceived_viability", 0.6, 0.0, 1.0, "probability",
        "Probability the patron assigns to the alternative being viable.", _EQUAL,
    ),
    ParamSpec(
        "real_viability", 0.3, 0.0, 1.0, "probability",
        "Probability that the alternative really is viable.",
        "“Japan Remains Anchored With US Alliance, but Hedges on the Edges” (2017): hard hedges"
        " judged not credible; level judgement",
    ),
    ParamSpec(
        "patron_option", 0.3, 0.0, 1e6, "surplus units",
        "Value of the patron's own outside option (its next-best partners).",
        "judgement: the patron has more alternatives (“Equal alliance”, 2013: asymmetry)",
    ),
    ParamSpec(
        "focal_power", 0.5, 0.0, 1.0, "share",
        "Bargaining power of the focal state in the generalised Nash solution.",
        "Nash 1950 (symmetric case 1/2)",
    ),
    ParamSpec(
        "delta_focal", 0.9, 0.0, 0.9999, "discount factor per round",
        "Patience of the focal state between offers.", "judgement (Rubinstein 1982 setting)",
    ),
    ParamSpec(
        "delta_patron", 0.95, 0.0, 0.9999, "discount factor per round",
        "Patience of the patron between offers.",
        "judgement: the larger partner can wait longer",
    ),
    ParamSpec(
        "test_probability", 0.2, 0.0, 1.0, "probability",
        "Probability that the patron calls the bluff and tests the alternative.", "judgement",
    ),
    ParamSpec(
        "bluff_penalty", 0.5, 0.0, 1e6, "surplus units per unit of overstated option",
        "Credibility lost per unit by which the perceived option exceeded the real one.",
        "judgement",
    ),
    ParamSpec(
        "alternatives_slope", 2.0, 0.0, 20.0, "log-intensity per unit of alternatives",
        "How fast the patron's abandonment intensity rises with perceived alternatives.",
        "Snyder 1984 (sign); same as the dilemma's parameter",
    ),
)

BARGAIN_OUTPUTS: tuple[OutputSpec, ...] = (
    OutputSpec("nash_share_perceived", "share of surplus", "Nash share against perceived option"),
    OutputSpec("nash_share_real", "share of surplus", "Nash share against the real option"),
    OutputSpec("rubinstein_share_perceived", "share of surplus", "SPE share, perceived option"),
    OutputSpec("rubinstein_share_real", "share of surplus", "SPE share, real option"),
    OutputSpec("outside_option_binds", "0/1", "whether the perceived option binds (Rubinstein)"),
    OutputSpec("value_of_perception", "surplus units", "Nash payoff gain from the appearance"),
    OutputSpec("cost_when_tested", "surplus units", "loss against the perceived deal if tested"),
    OutputSpec("expected_value_of_perception", "surplus units", "gain net of the test risk"),
    OutputSpec("abandonment_multiplier", "ratio", "abandonment intensity, perceived vs real"),
)


def nash_payoff(
    surplus: ArrayLike,
    focal_option: ArrayLike,
    patron_option: ArrayLike,
    *,
    focal_power: ArrayLike = 0.5,
) -> FloatArray:
    """Focal state's payoff under the generalised Nash bargaining solution.

    ``d_f + beta (S - d_f - d_p)``, clipped to [0, S] (with no bargaining range the side with
    the better option takes the whole surplus).

    Parameters
    ----------
    surplus : array, surplus units, > 0
        Value created by the alliance.
    focal_option, patron_option : array, surplus units, >= 0
        Disagreement payoffs (the options each side is *perceived* to have).
    focal_power : array, share in [0, 1], default 0.5
        Focal bargaining power (Nash 1950: 1/2 for the symmetric solution).

    Returns
    -------
    array, surplus units in [0, S]
    """
    s = np.asarray(surplus)
    d_f = np.asarray(focal_option)
    payoff = d_f + focal_power * (s - d_f - np.asarray(patron_option))
    return np.clip(payoff, 0.0, s)


def rubinstein_share(
    delta_focal: ArrayLike,
    delta_patron: ArrayLike,
    focal_outside: ArrayLike = 0.0,
    patron_outside: ArrayLike = 0.0,
    *,
    focal_first: bool = True,
) -> FloatArray:
    """Focal share in the subgame-perfect equilibrium of alternating offers with outside options.

    A responder may accept, reject and counter-offer next round, or quit to its outside option.
    The proposer's SPE share is the fixed point of ``x = 1 - max(w_2, delta_2 (1 - max(w_1,
    delta_1 x)))``, which has the closed form in the module docstring.

    Parameters
    ----------
    delta_focal, delta_patron : array, discount factors in [0, 1)
        Per-round discount factors (Rubinstein 1982).
    focal_outside, patron_outside : array, shares of the surplus in [0, 1], default 0
        Outside options; an option binds only when it beats its holder's inside share
        (Binmore, Shaked and Sutton 1989). When they sum to more than 1 there is no agreement
        and the focal state gets its own option.
    focal_first : bool, default True
        Whether the focal state makes the first offer.

    Returns
    -------
    array, share in [0, 1]
    """
    d1, d2 = np.asarray(delta_focal), np.asarray(delta_patron)
    w1, w2 = np.asarray(focal_outside), np.asarray(patron_outside)
    if focal_first:
        share = _proposer_share(d1, d2, w1, w2)
    else:
        share = 1.0 - _proposer_share(d2, d1, w2, w1)
    return np.where(w1 + w2 > 1.0, w1, share)


def _proposer_share(
    d_prop: FloatArray, d_resp: FloatArray, w_prop: FloatArray, w_resp: FloatArray
) -> FloatArray:
    inside = (1.0 - d_resp) / (1.0 - d_prop * d_resp)
    return np.minimum(1.0 - w_resp, np.maximum(1.0 - d_resp + d_resp * w_prop, inside))


def outside_option_limit(
    focal_outside: ArrayLike, patron_outside: ArrayLike, *, focal_power: ArrayLike = 0.5
) -> FloatArray:
    """Limit of :func:`rubinstein_share` as both discount factors tend to one.

    ``min(1 - w_p, max(w_f, beta))``: the Nash split (one half for equal patience), moved only
    by an option that beats it (the outside option principle). As in :func:`rubinstein_share`,
    options summing to more than 1 leave no agreement and the focal state gets its own option.

    Parameters
    ----------
    focal_outside, patron_outside : array, shares of the surplus in [0, 1]
        Outside options.
    focal_power : array, share in [0, 1], default 0.5
        The inside split ``beta`` (1/2: the limit of :func:`rubinstein_share`; another value
        gives the generalised Nash split).

    Returns
    -------
    array, share in [0, 1]
    """
    w1, w2 = np.asarray(focal_outside), np.asarray(patron_outside)
    limit = np.minimum(1.0 - w2, np.maximum(w1, focal_power))
    return np.where(w1 + w2 > 1.0, w1, limit)


def solve_bargain(**params: ArrayLike) -> dict[str, FloatArray]:
    """Evaluate bargaining with perceived and real outside options (checked, vectorised).

    Parameters
    ----------
    **params : array-like
        Any of :data:`BARGAIN_PARAMS` by name (``surplus``, ``option_value``,
        ``perceived_viability``, ``real_viability``, ``patron_option``, ``focal_power``,
        ``delta_focal``, ``delta_patron``, ``test_probability``, ``bluff_penalty``,
        ``alternatives_slope``); missing ones take their defaults.

    Returns
    -------
    dict of str to ndarray
        Every output in :data:`BARGAIN_OUTPUTS`. ``value_of_perception`` is the Nash payoff
        against the perceived option minus that against the real one; ``cost_when_tested`` adds
        the credibility penalty ``bluff_penalty * max(p - rho, 0) * v``;
        ``expected_value_of_perception = (1 - t) value - t penalty``.

    Raises
    ------
    HedgelabError
        For an unknown name or a value outside its range.
    """
    p = resolve_params("games bargain", BARGAIN_PARAMS, params)
    s, v = p["surplus"], p["option_value"]
    perceived = p["perceived_viability"] * v
    real = p["real_viability"] * v
    beta = p["focal_power"]
    nash_perceived = nash_payoff(s, perceived, p["patron_option"], focal_power=beta)
    nash_real = nash_payoff(s, real, p["patron_option"], focal_power=beta)
    w_p = np.clip(p["patron_option"] / s, 0.0, 1.0)
    w_perceived = np.clip(perceived / s, 0.0, 1.0)
    w_real = np.clip(real / s, 0.0, 1.0)
    d_f, d_p = p["delta_focal"], p["delta_patron"]
    rub_perceived = rubinstein_share(d_f, d_p, w_perceived, w_p)
    rub_plain = rubinstein_share(d_f, d_p, 0.0, w_p)
    value = nash_perceived - nash_real
    overstated = np.maximum(p["perceived_viability"] - p["real_viability"], 0.0) * v
    penalty = p["bluff_penalty"] * overstated
    t = p["test_probability"]
    ratio = abandonment_intensity(
        0.0, 0.5, perceived / s, 0.0, alternatives_slope=p["alternatives_slope"]  # type: ignore[arg-type]
    ) / abandonment_intensity(0.0, 0.5, real / s, 0.0, alternatives_slope=p["alternatives_slope"])  # type: ignore[arg-type]
    out = {
        "nash_share_perceived": nash_perceived / s,
        "nash_share_real": nash_real / s,
        "rubinstein_share_perceived": rub_perceived,
        "rubinstein_share_real": rubinstein_share(d_f, d_p, w_real, w_p),
        "outside_option_binds": (rub_perceived > rub_plain + 1e-12).astype(np.float64),
        "value_of_perception": value,
        "cost_when_tested": value + penalty,
        "expected_value_of_perception": (1.0 - t) * value - t * penalty,
        "abandonment_multiplier": ratio,
    }
    return broadcast_results(p, out)


BARGAIN = ModelSpec(
    name="bargain",
    title="Alliance bargaining with perceived outside options (Nash 1950; Rubinstein 1982)",
    params=BARGAIN_PARAMS,
    outputs=BARGAIN_OUTPUTS,
    evaluate=solve_bargain,
)

__all__ = [
    "BARGAIN", "BARGAIN_OUTPUTS", "BARGAIN_PARAMS", "nash_payoff", "outside_option_limit",
    "rubinstein_share", "solve_bargain",
]
