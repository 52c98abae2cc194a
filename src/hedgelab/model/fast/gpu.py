"""The kernel on a CUDA GPU: one thread per path, the same :func:`~hedgelab.model.fast.kernel.path_step`
compiled as a CUDA device function by numba's CUDA target (``pip install "hedgelab[gpu]"``).

Each thread has its own rows of scratch (``slot`` = the path), so the device function is the CPU's
source unchanged. Inputs and the reductions are copied to the device for a chunk and the
reductions back. Not measured on a GPU yet: the tests run it in numba's CUDA simulator
(``NUMBA_ENABLE_CUDASIM=1``) and skip the device checks where no CUDA GPU is present.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from numba import cuda

from hedgelab.model.fast import kernel

THREADS_PER_BLOCK = 128
"""CUDA threads per block (a multiple of the 32-thread warp)."""
N_INPUTS = 34
"""Arguments of ``path_step`` between ``n_quarters`` and the scratch arrays; the last six are the
reductions, copied back."""
N_REDUCTIONS = 6
SCRATCH_BYTES = 2**30
"""Device memory for one chunk's per-thread scratch (each thread, one path, has its own rows of
:func:`~hedgelab.model.fast.kernel.scratch_shapes`, about 15 KB for 11 strategies and 10
partners): it bounds the paths of a GPU chunk, with the runner's budget for the chunk's shocks."""


def max_paths(n_strategies: int, n_partners: int) -> int:
    """The most paths of a GPU chunk whose scratch fits :data:`SCRATCH_BYTES`."""
    per_path = sum(8 * int(np.prod(shape)) for shape in kernel.scratch_shapes(1, n_strategies, n_partners))
    return max(1, SCRATCH_BYTES // per_path)


def cuda_available() -> bool:
    """Whether numba's CUDA target is installed and finds a device."""
    try:
        return bool(cuda.is_available())
    except Exception:  # noqa: BLE001 -- no CUDA target, or a driver that fails to load: no GPU either way
        return False


@cache
def _launcher():  # type: ignore[no-untyped-def]
    step = cuda.jit(device=True)(kernel.path_step)

    @cuda.jit
    def run(n_paths, n_quarters, scalars, partners, alignment0, preference, roles, patron, challenger, regime0,
            base, environment, economic_weight, crisis, normal, uniform, shock_index, levers, target_shift,
            adaptive, after_levers, security_rows, push_cells,
            sum_index, first_index, trajectory_index, keep_depth, keep_final, phi, weights,
            sums, first, trajectory, depth, final_alignment, final_exposure,
            st_a, st_e, st_r, st_x, st_sum, var, tmp, cell):
        p = cuda.grid(1)
        if p < n_paths:
            step(p, p, n_quarters, scalars, partners, alignment0, preference, roles, patron, challenger, regime0,
                 base, environment, economic_weight, crisis, normal, uniform, shock_index, levers, target_shift,
                 adaptive, after_levers, security_rows, push_cells,
                 sum_index, first_index, trajectory_index, keep_depth, keep_final, phi, weights,
                 sums, first, trajectory, depth, final_alignment, final_exposure,
                 st_a, st_e, st_r, st_x, st_sum, var, tmp, cell)

    return run


def run_paths_gpu(n_paths: int, n_quarters: int, inputs: tuple, n_strategies: int, n_partners: int) -> None:
    """Run every path of a chunk on the GPU; the reductions (the last six of ``inputs``) are
    filled in place."""
    if len(inputs) != N_INPUTS:
        raise ValueError(f"expected {N_INPUTS} kernel inputs, got {len(inputs)}")
    on_device = [cuda.to_device(np.ascontiguousarray(x)) if isinstance(x, np.ndarray) else x for x in inputs]
    scratch = [cuda.device_array(shape) for shape in kernel.scratch_shapes(n_paths, n_strategies, n_partners)]
    blocks = -(-n_paths // THREADS_PER_BLOCK)
    _launcher()[blocks, THREADS_PER_BLOCK](n_paths, n_quarters, *on_device, *scratch)
    for host, device in zip(inputs[-N_REDUCTIONS:], on_device[-N_REDUCTIONS:], strict=True):
        device.copy_to_host(host)
