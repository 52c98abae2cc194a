"""The Dask engine: a LocalCluster of two worker processes gives the local run's numbers bit for
bit (engine runs and sweeps, several chunks per run); it bounds the tasks in flight and cancels
them when the consumer stops; without dask installed, or with a bad address, one error line."""

import importlib
import time

import numpy as np
import pytest
from typer.testing import CliRunner

pytest.importorskip("distributed")

from hedgelab.analysis import runner  # noqa: E402
from hedgelab.analysis.compare import outcome_recorders  # noqa: E402
from hedgelab.analysis.distributed import DaskExecutor  # noqa: E402
from hedgelab.analysis.executors import SerialExecutor  # noqa: E402
from hedgelab.analysis.explore.design import make_design, uncertainties  # noqa: E402
from hedgelab.analysis.explore.sweep import load, sweep  # noqa: E402
from hedgelab.analysis.prepare import prepare  # noqa: E402
from hedgelab.cli.main import app  # noqa: E402
from hedgelab.errors import HedgelabError  # noqa: E402
from hedgelab.scenarios import load_scenario  # noqa: E402

pytestmark = pytest.mark.slow  # a cluster of two processes takes a second or more to start

NAMES = ["environment.convergence_speed", "events.coercion_severity", "partners.AUS.reach"]
STRATEGIES = ["dual_hedge", "anchor", "multi_hedge"]


@pytest.fixture(scope="module")
def cluster():
    with DaskExecutor(n_workers=2) as executor:
        yield executor


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("japan-2026")


def _sleep_and_return(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_an_engine_run_on_the_cluster_equals_the_serial_run_bit_for_bit(cluster, scenario):
    prepared = prepare(scenario, STRATEGIES)
    n_paths = 2 * runner.CHUNK_PATHS + 300  # three chunks, the last one partial
    on_cluster = runner.run(prepared, outcome_recorders(), n_paths=n_paths, years=2, seed=5, executor=cluster)
    serial = runner.run(prepared, outcome_recorders(), n_paths=n_paths, years=2, seed=5, executor=SerialExecutor())
    assert on_cluster.complete and on_cluster.n_workers == 2
    assert np.array_equal(on_cluster.paths, np.arange(n_paths))
    assert set(on_cluster.outputs) == set(serial.outputs) and len(serial.outputs) > 10
    for name, (dims, values) in serial.outputs.items():
        assert on_cluster.outputs[name][0] == dims
        assert on_cluster.outputs[name][1].dtype == values.dtype
        assert on_cluster.outputs[name][1].tobytes() == values.tobytes(), name


def test_a_sweep_on_the_cluster_equals_the_local_sweep_bit_for_bit(cluster, scenario, tmp_path):
    design = make_design(uncertainties(scenario, NAMES), 5, "lhs", seed=2)
    kwargs = dict(paths_per_sample=600, years=1, seed=9, samples_per_chunk=3)  # 1,800 paths: two runner chunks
    local = sweep(scenario, STRATEGIES, design, workers=1, **kwargs)
    remote = sweep(scenario, STRATEGIES, design, executor=cluster, out=tmp_path / "dask", **kwargs)
    assert remote.attrs["complete"] == 1 and remote.attrs["workers"] == 2
    assert list(remote.data_vars) == list(local.data_vars)
    for name in local.data_vars:
        assert remote[name].values.tobytes() == local[name].values.tobytes(), name
    stored = load(tmp_path / "dask")
    assert stored["prosperity"].values.tobytes() == local["prosperity"].values.tobytes()
    assert remote.attrs["run_id"] == local.attrs["run_id"]  # the same sweep whichever engine ran it


def test_tasks_in_flight_are_bounded_and_cancelled_when_the_consumer_stops(cluster):
    taken = []

    def tasks():
        for i in range(40):
            taken.append(i)
            yield 0.4

    results = cluster.map_unordered(_sleep_and_return, tasks())
    assert next(results) == 0.4
    assert len(taken) <= cluster.max_in_flight + 1  # topped up by one per finished task
    results.close()
    deadline = time.monotonic() + 10
    while cluster.client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) and \
            time.monotonic() < deadline:
        time.sleep(0.05)
    assert cluster.client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) == 0
    assert len(taken) <= cluster.max_in_flight + 1  # nothing submitted after the close


def test_results_come_back_as_they_complete(cluster):
    # the long task is submitted first and returned last (one task per worker)
    assert list(cluster.map_unordered(_sleep_and_return, [1.0, 0.0])) == [0.0, 1.0]


def test_without_dask_installed_the_error_names_the_extra(monkeypatch):
    real = importlib.import_module

    def no_distributed(name, *args):
        if name == "distributed":
            raise ImportError("No module named 'distributed'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", no_distributed)
    with pytest.raises(HedgelabError) as err:
        DaskExecutor(n_workers=1)
    assert len(err.value.lines) == 1 and "pip install 'hedgelab[distributed]'" in err.value.lines[0]


def test_bad_arguments_and_an_unreachable_scheduler_are_one_line():
    with pytest.raises(HedgelabError, match=r"^request: n_workers: expected None when address is given"):
        DaskExecutor("tcp://127.0.0.1:1", n_workers=2)
    with pytest.raises(HedgelabError, match=r"^request: max_in_flight: expected at least 1"):
        DaskExecutor(max_in_flight=0)
    with pytest.raises(HedgelabError) as err:
        DaskExecutor("tcp://127.0.0.1:1", timeout=1)
    assert len(err.value.lines) == 1
    assert err.value.lines[0].startswith("request: address: expected a reachable Dask scheduler")


def test_explore_on_the_cluster_at_scheduler_equals_the_local_command(cluster, tmp_path):
    common = ["explore", "--samples", "3", "--paths", "40", "--years", "1", "--seed", "4",
              "--strategies", ",".join(STRATEGIES), "--uncertainties", ",".join(NAMES)]
    runner_ = CliRunner()
    local = runner_.invoke(app, [*common, "--out", str(tmp_path / "local"), "--workers", "1"])
    remote = runner_.invoke(app, [*common, "--out", str(tmp_path / "dask"), "--engine", "dask",
                                  "--scheduler", cluster.address])
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    assert f"on Dask (2 workers, {cluster.address})" in remote.output
    a, b = load(tmp_path / "local"), load(tmp_path / "dask")
    assert a.attrs["run_id"] == b.attrs["run_id"]
    for name in a.data_vars:
        assert a[name].values.tobytes() == b[name].values.tobytes(), name
