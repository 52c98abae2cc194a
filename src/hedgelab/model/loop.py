"""Run the model over a horizon, feeding every quarter to recorders.

:func:`simulate` is the core entry point: parameters (arrays broadcasting over paths), a
policy (one or many strategies), shocks drawn up front (shared by every strategy) and
recorders (:mod:`hedgelab.model.recorders`) that reduce each quarter as it passes. It returns
the final state; what was recorded is read from the recorders. The runner
(:mod:`hedgelab.analysis.runner`) chunks paths, spreads chunks over workers and labels results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from hedgelab.model.environment import initial_environment
from hedgelab.model.params import ModelParams
from hedgelab.model.policy import PolicyArrays, policy_targets
from hedgelab.model.recorders import Recorder
from hedgelab.model.shocks import Shocks
from hedgelab.model.state import DOMAINS, FocalPosture, State
from hedgelab.model.step import TargetFn, baseline, step


def initial_focal(params: ModelParams, n_strategies: int, n_paths: int, dtype: np.dtype) -> FocalPosture:
    """The base-year posture of the focal state, identical for every strategy."""
    fs, partners = params.focal_state, params.partners
    n_partners = len(params.partner_codes)

    def full(value: np.ndarray, trailing: tuple[int, ...] = ()) -> np.ndarray:
        shape = (n_strategies, n_paths, *trailing)
        return np.broadcast_to(np.asarray(value, dtype=dtype), shape).copy()

    return FocalPosture(
        alignment=full(partners.alignment, (n_partners, len(DOMAINS))),
        exposure=full(partners.exposure, (n_partners,)),
        routed=full(partners.routed_exposure, (n_partners,)),
        spending=full(fs.defence_spending),
        capability=full(fs.defence_spending / fs.capability_depreciation),
        support=full(fs.support),
        commitment_loss=full(0.0),
        coercion_memory=full(0.0),
        signal_run=full(0.0),
        switched=full(0.0),
    )


def simulate(
    params: ModelParams,
    policy: PolicyArrays,
    shocks: Shocks,
    recorders: Sequence[Recorder] = (),
    *,
    dtype: np.dtype = np.float32,
    target_fn: TargetFn = policy_targets,
    reference: Mapping[str, float] | None = None,
) -> State:
    """Simulate S strategies on P paths over the shocks' horizon.

    Parameters
    ----------
    params : ModelParams
        Parameters broadcasting over paths (0-d or ``[P]`` once sampled).
    policy : PolicyArrays
        S strategies; the outcome code never sees their names.
    shocks : Shocks
        ``[T, kinds, P]`` draws, shared by every strategy (common random numbers).
    recorders : sequence of Recorder
        Fed the base-year state once and every quarter's state and outcomes; read their
        :meth:`~hedgelab.model.recorders.Recorder.result` afterwards.
    dtype : numpy dtype
        float32 for speed, float64 for tests against the reference.
    target_fn : callable, optional
        Escape hatch replacing :func:`hedgelab.model.policy.policy_targets`.
    reference : mapping of str to float, optional
        Event intensities at the state where the base rates hold (see
        :func:`reference_intensity`); by default the base-year state of ``params``.

    Returns
    -------
    State
        The state at the end of the last quarter.
    """
    dtype = np.dtype(dtype)
    n_paths = shocks.n_paths
    params = params.astype(dtype)
    policy = policy.astype(dtype)
    env = initial_environment(params, shocks.initial_draw("since_trigger"), dtype)
    base = baseline(params, env, initial_focal(params, 1, n_paths, dtype))
    if reference is not None:
        base = replace(base, intensity={k: np.asarray(v, dtype=dtype) for k, v in reference.items()})
    state = State(environment=env, focal=initial_focal(params, len(policy.names), n_paths, dtype))
    for recorder in recorders:
        recorder.start(params, state, shocks.n_quarters)
    for t in range(shocks.n_quarters):
        state, quarter = step(params, policy, base, state, shocks.quarter(t), target_fn)
        for recorder in recorders:
            recorder.update(t, state, quarter)
    return state


def reference_intensity(params: ModelParams) -> dict[str, float]:
    """Event intensities at the base-year state of ``params`` (the state where base rates hold).

    ``params`` must not vary along paths: the reference is one state.
    """
    if params.n_paths is not None:
        raise ValueError("the reference state must not vary along paths")
    dtype = np.dtype(np.float64)
    env = initial_environment(params, np.zeros(1), dtype)  # triggers do not enter the intensities
    base = baseline(params, env, initial_focal(params, 1, 1, dtype))
    return {kind: float(np.asarray(value).reshape(-1)[0]) for kind, value in base.intensity.items()}
