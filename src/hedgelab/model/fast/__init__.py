"""The fused kernel: the NumPy core's quarter, compiled per path (numba), for the CPU or a GPU.

The NumPy core (:mod:`hedgelab.model`) is the specification; this package computes the same
model with every quarter's arithmetic for one path fused into scalar code
(:mod:`~hedgelab.model.fast.kernel`), so no intermediate ``[S, P, K, D]`` array is ever written
to memory. It is optional (``pip install "hedgelab[fast]"``; ``hedgelab[gpu]`` for CUDA) and
never imported by the core. The runner (:mod:`hedgelab.analysis.runner`) selects it when it is
installed and the run asks for nothing it does not cover: the built-in recorders and the whole
policy family (levers are parameters, not callables). docs/performance.md has the design,
the measurements and why numba.

:func:`simulate` takes the arguments of :func:`hedgelab.model.simulate` and returns what the
recorders' ``result()`` would (the recorders themselves are only read, never fed).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence

import numpy as np

from hedgelab.model.params import ModelParams
from hedgelab.model.policy import PolicyArrays
from hedgelab.model.recorders import Recorder
from hedgelab.model.shocks import Shocks

DEVICES: tuple[str, ...] = ("cpu", "gpu")


def available() -> bool:
    """Whether numba is installed (the CPU kernel can run)."""
    return importlib.util.find_spec("numba") is not None


def gpu_available() -> bool:
    """Whether a CUDA GPU can run the kernel (numba's CUDA target finds a device)."""
    if not available():
        return False
    from hedgelab.model.fast.gpu import cuda_available

    return cuda_available()


def unsupported(recorders: Sequence[Recorder]) -> str | None:
    """Why the kernel cannot run with ``recorders`` (None when it can)."""
    from hedgelab.model.fast.plan import unsupported as why

    return why(recorders)


def simulate(
    params: ModelParams,
    policy: PolicyArrays,
    shocks: Shocks,
    recorders: Sequence[Recorder],
    *,
    dtype: np.dtype = np.float32,
    reference: Mapping[str, float] | None = None,
    device: str = "cpu",
) -> dict[str, np.ndarray]:
    """Simulate like :func:`hedgelab.model.simulate` and return the recorders' outputs.

    Parameters
    ----------
    dtype : numpy dtype
        The run's dtype: parameters are rounded to it as in the core and outputs are returned in
        the dtypes the recorders give; the kernel computes in float64.
    device : {"cpu", "gpu"}
        Where the kernel runs.
    """
    from hedgelab.model.fast.run import run_kernel

    if device not in DEVICES:
        raise ValueError(f"device must be one of {DEVICES}, got {device!r}")
    return run_kernel(params, policy, shocks, recorders, dtype=np.dtype(dtype), reference=reference, device=device)
