"""A sweep killed by SIGKILL at arbitrary moments resumes to the numbers of an uninterrupted run."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from hedgelab.analysis.explore.sweep import load

ARGS = ["explore", "--samples", "24", "--paths", "256", "--years", "4", "--seed", "1", "--workers", "1",
        "--chunk-samples", "2",
        "--strategies", "dual_hedge,anchor",
        "--uncertainties", "environment.convergence_speed,events.coercion_severity"]


def _hedgelab(out, *extra):
    return [sys.executable, "-m", "hedgelab", *ARGS, "--out", str(out), *extra]


@pytest.mark.slow
def test_sigkill_at_any_moment_then_resume_equals_an_uninterrupted_sweep(tmp_path):
    reference = tmp_path / "reference"
    subprocess.run(_hedgelab(reference), check=True, capture_output=True)
    killed = tmp_path / "killed"
    rng = np.random.default_rng(0)
    partial = []
    def finished_chunks() -> int:
        return len(list((killed / "chunks").glob("samples-*.parquet"))) if (killed / "chunks").exists() else 0

    for target in (2, 5, 9):  # kill once the sweep has passed a given chunk, plus a random delay
        proc = subprocess.Popen(_hedgelab(killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while finished_chunks() < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(float(rng.uniform(0.0, 0.2)))  # inside the next chunk, or while it is written
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        partial.append(finished_chunks())
    assert any(0 < n < 12 for n in partial), partial  # the kills landed mid-sweep
    done = subprocess.run(_hedgelab(killed), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    a, b = load(reference), load(killed)
    assert a.attrs["run_id"] == b.attrs["run_id"] and b.attrs["complete"] == 1
    for name in a.data_vars:
        assert np.array_equal(a[name].values, b[name].values, equal_nan=True), name
