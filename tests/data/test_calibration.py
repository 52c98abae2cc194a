"""Calibration: the scenario files agree with a re-run from the data; hand-computed checks."""

from __future__ import annotations

import csv
import importlib.util
import math
import shutil
from pathlib import Path

import pytest

from hedgelab.data.calibration import (
    aggregate_members,
    capacity_ratio,
    coercion_rate,
    defence_spending,
    exposures,
    openness,
)
from hedgelab.scenarios.calibrate import calibrate, calibrate_all, initial_state, write_scenarios
from hedgelab.data.episodes import poisson_interval
from hedgelab.scenarios.loader import _BUILTIN, builtin_names, load_raw, load_scenario

ROOT = Path(__file__).resolve().parents[2]


def _entry(raw: dict, path: tuple[str, ...]) -> dict:
    node = raw
    for key in path:
        node = node[key]
    return node


# --- the files agree with the data ----------------------------------------------------------------


@pytest.mark.slow
def test_scenario_files_agree_with_a_calibration_rerun(data_dir: Path) -> None:
    results = calibrate_all(data_dir)
    assert set(results) == set(builtin_names())
    problems = []
    for name, items in results.items():
        raw, _ = load_raw(name)
        for item in items:
            entry = _entry(raw, item.path)
            got = (entry["value"], entry.get("source"), entry.get("as_of"))
            if got != (item.value, item.source, item.as_of):
                problems.append(f"{name}: {item.dotted}: file {got}, data {(item.value, item.source, item.as_of)}")
            if item.range is not None and tuple(entry.get("range", ())) != item.range:
                problems.append(f"{name}: {item.dotted}: range {entry.get('range')} vs {item.range}")
    assert not problems, "scenario files are stale: run python scripts/calibrate_scenarios.py\n" + "\n".join(problems)


@pytest.mark.slow
def test_calibration_script_check_mode_finds_nothing_to_change(data_dir: Path) -> None:
    spec = importlib.util.spec_from_file_location("calibrate_scenarios", ROOT / "scripts" / "calibrate_scenarios.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check", "--data-dir", str(data_dir)]) == 0


@pytest.mark.slow
def test_writer_restores_numbers_and_keeps_everything_else(data_dir: Path, tmp_path: Path) -> None:
    for p in Path(str(_BUILTIN)).glob("*.toml"):
        shutil.copy(p, tmp_path / p.name)
    original = (tmp_path / "japan-2026.toml").read_text(encoding="utf-8")
    tampered = original.replace(
        'exposure = { value = 0.24, unit = "share of goods trade"', 'exposure = { value = 0.5, unit = "share of goods trade"'
    )
    assert tampered != original
    (tmp_path / "japan-2026.toml").write_text(tampered, encoding="utf-8")
    results = calibrate_all(data_dir)
    changed = write_scenarios(results, tmp_path)
    assert [p.name for p in changed] == ["japan-2026.toml"]
    assert (tmp_path / "japan-2026.toml").read_text(encoding="utf-8") == original  # comments, order, spacing kept
    assert write_scenarios(results, tmp_path) == []  # idempotent


def test_every_scenario_still_validates_after_calibration() -> None:
    for name in builtin_names():
        load_scenario(name)


# --- hand-computed checks -------------------------------------------------------------------------


def _dots_rows(shared: Path, reporter: str, partner: str, year: int) -> float:
    """Exports + imports of ``reporter`` with ``partner`` (IMF names) in ``year``, read by hand."""
    total = 0.0
    with open(shared / "imf_dots" / "imf_dots_goods_trade_by_partner_1960_2020.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["reporter"] == reporter and row["partner"] == partner:
                total += float(row[str(year)].replace(" e", ""))
    return total


def test_japan_2020_china_share_by_hand(data_dir: Path) -> None:
    china = _dots_rows(data_dir, "Japan", "China, P.R.: Mainland", 2020)
    world = _dots_rows(data_dir, "Japan", "World", 2020)
    hand = china / world
    assert hand == pytest.approx(0.24, abs=0.005)
    partners = {"USA": {"role": "patron"}, "CHN": {"role": "challenger"}}
    items = {i.dotted: i for i in exposures("JPN", 2020, partners, data_dir)}
    assert items["partners.CHN.exposure"].exact == pytest.approx(hand, rel=1e-12)
    assert items["partners.CHN.exposure"].value == round(hand, 3)
    hk = _dots_rows(data_dir, "Japan", "China, P.R.: Hong Kong", 2020) / world
    assert items["partners.CHN.routed_exposure"].exact == pytest.approx(hk, rel=1e-12)
    assert items["partners.CHN.exposure"].as_of == "2020"


def test_base_year_after_the_data_uses_the_latest_year(data_dir: Path) -> None:
    items = exposures("JPN", 2026, {"USA": {"role": "patron"}}, data_dir)
    assert items[0].as_of == "2020"  # DOTS ends in 2020


def test_eu_aggregate_is_membership_of_the_data_year(data_dir: Path) -> None:
    assert "GBR" in aggregate_members("EU", 2019) and "GBR" not in aggregate_members("EU", 2020)
    assert "HRV" not in aggregate_members("EU", 2012) and "HRV" in aggregate_members("EU", 2013)
    assert len(aggregate_members("EU", 2020)) == 27
    assert len(aggregate_members("ASEAN", 2020, exclude={"PHL", "JPN"})) == 9
    # 2020: the sum over the 27 members equals DOTS's own "European Union" partner row (EU27)
    eu = {i.dotted: i for i in exposures("JPN", 2020, {"EU": {"role": "secondary"}}, data_dir)}["partners.EU.exposure"]
    dots_eu = _dots_rows(data_dir, "Japan", "European Union", 2020) / _dots_rows(data_dir, "Japan", "World", 2020)
    assert eu.exact == pytest.approx(dots_eu, rel=1e-6)
    # 2017: the UK was a member, so the aggregate exceeds DOTS's EU27 row by Japan's trade with the UK
    eu17 = {i.dotted: i for i in exposures("JPN", 2017, {"EU": {"role": "secondary"}}, data_dir)}["partners.EU.exposure"]
    world17 = _dots_rows(data_dir, "Japan", "World", 2017)
    expected = (_dots_rows(data_dir, "Japan", "European Union", 2017) + _dots_rows(data_dir, "Japan", "United Kingdom", 2017)) / world17
    assert eu17.exact == pytest.approx(expected, rel=1e-6)


def test_separate_partners_are_not_counted_twice(data_dir: Path) -> None:
    with_phl = {i.dotted: i for i in exposures("JPN", 2020, {"PHL": {}, "ASEAN": {}}, data_dir)}
    without = {i.dotted: i for i in exposures("JPN", 2020, {"ASEAN": {}}, data_dir)}
    assert with_phl["partners.ASEAN.exposure"].exact + with_phl["partners.PHL.exposure"].exact == pytest.approx(
        without["partners.ASEAN.exposure"].exact, rel=1e-12
    )


def test_openness_by_hand(data_dir: Path) -> None:
    world = _dots_rows(data_dir, "Japan", "World", 2020) * 1e6
    with open(data_dir / "worldbank_wdi" / "gdp_current_usd.csv", newline="", encoding="utf-8") as f:
        gdp = next(float(r["Value"]) for r in csv.DictReader(f) if r["Country Code"] == "JPN" and r["Year"] == "2020")
    item = openness("JPN", 2020, data_dir)
    assert item.exact == pytest.approx(world / gdp, rel=1e-12)
    assert 0.24 < item.value < 0.26


def test_capacity_ratio_by_hand(data_dir: Path) -> None:
    with open(data_dir / "sipri_milex" / "sipri_milex_current_usd_m.csv", newline="", encoding="utf-8") as f:
        rows = {r["Country"]: r for r in csv.DictReader(f)}
    hand = float(rows["Japan"]["2023"]) / float(rows["United States of America"]["2023"])
    ratio, year, text = capacity_ratio("JPN", 2026, data_dir)
    assert year == 2023 and ratio == pytest.approx(hand, rel=1e-12)
    assert "SIPRI" in text and "2023" in text


def test_defence_spending_prefers_the_latest_sipri_year(data_dir: Path) -> None:
    item = defence_spending("JPN", 2026, data_dir)
    assert item.as_of == "2024" and item.value == 1.37 and "Our World in Data" in item.source
    assert defence_spending("JPN", 2017, data_dir).value == pytest.approx(0.91, abs=0.005)


def test_coercion_rate_is_the_catalogue_poisson_estimate() -> None:
    item = coercion_rate("JPN")
    low, high = poisson_interval(3)
    assert item.exact == pytest.approx(3 / 14)
    assert item.range[0] <= low / 14 and item.range[1] >= high / 14
    assert item.range == (math.floor(low / 14 * 1000) / 1000, math.ceil(high / 14 * 1000) / 1000)
    assert "JPN-2010-rare-earths" in item.source and "14 country-years" in item.source


@pytest.mark.slow
def test_only_the_reference_scenario_gets_the_coercion_rate(data_dir: Path) -> None:
    assert any(i.dotted == "events.coercion_rate" for i in calibrate("japan-2026", data_dir))
    assert not any(i.dotted == "events.coercion_rate" for i in calibrate("australia-2020", data_dir))


@pytest.mark.slow
def test_initial_state_for_another_year_is_exact_and_valid(data_dir: Path) -> None:
    from hedgelab.scenarios.loader import validate

    raw, items = initial_state("JPN", 2005, data_dir)
    assert all(i.as_of == "2005" for i in items)
    scenario = validate(raw, "test")
    assert scenario.base_year == 2005 and scenario.focal == "JPN"
    china = next(i for i in items if i.dotted == "partners.CHN.exposure")
    assert scenario.partners["CHN"].exposure.value == china.exact
    aus, _ = initial_state("AUS", 2010, data_dir)
    assert "AUS" not in aus["partners"] and aus["focal"] == "AUS"
