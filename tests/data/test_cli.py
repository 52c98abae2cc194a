"""CLI: output formats, data status, and bad input as clear lines with exit code 2."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hedgelab.cli.main import app

from .synth import make_tiny

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args))


def _assert_clean_error(res, *needles: str) -> str:
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    err = res.stderr
    for n in needles:
        assert n in err, err
    return err


@pytest.fixture
def tiny(tmp_path: Path, fresh_cache: Path) -> Path:
    return make_tiny(tmp_path / "data")


def test_json_is_one_object(data_dir: Path) -> None:
    res = _run("indicators", "--country", "JPN", "--years", "2019", "--data-dir", str(data_dir), "--format", "json")
    assert res.exit_code == 0, res.stderr
    obj = json.loads(res.stdout)  # the whole of stdout is one JSON object
    assert set(obj) == {"country", "rows", "notes"} and obj["country"] == "JPN"
    assert {n["key"] for n in obj["notes"]["trade_share_imports"]} >= {"dots_reporter", "eu_consignment"}
    assert obj["rows"]
    for row in obj["rows"]:
        assert set(row) == {"indicator", "partner", "year", "value", "unit", "source"}
        assert isinstance(row["value"], float) and math.isfinite(row["value"])
        assert row["year"] == 2019
    imp = {r["partner"]: r["value"] for r in obj["rows"] if r["indicator"] == "trade_share_imports"}
    assert round(100 * imp["CHN"], 1) == 23.5 and round(100 * imp["USA"], 1) == 11.3
    assert any(r["partner"] is None for r in obj["rows"])  # national indicators
    assert "NaN" not in res.stdout


def test_json_without_data_dir_uses_shipped_table() -> None:
    res = _run("indicators", "--country", "JPN", "--format", "json", "--indicators", "trade_share_imports,milex_gdp")
    assert res.exit_code == 0, res.stderr
    obj = json.loads(res.stdout)
    sources = {r["source"] for r in obj["rows"]}
    assert sources <= {"imf_dots", "cow_trade", "cow_nmc+worldbank_wdi"}
    assert {r["partner"] for r in obj["rows"] if r["indicator"] == "trade_share_imports"} == {"USA", "CHN"}


@pytest.mark.parametrize("country", ["JPN", "AUS", "KOR", "GBR", "DEU", "PHL", "IND", "USA", "CHN"])
def test_every_comparator_without_data_dir(country: str) -> None:
    res = _run("indicators", "-c", country, "-y", "2010", "-f", "csv")
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert lines[0] == "indicator,country,partner,year,value,unit,source"
    names = {ln.split(",")[0] for ln in lines[1:]}
    assert {"trade_share_imports", "trade_hhi", "milex_gdp", "cinc", "alliance_defense"} <= names


@pytest.mark.slow
def test_csv_and_table_and_plot(tiny: Path, tmp_path: Path) -> None:
    res = _run("indicators", "-c", "JPN", "-i", "trade_share_imports", "-p", "CHN", "-y", "2019",
               "--data-dir", str(tiny), "-f", "csv")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines()[1] == "trade_share_imports,JPN,CHN,2019,0.25,share (0-1),imf_dots"
    png = tmp_path / "out" / "plot.png"
    res = _run("indicators", "-c", "JPN", "--data-dir", str(tiny), "--plot", str(png))
    assert res.exit_code == 0, res.stderr
    assert "trade_share_imports" in res.stdout and png.stat().st_size > 1000


def test_env_var_data_dir(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEDGELAB_DATA", str(tiny))
    res = _run("indicators", "-c", "JPN", "-i", "arms_import_share", "-y", "2019", "-f", "csv")
    assert res.exit_code == 0, res.stderr
    assert "arms_import_share,JPN,USA,2019,0.8," in res.stdout


def test_data_status(data_dir: Path) -> None:
    res = _run("data", "status", "--data-dir", str(data_dir), "--format", "json")
    assert res.exit_code == 0, res.stderr
    rows = {r["dataset"]: r for r in json.loads(res.stdout)["datasets"]}
    dots = rows["imf_dots"]
    assert dots["found"] and dots["rows"] == 10554 and dots["years"] == "1960-2020" and dots["checksum"] == "ok"
    assert rows["alliances_atop"]["rows"] == 29551 and rows["alliances_atop"]["years"] == "1815-2018"
    assert rows["sipri_arms_transfers"]["years"] == "1995-2024"
    assert all(r["licence"] and r["obtain"] for r in rows.values())
    text = _run("data", "status", "--data-dir", str(data_dir))
    assert text.exit_code == 0 and "imf_dots" in text.stdout and "found" in text.stdout


def test_data_status_without_data() -> None:
    res = _run("data", "status")
    assert res.exit_code == 1  # data missing
    assert "MISSING" in res.stdout and "obtain:" in res.stdout


# ---- bad input ---------------------------------------------------------------------------


def test_missing_data_dir(tmp_path: Path) -> None:
    _assert_clean_error(_run("indicators", "-c", "JPN", "--data-dir", str(tmp_path / "nope")),
                        "--data-dir", "an existing directory")


def test_missing_file(tiny: Path, fresh_cache: Path) -> None:
    (tiny / "imf_dots" / "imf_dots_goods_trade_by_partner_1960_2020.csv").unlink()
    err = _assert_clean_error(_run("indicators", "-c", "JPN", "-i", "trade_hhi", "--data-dir", str(tiny)),
                              "imf_dots: imf_dots/imf_dots_goods_trade_by_partner_1960_2020.csv", "obtain")
    assert len(err.strip().splitlines()) == 1


def test_renamed_column(tiny: Path, fresh_cache: Path) -> None:
    f = tiny / "cow_nmc" / "cow_nmc_v7.csv"
    f.write_text(f.read_text().replace("cinc", "CINC_score", 1))
    _assert_clean_error(_run("indicators", "-c", "JPN", "-i", "cinc", "--data-dir", str(tiny)),
                        "cow_nmc: cow_nmc_v7.csv: column 'cinc': expected a column named 'cinc'")
    assert not any(fresh_cache.rglob("*.parquet")) and not any(fresh_cache.rglob("*.tmp"))


def test_missing_column_suggests(tiny: Path, fresh_cache: Path) -> None:
    f = tiny / "alliances_atop" / "atop_alliance_v5_1_ddy.csv"
    f.write_text(f.read_text().replace("atop_defense", "atop_defence", 1))
    _assert_clean_error(_run("indicators", "-c", "JPN", "-i", "alliance_defense", "--data-dir", str(tiny)),
                        "alliances_atop", "'atop_defense'", "did you mean atop_defence")


def test_truncated_file(tiny: Path, fresh_cache: Path) -> None:
    f = tiny / "imf_dots" / "imf_dots_goods_trade_by_partner_1960_2020.csv"
    data = f.read_bytes()
    f.write_bytes(data[: len(data) - 12])
    _assert_clean_error(_run("indicators", "-c", "JPN", "-i", "trade_hhi", "--data-dir", str(tiny)),
                        "imf_dots", "truncated")
    assert not any(p for p in fresh_cache.rglob("*") if p.is_file())


def test_corrupt_file(tiny: Path, fresh_cache: Path) -> None:
    f = tiny / "worldbank_wdi" / "gdp_current_usd.csv"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe binary junk \xff\n")
    _assert_clean_error(_run("indicators", "-c", "JPN", "-i", "dependence_asymmetry", "--data-dir", str(tiny)),
                        "worldbank_wdi: gdp_current_usd.csv")
    assert not any(fresh_cache.rglob("worldbank_gdp/*"))


def test_non_numeric_value(tiny: Path, fresh_cache: Path) -> None:
    f = tiny / "sipri_milex" / "sipri_milex_share_of_gdp.csv"
    f.write_text(f.read_text().replace("0.0099", "n/a"))
    _assert_clean_error(_run("indicators", "-c", "JPN", "-i", "milex_gdp", "--data-dir", str(tiny)),
                        "sipri_milex: sipri_milex_share_of_gdp.csv: row 1 (line 2), column '2019': expected a share in [0, 1]",
                        "'n/a'")


def test_unknown_country_suggests() -> None:
    _assert_clean_error(_run("indicators", "--country", "JAP"), "--country", "did you mean", "JPN")
    _assert_clean_error(_run("indicators", "-c", "JPN", "-p", "USA,CHX"), "--partners", "CHN")


def test_unknown_indicator_suggests() -> None:
    _assert_clean_error(_run("indicators", "-c", "JPN", "-i", "trade_share_import"), "did you mean trade_share_imports")


def test_years_outside_data(data_dir: Path) -> None:
    err = _assert_clean_error(
        _run("indicators", "-c", "JPN", "-i", "trade_share_imports", "-y", "2030-2040", "--data-dir", str(data_dir)),
        "trade_share_imports", "--years", "2030-2040")
    assert "1870-2020" in err  # the covered range is named
    _assert_clean_error(_run("indicators", "-c", "JPN", "-y", "1700"), "--years")
    _assert_clean_error(_run("indicators", "-c", "JPN", "-y", "20x9"), "--years", "a year or range")


def test_sipri_indicator_needs_data_dir() -> None:
    _assert_clean_error(_run("indicators", "-c", "JPN", "-i", "arms_import_share"), "sipri_arms_transfers", "--data-dir")


def test_unknown_country_in_source_file(tiny: Path, fresh_cache: Path) -> None:
    f = tiny / "sipri_arms_transfers" / "sipri_trade_register_deliveries_1995_2024_recipients_subset.csv"
    f.write_text(f.read_text().replace("United Kingdom,Japan", "Untied Kingdom,Japan"))
    _assert_clean_error(_run("indicators", "-c", "JPN", "-i", "arms_import_share", "--data-dir", str(tiny)),
                        "sipri_arms_transfers", "Untied Kingdom", "did you mean")


def test_unknown_cow_code(tiny: Path, fresh_cache: Path) -> None:
    f = tiny / "cow_nmc" / "cow_nmc_v7.csv"
    f.write_text(f.read_text() + "741,2019,1,1,1,1,1,1,0.1\n")
    _assert_clean_error(_run("indicators", "-c", "JPN", "-i", "cinc", "--data-dir", str(tiny)),
                        "cow_nmc", "COW code 741", "740 JPN")


@pytest.mark.slow
def test_copy_of_shared_data_runs_all(data_dir: Path, tmp_path: Path, fresh_cache: Path) -> None:
    # a copy without the SIPRI folders still gives every redistributable indicator
    root = tmp_path / "d"
    for name in ("imf_dots", "cow_trade", "cow_nmc", "alliances_atop", "worldbank_wdi", "cow_states"):
        shutil.copytree(data_dir / name, root / name)
    res = _run("indicators", "-c", "JPN", "-y", "2010", "--data-dir", str(root), "-f", "json",
               "-i", "trade_share_total,trade_hhi,milex_gdp,cinc,alliance_defense,dependence_asymmetry")
    assert res.exit_code == 0, res.stderr
    rows = json.loads(res.stdout)["rows"]
    assert {r["indicator"] for r in rows} == {"trade_share_total", "trade_hhi", "milex_gdp", "cinc",
                                              "alliance_defense", "dependence_asymmetry"}
    assert {r["source"] for r in rows if r["indicator"] == "milex_gdp"} == {"cow_nmc+worldbank_wdi"}


def test_list_indicators() -> None:
    res = _run("indicators", "--list", "--format", "json")
    assert res.exit_code == 0, res.stderr
    rows = {r["indicator"]: r for r in json.loads(res.stdout)["indicators"]}
    assert rows["trade_hhi"]["unit"] == "index (1/N-1)" and rows["trade_hhi"]["shipped"]
    assert not rows["arms_import_share"]["shipped"]
    assert _run("indicators", "--list").exit_code == 0


def test_country_required() -> None:
    _assert_clean_error(_run("indicators"), "--country")
