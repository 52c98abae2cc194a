"""One chunk through the kernel: pack the inputs, allocate the reductions, run, unpack.

The base-year reference points (provocation, trade gain, energy security, the hazards'
normalising intensities) come from the core's own :func:`hedgelab.model.step.baseline`, and the
environment from its ``step_environment`` (:mod:`hedgelab.model.fast.pack`): the kernel
re-implements only the per-strategy quarter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from hedgelab.model.environment import initial_environment
from hedgelab.model.fast import kernel
from hedgelab.model.fast.pack import pack
from hedgelab.model.fast.plan import Reduced, make_plan, results
from hedgelab.model.loop import initial_focal
from hedgelab.model.params import ModelParams
from hedgelab.model.policy import PolicyArrays
from hedgelab.model.recorders import Recorder
from hedgelab.model.shocks import NORMAL_KINDS, UNIFORM_KINDS, Shocks
from hedgelab.model.state import DOMAINS
from hedgelab.model.step import EVENTS, baseline

SHOCK_INDEX = np.array(
    [NORMAL_KINDS.index("coercion_severity"), *(UNIFORM_KINDS.index(kind) for kind in EVENTS)], dtype=np.int64
)
"""Columns of the shocks the kernel reads (kernel.S_SEVERITY, S_COERCION … in that order)."""


def base_columns(params: ModelParams, shocks: Shocks, dtype: np.dtype,
                 reference: Mapping[str, float] | None) -> np.ndarray:
    """``[P, 7]`` float64: base provocation, the normalising intensity of each event kind
    (:data:`~hedgelab.model.step.EVENTS` order), base trade gain and energy security, as
    :func:`hedgelab.model.simulate` computes them."""
    n_paths = shocks.n_paths
    env0 = initial_environment(params, shocks.initial_draw("since_trigger"), dtype)
    base = baseline(params, env0, initial_focal(params, 1, n_paths, dtype))
    intensity = base.intensity if reference is None else {k: np.asarray(v, dtype=dtype) for k, v in reference.items()}
    columns = [base.provocation, *(intensity[kind] for kind in EVENTS), base.trade_gain, base.energy_security]
    return np.stack([np.broadcast_to(np.asarray(c, dtype=np.float64), (1, n_paths))[0] for c in columns], axis=1)


def run_kernel(
    params: ModelParams, policy: PolicyArrays, shocks: Shocks, recorders: Sequence[Recorder], *,
    dtype: np.dtype, reference: Mapping[str, float] | None, device: str,
) -> dict[str, np.ndarray]:
    """See :func:`hedgelab.model.fast.simulate`."""
    params = params.astype(dtype)
    policy = policy.astype(dtype)
    n_paths, n_quarters = shocks.n_paths, shocks.n_quarters
    n_strategies, n_partners, n_domains = len(policy.names), len(params.partner_codes), len(DOMAINS)
    packed = pack(params, policy, shocks, dtype)
    base = base_columns(params, shocks, dtype, reference)
    plan = make_plan(recorders)
    sp = (n_strategies, n_paths)
    reduced = Reduced(
        sums=np.zeros((*sp, len(plan.sums))),
        firsts=np.full((*sp, len(plan.firsts)), np.nan),
        trajectory=np.empty((*sp, n_quarters, len(plan.trajectory)), dtype=dtype),
        depth=np.zeros((*sp, len(kernel.DEPTH_AND_WITHOUT_US)) if plan.keep_depth else (1, 1, 1)),
        final_alignment=np.zeros((*sp, n_partners, n_domains) if plan.keep_final else (1, 1, 1, 1)),
        final_exposure=np.zeros((*sp, n_partners) if plan.keep_final else (1, 1, 1)),
    )
    inputs = (
        packed.scalars, packed.partners, packed.alignment0, packed.preference, packed.roles,
        params.patron, params.challenger, params.regime0, base, packed.environment, packed.economic_weight,
        packed.crisis, shocks.normal, shocks.uniform, SHOCK_INDEX, packed.levers, packed.target_shift,
        packed.adaptive, packed.after_levers, packed.security_rows, packed.push_cells,
        plan.index(plan.sums), plan.index(plan.firsts), plan.index(plan.trajectory), plan.keep_depth,
        plan.keep_final, kernel.QUAD_PHI, kernel.QUAD_WEIGHTS,
        reduced.sums, reduced.firsts, reduced.trajectory, reduced.depth, reduced.final_alignment,
        reduced.final_exposure,
    )
    if device == "gpu":
        from hedgelab.model.fast.gpu import run_paths_gpu

        run_paths_gpu(n_paths, n_quarters, inputs, n_strategies, n_partners)
    else:
        scratch = tuple(np.empty(shape) for shape in kernel.scratch_shapes(1, n_strategies, n_partners))
        kernel.run_paths(n_paths, n_quarters, *inputs, *scratch)
    return results(recorders, plan, reduced, n_quarters, dtype)
