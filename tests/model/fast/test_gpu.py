"""The kernel's GPU form (issue 15, "GPU-ready"): run by numba's CUDA simulator on every full test
run (it executes the device code in Python, so it checks the GPU driver and indexing, not CUDA
compilation), and on a real CUDA device where one is present (skipped cleanly otherwise)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("numba")

from hedgelab.analysis.prepare import prepare  # noqa: E402
from hedgelab.model import draw_shocks, fast  # noqa: E402

from .helpers import assert_equal_until_flip, core_and_kernel, every_recorder  # noqa: E402

SIMULATED = '''
import numpy as np
from hedgelab.analysis.prepare import prepare
from hedgelab.model import draw_shocks, fast
from helpers import every_recorder
prepared = prepare("japan-2026", ["dual_hedge", "adaptive_dual_hedge"], overrides=["responses.coercion_committed_prior=0.7"])
shocks = draw_shocks(1, 0, 6, 4, np.float64)
args = (prepared.params, prepared.policy, shocks, every_recorder())
on_gpu = fast.simulate(*args, dtype=np.float64, reference=prepared.reference, device="gpu")
on_cpu = fast.simulate(*args, dtype=np.float64, reference=prepared.reference)
assert on_gpu.keys() == on_cpu.keys()
for name in on_cpu:
    # to rounding, not bit for bit: the CPU kernel is compiled with fastmath's reassociation and
    # fused multiply-adds (kernel.OPTIONS), the simulator runs the device code in plain Python
    np.testing.assert_allclose(np.asarray(on_gpu[name], float), np.asarray(on_cpu[name], float),
                               rtol=1e-12, atol=1e-12, err_msg=name)
print("identical to rounding")
'''


@pytest.mark.slow
def test_the_gpu_form_in_the_cuda_simulator_agrees_with_the_cpu_kernel_to_rounding():
    env = {**os.environ, "NUMBA_ENABLE_CUDASIM": "1", "PYTHONPATH": str(Path(__file__).parent)}
    done = subprocess.run([sys.executable, "-c", SIMULATED], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "identical" in done.stdout, done.stderr[-2000:]


@pytest.mark.skipif(not fast.gpu_available(), reason="no CUDA GPU")
def test_on_a_cuda_gpu_the_kernel_agrees_with_the_core():
    prepared = prepare("japan-2026", None)
    shocks = draw_shocks(2, 0, 2048, 40, np.float64)
    core, _ = core_and_kernel(prepared.params, prepared.policy, shocks, prepared.reference)
    on_gpu = fast.simulate(prepared.params, prepared.policy, shocks, every_recorder(), dtype=np.float64,
                           reference=prepared.reference, device="gpu")
    assert_equal_until_flip(core, on_gpu)
