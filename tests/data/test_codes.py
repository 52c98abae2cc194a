"""One code system: COW codes and source names map to ISO3, aggregates are flagged."""

from __future__ import annotations

import pandas as pd
import pytest

from hedgelab.data import codes
from hedgelab.errors import HedgelabError


@pytest.mark.parametrize(
    ("cow", "iso"),
    [(2, "USA"), (255, "DEU"), (260, "DEU"), (265, "DDR"), (365, "RUS"), (710, "CHN"), (713, "TWN"),
     (732, "KOR"), (731, "PRK"), (740, "JPN"), (816, "VNM"), (817, "XSV"), (900, "AUS"), (840, "PHL")],
)
def test_cow_codes(cow: int, iso: str) -> None:
    assert codes.cow_to_iso3(cow) == iso


def test_iso3_to_cow_prefers_current_code() -> None:
    assert codes.iso3_to_cow("DEU") == 255
    assert codes.iso3_to_cow("KOR") == 732


@pytest.mark.parametrize(
    ("name", "iso"),
    [
        ("China, P.R.: Mainland", "CHN"), ("China, P.R.: Hong Kong", "HKG"), ("Korea, Rep. of", "KOR"),
        ("Taiwan Province of China", "TWN"), ("Lao People's Dem. Rep.", "LAO"),  # IMF
        ("United States of America", "USA"), ("Korea, South", "KOR"), ("Viet Nam", "VNM"),
        ("USSR", "SUN"), ("German Democratic Republic", "DDR"), ("Turkiye", "TUR"),  # SIPRI
        ("Korea, Republic Of", "KOR"), ("Lao People's Democratic Republic", "LAO"),  # ICEWS
        ("Republic.of.Korea", "KOR"), ("Rusia..Federation", "RUS"), ("CHINA", "CHN"),  # UNCTAD headers
        ("Hong Kong, China", "HKG"), ("Brunei.Darussalam", "BRN"),
    ],
)
def test_source_names(name: str, iso: str) -> None:
    assert codes.name_to_iso3(name) == iso


@pytest.mark.parametrize("code", ["WLD", "EUU", "EAS", "EAP", "EMU", "QAD", "QNS"])
def test_aggregates_flagged(code: str) -> None:
    assert codes.is_aggregate(code)
    assert not codes.is_country(code)


def test_imf_aggregate_names() -> None:
    for name in ["World", "Advanced Economies", "Euro Area", "Memorandum Items", "Africa not specified",
                 "Countries & Areas not specified", "Emerging and Developing Asia"]:
        assert codes.is_aggregate(codes.name_to_iso3(name)), name


def test_unknown_code_suggests_closest() -> None:
    with pytest.raises(HedgelabError) as err:
        codes.validate_iso3("JPX")
    assert "did you mean" in err.value.lines[0] and "JPN" in err.value.lines[0]
    with pytest.raises(HedgelabError) as err:
        codes.cow_to_iso3(741)
    assert "740" in str(err.value)
    with pytest.raises(HedgelabError) as err:
        codes.name_to_iso3("Japn", where="imf_dots: f.csv: partner")
    assert err.value.lines[0].startswith("imf_dots: f.csv: partner:")
    assert "japan" in err.value.lines[0]


def test_validate_accepts_names_and_case() -> None:
    assert codes.validate_iso3("jpn") == "JPN"
    assert codes.validate_iso3("Japan") == "JPN"
    with pytest.raises(HedgelabError):
        codes.validate_iso3("WLD")
    assert codes.validate_iso3("WLD", allow_aggregates=True) == "WLD"


def test_china_seat() -> None:
    assert codes.china_seat_holder(1970) == "TWN"
    assert codes.china_seat_holder(1971) == "CHN"


def test_add_aliases() -> None:
    codes.add_aliases({"Nippon (test alias)": "JPN"})
    assert codes.name_to_iso3("NIPPON (test alias)") == "JPN"
    with pytest.raises(HedgelabError):
        codes.add_aliases({"x": "ZZZ"})


def test_every_cow_state_and_source_name_maps(data_dir) -> None:
    states = pd.read_csv(data_dir / "cow_states" / "cow_states_2016.csv")
    assert set(states["ccode"]) <= set(codes.COW_TO_ISO3)
    dots = pd.read_csv(data_dir / "imf_dots" / "imf_dots_goods_trade_by_partner_1960_2020.csv",
                       usecols=["reporter", "partner"])
    mapped = codes.names_to_iso3(list(dots["partner"].unique()) + list(dots["reporter"].unique()))
    assert all(v is not None for v in mapped.values())
    arms = pd.read_csv(data_dir / "sipri_arms_transfers" /
                       "sipri_trade_register_deliveries_1995_2024_recipients_subset.csv",
                       usecols=["Supplier", "Recipient"])
    codes.names_to_iso3(list(arms["Supplier"].unique()) + list(arms["Recipient"].unique()))
