"""Hedging index for Japan and every comparator; registry contract for the D2 indicators."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hedgelab.data import compute
from hedgelab.data.indicators import Request, registry
from hedgelab.data.indicators.hedging_index import hedging_components
from hedgelab.errors import HedgelabError

COMPARATORS = ["JPN", "AUS", "KOR", "GBR", "DEU", "PHL", "IND"]
D2_INDICATORS = {
    "unga_ideal_distance": "unga_ideal_points",
    "unga_agreement": "unga_votes",
    "events_net_cooperation": "icews_netify",
    "fdi_origin_share": "unctad_fdi",
    "routed_share": "unctad_fdi",
    "hedging_index": "imf_dots",
    "hedging_economic_tilt": "imf_dots",
    "hedging_security_tilt": "alliances_atop",
}


def test_d2_indicators_registered_with_unit_dataset_and_formula() -> None:
    reg = registry()
    for name, dataset in D2_INDICATORS.items():
        ind = reg[name]
        assert ind.unit and dataset in ind.datasets
        assert "Formula" in ind.doc and "Unit" in ind.doc


@pytest.fixture(scope="module")
def components(data_dir: Path) -> dict[str, object]:
    return {c: hedging_components(Request(c, None, None, data_dir)) for c in COMPARATORS}


def test_components_bounds_and_identity(components: dict) -> None:
    for country, comp in components.items():
        both = comp.dropna(subset=["hedging_index"])
        assert len(both) >= 20, country
        for col in ("economic_tilt", "alliance_tilt", "vote_tilt", "security_tilt"):
            assert comp[col].dropna().between(0, 1).all(), (country, col)
        assert both["hedging_index"].between(-1, 1).all()
        assert np.allclose(both["hedging_index"], both["economic_tilt"] + both["security_tilt"] - 1)
        assert np.allclose(both["security_tilt"], (both["alliance_tilt"] + both["vote_tilt"]) / 2)


def test_index_reads_as_the_design_expects(components: dict) -> None:
    h = {c: comp.set_index("year")["hedging_index"] for c, comp in components.items()}
    # Japan's split opened with China's rise: well below zero in 1990, clearly positive by 2010
    assert h["JPN"][1990] < 0 < h["JPN"][2010]
    # Australia, the closest analogue, is more China-dependent: a wider split (DESIGN.md)
    assert all(h["AUS"][y] > h["JPN"][y] for y in range(2010, 2021))
    # India has no US alliance: no dual hedge, the index stays negative
    assert (h["IND"].loc[2000:2020] < 0).all()
    # US treaty allies score alliance_tilt 1 (ATOP), India 0.5
    jpn = components["JPN"].set_index("year")
    assert jpn.loc[2018, "alliance_tilt"] == 1.0
    assert components["IND"].set_index("year").loc[2018, "alliance_tilt"] == 0.5
    # ATOP ends in 2018: carried forward to 2020 and flagged in the source
    assert "carried forward" in jpn.loc[2020, "source"] and "carried" not in jpn.loc[2018, "source"]


def test_hedging_index_through_registry_for_every_comparator(data_dir: Path) -> None:
    for country in COMPARATORS:
        df = compute(country, indicators=["hedging_index"], years="2010-2020", data_dir=data_dir)
        assert set(df["year"]) == set(range(2010, 2021)), country
        assert df["partner"].isna().all() and set(df["unit"]) == {"index (-1 to 1)"}
        assert df["source"].str.contains("unga_ideal_points").all()


def test_great_powers_have_no_hedging_index(data_dir: Path) -> None:
    with pytest.raises(HedgelabError) as err:
        hedging_components(Request("USA", None, None, data_dir))
    assert "hedging_index" in err.value.lines[0]
    assert compute("CHN", indicators=["hedging_index"], data_dir=data_dir).empty


def test_non_redistributable_sources_are_withheld(data_dir: Path) -> None:
    names = ["events_net_cooperation", "fdi_origin_share", "routed_share", "unga_agreement", "hedging_index"]
    df = compute("JPN", indicators=names, data_dir=data_dir, redistributable_only=True)
    assert set(df["indicator"]) == {"unga_agreement", "hedging_index"}  # ICEWS and UNCTAD withheld
