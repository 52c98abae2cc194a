"""The policy family: strategies are settings of the same levers, never code branches.

Each quarter a policy turns what it observes (US reliability, the memory of coercion) into
targets: alignment per partner and domain, and defence spending. The focal state then moves
toward the targets at limited speed (:mod:`hedgelab.model.step`). Nothing downstream of the
targets knows which strategy produced them. Strategies are compiled from scenario files by
:func:`hedgelab.scenarios.compile.compile_policies`.

Escape hatch: :func:`hedgelab.model.loop.simulate` accepts ``target_fn``, a user callable
with the signature of :func:`policy_targets`, to replace the family entirely.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from hedgelab.model.params import ModelParams
from hedgelab.model.state import ECONOMY, SECURITY, TECHNOLOGY, EnvironmentState, FocalPosture

LEVERS: tuple[str, ...] = (
    "defence_shift",
    "compartmentalisation",
    "speed",
    "signal",
    "defence_on_unreliability",
    "partners_on_unreliability",
    "derisk_on_coercion",
)
"""The scalar levers of a strategy (besides the per-partner, per-domain alignment shift)."""


@dataclass(frozen=True)
class PolicyArrays:
    """Lever values of S strategies; each lever is an ``[S, 1]`` column that broadcasts over paths."""

    names: tuple[str, ...]
    shift: np.ndarray  # [S, K, D] shift of alignment targets from the base-year state
    defence_shift: np.ndarray  # [S, 1] pp of GDP
    compartmentalisation: np.ndarray  # [S, 1] share in [0, 1]
    speed: np.ndarray  # [S, 1] share of the maximum adjustment speed
    signal: np.ndarray  # [S, 1] visibility of alternatives, [0, 1]
    defence_on_unreliability: np.ndarray  # [S, 1] pp of GDP per unit of US unreliability
    partners_on_unreliability: np.ndarray  # [S, 1] alignment per unit of US unreliability
    derisk_on_coercion: np.ndarray  # [S, 1] alignment per unit of coercion memory

    def astype(self, dtype: np.dtype) -> PolicyArrays:
        """Cast every lever array to ``dtype``."""
        return PolicyArrays(
            names=self.names,
            **{f.name: getattr(self, f.name).astype(dtype) for f in fields(self) if f.name != "names"},
        )


def policy_targets(
    policy: PolicyArrays,
    params: ModelParams,
    environment: EnvironmentState,
    reliability: np.ndarray,
    focal: FocalPosture,
) -> tuple[np.ndarray, np.ndarray]:
    """Targets for this quarter.

    Parameters
    ----------
    reliability : array [P]
        US reliability the focal state observes this quarter.

    Returns
    -------
    alignment_target : array [S, P, K, D], in [0, 1]
        Base-year alignment + the strategy's shift + reactions: more security alignment with
        secondary partners as the US looks unreliable, less economic and technology alignment
        with the challenger after coercion.
    spending_target : array [S, P], % of GDP
        Base-year spending + shift + reaction to unreliability (the domestic ceiling is applied
        in the step, not here: it is a constraint, not a choice).
    """
    unreliability = 1.0 - reliability  # [P]
    target = params.partners.alignment + policy.shift[:, None, :, :]  # [S, P|1, K, D]
    target = np.broadcast_to(target, focal.alignment.shape).copy()
    partner_push = policy.partners_on_unreliability * unreliability  # [S, P]
    target[:, :, params.secondary_mask, SECURITY] += partner_push[:, :, None]
    derisk = policy.derisk_on_coercion * focal.coercion_memory  # [S, P]
    target[:, :, params.challenger, ECONOMY] -= derisk
    target[:, :, params.challenger, TECHNOLOGY] -= derisk
    np.clip(target, 0.0, 1.0, out=target)
    spending_target = (
        params.focal_state.defence_spending
        + policy.defence_shift
        + policy.defence_on_unreliability * unreliability
    )
    return target, spending_target
