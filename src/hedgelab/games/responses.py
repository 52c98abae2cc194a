"""Vectorised, closed-form intensities that the simulation turns into event hazards.

The model computes each hazard as ``base_rate × response(state)`` with
``response(state) = intensity(state) / intensity(base_state)``, so that the response equals 1 at
the scenario's base-year state and the base rate keeps its empirical meaning (episodes per year
at the base-year state). The functions here return the un-normalised ``intensity`` and accept
NumPy arrays of any broadcastable shapes (a leading path axis, possibly a strategy axis); they
never loop over paths and never receive a strategy's name.

Each function is the closed form of one game in this package (the alliance security dilemma,
the coercion game, bargaining with perceived outside options); these first versions are simple
and documented, and the game models deepen them behind the same signatures.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _sigmoid(z: NDArray[np.floating]) -> NDArray[np.floating]:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def abandonment_intensity(
    commitment: ArrayLike,
    reliability: ArrayLike,
    perceived_alternatives: ArrayLike,
    burden_gap: ArrayLike,
    *,
    commitment_slope: float = 2.0,
    alternatives_slope: float = 2.0,
    burden_slope: float = 1.0,
) -> NDArray[np.floating]:
    """Intensity of a US abandonment episode (alliance security dilemma, abandonment side).

    Parameters
    ----------
    commitment : array, in [0, 1]
        The focal state's security alignment with its patron.
    reliability : array, in [0, 1]
        The patron's reliability this quarter (regime-dependent).
    perceived_alternatives : array, >= 0
        Outside options as the patron perceives them (visible tilting and alternatives).
    burden_gap : array, percentage points of GDP
        Shortfall of the focal state's defence spending below what the patron expects
        (negative when it spends more).
    commitment_slope, alternatives_slope, burden_slope : float
        Log-intensity per unit of each input (judgement; Snyder 1984 gives the signs only).

    Returns
    -------
    array, > 0
        Intensity: rises as reliability falls, as perceived alternatives grow and as burden
        sharing falls short; falls with commitment.
    """
    unreliability = 1.0 - np.asarray(reliability)
    log_scale = (
        -commitment_slope * np.asarray(commitment)
        + alternatives_slope * np.asarray(perceived_alternatives)
        + burden_slope * np.asarray(burden_gap)
    )
    return (unreliability + 0.02) * np.exp(log_scale)


def entrapment_intensity(
    commitment: ArrayLike,
    conflict_risk: ArrayLike,
    *,
    commitment_exponent: float = 2.0,
) -> NDArray[np.floating]:
    """Intensity of an entrapment episode (alliance security dilemma, entrapment side).

    Parameters
    ----------
    commitment : array, in [0, 1]
        Security alignment with the patron; deep, unconditional alignment entraps most.
    conflict_risk : array, >= 0
        Regional conflict risk (Taiwan-strait tension, index, 1 = base-year level).
    commitment_exponent : float
        Convexity of entrapment in commitment (judgement).
    """
    return np.asarray(conflict_risk) * np.asarray(commitment) ** commitment_exponent + 1e-6


def coercion_probability(
    leverage: ArrayLike,
    provocation: ArrayLike,
    assertiveness: ArrayLike,
    *,
    intercept: float = -2.0,
    leverage_slope: float = 4.0,
    provocation_slope: float = 2.0,
    assertiveness_slope: float = 1.5,
) -> NDArray[np.floating]:
    """Probability that the great power coerces the focal state (coercion game, reduced form).

    Parameters
    ----------
    leverage : array, share of GDP-weighted exposure in [0, 1]
        Damage the coercer can inflict: effective (direct + routed) exposure times the part not
        shielded by compartmentalisation.
    provocation : array, in [0, 1]
        The focal state's security tightening with the coercer's rivals.
    assertiveness : array, index (base-year level about 1)
        The coercer's assertiveness.
    intercept, leverage_slope, provocation_slope, assertiveness_slope : float
        Logit coefficients (judgement, calibrated so that the base-year probability is low).
    """
    z = (
        intercept
        + leverage_slope * np.asarray(leverage)
        + provocation_slope * np.asarray(provocation)
        + assertiveness_slope * (np.asarray(assertiveness) - 1.0)
    )
    return _sigmoid(z)


def deal_intensity(
    transactional: ArrayLike,
    coercer_weakness: ArrayLike,
    focal_weight: ArrayLike,
    *,
    weakness_slope: float = 1.0,
    weight_slope: float = 2.0,
) -> NDArray[np.floating]:
    """Intensity of a patron–coercer deal struck over the focal state's head.

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
    """
    return (0.1 + np.asarray(transactional)) * np.exp(
        weakness_slope * np.asarray(coercer_weakness) - weight_slope * np.asarray(focal_weight)
    )


def nash_share(
    surplus: ArrayLike, focal_option: ArrayLike, patron_option: ArrayLike
) -> NDArray[np.floating]:
    """Focal state's share of the alliance surplus under the Nash bargaining solution.

    With disagreement points ``focal_option`` and ``patron_option`` (the value each side
    *perceives* it would get outside the alliance) the symmetric Nash solution gives the focal
    state ``d_f + (S − d_f − d_p) / 2``. The share is that amount over ``S``, clipped to [0, 1]
    (when the options exceed the surplus, the alliance has no bargaining range and the side with
    the better option takes the whole of it).

    Parameters
    ----------
    surplus : array, > 0
        Value created by the alliance (index units).
    focal_option, patron_option : array, >= 0
        Perceived outside options (same units as ``surplus``).
    """
    surplus = np.asarray(surplus)
    focal_payoff = np.asarray(focal_option) + 0.5 * (
        surplus - np.asarray(focal_option) - np.asarray(patron_option)
    )
    return np.clip(focal_payoff / surplus, 0.0, 1.0)
