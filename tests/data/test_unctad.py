"""UNCTAD raw-table loader: number strings, page breaks, hierarchy, errors, README figures."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hedgelab.data.loaders.unctad import load_unctad_fdi, parse_value, read_unctad_fdi
from hedgelab.errors import HedgelabError

HEADER = ["host_file", "host_header", "row"] + [f"c{i}" for i in range(1, 20)]
YEARS = [str(y) for y in range(2001, 2013)]


def _row(host: str, n: int, level: int | None, label: str, values: list[str] | None) -> dict:
    row = {c: "NA" for c in HEADER}
    row.update(host_file=f"{host}.csv", host_header=host, row=str(n), c19="")
    if level is not None:
        row[f"c{level}"] = label
    if values is not None:
        for i, v in enumerate(values):
            row[f"c{7 + i}"] = v
    return row


def _table(host: str = "JPN") -> list[dict]:
    twelve = lambda *v: list(v) + ["0"] * (12 - len(v))  # noqa: E731
    return [
        _row(host, 1, 1, "Table 1. FDI flows in the host economy, by geographical origin", None),
        _row(host, 2, 1, "(Millions of US dollars)", None),
        _row(host, 3, 1, "Region / economy", YEARS),
        _row(host, 4, 1, "World", twelve("6 241", "--6 506", "..")),
        _row(host, 5, 2, "Developed economies", twelve("6 240", "- -6 500", "..")),
        _row(host, 6, 3, "Europe", twelve("1 000", "-- 220", "5")),
        _row(host, 7, 4, "Netherlands", twelve("1 000", "-- 220", "- -0")),
        _row(host, 8, 3, "North America", twelve("5 240", "--6 280", "..")),
        _row(host, 9, 4, "Canada", twelve("0", "0", "..")),
        _row(host, 10, None, "", [""] * 11 + ["/..."]),
        _row(host, 11, 1, "Table 1. FDI flows in the host economy, by geographical origin (continued)", None),
        _row(host, 12, 1, "(Millions of US dollars)", None),
        _row(host, 13, 1, "Region / economy", YEARS),
        _row(host, 14, 4, "United States", twelve("5 240", "--6 280", "..")),
        _row(host, 15, 2, "Unspecified", twelve("1", "- -6", "..")),
        _row(host, 16, 1, "Source:  UNCTAD FDI/TNC database, based on data from the Bank of Japan.", None),
    ]


def _write(path: Path, rows: list[dict]) -> Path:
    pd.DataFrame(rows, columns=HEADER).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 241", 6241.0),
        ("--6 506", -6506.0),
        ("- -6 506", -6506.0),
        ("- -8", -8.0),
        ("-- 220", -220.0),
        ("22 549", 22549.0),
        ("1 234 567", 1234567.0),
        ("0", 0.0),
        ("7", 7.0),
    ],
)
def test_parse_value_hand_cases(text: str, expected: float) -> None:
    assert parse_value(text) == expected


def test_parse_value_negative_zero_and_missing() -> None:
    assert parse_value("- -0") == 0.0 and math.copysign(1.0, parse_value("- -0")) < 0
    for missing in ("..", "/...", "NA", "", None):
        assert math.isnan(parse_value(missing))


@pytest.mark.parametrize("bad", ["12a", "6 24", "6,241", "--", "- - 5 5"])
def test_parse_value_rejects_garbage(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_value(bad)


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", "--", "- -", "-- ", "- - "]))
def test_parse_value_round_trip(n: int, marker: str) -> None:
    grouped = f"{n:,}".replace(",", " ")
    value = parse_value(marker + grouped)
    assert value == (-n if marker.strip() else n)


def test_synthetic_table_page_break_negatives_and_hierarchy(tmp_path: Path) -> None:
    df = read_unctad_fdi(_write(tmp_path / "t.csv", _table()))
    # page furniture, the '/...' row and the source note are gone
    assert not df["origin_label"].str.startswith(("Table", "(", "Source", "Region")).any()
    labels = df.drop_duplicates("row")["origin_label"].tolist()
    assert labels == ["World", "Developed economies", "Europe", "Netherlands", "North America",
                      "Canada", "United States", "Unspecified"]
    y = df[df["year"] == 2002].set_index("origin_label")
    assert y.loc["World", "value"] == -6506.0
    assert y.loc["Developed economies", "value"] == -6500.0
    assert y.loc["Netherlands", "value"] == -220.0
    assert y.loc["Unspecified", "value"] == -6.0
    assert math.isnan(df[(df["year"] == 2003) & (df["origin_label"] == "World")]["value"].iloc[0])
    kinds = y["kind"].to_dict()
    assert kinds == {"World": "aggregate", "Developed economies": "aggregate", "Europe": "aggregate",
                     "Netherlands": "economy", "North America": "aggregate", "Canada": "economy",
                     "United States": "economy", "Unspecified": "unspecified"}
    # the economy after the page break keeps its parent
    assert y.loc["United States", "parent"] == "North America"
    assert y.loc["United States", "parent_row"] == 8
    assert y.loc["United States", "origin"] == "USA" and y.loc["Netherlands", "origin"] == "NLD"
    assert df["host"].unique().tolist() == ["JPN"]
    assert str(df["value"].dtype) == "float64" and str(df["year"].dtype) == "int16"


def test_bad_header_years_name_file_row_and_columns(tmp_path: Path) -> None:
    rows = _table()
    rows[2]["c18"] = "2013"
    with pytest.raises(HedgelabError) as err:
        read_unctad_fdi(_write(tmp_path / "bad.csv", rows))
    line = err.value.lines[0]
    assert "unctad_fdi" in line and "bad.csv" in line and "row 3" in line and "c7-c18" in line


def test_bad_cell_names_column(tmp_path: Path) -> None:
    rows = _table()
    rows[3]["c9"] = "12x"
    with pytest.raises(HedgelabError) as err:
        read_unctad_fdi(_write(tmp_path / "bad.csv", rows))
    assert any("row 4" in l and "c9" in l and "'12x'" in l for l in err.value.lines)


def test_unknown_label_and_missing_column(tmp_path: Path) -> None:
    rows = _table()
    rows[8]["c4"] = "Atlantis"
    with pytest.raises(HedgelabError) as err:
        read_unctad_fdi(_write(tmp_path / "bad.csv", rows))
    assert any("Atlantis" in l for l in err.value.lines)
    frame = pd.DataFrame(_table(), columns=HEADER).drop(columns=["c12"])
    frame.to_csv(tmp_path / "cols.csv", index=False)
    with pytest.raises(HedgelabError) as err:
        read_unctad_fdi(tmp_path / "cols.csv")
    assert "'c12'" in err.value.lines[0] and "cols.csv" in err.value.lines[0]


def test_real_file_values_and_structure(data_dir: Path) -> None:
    df = load_unctad_fdi(data_dir)
    assert set(df["host"]) == {"AUS", "BRN", "CAN", "CHN", "DEU", "GBR", "IDN", "IND", "JPN", "KHM", "KOR",
                               "LAO", "MMR", "MYS", "PHL", "RUS", "SGP", "THA", "USA", "VNM", "TWN"}
    jpn = df[(df["host"] == "JPN") & (df["origin_label"] == "World")].set_index("year")["value"]
    assert jpn[2001] == 6241 and jpn[2006] == -6506 and jpn[2012] == 1732  # README / raw strings
    chn = df[(df["host"] == "CHN") & (df["year"] == 2010)].set_index("origin_label")["value"]
    assert chn["World"] == 114734 and chn["Hong Kong, China"] == 60567 and chn["Japan"] == 4084
    # World = its four children (JPN 2001): developed + developing + transition + unspecified
    j = df[(df["host"] == "JPN") & (df["year"] == 2001)]
    world_row = int(j.loc[j["origin_label"] == "World", "row"].iloc[0])
    assert j.loc[j["parent_row"] == world_row, "value"].sum() == 6241
    assert not df["origin_label"].str.startswith(("Table", "Source", "Note", "Region")).any()
    assert df.loc[df["kind"] == "economy", "origin"].notna().all()
    assert df.loc[df["kind"] != "economy", "origin"].isna().all()
