"""UNGA and ICEWS loaders and the alignment indicators: README figures, hand cases, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgelab.data import compute
from hedgelab.data.indicators.alignment import agreement_from_votes, ideal_distance, net_cooperation
from hedgelab.data.loaders.icews import load_icews, read_icews
from hedgelab.data.loaders.unga import (
    load_unga_ideal_points,
    load_unga_votes,
    read_unga_roll_calls,
    read_unga_votes,
)
from hedgelab.errors import HedgelabError

# --- hand-computed cases -------------------------------------------------------------------


def test_agreement_hand_computed() -> None:
    votes = pd.DataFrame(
        {
            "rcid": [1, 1, 2, 2, 3, 4, 4, 5, 5],
            "session": 70,
            "year": 2015,
            "country": ["JPN", "USA", "JPN", "USA", "JPN", "JPN", "USA", "JPN", "USA"],
            "vote": ["yes", "yes", "abstain", "no", "yes", "no", "no", "abstain", "abstain"],
        }
    )
    out = agreement_from_votes(votes, "JPN", ["USA"])
    # roll call 3: the US did not vote -> not counted; same vote on 1, 4, 5 of 4 common
    assert out["value"].tolist() == [0.75] and out["n_common"].tolist() == [4]
    assert out["year"].tolist() == [2015]


def test_ideal_distance_hand_computed() -> None:
    ideal = pd.DataFrame(
        {"country": ["JPN", "USA", "CHN", "JPN"], "session": [70, 70, 70, 71], "year": [2015, 2015, 2015, 2016],
         "ideal_point": [0.5, 2.0, -1.25, 0.7]}
    )
    out = ideal_distance(ideal, "JPN", ["USA", "CHN"]).set_index("partner")["value"]
    assert out["USA"] == 1.5 and out["CHN"] == 1.75 and len(out) == 2


def test_net_cooperation_hand_computed() -> None:
    ev = pd.DataFrame({"source": ["JPN", "CHN", "JPN"], "target": ["CHN", "JPN", "USA"], "year": [2010] * 3,
                       "verb_coop": [6, 1, 0], "matl_coop": [2, 1, 0], "verb_conf": [1, 0, 0], "matl_conf": [1, 0, 0]})
    out = net_cooperation(ev, "JPN", ["CHN", "USA"])
    assert out["partner"].tolist() == ["CHN"] and out["value"].tolist() == [0.6]  # (8 - 2) / 10; USA: no events


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(*[st.integers(0, 500)] * 4), min_size=1, max_size=20))
def test_net_cooperation_bounded(rows: list[tuple[int, int, int, int]]) -> None:
    ev = pd.DataFrame(rows, columns=["verb_coop", "matl_coop", "verb_conf", "matl_conf"])
    ev = ev.assign(source="JPN", target="CHN", year=range(2000, 2000 + len(rows)))
    out = net_cooperation(ev, "JPN", ["CHN"])
    assert out["value"].between(-1, 1).all()
    assert len(out) == int(((ev.drop(columns=["source", "target", "year"]).sum(axis=1)) > 0).sum())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["yes", "no", "abstain", None]),
                          st.sampled_from(["yes", "no", "abstain", None])), min_size=1, max_size=40))
def test_agreement_is_a_share(pairs: list[tuple[str | None, str | None]]) -> None:
    rows = []
    for rcid, (a, b) in enumerate(pairs):
        rows += [(rcid, "JPN", a)] if a else []
        rows += [(rcid, "USA", b)] if b else []
    votes = pd.DataFrame(rows, columns=["rcid", "country", "vote"]).assign(session=70, year=2015)
    out = agreement_from_votes(votes, "JPN", ["USA"])
    both = [(a, b) for a, b in pairs if a and b]
    if both:
        assert out["value"].iloc[0] == pytest.approx(sum(a == b for a, b in both) / len(both))
        assert 0 <= out["value"].iloc[0] <= 1
    else:
        assert out.empty


# --- README sanity figures -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("session", "partner", "published"),
    [(70, "USA", 0.356), (70, "CHN", 0.556), (74, "USA", 0.308), (74, "CHN", 0.539)],
)
def test_agreement_from_votes_equals_published_column(data_dir: Path, session: int, partner: str, published: float) -> None:
    votes = load_unga_votes(data_dir)
    ours = agreement_from_votes(votes, "JPN", [partner]).set_index("session").loc[session, "value"]
    ideal = load_unga_ideal_points(data_dir)
    column = {"USA": "agree_usa", "CHN": "agree_chn"}[partner]
    theirs = ideal[(ideal["country"] == "JPN") & (ideal["session"] == session)][column].iloc[0]
    assert abs(ours - theirs) < 0.001
    assert round(ours, 3) == published


def test_unga_agreement_indicator_through_registry(data_dir: Path) -> None:
    df = compute("JPN", indicators=["unga_agreement"], years="2015-2019", data_dir=data_dir)
    v = df.set_index(["partner", "year"])["value"]
    assert round(v[("USA", 2015)], 3) == 0.356 and round(v[("CHN", 2019)], 3) == 0.539
    assert set(df["unit"]) == {"share of roll calls (0-1)"} and set(df["source"]) == {"unga_votes"}


def test_unga_agreement_falls_back_to_all_countries_file(data_dir: Path) -> None:
    df = compute("JPN", indicators=["unga_agreement"], partners=["NOR"], years="2015", data_dir=data_dir)
    assert df["partner"].tolist() == ["NOR"] and 0 < df["value"].iloc[0] <= 1


def test_icews_readme_figures(data_dir: Path) -> None:
    ev = load_icews(data_dir).set_index(["source", "target", "year"])
    assert ev.loc[("JPN", "CHN", 2010), "matl_conf"] == 428
    assert ev.loc[("JPN", "CHN", 2012), "matl_conf"] == 238
    df = compute("JPN", indicators=["events_net_cooperation"], data_dir=data_dir)
    assert df["value"].between(-1, 1).all() and set(df["year"]) == set(range(2002, 2015))
    row = ev.loc[("JPN", "CHN", 2010)]
    expected = (row.verb_coop + row.matl_coop - row.verb_conf - row.matl_conf) / row.total
    got = df[(df["partner"] == "CHN") & (df["year"] == 2010)]["value"].iloc[0]
    assert got == pytest.approx(expected)


def test_ideal_points_seats_and_codes(data_dir: Path) -> None:
    ip = load_unga_ideal_points(data_dir)
    assert not ip.duplicated(["country", "session"]).any()
    s26 = ip[ip["session"] == 26]
    assert {"TWN", "CHN"} <= set(s26["country"])  # both seat holders appear in session 26
    assert (ip.loc[(ip["country"] == "TWN") & (ip["session"] <= 26), "seat"] == "CHN").all()
    assert ip.loc[(ip["country"] == "CHN"), "session"].min() == 26
    deu = ip[ip["country"] == "DEU"].set_index("session")["ccode"]
    assert deu[30] == 260 and deu[50] == 255  # West Germany then Germany, one ISO3
    jpn = ip[ip["country"] == "JPN"].set_index("session")
    assert np.isnan(jpn.loc[20, "agree_chn"]) and jpn.loc[20, "year"] == 1965
    assert jpn.loc[78, "year"] == 2023
    dist = compute("JPN", indicators=["unga_ideal_distance"], years="2015", data_dir=data_dir)
    us = ip[(ip["country"] == "USA") & (ip["session"] == 70)]["ideal_point"].iloc[0]
    assert dist.set_index("partner").loc["USA", "value"] == pytest.approx(abs(jpn.loc[70, "ideal_point"] - us))


def test_votes_germany_and_namibia(data_dir: Path) -> None:
    sub = load_unga_votes(data_dir)
    deu_sessions = set(sub.loc[sub["country"] == "DEU", "session"])
    assert {28, 45, 46, 74} <= deu_sessions  # "Federal Republic of Germany" (empty ISO2) + "Germany"
    allc = load_unga_votes(data_dir, all_countries=True)
    assert "NAM" in set(allc["country"])  # ISO2 "NA" must not become missing
    assert not allc.duplicated(["rcid", "country"]).any()
    assert str(allc["vote"].dtype) == "category"


# --- bad input -----------------------------------------------------------------------------


def test_votes_file_errors_name_file_and_field(tmp_path: Path, data_dir: Path) -> None:
    calls = read_unga_roll_calls(data_dir / "unga_votes" / "un_roll_calls.csv")
    bad = tmp_path / "un_votes_subset.csv"
    bad.write_text("rcid,country,country_code,vote\n3,Japan,JP,maybe\n")
    with pytest.raises(HedgelabError) as err:
        read_unga_votes(bad, calls)
    assert "un_votes_subset.csv" in err.value.lines[0] and "vote" in err.value.lines[0] and "'maybe'" in err.value.lines[0]
    bad.write_text("rcid,nation,country_code,vote\n3,Japan,JP,yes\n")
    with pytest.raises(HedgelabError) as err:
        read_unga_votes(bad, calls)
    assert "'country'" in err.value.lines[0] and "unga_votes" in err.value.lines[0]
    bad.write_text("rcid,country,country_code,vote\n3,Atlantis,AT,yes\n")
    with pytest.raises(HedgelabError) as err:
        read_unga_votes(bad, calls)
    assert "Atlantis" in err.value.lines[0]


def test_icews_errors(tmp_path: Path) -> None:
    bad = tmp_path / "icews.csv"
    bad.write_text("i,j,year,verbCoop,matlCoop,verbConf\nJapan,China,2010,1,2,3\n")
    with pytest.raises(HedgelabError) as err:
        read_icews(bad)
    assert "'matlConf'" in err.value.lines[0] and "icews.csv" in err.value.lines[0]
    bad.write_text("i,j,year,verbCoop,matlCoop,verbConf,matlConf\nJapan,China,2010,1,2,3,-4\n")
    with pytest.raises(HedgelabError) as err:
        read_icews(bad)
    assert "matlConf" in err.value.lines[0] and "non-negative" in err.value.lines[0]


def test_roll_call_flags_other_than_0_1_or_empty_are_refused(tmp_path: Path) -> None:
    """``importantvote``/``amend``/``para`` may be missing (the appended votes), never garbage."""
    header = "rcid,session,importantvote,date,unres,amend,para,short\n"
    good = tmp_path / "un_roll_calls.csv"
    good.write_text(header + "3,1,0,1946-01-01,R/1/66,1,,AMENDMENT\n4,1,,1946-01-02,R/1/79,,,TRUSTEESHIP\n")
    calls = read_unga_roll_calls(good)
    assert calls["amend"].tolist()[0] == 1 and calls["importantvote"].isna().tolist() == [False, True]
    good.write_text(header + "3,1,yes,1946-01-01,R/1/66,1,,AMENDMENT\n")
    with pytest.raises(HedgelabError) as err:
        read_unga_roll_calls(good)
    assert "un_roll_calls.csv" in err.value.lines[0] and "importantvote" in err.value.lines[0] and "'yes'" in err.value.lines[0]
