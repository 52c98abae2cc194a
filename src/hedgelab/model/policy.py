"""The policy family: strategies are settings of the same levers, never code branches.

Each quarter a policy turns what it observes (US reliability, the memory of coercion, and the
challenger's threat: assertiveness, convergence and Taiwan tension since the base year) into
targets: alignment per partner and domain, and defence spending. The focal state then moves
toward the targets at limited speed (:mod:`hedgelab.model.step`). Nothing downstream of the
targets knows which strategy produced them. Strategies are compiled from scenario files by
:func:`hedgelab.scenarios.compile.compile_policies`.

A strategy may also *switch*, once, to another strategy's levers: when an observed signal
(:data:`SIGNALS`) has stayed above a threshold for a number of quarters (an adaptive pathway with
a signpost). Switching is a parameter of the family too: a strategy that never switches has an
infinite threshold, and its levers after a switch are its own.

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
    "threat_assertiveness",
    "threat_convergence",
    "threat_tension",
    "defence_on_threat",
    "security_on_threat",
    "derisk_on_threat",
)
"""The scalar levers of a strategy (besides the per-partner, per-domain alignment shift)."""

SWITCH_FIELDS: tuple[str, ...] = ("switch_signal", "switch_threshold", "switch_quarters", "switch_cost")
"""When and at what cost a strategy switches to its fallback levers (:attr:`PolicyArrays.after`)."""

SIGNALS: tuple[str, ...] = ("assertiveness", "convergence", "tension", "unreliability")
"""Observed levels a switch can watch: the environment's indices and US unreliability ``1 − R``."""


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
    threat_assertiveness: np.ndarray  # [S, 1] weight of assertiveness (index) in the threat signal
    threat_convergence: np.ndarray  # [S, 1] weight of convergence (index in [0, 1])
    threat_tension: np.ndarray  # [S, 1] weight of Taiwan tension (index)
    defence_on_threat: np.ndarray  # [S, 1] pp of GDP per unit of threat signal
    security_on_threat: np.ndarray  # [S, 1] security alignment per unit of threat signal, with the patron and
    # the partners the strategy's shift moves toward in security
    derisk_on_threat: np.ndarray  # [S, 1] cut of economy/technology alignment with the challenger per unit
    switch_signal: np.ndarray  # [S, 1] index into SIGNALS
    switch_threshold: np.ndarray  # [S, 1] level of the signal; +inf never switches
    switch_quarters: np.ndarray  # [S, 1] consecutive quarters above the threshold before the switch
    switch_cost: np.ndarray  # [S, 1] % of GDP, one-off, in the quarter of the switch
    after: PolicyArrays | None = None  # the levers in force after a switch (row s: strategy s's fallback)

    def astype(self, dtype: np.dtype) -> PolicyArrays:
        """Cast every lever array to ``dtype`` (the fallback levers too)."""
        return PolicyArrays(
            names=self.names,
            after=None if self.after is None else self.after.astype(dtype),
            **{f.name: getattr(self, f.name).astype(dtype) for f in fields(self) if f.name not in ("names", "after")},
        )

    @property
    def adaptive(self) -> bool:
        """Whether any strategy can switch (a finite threshold and fallback levers)."""
        return self.after is not None and bool(np.isfinite(self.switch_threshold).any())

    def in_force(self, switched: np.ndarray) -> PolicyArrays:
        """The levers in force on each path: the fallback's where ``switched`` [S, P] is set.

        Scalar levers become ``[S, P]`` and the shift ``[S, P, K, D]``; switch fields are kept.
        """
        after, on = self.after, switched.astype(bool)
        levers = {name: np.where(on, getattr(after, name), getattr(self, name)) for name in LEVERS}
        shift = np.where(on[..., None, None], after.shift[:, None], self.shift[:, None])
        switch = {name: getattr(self, name) for name in SWITCH_FIELDS}
        return PolicyArrays(names=self.names, shift=shift, **levers, **switch)


def observed_signals(environment: EnvironmentState, reliability: np.ndarray) -> np.ndarray:
    """[len(SIGNALS), P] the levels a switch watches, in the order of :data:`SIGNALS`."""
    return np.stack([environment.assertiveness, environment.convergence, environment.tension, 1.0 - reliability])


def threat_signal(policy: PolicyArrays, params: ModelParams, environment: EnvironmentState) -> np.ndarray:
    """[S, P] the strategy's threat signal: weighted rises of assertiveness, convergence and
    tension since the base year (``Σ w_x (x − x0)``; a fall counts negative)."""
    env0 = params.environment
    return (
        policy.threat_assertiveness * (environment.assertiveness - env0.assertiveness)
        + policy.threat_convergence * (environment.convergence - env0.convergence)
        + policy.threat_tension * (environment.tension - env0.taiwan_tension)
    )


def security_push_toward(shift_security: np.ndarray, params: ModelParams) -> np.ndarray:
    """Where threat-driven security tightening goes: the patron and the partners a strategy itself
    moves toward in security (a positive shift), never the challenger. ``shift_security`` is the
    security column of a shift (``[..., K]``); the result is a boolean mask of the same shape."""
    return ((shift_security > 0) | params.patron_mask) & ~params.challenger_mask


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
        with the challenger after coercion; as the threat signal rises, more security alignment
        with the patron and the partners the strategy moves toward in security, and less economic
        and technology alignment with the challenger.
    spending_target : array [S, P], % of GDP
        Base-year spending + shift + reactions to unreliability and to the threat signal (the
        domestic ceiling is applied in the step, not here: it is a constraint, not a choice).
    """
    unreliability = 1.0 - reliability  # [P]
    per_path = policy.shift.ndim == focal.alignment.ndim  # levers in force per path (an adaptive family)
    shift = policy.shift if per_path else policy.shift[:, None]  # [S, P|1, K, D]
    target = np.broadcast_to(params.partners.alignment + shift, focal.alignment.shape).copy()
    threat = threat_signal(policy, params, environment)  # [S, P]
    partner_push = policy.partners_on_unreliability * unreliability  # [S, P]
    target[:, :, params.secondary_mask, SECURITY] += partner_push[:, :, None]
    toward = security_push_toward(shift[..., SECURITY], params)  # [S, P|1, K]
    target[..., SECURITY] += (policy.security_on_threat * threat)[:, :, None] * toward
    derisk = policy.derisk_on_coercion * focal.coercion_memory + policy.derisk_on_threat * threat  # [S, P]
    target[:, :, params.challenger, ECONOMY] -= derisk
    target[:, :, params.challenger, TECHNOLOGY] -= derisk
    np.clip(target, 0.0, 1.0, out=target)
    spending_target = (
        params.focal_state.defence_spending
        + policy.defence_shift
        + policy.defence_on_unreliability * unreliability
        + policy.defence_on_threat * threat
    )
    return target, spending_target
