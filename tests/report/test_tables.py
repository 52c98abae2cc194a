"""One comparison table for every face: ``hedgelab compare`` prints the cells the report and the
dashboard show (review of issue 16, item 9), and the plot writers agree on formats (item 12)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from hedgelab import api
from hedgelab.analysis.metrics import METRICS
from hedgelab.cli.main import app as cli
from hedgelab.errors import HedgelabError
from hedgelab.report import plots
from hedgelab.report.tables import cell, comparison_tables


def test_the_cli_prints_the_cells_the_report_shows():
    args = {"n_paths": 32, "years": 1, "seed": 3}
    summary = api.summarise(api.run("japan-2026", ["dual_hedge", "anchor"], **args))
    tables = comparison_tables(summary, ["dual_hedge", "anchor"])
    assert sorted(m["name"] for t in tables for m in t["metrics"]) == sorted(METRICS)  # every metric once
    printed = CliRunner().invoke(cli, ["compare", "--strategies", "dual_hedge,anchor", "--paths", "32", "--years", "1",
                                       "--seed", "3"], env={"COLUMNS": "200"})
    assert printed.exit_code == 0, printed.output
    for table in tables:
        assert table["title"].split(" (")[0] in printed.output  # rich may wrap the rest of the title
        for row in table["rows"]:
            line = next(li for li in printed.output.splitlines() if li.strip().startswith(row["strategy"] + " ")
                        and row["cells"][0] in li)
            assert row["cells"][0] in line


def test_a_cell_is_mean_and_standard_error_and_says_when_there_is_none():
    assert cell(0.12345, 0.0041) == "0.123±0.004"
    assert cell(-1.0, math.nan) == "-1.000±n/a"
    summary = pd.DataFrame({"strategy": ["a"] * len(METRICS), "metric": list(METRICS), "mean": 1.0, "stderr": 0.5})
    rows = [r for t in comparison_tables(summary, ["a"]) for r in t["rows"]]
    assert {c for r in rows for c in r["cells"]} == {"1.000±0.500"}


@pytest.mark.parametrize("name", ["x.jpg", "x.pdf", "x"])
def test_both_plot_writers_refuse_the_same_formats(tmp_path, name):
    from matplotlib.figure import Figure

    with pytest.raises(HedgelabError) as figure:
        plots.save(Figure(), tmp_path / name)
    with pytest.raises(HedgelabError) as chart:
        plots.save_chart(None, tmp_path / name)
    assert figure.value.lines == chart.value.lines == [f"{tmp_path / name}: plot: expected a file name ending in .png or .svg"]
    assert plots.image_format(tmp_path / "x.SVG") == "svg"
