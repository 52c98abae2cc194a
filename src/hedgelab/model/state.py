"""The one state representation of the model.

Axis letters (used in every shape comment of :mod:`hedgelab.model`):

``S``  strategy (policies evaluated side by side on the same shocks)
``P``  path (one sampled future; parameters may vary along it)
``K``  partner (in scenario-file order; one patron, one challenger, the rest secondary)
``D``  domain of alignment: security, economy, technology, energy (:data:`DOMAINS`)

The exogenous environment does not depend on the focal state's choices, so it is held once per
path (``[P]``) and shared by all strategies: common random numbers by construction. Everything
the focal state influences is held per strategy and path (``[S, P, ...]``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DOMAINS: tuple[str, ...] = ("security", "economy", "technology", "energy")
SECURITY, ECONOMY, TECHNOLOGY, ENERGY = range(len(DOMAINS))
REGIMES: tuple[str, ...] = ("committed", "transactional", "retrenching")
COMMITTED, TRANSACTIONAL, RETRENCHING = range(len(REGIMES))
QUARTER = 0.25  # years per step (a unit conversion: quarters to years)
PARTNER_DOMAIN_AXES = (-2, -1)  # the trailing [K, D] axes of alignment arrays


@dataclass(frozen=True, kw_only=True)
class EnvironmentState:
    """Exogenous, uncertain processes, one value per path."""

    regime: np.ndarray  # [P] int8, US regime index into REGIMES
    assertiveness: np.ndarray  # [P] challenger assertiveness, index (2020 = 1)
    weakness: np.ndarray  # [P] challenger economic weakness, index (0 = trend growth)
    convergence: np.ndarray  # [P] convergence of technology/economy/security, in [0, 1]
    tension: np.ndarray  # [P] Taiwan-strait tension, index (2020 = 1)
    north_korea: np.ndarray  # [P] North Korean threat, index (2020 = 1)
    economic_weight: np.ndarray  # [P, K] log of each partner's share of world GDP relative to the base year
    challenger_capability: np.ndarray  # [P] log of the challenger's capacity relative to the base year
    since_trigger: np.ndarray  # [P] years since the focal state's last political trigger event


@dataclass(frozen=True, kw_only=True)
class FocalPosture:
    """What the focal state's choices move, per strategy and path."""

    alignment: np.ndarray  # [S, P, K, D] alignment with partner k in domain d, in [0, 1]
    exposure: np.ndarray  # [S, P, K] direct share of goods trade with partner k
    routed: np.ndarray  # [S, P, K] exposure routed through third economies to partner k
    spending: np.ndarray  # [S, P] defence spending, % of GDP
    capability: np.ndarray  # [S, P] own defence capability stock, %-of-GDP-years
    support: np.ndarray  # [S, P] domestic support for the posture, in [0, 1]
    commitment_loss: np.ndarray  # [S, P] share of US commitment withdrawn by episodes, [0, 1]
    coercion_memory: np.ndarray  # [S, P] decaying memory of coercion episodes, in [0, 1]
    signal_run: np.ndarray  # [S, P] consecutive quarters the strategy's switch signal has been above its threshold
    switched: np.ndarray  # [S, P] 1 once the strategy has switched to its fallback levers, else 0


@dataclass(frozen=True, kw_only=True)
class State:
    """The full model state at the end of a quarter."""

    environment: EnvironmentState
    focal: FocalPosture
