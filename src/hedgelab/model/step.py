"""One quarter of the model for all strategies and paths at once.

Order within a quarter (docs/model.md, "The quarterly update"):

1. the environment moves (exogenous shocks);
2. the policy observes the environment (an adaptive strategy first counts the quarters its
   switch signal has stayed above its threshold and switches to its fallback levers when they
   reach the required number), US reliability and its memory of coercion, and sets targets;
3. the focal state moves toward the targets at limited speed (alignment, defence spending --
   whose target also reacts to the challenger's capacity growth and to US reliability --,
   capability, then exposure, which follows economic alignment and the partners' economic
   weight (gravity) slowly; routed exposure slower still), and domestic support responds to
   the burden;
4. mechanism quantities are computed (:mod:`hedgelab.model.mechanisms`);
5. events occur with hazard ``base_rate × response(state)`` (:mod:`hedgelab.games.responses`,
   normalised to 1 at the base-year state; coercion's also × :func:`trigger_multiplier`) and
   take effect;
6. the quarter's outcomes are accounted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hedgelab.games import responses
from hedgelab.model.environment import reliability as regime_reliability
from hedgelab.model.environment import step_environment
from hedgelab.model.mechanisms import Mechanisms, evaluate, provocation
from hedgelab.model.params import ModelParams
from hedgelab.model.policy import PolicyArrays, observed_signals, policy_targets
from hedgelab.model.shocks import QuarterShocks
from hedgelab.model.state import ECONOMY, PARTNER_DOMAIN_AXES, QUARTER, SECURITY, TRANSACTIONAL, EnvironmentState, FocalPosture, State

EVENTS: tuple[str, ...] = ("coercion", "abandonment", "entrapment", "deal")
PROSPERITY_PARTS: tuple[str, ...] = ("trade", "energy", "defence", "adjustment", "coercion", "entrapment")
PERCENT = 100.0  # unit conversion: a share of GDP to % of GDP
HALF_VARIANCE = 0.5  # exp(σZ − σ²/2) has mean 1: the lognormal mean correction, an identity

TargetFn = Callable[
    [PolicyArrays, ModelParams, EnvironmentState, np.ndarray, FocalPosture], tuple[np.ndarray, np.ndarray]
]


@dataclass(frozen=True)
class Baseline:
    """Base-year values (each ``[1, P]``): the threat's and prosperity's reference points, and the
    event intensities that hazards are normalised by (by default those of the base-year state;
    :func:`hedgelab.model.loop.simulate` may replace them with a reference scenario's)."""

    provocation: np.ndarray
    intensity: dict[str, np.ndarray]
    trade_gain: np.ndarray
    energy_security: np.ndarray


@dataclass(frozen=True, kw_only=True)
class Quarter:
    """What happened in one quarter."""

    mechanisms: Mechanisms
    prosperity: dict[str, np.ndarray]  # part -> [S, P], % of GDP per year relative to the base year
    events: dict[str, np.ndarray]  # kind -> [S, P] bool
    crisis: np.ndarray  # [P] bool, a Taiwan-strait crisis occurred this quarter (a per-quarter draw)
    reliability: np.ndarray  # [P]


def event_intensities(
    params: ModelParams, env: EnvironmentState, reliability: np.ndarray, focal: FocalPosture, mech: Mechanisms
) -> dict[str, np.ndarray]:
    """Un-normalised intensity of each event kind (the games' closed forms, shaped by
    ``params.responses``)."""
    ev, rs = params.events, params.responses
    commitment = focal.alignment[..., params.patron, SECURITY]
    transactional = (env.regime >= TRANSACTIONAL).astype(commitment.dtype)
    return {
        "coercion": responses.coercion_probability(
            mech.leverage, mech.provocation, env.assertiveness,
            gain_scale=rs.coercion_gain_scale, damage_scale=rs.coercion_damage_scale,
            resolve=rs.coercion_resolve, coercer_cost=ev.coercer_cost, cost_spread=rs.coercion_cost_spread,
            committed_prior=rs.coercion_committed_prior, bluff_cost_premium=rs.coercion_bluff_premium,
            baseline_demand=rs.coercion_baseline_demand,
        ),
        "abandonment": responses.abandonment_intensity(
            commitment, reliability, mech.perceived_options, ev.burden_expectation - focal.spending,
            commitment_slope=rs.abandonment_commitment_slope,
            alternatives_slope=rs.abandonment_alternatives_slope,
            burden_slope=rs.abandonment_burden_slope, reliability_floor=rs.abandonment_reliability_floor,
        ),
        "entrapment": responses.entrapment_intensity(
            commitment, env.tension, commitment_exponent=rs.entrapment_commitment_exponent
        ),
        "deal": responses.deal_intensity(
            transactional, env.weakness, mech.autonomy, deal_base_intensity=rs.deal_base_intensity,
            weakness_slope=rs.deal_weakness_slope, weight_slope=rs.deal_weight_slope,
        ),
    }


def baseline(params: ModelParams, env0: EnvironmentState, focal0: FocalPosture) -> Baseline:
    """Evaluate the base-year state (status-quo compartmentalisation, no signalling)."""
    fs = params.focal_state
    base_provocation = provocation(params, focal0.alignment, env0.convergence)
    rel = regime_reliability(params, env0.regime)
    kappa = np.broadcast_to(fs.compartmentalisation, focal0.spending.shape)  # [1, P], also when sampled
    mech = evaluate(params, env0, rel, focal0, kappa, np.zeros_like(focal0.spending), base_provocation)
    return Baseline(
        provocation=base_provocation,
        intensity=event_intensities(params, env0, rel, focal0, mech),
        trade_gain=mech.trade_gain,
        energy_security=mech.energy_security,
    )


def action_reaction(params: ModelParams, env: EnvironmentState, reliability: np.ndarray) -> np.ndarray:
    """[P] pp of GDP added to every strategy's spending target: the long-run response to the
    challenger's capacity growth since the base year (``threat_response × log growth``) and to US
    reliability below the base regime's (``reliability_response × (R0 − R)``)."""
    fs = params.focal_state
    base_reliability = regime_reliability(params, np.asarray(params.regime0))
    return fs.threat_response * env.challenger_capability + fs.reliability_response * (base_reliability - reliability)


def trigger_multiplier(params: ModelParams, env: EnvironmentState) -> np.ndarray:
    """[P] factor on the coercion hazard from the focal state's political triggers.

    ``trigger_effect`` while the last trigger is under ``trigger_window`` years old, else 1, divided
    by the stationary mean of that factor, ``1 + (effect − 1)(1 − exp(−rate · Q · K))``. The clock
    lives on whole quarters (:func:`hedgelab.model.environment.initial_environment`), so a trigger
    is recent in ``K = ceil(window / Q)`` quarters after it (its own included), and ``1 − exp(−rate
    · Q · K)`` is the exact stationary share of quarters with a recent trigger, for any window:
    the scenario's coercion rate stays the long-run mean rate, and triggers decide when within it
    coercion comes. ``trigger_effect = 1`` leaves the hazard as it was (docs/model.md, "Political
    triggers").
    """
    ev = params.events
    recent = env.since_trigger < ev.trigger_window
    recent_quarters = np.ceil(ev.trigger_window / QUARTER)  # exact: dividing by 1/4 is a power of two
    mean = 1.0 + (ev.trigger_effect - 1.0) * -np.expm1(-ev.trigger_rate * QUARTER * recent_quarters)
    return np.where(recent, ev.trigger_effect, 1.0) / mean


def against_preference(params: ModelParams, alignment: np.ndarray) -> np.ndarray:
    """[S, P] alignment moved against public preference since the base year:
    ``Σ_{k,d} max(0, −pref[k,d] · (a[k,d] − a0[k,d]))``. Moving closer to a partner the public
    dislikes (pref < 0), or away from one it favours (pref > 0), counts in proportion to the
    strength of the preference; moves the public favours count nothing (docs/model.md,
    "Domestic legitimacy of alignment")."""
    partners = params.partners
    moved = alignment - partners.alignment
    return np.maximum(-partners.public_preference * moved, 0.0).sum(PARTNER_DOMAIN_AXES)


def _per_partner(value: np.ndarray) -> np.ndarray:
    """Give a [P] parameter a trailing partner axis (scalars broadcast as they are)."""
    return value[..., None] if np.ndim(value) else value


def switching(
    policy: PolicyArrays, env: EnvironmentState, reliability: np.ndarray, focal: FocalPosture
) -> tuple[PolicyArrays, np.ndarray, np.ndarray, np.ndarray]:
    """The levers in force this quarter and the switch state.

    Returns ``(levers, signal_run, switched, newly)``: the run of quarters above the threshold
    (reset to 0 by a quarter at or below it), whether each strategy and path has switched (once
    switched, it stays), and whether it switched this quarter (``[S, P]`` each). Without an
    adaptive strategy the policy is returned as it is.
    """
    if not policy.adaptive:
        return policy, focal.signal_run, focal.switched, np.zeros(focal.switched.shape, dtype=bool)
    signal = observed_signals(env, reliability)[policy.switch_signal[:, 0].astype(np.intp)]  # [S, P]
    run = np.where(signal > policy.switch_threshold, focal.signal_run + 1.0, 0.0)
    before = focal.switched > 0
    now = before | (run >= policy.switch_quarters)
    dtype = focal.switched.dtype
    return policy.in_force(now), run.astype(dtype, copy=False), now.astype(dtype), now & ~before


def _shrink_to(limit: np.ndarray, total: np.ndarray) -> np.ndarray:
    """``min(1, limit / total)``: the factor that brings ``total`` down to ``limit``, 1 where it is
    not above it (also where ``total`` is 0, with no division by zero)."""
    shape = np.broadcast_shapes(np.shape(limit), np.shape(total))
    ones = np.ones(shape, dtype=np.result_type(limit, total))
    return np.divide(limit, total, out=ones, where=total > limit)


def _move_toward(current: np.ndarray, target: np.ndarray, max_step: np.ndarray) -> np.ndarray:
    return current + np.clip(target - current, -max_step, max_step)


def step(
    params: ModelParams,
    policy: PolicyArrays,
    base: Baseline,
    state: State,
    shocks: QuarterShocks,
    target_fn: TargetFn = policy_targets,
) -> tuple[State, Quarter]:
    """Advance every strategy and path by one quarter."""
    fs, ev, ec = params.focal_state, params.events, params.economy
    focal = state.focal

    env, crisis = step_environment(params, state.environment, shocks)
    rel = regime_reliability(params, env.regime)

    levers, signal_run, switched, newly_switched = switching(policy, env, rel, focal)
    alignment_target, spending_target = target_fn(levers, params, env, rel, focal)
    spending_target = spending_target + action_reaction(params, env, rel)
    support_ratio = np.clip(focal.support / fs.support, 0.0, 1.0)
    headroom = np.maximum(fs.defence_ceiling - fs.defence_spending, 0.0)
    ceiling = fs.defence_spending + headroom * support_ratio
    spending_target = np.minimum(spending_target, ceiling)

    speed = levers.speed  # [S, 1], or [S, P] with an adaptive strategy
    max_align = (ec.alignment_adjust_speed * speed * QUARTER)[..., None, None]
    alignment = _move_toward(focal.alignment, alignment_target, max_align)
    spending = _move_toward(focal.spending, spending_target, fs.defence_adjust_speed * speed * QUARTER)
    capability = focal.capability + QUARTER * (spending - fs.capability_depreciation * focal.capability)

    base_econ = params.partners.alignment[..., ECONOMY]
    ratio = np.where(base_econ > 0, alignment[..., ECONOMY] / np.where(base_econ > 0, base_econ, 1.0), 1.0)
    # economic drift (gravity): the direct-exposure target follows the partner's economic weight
    # with a long-run elasticity; the share also moves at once with this quarter's growth
    gravity = np.exp(_per_partner(ec.gravity_elasticity) * env.economic_weight)  # [P, K]
    direct_target = params.partners.exposure * ratio * gravity
    routed_target = params.partners.routed_exposure * ratio
    total = (direct_target + routed_target).sum(-1, keepdims=True)
    cap = _per_partner(ec.exposure_cap)
    scale = _shrink_to(cap, total)
    impact = _per_partner(ec.gravity_impact) * params.partners.growth * QUARTER
    exposure = (
        focal.exposure
        + _per_partner(ec.exposure_adjust_speed) * QUARTER * (direct_target * scale - focal.exposure)
        + impact * focal.exposure
    )
    routed = focal.routed + _per_partner(ec.routed_adjust_speed) * QUARTER * (routed_target * scale - focal.routed)
    room = np.maximum(cap - routed.sum(-1, keepdims=True), 0.0)
    exposure = exposure * _shrink_to(room, exposure.sum(-1, keepdims=True))  # the impact term keeps the cap

    support = focal.support + QUARTER * (
        fs.support_recovery * (fs.support - focal.support)
        - fs.support_cost * np.maximum(spending - fs.defence_spending, 0.0)
        - fs.legitimacy_cost * against_preference(params, alignment)
    )
    commitment_loss = focal.commitment_loss * np.exp(-ev.commitment_recovery * QUARTER)
    memory = focal.coercion_memory * np.exp(-ev.coercion_memory * QUARTER)

    moved = FocalPosture(
        alignment=alignment, exposure=exposure, routed=routed, spending=spending, capability=capability,
        support=support, commitment_loss=commitment_loss, coercion_memory=memory,
        signal_run=signal_run, switched=switched,
    )
    mech = evaluate(
        params, env, rel, moved, levers.compartmentalisation, levers.signal, base.provocation
    )

    intensity = event_intensities(params, env, rel, moved, mech)
    intensity["coercion"] = intensity["coercion"] * trigger_multiplier(params, env)
    events = {}
    for kind in EVENTS:
        hazard = getattr(ev, f"{kind}_rate") * intensity[kind] / base.intensity[kind]
        events[kind] = getattr(shocks, kind) < -np.expm1(-hazard * QUARTER)

    dispersion = ev.coercion_severity_dispersion
    severity = ev.coercion_severity * np.exp(dispersion * shocks.coercion_severity - HALF_VARIANCE * dispersion**2)
    coercion_loss = np.where(events["coercion"], severity * ec.openness * PERCENT * mech.leverage, 0.0)
    entrapment_loss = np.where(events["entrapment"], ev.entrapment_cost, 0.0)

    commitment_loss = np.maximum(
        commitment_loss,
        np.maximum(np.where(events["abandonment"], ev.abandonment_depth, 0.0), np.where(events["deal"], ev.deal_depth, 0.0)),
    )
    memory = np.where(events["coercion"], 1.0, memory)
    support = np.clip(support - np.where(events["entrapment"], ev.entrapment_support_loss, 0.0), 0.0, 1.0)

    dtype = focal.spending.dtype
    new_focal = FocalPosture(
        alignment=alignment, exposure=exposure, routed=routed, spending=spending, capability=capability,
        support=support.astype(dtype, copy=False), commitment_loss=commitment_loss.astype(dtype, copy=False),
        coercion_memory=memory.astype(dtype, copy=False), signal_run=signal_run, switched=switched,
    )
    prosperity = {
        "trade": ec.openness * PERCENT * (mech.trade_gain - base.trade_gain),
        "energy": ec.energy_gain * (mech.energy_security - base.energy_security),
        "defence": -ec.defence_cost * (spending - fs.defence_spending),
        "adjustment": -ec.adjustment_cost * ((alignment - focal.alignment) ** 2).sum(PARTNER_DOMAIN_AXES) / QUARTER**2
        - np.where(newly_switched, policy.switch_cost, 0.0) / QUARTER,
        "coercion": -coercion_loss / QUARTER,
        "entrapment": -entrapment_loss / QUARTER,
    }
    quarter = Quarter(mechanisms=mech, prosperity=prosperity, events=events, crisis=crisis, reliability=rel)
    return State(environment=env, focal=new_focal), quarter
