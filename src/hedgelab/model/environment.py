"""Exogenous environment processes, advanced one quarter for all paths at once.

- US regime: a three-state Markov chain (committed, transactional, retrenching) in continuous
  time with yearly transition rates; reliability is the regime's level.
- Challenger economic weakness and assertiveness: Ornstein–Uhlenbeck processes; weakness lowers
  the long-run level of assertiveness.
- Convergence of technology, economy and security: a logistic-style drift toward 1 at an
  uncertain speed, with noise, clipped to [0, 1].
- Taiwan-strait tension: reverts toward the assertiveness level; a crisis arrives with hazard
  ``crisis_rate × exp(crisis_sensitivity × (tension − 1))``.
- North Korean threat: Ornstein–Uhlenbeck.
- Economic weight of each partner (log of its share of world GDP relative to the base year)
  grows at the partner's uncertain rate ``partners.<k>.growth``; the challenger's military
  capacity relative to the patron's (log, relative to the base year) grows at
  ``threat.challenger_capacity_growth``. Both are deterministic given the rates: their
  uncertainty is the rates' (sampled per path), not a quarterly shock.
- Political triggers: the focal state's provocations toward the challenger (a leader meets the
  Dalai Lama, a missile-defence decision, a maritime incident) arrive as a Poisson process at
  ``events.trigger_rate`` per year; the state keeps the years since the last one, in whole
  quarters. The base year is a typical year: that time is drawn from its stationary (geometric)
  distribution.

Euler–Maruyama steps of ``dt = 0.25`` years. See docs/model.md for the equations.
"""

from __future__ import annotations

import numpy as np

from hedgelab.model.params import ModelParams
from hedgelab.model.shocks import QuarterShocks
from hedgelab.model.state import COMMITTED, QUARTER, RETRENCHING, TRANSACTIONAL, EnvironmentState


def initial_environment(params: ModelParams, since_trigger_draw: np.ndarray, dtype: np.dtype) -> EnvironmentState:
    """The base-year environment of ``len(since_trigger_draw)`` paths.

    ``since_trigger_draw`` [P], uniform on [0, 1), sets the years since the last trigger event on
    the quarterly clock, ``Q · floor(−log(1 − u) / (rate · Q))``: whole quarters, geometric with
    the quarterly trigger probability ``1 − exp(−rate · Q)``, the stationary distribution of the
    quarterly process (infinite at a zero rate).
    """
    env = params.environment
    n_paths = len(since_trigger_draw)
    rate = np.asarray(params.events.trigger_rate, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        quarters = np.floor(-np.log1p(-np.asarray(since_trigger_draw, dtype=np.float64)) / (rate * QUARTER))
    since_trigger = np.where(rate > 0, QUARTER * quarters, np.inf)

    def full(value: np.ndarray) -> np.ndarray:
        return np.broadcast_to(np.asarray(value, dtype=dtype), (n_paths,)).copy()

    return EnvironmentState(
        regime=np.full(n_paths, params.regime0, dtype=np.int8),
        assertiveness=full(env.assertiveness),
        weakness=full(env.china_weakness),
        convergence=full(env.convergence),
        tension=full(env.taiwan_tension),
        north_korea=full(env.north_korea_threat),
        economic_weight=np.zeros((n_paths, len(params.partner_codes)), dtype=dtype),
        challenger_capability=np.zeros(n_paths, dtype=dtype),
        since_trigger=np.broadcast_to(since_trigger, (n_paths,)).astype(dtype),
    )


def reliability(params: ModelParams, regime: np.ndarray) -> np.ndarray:
    """US reliability [P] for each path's regime."""
    env = params.environment
    levels = (env.reliability_committed, env.reliability_transactional, env.reliability_retrenching)
    return np.choose(regime, levels)


def _jump_probability(rate: np.ndarray) -> np.ndarray:
    return -np.expm1(-rate * QUARTER)


def step_environment(
    params: ModelParams, env: EnvironmentState, shocks: QuarterShocks
) -> tuple[EnvironmentState, np.ndarray]:
    """Advance the environment one quarter; return it and the [P] crisis indicator."""
    p = params.environment
    root_dt = np.sqrt(QUARTER)

    # US regime: competing exits from "transactional" split one uniform draw.
    u = shocks.regime
    leave_committed = u < _jump_probability(p.rate_committed_to_transactional)
    exit_rate = p.rate_transactional_to_committed + p.rate_transactional_to_retrenching
    leave_transactional = _jump_probability(exit_rate)
    to_committed = u < leave_transactional * p.rate_transactional_to_committed / exit_rate
    to_retrenching = ~to_committed & (u < leave_transactional)
    leave_retrenching = u < _jump_probability(p.rate_retrenching_to_transactional)
    regime = env.regime
    new_regime = np.where(
        regime == COMMITTED,
        np.where(leave_committed, TRANSACTIONAL, COMMITTED),
        np.where(
            regime == TRANSACTIONAL,
            np.where(to_committed, COMMITTED, np.where(to_retrenching, RETRENCHING, TRANSACTIONAL)),
            np.where(leave_retrenching, TRANSACTIONAL, RETRENCHING),
        ),
    ).astype(np.int8)

    weakness = env.weakness + p.china_weakness_reversion * (p.china_weakness_mean - env.weakness) * QUARTER
    weakness = np.maximum(weakness + p.china_weakness_volatility * root_dt * shocks.weakness, 0.0)

    assert_mean = p.assertiveness_mean - p.weakness_effect * env.weakness
    assertiveness = env.assertiveness + p.assertiveness_reversion * (assert_mean - env.assertiveness) * QUARTER
    assertiveness = np.maximum(assertiveness + p.assertiveness_volatility * root_dt * shocks.assertiveness, 0.0)

    convergence = env.convergence + p.convergence_speed * (1.0 - env.convergence) * QUARTER
    convergence = np.clip(convergence + p.convergence_volatility * root_dt * shocks.convergence, 0.0, 1.0)

    tension = env.tension + p.taiwan_reversion * (env.assertiveness - env.tension) * QUARTER
    tension = np.maximum(tension + p.taiwan_volatility * root_dt * shocks.tension, 0.0)

    north_korea = env.north_korea + p.north_korea_reversion * (p.north_korea_mean - env.north_korea) * QUARTER
    north_korea = np.maximum(north_korea + p.north_korea_volatility * root_dt * shocks.north_korea, 0.0)

    crisis_hazard = p.crisis_rate * np.exp(p.crisis_sensitivity * (tension - 1.0))
    crisis = shocks.crisis < _jump_probability(crisis_hazard)

    economic_weight = env.economic_weight + params.partners.growth * QUARTER
    challenger_capability = env.challenger_capability + params.threat.challenger_capacity_growth * QUARTER
    triggered = shocks.trigger < _jump_probability(params.events.trigger_rate)
    since_trigger = np.where(triggered, 0.0, env.since_trigger + QUARTER)

    dtype = env.assertiveness.dtype
    new = EnvironmentState(
        regime=new_regime,
        assertiveness=assertiveness.astype(dtype, copy=False),
        weakness=weakness.astype(dtype, copy=False),
        convergence=convergence.astype(dtype, copy=False),
        tension=tension.astype(dtype, copy=False),
        north_korea=north_korea.astype(dtype, copy=False),
        economic_weight=economic_weight.astype(dtype, copy=False),
        challenger_capability=challenger_capability.astype(dtype, copy=False),
        since_trigger=since_trigger.astype(dtype, copy=False),
    )
    return new, crisis
