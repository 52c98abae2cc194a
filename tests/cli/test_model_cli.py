"""The model commands: output contracts, errors as lines with exit code 2, atomic outputs."""

import json
import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from hedgelab.analysis.limits import MAX_PATHS
from hedgelab.analysis.metrics import HEADLINE_METRICS
from hedgelab.cli.main import app
from hedgelab.model import fast

runner = CliRunner()
SMALL = ["--paths", "64", "--years", "2"]


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_compare_json_is_one_object_with_every_metric():
    result = invoke("compare", *SMALL, "--strategies", "dual_hedge,anchor", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    provenance = {"hedgelab_version", "scenario", "focal", "base_year", "param_hash", "run_id", "overrides",
                  "sampled", "strategies", "seed", "years", "paths_requested", "paths", "complete", "workers",
                  "backend", "started", "finished", "dtype"}
    assert set(payload) == provenance | {"version"}
    assert payload["paths"] == 64 and payload["years"] == 2 and payload["scenario"] == "japan-2026"
    assert payload["complete"] is True and payload["backend"] == ("fast" if fast.available() else "numpy")
    # float32 results are printed with at most 7 significant digits
    assert all(len(repr(v).lstrip("-0.").replace(".", "").rstrip("0")) <= 7
               for s in payload["strategies"] for v in s["metrics"].values())
    assert [s["name"] for s in payload["strategies"]] == ["dual_hedge", "anchor"]
    for strategy in payload["strategies"]:
        assert set(strategy["metrics"]) == set(HEADLINE_METRICS) == set(strategy["stderr"])
        assert all(math.isfinite(v) for v in strategy["metrics"].values())
        for name in ("p_coercion", "p_abandonment", "p_entrapment", "p_deal", "security", "autonomy"):
            assert 0.0 <= strategy["metrics"][name] <= 1.0


def test_compare_set_changes_the_parameter_hash_and_the_result():
    base = json.loads(invoke("compare", *SMALL, "--strategies", "dual_hedge", "--format", "json").stdout)
    changed = json.loads(
        invoke("compare", *SMALL, "--strategies", "dual_hedge", "--format", "json",
               "--set", "partners.CHN.exposure=0.35").stdout
    )
    assert base["param_hash"] != changed["param_hash"]
    assert changed["strategies"][0]["metrics"]["prosperity"] != base["strategies"][0]["metrics"]["prosperity"]


def test_compare_out_writes_complete_files_and_no_temporaries(tmp_path):
    result = invoke("compare", *SMALL, "--strategies", "anchor", "--out", str(tmp_path / "run"), "--format", "csv")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "run").iterdir())
    assert files == ["paths.parquet", "run.json", "summary.csv"]
    paths = pd.read_parquet(tmp_path / "run" / "paths.parquet")
    assert len(paths) == 64 and set(paths["strategy"]) == {"anchor"}
    assert json.loads((tmp_path / "run" / "run.json").read_text())["paths"] == 64


def test_show_json_lists_every_parameter_with_provenance():
    result = invoke("show", "japan-2026", "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["scenario"] == "japan-2026"
    rows = {r["path"]: r for r in payload["parameters"]}
    assert rows["environment.convergence_speed"]["unit"] == "per year (share of the remaining gap)"
    for row in payload["parameters"]:
        assert set(row) == {"path", "value", "unit", "range", "kind", "source", "as_of"}
        if row["range"] is not None:
            assert row["range"][0] <= row["value"] <= row["range"][1]


def test_every_shown_path_is_accepted_by_set():
    rows = json.loads(invoke("show", "--format", "json").stdout)["parameters"]
    numeric = [r for r in rows if isinstance(r["value"], float)][:5]
    for row in numeric:
        result = invoke("show", "--set", f"{row['path']}={row['value']}", "--format", "json")
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["compare", "--paths", "0"], "--paths: expected a whole number from 1 to"),
        (["compare", "--paths", str(MAX_PATHS + 1)], f"--paths: expected a whole number from 1 to {MAX_PATHS:,}"),
        (["compare", "--strategies", "dual_hedgee"], "did you mean dual_hedge"),
        (["compare", "--set", "environment.convergense_speed=0.1"], "did you mean environment.convergence_speed"),
        (["compare", "--set", "events.coercion_rate=9"], "events.coercion_rate: expected a value in ["),
        (["compare", "--set", "events.coercion_rate=fast"], "expected a TOML literal"),
        (["compare", "--scenario", "missing.toml"], "missing.toml: file: expected an existing scenario file"),
        (["show", "japan-2062"], "did you mean japan-2026"),
        (["simulate", "--out", "x.csv"], "expected a file name ending in .parquet or .nc"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_code_2(args, expected):
    result = invoke(*args)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_simulate_writes_quantile_trajectories(tmp_path):
    out = tmp_path / "traj.parquet"
    result = invoke("simulate", *SMALL, "--strategies", "dual_hedge,anchor", "--out", str(out))
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert set(frame["quantile"]) == {0.05, 0.25, 0.5, 0.75, 0.95}
    # quarters are labelled by their end dates: eight of them from the base year (2026) on
    assert sorted(frame["quarter"].unique()) == list(pd.date_range("2026-03-31", periods=8, freq="QE"))
    median = frame[frame["quantile"] == 0.5]
    low = frame[frame["quantile"] == 0.05]
    assert (median["security"].to_numpy() >= low["security"].to_numpy()).all()


def test_simulate_netcdf_keeps_all_paths(tmp_path):
    import xarray as xr

    out = tmp_path / "traj.nc"
    assert invoke("simulate", *SMALL, "--strategies", "anchor", "--all-paths", "--out", str(out)).exit_code == 0
    with xr.open_dataset(out) as data:
        assert data.sizes == {"strategy": 1, "quarter": 8, "path": 64}
        assert str(data.quarter.values[0])[:10] == "2026-03-31"
        assert data["security"].attrs["units"] == "index in [0, 1]"


def test_diff_lists_changed_parameters(monkeypatch):
    from hedgelab.cli import common

    monkeypatch.setattr(common.stdout_console, "width", 250)
    result = invoke("diff", "japan-2026", "japan-2017")
    assert result.exit_code == 0
    assert "environment.assertiveness" in result.stdout
    assert "economy.exposure_cap" not in result.stdout
