"""Integrity: a damaged cell in a COPY of each source file is an error naming file, row, column and
the expected domain (exit 2 on the command line), never a dropped row; documented missing-value
markers are missing values; checksums are verified against the data directory's SHA256SUMS.

Each case copies the header and the first rows of a real file from the shared data into a
temporary data directory, replaces one cell, and loads it. The row number expected in the message
is the position of the damaged line in the copy (header = line 1), counted here, not by the code.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from hedgelab.cli.main import app
from hedgelab.data.loaders.atop import load_atop
from hedgelab.data.loaders.cow_nmc import load_nmc
from hedgelab.data.loaders.cow_states import load_states
from hedgelab.data.loaders.cow_trade import load_cow_dyadic, load_cow_national
from hedgelab.data.loaders.imf_dots import load_dots
from hedgelab.data.loaders.sipri_arms import load_sipri_arms
from hedgelab.data.loaders.sipri_milex import load_sipri_milex, load_sipri_owid
from hedgelab.data.loaders.unga import load_unga_ideal_points
from hedgelab.data.loaders.worldbank import load_wdi
from hedgelab.errors import HedgelabError

KEEP_ROWS = 30
BAD_ROW = 7  # data row (1-based) that gets the damaged cell: line 8 of the copy

Loader = Callable[[Path], pd.DataFrame]

# (folder/file, column, loader, non-numeric text, out-of-domain text, expected domain words)
CASES: list[tuple[str, str, Loader, str, str, str]] = [
    ("imf_dots/imf_dots_goods_trade_by_partner_1960_2020.csv", "2015", load_dots, "12,3x", "inf", "a finite number"),
    ("cow_trade/cow_trade_ndy_v4.csv", "flow1", load_cow_dyadic, "n/a", "-5", "a number >= 0"),
    ("cow_trade/cow_trade_sy_v4.csv", "imports", load_cow_national, "NULL", "-0.5", "a number >= 0"),
    ("cow_nmc/cow_nmc_v7.csv", "cinc", load_nmc, "abc", "-0.3", "a share in [0, 1]"),
    ("cow_nmc/cow_nmc_v7.csv", "milex", load_nmc, "1 000", "-1", "a number >= 0"),
    ("alliances_atop/atop_alliance_v5_1_ddy.csv", "atop_defense", load_atop, "yes", "2", "0 or 1"),
    ("sipri_milex/sipri_milex_share_of_gdp.csv", "2010", lambda d: load_sipri_milex("share_of_gdp", d),
     "n/a", "-0.01", "a share in [0, 1]"),
    ("sipri_milex/sipri_milex_constant_2022_usd_m.csv", "2010",
     lambda d: load_sipri_milex("constant_2022_usd_m", d), "12.3.4", "-7", "a number >= 0"),
    ("sipri_milex_owid/military-spending-as-a-share-of-gdp-sipri_subset.csv", "Military expenditure (% of GDP)",
     load_sipri_owid, "high", "250", "a percentage in [0, 100]"),
    ("sipri_arms_transfers/sipri_trade_register_deliveries_1995_2024_recipients_subset.csv", "TIV delivery values",
     load_sipri_arms, "?", "-3", "a number >= 0"),
    ("worldbank_wdi/gdp_current_usd.csv", "Value", lambda d: load_wdi("gdp", d), "1e12x", "-1", "a number >= 0"),
    ("unga_ideal_points/IdealpointestimatesAll_Jun2024.csv", "USAgree", load_unga_ideal_points, "high", "1.5",
     "a share in [0, 1]"),
    ("cow_states/cow_states_2016.csv", "styear", load_states, "19x0", "1952.5", "a year"),
]


def _copy_with(src: Path, dst: Path, column: str, text: str | None, row: int = BAD_ROW) -> None:
    """Header and the first KEEP_ROWS data rows of ``src`` into ``dst``, data row ``row``'s
    ``column`` set to ``text`` (None: unchanged)."""
    with open(src, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [r for _, r in zip(range(KEEP_ROWS), reader)]
    if text is not None:
        rows[row - 1][header.index(column)] = text
    dst.parent.mkdir(parents=True, exist_ok=True)
    with open(dst, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])


def _load_error(data_dir: Path, tmp_path: Path, rel: str, column: str, loader: Loader, text: str) -> list[str]:
    root = tmp_path / "copy"
    _copy_with(data_dir / rel, root / rel, column, text)
    with pytest.raises(HedgelabError) as err:
        loader(root)
    return err.value.lines


@pytest.mark.parametrize(("rel", "column", "loader", "text", "_o", "domain"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_non_numeric_cell_names_file_row_column_domain(data_dir: Path, tmp_path: Path, fresh_cache: Path, rel: str,
                                                       column: str, loader: Loader, text: str, _o: str, domain: str) -> None:
    lines = _load_error(data_dir, tmp_path, rel, column, loader, text)
    assert len(lines) == 1, lines
    line = lines[0]
    assert Path(rel).name in line
    assert f"row {BAD_ROW} (line {BAD_ROW + 1})" in line and f"column {column!r}" in line
    assert f"expected {domain}" in line and repr(text) in line


@pytest.mark.parametrize(("rel", "column", "loader", "_t", "text", "domain"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_out_of_domain_cell_names_file_row_column_domain(data_dir: Path, tmp_path: Path, fresh_cache: Path, rel: str,
                                                         column: str, loader: Loader, _t: str, text: str, domain: str) -> None:
    lines = _load_error(data_dir, tmp_path, rel, column, loader, text)
    assert len(lines) == 1, lines
    assert Path(rel).name in lines[0] and f"row {BAD_ROW} (line {BAD_ROW + 1})" in lines[0]
    assert f"column {column!r}" in lines[0] and f"expected {domain}" in lines[0] and repr(text) in lines[0]


def test_many_bad_cells_are_counted_not_listed(data_dir: Path, tmp_path: Path, fresh_cache: Path) -> None:
    rel = "cow_nmc/cow_nmc_v7.csv"
    root = tmp_path / "copy"
    _copy_with(data_dir / rel, root / rel, "cinc", None)
    df = pd.read_csv(root / rel, dtype=str)
    df["cinc"] = "x"
    df.to_csv(root / rel, index=False)
    with pytest.raises(HedgelabError) as err:
        load_nmc(root)
    assert len(err.value.lines) == 6 and err.value.lines[-1].startswith(f"cow_nmc: {Path(rel).name}: {KEEP_ROWS - 5} more cells")


def test_documented_markers_are_missing_values(data_dir: Path, tmp_path: Path, fresh_cache: Path) -> None:
    root = tmp_path / "copy"
    sheet = "sipri_milex/sipri_milex_share_of_gdp.csv"
    _copy_with(data_dir / sheet, root / sheet, "2010", "xxx", row=2)
    _copy_with(root / sheet, root / sheet, "2011", "...", row=2)
    _copy_with(root / sheet, root / sheet, "2012", "", row=2)
    name = pd.read_csv(root / sheet, dtype=str)["Country"].iloc[1]
    s = load_sipri_milex("share_of_gdp", root)
    got = s[s["country_name"] == name].set_index("year")
    assert math.isnan(got.loc[2010, "value"]) and got.loc[2010, "status"] == "not_independent"
    assert math.isnan(got.loc[2011, "value"]) and got.loc[2011, "status"] == "unavailable"
    assert math.isnan(got.loc[2012, "value"]) and got.loc[2012, "status"] == "missing"
    wdi = "worldbank_wdi/gdp_current_usd.csv"
    _copy_with(data_dir / wdi, root / wdi, "Value", "..", row=3)
    raw = pd.read_csv(root / wdi, dtype=str)
    g = load_wdi("gdp", root)
    assert len(g) == len(raw) - 1  # the '..' row is a missing value, every other row is kept
    assert not ((g["country"] == raw.loc[2, "Country Code"]) & (g["year"] == int(raw.loc[2, "Year"]))).any()
    nmc = "cow_nmc/cow_nmc_v7.csv"
    _copy_with(data_dir / nmc, root / nmc, "milex", "-9", row=4)
    raw = pd.read_csv(root / nmc, dtype=str)
    n = load_nmc(root)
    assert len(n) == len(raw)
    hit = n[(n["year"] == int(raw.loc[3, "year"]))]
    assert hit["milex"].isna().all()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def manifest_dir(data_dir: Path, tmp_path: Path, fresh_cache: Path) -> Path:
    """A data directory with real copies of two datasets and a SHA256SUMS listing them."""
    root = tmp_path / "d"
    rels = ["cow_nmc/cow_nmc_v7.csv", "worldbank_wdi/gdp_current_usd.csv", "worldbank_wdi/population_total.csv"]
    for rel in rels:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes((data_dir / rel).read_bytes())
    (root / "SHA256SUMS").write_text("".join(f"{_sha(root / r)}  {r}\n" for r in rels))
    return root


runner = CliRunner()


def test_indicators_verify_checksums(manifest_dir: Path) -> None:
    ok = runner.invoke(app, ["indicators", "-c", "JPN", "-i", "cinc", "-y", "2010", "--data-dir", str(manifest_dir)])
    assert ok.exit_code == 0, ok.stderr
    f = manifest_dir / "cow_nmc" / "cow_nmc_v7.csv"
    f.write_text(f.read_text().replace("0.0", "0.1", 1))  # a plausible value: only the checksum can tell
    res = runner.invoke(app, ["indicators", "-c", "JPN", "-i", "cinc", "--data-dir", str(manifest_dir)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert res.stderr.strip().splitlines() == [res.stderr.strip()]
    assert "cow_nmc: cow_nmc/cow_nmc_v7.csv: sha256: expected" in res.stderr and "SHA256SUMS" in res.stderr


def test_data_status_exit_codes(data_dir: Path, manifest_dir: Path, tmp_path: Path) -> None:
    full = runner.invoke(app, ["data", "status", "--data-dir", str(data_dir), "-f", "json"])
    assert full.exit_code == 0, full.stderr
    assert all(r["checksum"] == "ok" for r in json.loads(full.stdout)["datasets"])
    partial = runner.invoke(app, ["data", "status", "--data-dir", str(manifest_dir)])
    assert partial.exit_code == 1 and "MISSING" in partial.stdout
    assert runner.invoke(app, ["data", "status", "--data-dir", str(tmp_path / "absent")]).exit_code == 1
    assert runner.invoke(app, ["data", "status"]).exit_code == 1
    f = manifest_dir / "worldbank_wdi" / "population_total.csv"
    f.write_bytes(f.read_bytes() + b"\n")
    bad = runner.invoke(app, ["data", "status", "--data-dir", str(manifest_dir), "-f", "json"])
    assert bad.exit_code == 2
    rows = {r["dataset"]: r for r in json.loads(bad.stdout)["datasets"]}
    assert rows["worldbank_wdi"]["mismatched"] == ["population_total.csv"] and rows["worldbank_wdi"]["checksum"] == "MISMATCH"
    assert "worldbank_wdi: population_total.csv: sha256" in bad.stderr


def test_cli_damaged_cell_exit_2(data_dir: Path, tmp_path: Path, fresh_cache: Path) -> None:
    root = tmp_path / "copy"
    rel = "cow_nmc/cow_nmc_v7.csv"
    _copy_with(data_dir / rel, root / rel, "cinc", "-0.3")
    res = runner.invoke(app, ["indicators", "-c", "USA", "-i", "cinc", "--data-dir", str(root)])
    assert res.exit_code == 2 and "Traceback" not in res.output and res.stdout == ""
    assert res.stderr.strip() == (f"cow_nmc: cow_nmc_v7.csv: row {BAD_ROW} (line {BAD_ROW + 1}), column 'cinc': "
                                  "expected a share in [0, 1] or a missing marker (empty, 'NA', '-9'), got '-0.3'")
