"""The adaptation commands: tipping, signposts, front and pathways on a small sweep, their JSON and
CSV against the Python functions, plots, and one-line errors naming flags."""

import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from hedgelab.analysis.explore.sweep import load
from hedgelab.analysis.explore.tipping import Criterion, tipping
from hedgelab.cli.main import app

cli = CliRunner()
PNG = b"\x89PNG\r\n\x1a\n"


def invoke(*args):
    return cli.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("adaptive") / "lhs"
    result = invoke("explore", "--out", out, "--samples", "40", "--strategies", "dual_hedge,anchor,autonomy,incremental",
                    "--uncertainties", "environment.assertiveness_mean,events.coercion_severity", "--paths", "16",
                    "--years", "3", "--seed", "1", "--quarterly")
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_tipping_json_csv_and_plot_match_the_library(sweep_dir, tmp_path):
    plot = tmp_path / "tipping.png"
    args = ["tipping", sweep_dir, "--strategy", "dual_hedge", "--threshold", "security=0.47", "--early", "1.5"]
    data = json.loads(invoke(*args, "--format", "json", "--plot", plot).output)
    expected = tipping(load(sweep_dir), "dual_hedge", [Criterion("security", 0.47)], early_year=1.5)
    assert data["criteria"] == ["security >= 0.47"] and data["share_never"] == pytest.approx(expected.share_never)
    assert [r["tip_quarter"] for r in data["rows"]] == [None if q != q else q for q in expected.dates["tip_quarter"]]
    assert sum(r["tipped"] for r in data["distribution"]) == int(expected.dates["tipped"].sum())
    assert plot.read_bytes()[:8] == PNG
    csv = pd.read_csv(io.StringIO(invoke(*args, "--format", "csv").output))
    assert list(csv.columns[:4]) == ["sample", "tip_quarter", "tip_year", "tipped"] and len(csv) == 40
    table = invoke(*args).output
    assert f"never tips in {expected.share_never:.1%}" in table
    assert f"fails from the start (tips in quarter 4, the first with a rolling value) in " \
           f"{expected.share_from_start:.1%}" in table
    assert data["n_from_start"] == int((expected.dates["tip_quarter"] == 4).sum())
    later = expected.dates.loc[expected.dates["tip_quarter"] != 4, "tip_year"].fillna(float("inf"))
    p50 = sorted(later)[(len(later) + 1) // 2 - 1]  # inverted-CDF median, by hand
    assert data["tip_year_quantiles_after_start"]["p50"] == ("never" if p50 == float("inf") else pytest.approx(p50))


@pytest.mark.slow
def test_signposts_and_pathways_commands(sweep_dir, tmp_path):
    plot = tmp_path / "signposts.svg"
    result = invoke("signposts", sweep_dir, "--strategy", "dual_hedge", "--threshold", "security=0.47",
                    "--format", "json", "--plot", plot)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["n_fit"] + data["n_held_out"] == 40 and len(data["rows"]) == 7
    assert plot.read_text().lstrip().startswith("<?xml")
    result = invoke("pathways", sweep_dir, "--adaptive", "incremental", "--stay", "dual_hedge", "--at-once", "autonomy",
                    "--threshold", "security=0.47")
    assert result.exit_code == 0, result.output
    assert "incremental on prosperity (switches on 0% of paths, mean over futures): better than staying with dual_hedge in" \
        in result.output  # incremental never switches
    args = ["pathways", sweep_dir, "--adaptive", "incremental", "--stay", "dual_hedge", "--at-once", "autonomy",
            "--threshold", "security=0.47"]
    data = json.loads(invoke(*args, "--format", "json").stdout)
    expected = tipping(load(sweep_dir), "dual_hedge", [Criterion("security", 0.47)])
    split = data["switched_by_tipping"]
    assert split["never_tips"]["n_futures"] == int((~expected.dates["tipped"]).sum())
    assert split["tips"]["n_futures"] + split["never_tips"]["n_futures"] == 40
    rows = {r["strategy"]: r for r in data["rows"]}
    assert rows["incremental"]["paired_difference"] == 0 and rows["anchor"]["paired_difference_se"] > 0
    for extra, message in ((("--threshold", "security=inf"), "--threshold: security=inf: expected METRIC=NUMBER"),
                           (("--window", "40"), "--window: expected a whole number of quarters")):
        result = invoke(*args, *extra)
        assert result.exit_code == 2 and message in result.output, result.output


def test_front_command(tmp_path):
    plot = tmp_path / "front.png"
    result = invoke("front", "--paths", "16", "--years", "1", "--population", "4", "--generations", "1",
                    "--levers", "defence_shift,patron.security,secondary.security", "--format", "json", "--plot", plot)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["settings"]["levers"] == ["defence_shift", "patron.security", "secondary.security"]
    assert {r["strategy"] for r in data["named"]} >= {"dual_hedge", "anchor"}
    assert all(r["on_front"] or r["dominated_by"] for r in data["named"]) and plot.read_bytes()[:8] == PNG
    # 16 paths cannot meet the 1% target: the result says so, and so does the table
    assert data["warning"].startswith("trilemma front: the standard error of") and not data["settings"]["precision_met"]
    assert "n_paths = 16 was given" in data["warning"]
    result = invoke("front", "--levers", ",", "--paths", "16", "--years", "1")
    assert result.exit_code == 2 and result.output.strip() == \
        "--levers: expected at least one lever name (leave it out to search all)"


@pytest.mark.slow
def test_errors_are_one_line_naming_the_flag(sweep_dir, tmp_path):
    result = invoke("tipping", sweep_dir, "--strategy", "dual_hedge")
    assert result.exit_code == 2 and "--threshold: missing: expected METRIC=BOUND" in result.output
    tip = ["tipping", sweep_dir, "--strategy", "dual_hedge", "--threshold", "security=0.4"]
    for args, message in ((("--threshold", "security=0.5"), "--threshold: security=0.5: expected each METRIC once"),
                          (("--window", "13"), "--window: expected a whole number of quarters from 1 to the sweep's "
                                               "horizon, 12 (got 13)"),
                          (("--window", "0"), "--window: expected"), (("--early", "-1"), "--early: expected years in"),
                          (("--early", "nan"), "--early: expected"), (("--early", "3.5"), "--early: expected")):
        result = invoke(*tip, *args)
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, (args, result.output)
        assert message in result.output, (args, result.output)
    result = invoke("tipping", sweep_dir, "--strategy", "dual_hedge", "--threshold", "security=nan")
    assert result.exit_code == 2 and "--threshold: security=nan: expected METRIC=NUMBER with a finite" in result.output
    result = invoke("signposts", sweep_dir, "--strategy", "dual_hedge", "--threshold", "security=0.4", "--held-out", "1.5")
    assert result.exit_code == 2 and "--held-out: expected a share in (0, 1)" in result.output
    result = invoke("front", "--levers", "defence_shif", "--paths", "16", "--years", "1")
    assert result.exit_code == 2 and "--levers: expected lever names" in result.output
    plain = tmp_path / "plain"
    assert invoke("explore", "--out", plain, "--samples", "4", "--strategies", "dual_hedge", "--uncertainties",
                  "events.coercion_severity", "--paths", "8", "--years", "1").exit_code == 0
    result = invoke("tipping", plain, "--strategy", "dual_hedge", "--threshold", "security=0.4")
    assert result.exit_code == 2 and "hedgelab explore --quarterly" in result.output
