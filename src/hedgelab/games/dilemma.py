"""Alliance security dilemma: abandonment against entrapment (Snyder 1984).

A junior ally chooses its commitment ``c`` in [0, 1] to a senior ally (the patron). Abandonment
episodes (the patron reneging, retrenching, or dealing over the ally's head) arrive at a rate
that falls with commitment; entrapment episodes (being dragged into the patron's regional
conflict) arrive at a rate that rises with commitment and with the regional conflict risk:

    lambda_A(c) = (1 - r + floor) * exp(-k_c c + k_a a + k_g g)
    lambda_E(c) = q * c**gamma + 1e-6

with ``r`` the patron's reliability, ``a`` the alternatives the patron perceives the ally to
have, ``g`` the burden-sharing gap and ``q`` the regional conflict risk. Each episode costs the
ally a fixed loss, so its expected loss per year is

    L(c) = C_A * rate_A * lambda_A(c) + C_E * rate_E * lambda_E(c),

which is strictly convex in ``c`` (for ``k_c > 0`` and ``gamma >= 1``); the best commitment is
the unique minimiser on [0, 1], and its comparative statics follow from the implicit function
theorem. The functions :func:`abandonment_intensity` and :func:`entrapment_intensity` are the
ones the simulation uses (through :mod:`hedgelab.games.responses`).

References
----------
Snyder, G. H. (1984). The security dilemma in alliance politics. *World Politics* 36(4),
461-495. (Signs of the effects; the functional forms and magnitudes here are judgement.)
"Double Trouble for Japan's Dual Hedge on China and the US" (2021) and "Japan's Search for a
More Equal Alliance" (2013): the dilemma as the junior ally's problem in the US-Japan alliance.
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
    result_dtype,
)

_SNYDER = "Snyder 1984, World Politics 36(4) (sign); magnitude judgement"
_ENTRAPMENT_FLOOR = 1e-6

DILEMMA_PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec(
        "commitment", 0.5, 0.0, 1.0, "share (0 = none, 1 = unconditional)",
        "The junior ally's security commitment to its patron (alignment in the security domain).",
        "judgement: mid-point; the simulation supplies the state's security alignment",
    ),
    ParamSpec(
        "reliability", 0.7, 0.0, 1.0, "probability",
        "Probability that the patron honours its commitments this year.",
        "judgement for a transactional US (“Japan's strategic hedging under Trump”, 2017)",
    ),
    ParamSpec(
        "conflict_risk", 1.0, 0.0, 10.0, "index (1 = base-year level)",
        "Regional conflict risk the patron could drag the ally into (Taiwan-strait tension).",
        "normalised to the base year; “Japan's strategic autonomy beyond hedging” (2026)",
    ),
    ParamSpec(
        "perceived_alternatives", 0.2, 0.0, 1.0, "share of alliance surplus",
        "Value of the ally's outside options as the patron perceives them.",
        "“Japan's Search for a More Equal Alliance” (2013); level judgement",
    ),
    ParamSpec(
        "burden_gap", 0.5, -3.0, 5.0, "percentage points of GDP",
        "Shortfall of the ally's defence spending below the patron's expectation.",
        "judgement: Japan near 1.5% of GDP against a 2% expectation (“Under Trump”, 2017; 2026)",
    ),
    ParamSpec(
        "abandonment_cost", 1.0, 0.0, 100.0, "loss index per episode",
        "The ally's loss from one abandonment episode.", "judgement (numeraire)", low_open=True,
    ),
    ParamSpec(
        "entrapment_cost", 0.5, 0.0, 100.0, "loss index per episode",
        "The ally's loss from one entrapment episode.",
        "judgement: half the abandonment loss, since the ally keeps some say over its role",
        low_open=True,
    ),
    ParamSpec(
        "abandonment_rate", 0.1, 0.0, 10.0, "episodes per year at unit intensity",
        "Scale of the abandonment hazard.", "judgement: about one episode a decade",
        low_open=True,
    ),
    ParamSpec(
        "entrapment_rate", 0.1, 0.0, 10.0, "episodes per year at unit intensity",
        "Scale of the entrapment hazard.", "judgement: about one episode a decade",
        low_open=True,
    ),
    ParamSpec(
        "commitment_slope", 2.0, 0.0, 20.0, "log-intensity per unit commitment",
        "How fast abandonment intensity falls with commitment.", _SNYDER, low_open=True,
    ),
    ParamSpec(
        "alternatives_slope", 2.0, 0.0, 20.0, "log-intensity per unit of alternatives",
        "How fast abandonment intensity rises with perceived alternatives.", _SNYDER,
    ),
    ParamSpec(
        "burden_slope", 1.0, 0.0, 20.0, "log-intensity per percentage point of GDP",
        "How fast abandonment intensity rises with the burden-sharing gap.", _SNYDER,
    ),
    ParamSpec(
        "commitment_exponent", 2.0, 1.0, 10.0, "dimensionless",
        "Convexity of entrapment in commitment (deep, unconditional alignment entraps most).",
        _SNYDER,
    ),
    ParamSpec(
        "reliability_floor", 0.02, 0.0, 1.0, "probability",
        "Abandonment intensity that remains with a fully reliable patron.",
        "judgement: even a committed patron retrenches now and then", low_open=True,
    ),
)

DILEMMA_OUTPUTS: tuple[OutputSpec, ...] = (
    OutputSpec("abandonment_risk", "probability per year", "P(at least one abandonment episode)"),
    OutputSpec("entrapment_risk", "probability per year", "P(at least one entrapment episode)"),
    OutputSpec("expected_loss", "loss index per year", "expected loss at the given commitment"),
    OutputSpec("best_commitment", "share", "commitment that minimises the expected loss"),
    OutputSpec("abandonment_risk_at_best", "probability per year", "abandonment risk at c*"),
    OutputSpec("entrapment_risk_at_best", "probability per year", "entrapment risk at c*"),
    OutputSpec("d_best_d_reliability", "share per unit reliability", "dc*/dr (<= 0)"),
    OutputSpec("d_best_d_conflict_risk", "share per index unit", "dc*/dq (<= 0)"),
    OutputSpec("d_best_d_perceived_alternatives", "share per unit", "dc*/da (>= 0)"),
    OutputSpec("d_best_d_burden_gap", "share per pp of GDP", "dc*/dg (>= 0)"),
)


def abandonment_intensity(
    commitment: ArrayLike,
    reliability: ArrayLike,
    perceived_alternatives: ArrayLike,
    burden_gap: ArrayLike,
    *,
    commitment_slope: float = 2.0,
    alternatives_slope: float = 2.0,
    burden_slope: float = 1.0,
    reliability_floor: float = 0.02,
) -> FloatArray:
    """Abandonment intensity ``(1 - r + floor) * exp(-k_c c + k_a a + k_g g)``.

    Parameters
    ----------
    commitment : array, share in [0, 1]
        The ally's security commitment. Source: the simulation state.
    reliability : array, probability in [0, 1]
        The patron's reliability.
    perceived_alternatives : array, share of alliance surplus, >= 0
        Outside options as the patron perceives them.
    burden_gap : array, percentage points of GDP
        Defence-spending shortfall below the patron's expectation (negative when above).
    commitment_slope, alternatives_slope, burden_slope : float
        Log-intensity per unit of each input. Source: Snyder 1984 for the signs, magnitudes
        judgement.
    reliability_floor : float, probability
        Intensity left with a fully reliable patron (judgement).

    Returns
    -------
    array, > 0, un-normalised intensity (multiply by a rate in episodes per year)
        Falls with commitment; rises with unreliability, perceived alternatives and the gap.
        Float32 inputs give float32.
    """
    c = np.asarray(commitment)
    unreliability = 1.0 - np.asarray(reliability) + reliability_floor
    log_scale = (
        -commitment_slope * c
        + alternatives_slope * np.asarray(perceived_alternatives)
        + burden_slope * np.asarray(burden_gap)
    )
    return unreliability * np.exp(log_scale)


def entrapment_intensity(
    commitment: ArrayLike, conflict_risk: ArrayLike, *, commitment_exponent: float = 2.0
) -> FloatArray:
    """Entrapment intensity ``q * c**gamma + 1e-6``.

    Parameters
    ----------
    commitment : array, share in [0, 1]
        The ally's security commitment; deep, unconditional alignment entraps most.
    conflict_risk : array, index >= 0 (1 = base-year level)
        Regional conflict risk (Taiwan-strait tension).
    commitment_exponent : float, dimensionless, >= 1
        Convexity of entrapment in commitment. Source: Snyder 1984 (sign), judgement.

    Returns
    -------
    array, > 0, un-normalised intensity
        Rises with commitment and with conflict risk. Float32 inputs give float32.
    """
    c = np.asarray(commitment)
    return np.asarray(conflict_risk) * c**commitment_exponent + _ENTRAPMENT_FLOOR


def _loss_slope(
    c: FloatArray, weight_a: FloatArray, lam_a0: FloatArray, weight_e: FloatArray,
    q: FloatArray, kappa: FloatArray, gamma: FloatArray,
) -> FloatArray:
    """dL/dc with lambda_A(c) = lam_a0 * exp(-kappa c)."""
    return -kappa * weight_a * lam_a0 * np.exp(-kappa * c) + gamma * weight_e * q * c ** (gamma - 1.0)


def best_commitment(
    reliability: ArrayLike,
    conflict_risk: ArrayLike,
    perceived_alternatives: ArrayLike = 0.2,
    burden_gap: ArrayLike = 0.5,
    *,
    abandonment_cost: ArrayLike = 1.0,
    entrapment_cost: ArrayLike = 0.5,
    abandonment_rate: ArrayLike = 0.1,
    entrapment_rate: ArrayLike = 0.1,
    commitment_slope: ArrayLike = 2.0,
    alternatives_slope: ArrayLike = 2.0,
    burden_slope: ArrayLike = 1.0,
    commitment_exponent: ArrayLike = 2.0,
    reliability_floor: ArrayLike = 0.02,
) -> FloatArray:
    """Commitment in [0, 1] that minimises the ally's expected loss per year.

    The loss slope ``dL/dc`` is strictly increasing, so the minimiser is found exactly (to
    machine precision) by 64 vectorised bisection steps on [0, 1]; it is 0 or 1 when the slope
    keeps one sign. For ``commitment_exponent == 2`` the interior solution has the closed form
    ``c* = W(k_c**2 C_A rate_A lambda_A(0) / (2 C_E rate_E q)) / k_c`` (Lambert W), which the
    tests use as a check.

    Parameters
    ----------
    reliability, conflict_risk, perceived_alternatives, burden_gap : array
        As in :data:`DILEMMA_PARAMS` (probability; index; share of surplus; pp of GDP).
    abandonment_cost, entrapment_cost : array, loss index per episode, > 0
        Losses per episode (judgement).
    abandonment_rate, entrapment_rate : array, episodes per year at unit intensity, > 0
        Hazard scales (judgement).
    commitment_slope, alternatives_slope, burden_slope, commitment_exponent : array
        Shape parameters of the intensities (Snyder 1984 signs; judgement).
    reliability_floor : array, probability
        Abandonment intensity left with a fully reliable patron (judgement).

    Returns
    -------
    array, share in [0, 1]
        The best commitment (float32 when every array input is float32, else float64).
    """
    inputs = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (
            reliability, conflict_risk, perceived_alternatives, burden_gap, abandonment_cost,
            entrapment_cost, abandonment_rate, entrapment_rate, commitment_slope,
            alternatives_slope, burden_slope, commitment_exponent, reliability_floor,
        ))
    )
    r, q, a, g, cost_a, cost_e, rate_a, rate_e, kc, ka, kg, gamma, floor = inputs
    lam_a0 = (1.0 - r + floor) * np.exp(ka * a + kg * g)
    weight_a, weight_e = cost_a * rate_a, cost_e * rate_e
    lo = np.zeros_like(r)
    hi = np.ones_like(r)
    for _ in range(64):  # fixed number of vectorised halvings, not a loop over elements
        mid = 0.5 * (lo + hi)
        up = _loss_slope(mid, weight_a, lam_a0, weight_e, q, kc, gamma) > 0.0
        hi = np.where(up, mid, hi)
        lo = np.where(up, lo, mid)
    out = 0.5 * (lo + hi)
    out = np.where(_loss_slope(np.ones_like(r), weight_a, lam_a0, weight_e, q, kc, gamma) <= 0.0, 1.0, out)
    return out.astype(result_dtype(reliability, conflict_risk, perceived_alternatives, burden_gap))


def commitment_statics(best: ArrayLike, **params: ArrayLike) -> dict[str, FloatArray]:
    """Comparative statics of the best commitment (implicit function theorem).

    With ``L'(c*) = 0`` at an interior optimum, ``dc*/dx = -(dL'/dx) / L''(c*)``; at a corner
    (``c*`` equal to 0 or 1) the derivative is 0.

    Parameters
    ----------
    best : array, share
        The best commitment from :func:`best_commitment` at the same parameters.
    **params : array
        Every entry of :data:`DILEMMA_PARAMS` except ``commitment`` (units as listed there).

    Returns
    -------
    dict of str to array
        ``d_best_d_reliability`` (<= 0: a more reliable patron needs less commitment),
        ``d_best_d_conflict_risk`` (<= 0: conflict risk raises the fear of entrapment),
        ``d_best_d_perceived_alternatives`` and ``d_best_d_burden_gap`` (>= 0: both raise the
        fear of abandonment).
    """
    p = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
    c = np.asarray(best, dtype=np.float64)
    kc, gamma = p["commitment_slope"], p["commitment_exponent"]
    weight_a = p["abandonment_cost"] * p["abandonment_rate"]
    weight_e = p["entrapment_cost"] * p["entrapment_rate"]
    lam_a = abandonment_intensity(
        c, p["reliability"], p["perceived_alternatives"], p["burden_gap"],
        commitment_slope=kc, alternatives_slope=p["alternatives_slope"],  # type: ignore[arg-type]
        burden_slope=p["burden_slope"], reliability_floor=p["reliability_floor"],  # type: ignore[arg-type]
    )
    q = p["conflict_risk"]
    interior = (c > 1e-12) & (c < 1.0 - 1e-12)
    c_safe = np.where(interior, c, 0.5)
    curvature = kc**2 * weight_a * lam_a + gamma * (gamma - 1.0) * weight_e * q * c_safe ** (gamma - 2.0)
    curvature = np.where(interior, curvature, 1.0)
    d_slope = {
        "reliability": kc * weight_a * lam_a / (1.0 - p["reliability"] + p["reliability_floor"]),
        "conflict_risk": gamma * weight_e * c_safe ** (gamma - 1.0),
        "perceived_alternatives": -kc * weight_a * p["alternatives_slope"] * lam_a,
        "burden_gap": -kc * weight_a * p["burden_slope"] * lam_a,
    }
    return {f"d_best_d_{k}": np.where(interior, -v / curvature, 0.0) for k, v in d_slope.items()}


def solve_dilemma(**params: ArrayLike) -> dict[str, FloatArray]:
    """Evaluate the alliance security dilemma (checked, vectorised entry point).

    Parameters
    ----------
    **params : array-like
        Any of :data:`DILEMMA_PARAMS` by name (``commitment``, ``reliability``,
        ``conflict_risk``, ``perceived_alternatives``, ``burden_gap``, ``abandonment_cost``,
        ``entrapment_cost``, ``abandonment_rate``, ``entrapment_rate``, ``commitment_slope``,
        ``alternatives_slope``, ``burden_slope``, ``commitment_exponent``,
        ``reliability_floor``); missing ones take their defaults. Arrays broadcast together.

    Returns
    -------
    dict of str to ndarray
        Every output in :data:`DILEMMA_OUTPUTS` (risks are probabilities per year,
        ``1 - exp(-rate * intensity)``).

    Raises
    ------
    HedgelabError
        For an unknown name or a value outside its range (one line per problem).
    """
    p = resolve_params("games dilemma", DILEMMA_PARAMS, params)
    slopes = {
        "commitment_slope": p["commitment_slope"], "alternatives_slope": p["alternatives_slope"],
        "burden_slope": p["burden_slope"], "reliability_floor": p["reliability_floor"],
    }

    def risks(c: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        lam_a = p["abandonment_rate"] * abandonment_intensity(
            c, p["reliability"], p["perceived_alternatives"], p["burden_gap"], **slopes  # type: ignore[arg-type]
        )
        lam_e = p["entrapment_rate"] * entrapment_intensity(
            c, p["conflict_risk"], commitment_exponent=p["commitment_exponent"]  # type: ignore[arg-type]
        )
        loss = p["abandonment_cost"] * lam_a + p["entrapment_cost"] * lam_e
        return -np.expm1(-lam_a), -np.expm1(-lam_e), loss

    rest = {k: v for k, v in p.items() if k != "commitment"}
    best = best_commitment(**rest)
    risk_a, risk_e, loss = risks(p["commitment"])
    best_a, best_e, _ = risks(best)
    out = {
        "abandonment_risk": risk_a, "entrapment_risk": risk_e, "expected_loss": loss,
        "best_commitment": best, "abandonment_risk_at_best": best_a,
        "entrapment_risk_at_best": best_e, **commitment_statics(best, **rest),
    }
    return broadcast_results(p, out)


DILEMMA = ModelSpec(
    name="dilemma",
    title="Alliance security dilemma: abandonment vs entrapment (Snyder 1984)",
    params=DILEMMA_PARAMS,
    outputs=DILEMMA_OUTPUTS,
    evaluate=solve_dilemma,
)

__all__ = [
    "DILEMMA", "DILEMMA_OUTPUTS", "DILEMMA_PARAMS", "abandonment_intensity", "best_commitment",
    "commitment_statics", "entrapment_intensity", "solve_dilemma",
]

