"""Derived quantities of the mechanisms in DESIGN.md, computed from the state.

Pure functions of arrays, used both for the base-year state (to normalise hazards so that
each response equals 1 there) and every quarter. Shapes: ``[S, P]`` unless stated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hedgelab.games import coercion, responses
from hedgelab.model.params import ModelParams
from hedgelab.model.state import ECONOMY, ENERGY, SECURITY, TECHNOLOGY, EnvironmentState, FocalPosture


@dataclass(frozen=True)
class Mechanisms:
    """Per-quarter quantities that outcomes and hazards are built from (all ``[S, P]``)."""

    us_protection: np.ndarray  # capacity × reliability × security alignment × (1 − loss)
    partner_protection: np.ndarray  # Σ secondary capacity × security alignment
    own_protection: np.ndarray  # own capacity × capability relative to the base year
    challenger_threat: np.ndarray  # challenger capacity × assertiveness × provocation factor
    threat: np.ndarray  # challenger threat + North Korean threat
    provocation: np.ndarray  # security tightening with the challenger's rivals, [0, 1]
    leverage: np.ndarray  # challenger's economic leverage (exposure not shielded + tech ties)
    effective_exposure: np.ndarray  # direct + routed exposure to the challenger
    perceived_options: np.ndarray  # outside options as others perceive them
    patron_option: np.ndarray  # the patron's disagreement value (state-dependent; the same for every strategy)
    autonomy: np.ndarray  # Nash share of the alliance surplus, [0, 1]
    security: np.ndarray  # protection / (protection + threat), [0, 1]
    deterrence: np.ndarray  # protection / (protection + challenger threat), [0, 1]
    taiwan_preparedness: np.ndarray  # integrated capacity against tension-scaled threat
    security_without_us: np.ndarray  # what remains without the US, [0, 1]
    trade_gain: np.ndarray  # Σ gain × exposure (index per unit of trade)
    energy_security: np.ndarray  # Σ energy capacity × energy alignment


def provocation(params: ModelParams, alignment: np.ndarray, convergence: np.ndarray) -> np.ndarray:
    """Security tightening with the challenger's rivals, in [0, 1].

    ``(a_patron,sec + w_t v a_patron,tech + Σ_k w_k a_k,sec) / (1 + w_t + Σ_k w_k)`` with
    ``w_k`` = secondary partner capacity relative to the patron's, ``v`` = convergence and
    ``w_t`` = ``responses.provocation_tech_weight``: under convergence, technology alignment with
    the patron reads as security alignment, so rising convergence only ever adds provocation (the
    denominator is fixed at the numerator's maximum).
    """
    patron_capacity = params.partners.security_capacity[..., params.patron, None]
    weights = params.secondary_capacity / patron_capacity  # [K] or [P, K]
    tech_weight = params.responses.provocation_tech_weight
    partner_term = (alignment[..., SECURITY] * weights).sum(-1)
    numerator = (
        alignment[..., params.patron, SECURITY]
        + tech_weight * convergence * alignment[..., params.patron, TECHNOLOGY]
        + partner_term
    )
    return numerator / (1.0 + tech_weight + weights.sum(-1))


def challenger_threat_index(env: EnvironmentState) -> np.ndarray:
    """[P] the challenger's threat before the focal state's own moves: ``x · exp(c)``,
    assertiveness (index, 2020 = 1) times its capacity relative to the base year."""
    return env.assertiveness * np.exp(env.challenger_capability)


def patron_option(params: ModelParams, env: EnvironmentState, reliability: np.ndarray) -> np.ndarray:
    """[P] the patron's disagreement value in the alliance bargain, a share of the surplus:
    ``clip(d_p + k_R (R_tr − R) − k_T (x·exp(c) − 1), 0, 1)``, anchored at a transactional US
    (``R_tr = environment.reliability_transactional``) and a challenger at its 2020 assertiveness
    and base-year capacity. A less reliable (retrenching) patron needs the alliance less; a
    stronger, more assertive challenger makes the focal state's bases and forces worth more to it
    (docs/model.md, "Bargaining")."""
    bg = params.bargaining
    option = (
        bg.patron_option
        + bg.patron_option_unreliability * (params.environment.reliability_transactional - reliability)
        - bg.patron_option_threat * (challenger_threat_index(env) - 1.0)
    )
    return np.clip(option, 0.0, 1.0)


def evaluate(
    params: ModelParams,
    env: EnvironmentState,
    reliability: np.ndarray,
    focal: FocalPosture,
    compartmentalisation: np.ndarray,
    signal: np.ndarray,
    base_provocation: np.ndarray,
) -> Mechanisms:
    """Compute every mechanism quantity for the current state.

    Parameters
    ----------
    reliability : [P] US reliability.
    compartmentalisation, signal : [S, 1] or [S, P] policy settings.
    base_provocation : [P] or [] provocation at the base-year state (the threat's reference).
    """
    fs, th, bg, ev, ec = params.focal_state, params.threat, params.bargaining, params.events, params.economy
    a = focal.alignment
    cap = params.partners.security_capacity
    patron, challenger = params.patron, params.challenger

    us_protection = cap[..., patron] * reliability * a[..., patron, SECURITY] * (1.0 - focal.commitment_loss)
    partner_protection = (a[..., SECURITY] * params.secondary_capacity).sum(-1)
    base_capability = fs.defence_spending / fs.capability_depreciation
    own_protection = fs.own_capacity * focal.capability / base_capability
    independent_own = own_protection * (1.0 - fs.us_supply_dependence * a[..., patron, SECURITY])

    provoke = provocation(params, a, env.convergence)
    provocation_factor = np.maximum(1.0 + th.provocation_effect * (provoke - base_provocation), 0.0)
    accommodation = a[..., challenger, SECURITY] - params.partners.alignment[..., challenger, SECURITY]
    accommodation_factor = np.maximum(1.0 - th.accommodation_effect * accommodation, 0.0)
    challenger_capacity = th.challenger_capacity * np.exp(env.challenger_capability)  # grows with its rate
    challenger_threat = challenger_capacity * env.assertiveness * provocation_factor * accommodation_factor
    threat = challenger_threat + th.north_korea_capacity * env.north_korea

    protection = us_protection + partner_protection + own_protection
    integrated = (
        cap[..., patron] * a[..., patron, SECURITY] * (1.0 - focal.commitment_loss)
        + partner_protection + own_protection
    )
    tension_threat = challenger_capacity * env.tension
    without_us = independent_own + partner_protection

    exposure = focal.exposure + focal.routed  # [S, P, K] direct + routed
    effective = exposure[..., challenger]
    tolerance = np.exp(-ev.tolerance_sensitivity * np.maximum(env.assertiveness - 1.0, 0.0))
    leverage = coercion.leverage(
        focal.exposure[..., challenger], focal.routed[..., challenger], compartmentalisation, env.convergence,
        routed_reach=ev.routed_reach, tolerance=tolerance, tech_alignment=a[..., challenger, TECHNOLOGY],
        tech_leverage=ev.tech_leverage,
    )

    economic_options = (exposure * a[..., ECONOMY] * params.non_patron_mask).sum(-1)
    # own capability counts as an option against the patron only where it does not need US supply
    real_options = independent_own + partner_protection + bg.economic_option_weight * economic_options
    perceived = real_options * (1.0 + bg.signal_gain * signal)
    patron = patron_option(params, env, reliability)
    autonomy = responses.nash_share(
        bg.alliance_surplus, perceived, patron, focal_power=params.responses.focal_bargaining_power,
        outside_option_principle=False,
    )

    gains = (params.partners.trade_gain * exposure).sum(-1)
    trade_gain = gains + ec.rest_of_world_gain * (1.0 - exposure.sum(-1))
    energy_security = (params.partners.energy_capacity * a[..., ENERGY]).sum(-1)

    return Mechanisms(
        us_protection=us_protection,
        partner_protection=partner_protection,
        own_protection=own_protection,
        challenger_threat=challenger_threat,
        threat=threat,
        provocation=provoke,
        leverage=leverage,
        effective_exposure=effective,
        perceived_options=perceived,
        patron_option=np.broadcast_to(patron, autonomy.shape),
        autonomy=autonomy,
        security=protection / (protection + threat),
        deterrence=protection / (protection + challenger_threat),
        taiwan_preparedness=integrated / (integrated + tension_threat),
        security_without_us=without_us / (without_us + threat),
        trade_gain=trade_gain,
        energy_security=energy_security,
    )


DIRECTIONS: tuple[str, ...] = ("patron", "challenger", "partners", "own")


def depth_by_direction(params: ModelParams, focal: FocalPosture) -> dict[str, np.ndarray]:
    """Usable depth in each direction, each in [0, 1] (``[S, P]``).

    - ``patron``: security alignment with the patron (claim on the alliance's weight);
    - ``challenger``: economic alignment with the challenger (economic leverage as a stabiliser);
    - ``partners``: capacity-weighted mean security alignment with secondary partners (0 when
      no secondary partner has security capacity);
    - ``own``: own capability relative to what spending at the domestic ceiling sustains.

    After "insufficient depth in any direction" in Japan's strategic autonomy beyond hedging (2026).
    """
    fs = params.focal_state
    a = focal.alignment
    weights = params.secondary_capacity
    total_weight = weights.sum(-1)
    weighted = (a[..., SECURITY] * weights).sum(-1)
    partners = np.where(total_weight > 0, weighted / np.where(total_weight > 0, total_weight, 1.0), 0.0)
    full_capability = fs.defence_ceiling / fs.capability_depreciation
    return {
        "patron": a[..., params.patron, SECURITY],
        "challenger": a[..., params.challenger, ECONOMY],
        "partners": partners,
        "own": np.minimum(focal.capability / full_capability, 1.0),
    }
