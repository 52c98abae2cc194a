"""Run the model over a horizon and reduce each path to its outcome metrics.

:func:`simulate` is the stable core entry point: parameters (arrays broadcasting over paths),
a policy (one or many strategies), and shocks drawn up front (shared by every strategy).
It returns per-path metrics, shape ``[S, P]``; :mod:`hedgelab.api` chunks paths, attaches
labels and summarises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from hedgelab.model.environment import initial_environment
from hedgelab.model.mechanisms import DIRECTIONS, depth_by_direction
from hedgelab.model.params import ModelParams
from hedgelab.model.policy import PolicyArrays, policy_targets
from hedgelab.model.shocks import Shocks
from hedgelab.model.state import FocalState, State
from hedgelab.model.step import EVENTS, PROSPERITY_PARTS, Quarter, TargetFn, baseline, step

# Per-path time averages accumulated every quarter (name -> Mechanisms attribute).
AVERAGED = (
    "security", "autonomy", "deterrence", "taiwan_preparedness", "security_without_us",
    "us_protection", "partner_protection", "own_protection", "threat", "perceived_options",
    "leverage", "effective_exposure",
)

Recorder = Callable[[int, State, Quarter], None]


def initial_focal(params: ModelParams, n_strategies: int, n_paths: int, dtype: np.dtype) -> FocalState:
    """The base-year focal state, identical for every strategy."""
    fs = params.group("focal_state")
    n_partners = len(params.partners)

    def full(value: np.ndarray, trailing: tuple[int, ...] = ()) -> np.ndarray:
        shape = (n_strategies, n_paths, *trailing)
        return np.broadcast_to(np.asarray(value, dtype=dtype), shape).copy()

    return FocalState(
        alignment=full(params.alignment0, (n_partners, 4)),
        exposure=full(params.partner_vectors["exposure"], (n_partners,)),
        routed=full(params.partner_vectors["routed_exposure"], (n_partners,)),
        spending=full(fs.defence_spending),
        capability=full(fs.defence_spending / fs.capability_depreciation),
        support=full(fs.support),
        commitment_loss=full(0.0),
        coercion_memory=full(0.0),
    )


def simulate(
    params: ModelParams,
    policy: PolicyArrays,
    shocks: Shocks,
    *,
    dtype: np.dtype = np.float32,
    target_fn: TargetFn = policy_targets,
    record: Recorder | None = None,
    reference: dict[str, float] | None = None,
) -> dict[str, np.ndarray]:
    """Simulate S strategies on P paths over the shocks' horizon.

    Parameters
    ----------
    params : ModelParams
        Scalars broadcast over paths (0-d or ``[P]`` once sampled).
    policy : PolicyArrays
        S strategies; the outcome code never sees their names.
    shocks : Shocks
        ``[T, kinds, P]`` draws, shared by every strategy (common random numbers).
    dtype : numpy dtype
        float32 for speed, float64 for tests against the reference.
    target_fn : callable, optional
        Escape hatch replacing :func:`hedgelab.model.policy.policy_targets`.
    record : callable, optional
        Called as ``record(t, state, quarter)`` after every quarter (trajectories).
    reference : dict of str to float, optional
        Event intensities at the state where the base rates hold (see
        :func:`reference_intensity`); by default the base-year state of ``params``.

    Returns
    -------
    dict of str to array [S, P]
        Per-path metrics: time averages of security, prosperity (and its parts), autonomy,
        the trilemma objectives and support; ``depth`` (deepest direction) and ``depth_min``
        (shallowest) at the first crisis or at the horizon; 0/1 indicators of each episode
        kind; ``crisis`` (1 if a Taiwan-strait crisis began on the path within the horizon).
    """
    dtype = np.dtype(dtype)
    n_paths = shocks.normal.shape[-1]
    n_strategies = len(policy.names)
    params = params.astype(dtype)
    policy = policy.astype(dtype)
    env = initial_environment(params, n_paths, dtype)
    focal = initial_focal(params, n_strategies, n_paths, dtype)
    base = baseline(params, env, initial_focal(params, 1, n_paths, dtype))
    if reference is not None:
        base = replace(base, intensity={k: np.asarray(v, dtype=dtype) for k, v in reference.items()})
    state = State(env, focal)

    shape = (n_strategies, n_paths)
    sums = {name: np.zeros(shape) for name in (*AVERAGED, "support")}
    parts = {name: np.zeros(shape) for name in PROSPERITY_PARTS}
    happened = {kind: np.zeros(shape, dtype=bool) for kind in EVENTS}
    crisis_seen = np.zeros(n_paths, dtype=bool)
    depth_at_crisis = {d: np.zeros(shape) for d in DIRECTIONS}

    for t in range(shocks.n_quarters):
        state, quarter = step(params, policy, base, state, shocks.quarter(t), target_fn)
        for name in AVERAGED:
            sums[name] += getattr(quarter.mechanisms, name)
        sums["support"] += state.focal.support
        for name in PROSPERITY_PARTS:
            parts[name] += quarter.prosperity[name]
        for kind in EVENTS:
            happened[kind] |= quarter.events[kind]
        first = quarter.crisis & ~crisis_seen
        if first.any():
            for direction, value in depth_by_direction(params, state.focal).items():
                depth_at_crisis[direction][:, first] = value[:, first]
            crisis_seen |= first
        if record is not None:
            record(t, state, quarter)

    n_quarters = shocks.n_quarters
    metrics = {name: total / n_quarters for name, total in sums.items()}
    for name, total in parts.items():
        metrics[f"prosperity_{name}"] = total / n_quarters
    metrics["prosperity"] = sum(metrics[f"prosperity_{name}"] for name in PROSPERITY_PARTS)
    at_horizon = depth_by_direction(params, state.focal)
    depths = np.stack([np.where(crisis_seen, depth_at_crisis[d], at_horizon[d]) for d in DIRECTIONS])
    metrics["depth"] = depths.max(0)
    metrics["depth_min"] = depths.min(0)
    for kind in EVENTS:
        metrics[kind] = happened[kind].astype(float)
    metrics["crisis"] = np.broadcast_to(crisis_seen.astype(float), shape).copy()
    return metrics


def reference_intensity(params: ModelParams) -> dict[str, float]:
    """Event intensities at the base-year state of ``params`` (the state where base rates hold).

    ``params`` must not vary along paths: the reference is one state.
    """
    if params.n_paths is not None:
        raise ValueError("the reference state must not vary along paths")
    dtype = np.dtype(np.float64)
    env = initial_environment(params, 1, dtype)
    base = baseline(params, env, initial_focal(params, 1, 1, dtype))
    return {kind: float(np.asarray(value).reshape(-1)[0]) for kind, value in base.intensity.items()}
