"""``hedgelab backtest``: output and errors (one clear line, exit code 2, no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from hedgelab.cli.backtest_commands import register

app = typer.Typer()
register(app)


@app.callback()
def _root() -> None:
    """Test app with the backtest command registered."""


runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["backtest", *args])


def test_json_output(data_dir: Path) -> None:
    result = invoke("--country", "JPN", "--from", "2010", "--to", "2013", "--data-dir", str(data_dir),
                    "--format", "json", "--paths", "4")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["country"] == "JPN" and payload["from"] == 2010 and payload["to"] == 2013
    assert {s["indicator"] for s in payload["summary"]} == {"trade_share_total", "milex_gdp", "unga_ideal_distance"}
    assert all(s["mae_persistence"] is not None and s["mae_trend"] is not None for s in payload["summary"])


@pytest.mark.slow
def test_table_and_csv_output(data_dir: Path) -> None:
    result = invoke("--country", "AUS", "--from", "2010", "--to", "2012", "--data-dir", str(data_dir), "--paths", "4")
    assert result.exit_code == 0, result.output
    assert "persistence" in result.stdout and "trade_share_total" in result.stdout
    result = invoke("--country", "AUS", "--from", "2010", "--to", "2012", "--data-dir", str(data_dir),
                    "--paths", "4", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "indicator,partner,unit,year,actual,model,persistence,trend"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--country", "JPX", "--from", "2010", "--to", "2015"), "--country: 'JPX': expected an ISO3 country code"),
        (("--country", "JPN", "--from", "2021", "--to", "2023"), "--from: expected a year the data cover for trade_share_total (patron): 1870-2020, got 2021"),
        (("--country", "JPN", "--from", "2010", "--to", "2035"), "--to: expected a year the data cover (at most 2024), got 2035"),
        (("--country", "JPN", "--from", "2015", "--to", "2010"), "--to: expected a year after the start 2015, got 2010"),
        (("--country", "JPN", "--from", "1980", "--to", "1990"), "--from: expected a year of 1990 or later"),
        (("--country", "CHN", "--from", "2010", "--to", "2015"), "--country: CHN: expected a middle power"),
    ],
)
def test_bad_input_is_a_clear_line_and_exit_code_2(data_dir: Path, args: tuple[str, ...], expected: str) -> None:
    result = invoke(*args, "--data-dir", str(data_dir))
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output and "Traceback" not in result.stderr


def test_unknown_country_suggests_the_closest(data_dir: Path) -> None:
    result = invoke("--country", "JPX", "--from", "2010", "--to", "2015", "--data-dir", str(data_dir))
    assert "did you mean JPN" in result.stderr


def test_missing_data_directory(tmp_path: Path) -> None:
    result = invoke("--country", "JPN", "--from", "2010", "--to", "2015", "--data-dir", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "--data-dir" in result.stderr
