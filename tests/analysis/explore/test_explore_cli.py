"""The exploration commands: the contract of explore/robust/sensitivity/discover/runs, JSON names,
plots, resume and error lines."""

import json

import pytest
from typer.testing import CliRunner

from hedgelab.analysis.metrics import METRICS
from hedgelab.cli.main import app

cli = CliRunner()
UNCERTAIN = "environment.convergence_speed,events.coercion_severity,events.tolerance_sensitivity"
COMMON = ["--strategies", "dual_hedge,anchor,multi_hedge", "--paths", "32", "--years", "1", "--seed", "3",
          "--uncertainties", UNCERTAIN]


def invoke(*args):
    return cli.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def sobol_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore") / "sobol"
    result = invoke("explore", "--out", out, "--samples", "16", "--design", "sobol", *COMMON)
    assert result.exit_code == 0, result.output
    return out


def test_explore_reports_the_run_and_a_rerun_resumes_nothing_to_do(sobol_dir):
    chunks = sorted((sobol_dir / "chunks").glob("samples-*.parquet"))
    written = {p.name: p.stat().st_mtime_ns for p in chunks}
    again = invoke("explore", "--out", sobol_dir, "--samples", "16", "--design", "sobol", *COMMON)
    assert again.exit_code == 0 and "80 of 80 futures" in again.output  # 16 x (3 + 2)
    # nothing was recomputed: every chunk file is the one written by the first run
    assert chunks and {p.name: p.stat().st_mtime_ns for p in (sobol_dir / "chunks").glob("samples-*.parquet")} == written
    other = invoke("explore", "--out", sobol_dir, "--samples", "8", "--design", "sobol", *COMMON)
    assert other.exit_code == 2 and f"{sobol_dir}: out: expected an empty directory or one holding this sweep" in other.output


def test_robust_json_names_strategies_and_metrics_as_compare_does(sobol_dir, tmp_path):
    plot = tmp_path / "robust.png"
    result = invoke("robust", sobol_dir, "--metric", "p_coercion", "--threshold", "security=0.3",
                    "--format", "json", "--plot", plot)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["metric"] == "p_coercion" and data["better"] == "lower" and data["units"] == METRICS["p_coercion"].unit
    assert [r["strategy"] for r in data["rows"]] == ["dual_hedge", "anchor", "multi_hedge"]
    best = [r for r in data["rows"] if r["rank_max_regret"] == 1][0]
    assert best["max_regret"] == min(r["max_regret"] for r in data["rows"])
    assert all(0 <= r["satisficing"] <= 1 for r in data["rows"]) and data["n_futures"] == 80
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sensitivity_of_a_difference_with_intervals(sobol_dir, tmp_path):
    plot = tmp_path / "sobol.svg"
    result = invoke("sensitivity", sobol_dir, "--difference", "dual_hedge-anchor", "--format", "csv", "--plot", plot)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "output,parameter,S1,S1_conf,ST,ST_conf"
    assert {line.split(",")[1] for line in lines[1:]} == set(UNCERTAIN.split(","))
    assert all(line.startswith("dual_hedge-anchor:prosperity,") for line in lines[1:])
    assert b"<svg" in plot.read_bytes()[:400]


def test_sensitivity_refuses_an_lhs_sweep_and_discover_describes_a_box(tmp_path):
    out = tmp_path / "lhs"
    assert invoke("explore", "--out", out, "--samples", "60", *COMMON).exit_code == 0
    refused = invoke("sensitivity", out)
    assert refused.exit_code == 2 and "--design: expected a sobol design" in refused.output
    median = [r["p50"] for r in json.loads(invoke("robust", out, "--format", "json").output)["rows"]
              if r["strategy"] == "anchor"][0]
    result = invoke("discover", out, "--strategy", "anchor", "--threshold", median, "--format", "json",
                    "--plot", tmp_path / "prim.png")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["strategy"] == "anchor" and data["base_rate"] == pytest.approx(0.5, abs=0.05)
    assert (tmp_path / "prim.png").stat().st_size > 1000
    assert set(r["parameter"] for r in data["rows"]) <= set(UNCERTAIN.split(","))
    assert 0 <= data["coverage"] <= 1 and data["density"] >= data["base_rate"]


def test_runs_lists_and_queries_the_catalogues(sobol_dir):
    listed = json.loads(invoke("runs", sobol_dir.parent, "--format", "json").output)
    assert [r["design"] for r in listed["rows"]] == ["sobol"] and listed["rows"][0]["complete"] is True
    queried = invoke("runs", sobol_dir.parent, "--query", "SELECT count(*) AS n FROM chunks", "--format", "csv")
    assert queried.output.splitlines()[1] == "1"
    bad = invoke("runs", sobol_dir.parent, "--query", "SELECT nothing FROM nowhere")
    assert bad.exit_code == 2 and bad.output.startswith("--query: expected SQL over the tables runs and chunks")


def test_ray_and_misplaced_engine_options_are_one_line(tmp_path):
    result = invoke("explore", "--out", tmp_path / "x", "--samples", "4", "--engine", "ray", *COMMON)
    assert result.exit_code == 2 and result.output.startswith("--engine: ray: expected local or dask")
    assert len(result.output.strip().splitlines()) == 1
    result = invoke("explore", "--out", tmp_path / "x", "--samples", "4", "--scheduler", "tcp://h:8786", *COMMON)
    assert result.exit_code == 2 and result.output.strip() == "--scheduler: tcp://h:8786: expected to come with --engine dask"
    result = invoke("explore", "--out", tmp_path / "x", "--samples", "4", "--engine", "dask", "--scheduler",
                    "tcp://h:8786", "--workers", "2", *COMMON)
    assert result.exit_code == 2 and result.output.startswith("--workers: 2: expected not given with --scheduler")
    assert not (tmp_path / "x").exists()
