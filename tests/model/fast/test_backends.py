"""Backend selection through the public runner (issue 15): chosen automatically, pinned by
``--backend``, recorded in the provenance and the run id, falling back to NumPy (and saying so)
for what the kernel does not cover; metric means agree within a standard error; the determinism
guarantees hold within the fast backend."""

from __future__ import annotations

import logging

import numpy as np
import pytest

pytest.importorskip("numba")

from hedgelab import api  # noqa: E402
from hedgelab.analysis import backends, runner  # noqa: E402
from hedgelab.analysis.backends import pinned_backend  # noqa: E402
from hedgelab.analysis.prepare import prepare  # noqa: E402
from hedgelab.errors import HedgelabError  # noqa: E402
from hedgelab.model import fast, policy_targets  # noqa: E402
from hedgelab.model.recorders import Recorder, TimeAverages  # noqa: E402

STRATEGIES = ["dual_hedge", "anchor", "leverage", "adaptive_dual_hedge"]


class Custom(Recorder):
    def outputs(self):
        return {"one": ("strategy", "path")}

    def start(self, params, state, n_quarters):
        self._shape = state.focal.spending.shape

    def result(self):
        return {"one": np.ones(self._shape)}


def _run(backend: str, strategies=STRATEGIES, **kwargs):
    options = {"n_paths": 600, "years": 3, "seed": 4, **kwargs}
    with pinned_backend(backend):
        return api.run("japan-2026", strategies, **options)


def test_auto_chooses_the_kernel_and_records_it():
    fast_run, numpy_run = _run("auto"), _run("numpy")
    assert fast_run.attrs["backend"] == "fast" and numpy_run.attrs["backend"] == "numpy"
    assert fast_run.attrs["run_id"] != numpy_run.attrs["run_id"]  # they agree to rounding, not bit for bit
    assert _run("fast").attrs["run_id"] == fast_run.attrs["run_id"]


def test_metric_means_agree_within_a_standard_error():
    fast_run, numpy_run = _run("fast", n_paths=1500, years=5), _run("numpy", n_paths=1500, years=5)
    fast_table = api.summarise(fast_run).set_index(["strategy", "metric"])
    numpy_table = api.summarise(numpy_run).set_index(["strategy", "metric"])
    assert len(fast_table) == len(numpy_table) > 0
    difference = (fast_table["mean"] - numpy_table["mean"]).abs()
    rounding = 1e-5 * numpy_table["mean"].abs().clip(lower=1.0)  # float32 rounding, for metrics with no spread
    stderr = numpy_table["stderr"].fillna(0.0)
    worse = difference[difference > stderr + rounding]
    assert worse.empty, worse.to_dict()


def test_bit_identical_within_the_fast_backend_for_workers_chunks_and_strategy_subsets(monkeypatch):
    n = runner.CHUNK_PATHS + 300  # two chunks, the second partial
    one = _run("fast", n_paths=n, workers=1)
    monkeypatch.setattr(runner, "CHUNK_PATHS", runner.CHUNK_PATHS // 2)  # three chunks, other borders
    two = _run("fast", n_paths=n, workers=2)
    subset = _run("fast", strategies=["anchor"], n_paths=n, workers=2)
    for name in one.data_vars:
        assert one[name].values.tobytes() == two[name].values.tobytes(), name
        assert one[name].sel(strategy=["anchor"]).values.tobytes() == subset[name].values.tobytes(), name


def test_a_custom_recorder_falls_back_to_numpy_and_says_so(caplog):
    prepared = prepare("japan-2026", ["anchor"])
    with caplog.at_level(logging.WARNING, logger="hedgelab"):
        out = runner.run(prepared, [TimeAverages(("security",)), Custom()], n_paths=16, years=1, seed=0,
                         backend="fast")
    assert out.backend == "numpy"
    assert "Custom" in caplog.text and "numpy" in caplog.text


def test_a_target_fn_falls_back_to_numpy_and_says_so(caplog):
    prepared = prepare("japan-2026", ["anchor"])
    with caplog.at_level(logging.WARNING, logger="hedgelab"):
        out = runner.run(prepared, [TimeAverages(("security",))], n_paths=16, years=1, seed=0,
                         target_fn=lambda *args: policy_targets(*args))
    assert out.backend == "numpy" and "target_fn" in caplog.text


def test_without_numba_auto_is_numpy_and_fast_is_refused_in_one_line(monkeypatch):
    monkeypatch.setattr(fast, "available", lambda: False)
    assert backends.choose("auto") == "numpy"
    with pytest.raises(HedgelabError, match=r'hedgelab\[fast\]') as err:
        backends.choose("fast")
    assert len(err.value.lines) == 1
    with pytest.raises(HedgelabError, match="one of auto, numpy, fast, gpu"):
        backends.choose("cuda")


@pytest.mark.skipif(fast.gpu_available(), reason="a CUDA GPU is present")
def test_gpu_without_a_device_is_refused_in_one_line():
    with pytest.raises(HedgelabError, match="CUDA GPU"):
        backends.choose("gpu")


def test_cli_backend_flag_is_recorded(tmp_path):
    from typer.testing import CliRunner

    from hedgelab.cli.main import app

    result = CliRunner().invoke(app, ["compare", "--strategies", "anchor", "--paths", "64", "--years", "1",
                                      "--backend", "numpy", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"backend": "numpy"' in result.stdout
