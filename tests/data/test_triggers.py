"""The curated trigger list: shipped, valid, outcome-independent in its coding, and bad rows give one line."""

from pathlib import Path

import pytest

from hedgelab.data.triggers import TRIGGER_COLUMNS, TRIGGERS_PATH, load_triggers, trigger_indicator
from hedgelab.errors import HedgelabError

HEADER = ",".join(TRIGGER_COLUMNS) + "\n"
GOOD = 'KOR,2016,2016-07-08,missile_defence,THAAD deployment announced,"Wikipedia, \'Terminal High Altitude Area Defense\'"\n'


def test_shipped_list_loads_covers_every_comparator_and_is_independent_of_the_outcome():
    from hedgelab.analysis.coercion_ranking import COMPARATORS

    frame = load_triggers()
    assert TRIGGERS_PATH.is_file()
    assert set(frame["country"]) == set(COMPARATORS)
    assert frame["year"].between(2005, 2020).all()
    assert frame["source"].str.len().min() > 10
    # coded whether or not coercion followed: most listed country-years drew no catalogued coercion
    from hedgelab.data.episodes import load_episodes

    coerced = {(e.target, e.year) for e in load_episodes().filter(kind="economic_coercion", actor="CHN")}
    listed = set(zip(frame["country"], frame["year"]))
    assert len(listed - coerced) > 2 * len(listed & coerced)
    # the list has no column derived from the outcome
    assert list(frame.columns) == list(TRIGGER_COLUMNS)


def test_csv_ships_in_the_package_data():
    import tomllib

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    globs = pyproject["tool"]["setuptools"]["package-data"]["hedgelab"]
    assert "data/catalogue/*" in globs
    assert TRIGGERS_PATH.parent.name == "catalogue"


@pytest.mark.parametrize(("row", "column"), [
    ("XXX,2010,2010-09-07,maritime_incident,desc,src\n", "country"),
    ("JPN,20x0,,maritime_incident,desc,src\n", "year"),
    ("JPN,2010,2011-09-07,maritime_incident,desc,src\n", "date"),
    ("JPN,2010,2010-13-07,maritime_incident,desc,src\n", "date"),
    ("JPN,2010,2010-09-07,rumour,desc,src\n", "type"),
    ("JPN,2010,2010-09-07,maritime_incident,,src\n", "description"),
    ("JPN,2010,2010-09-07,maritime_incident,desc,\n", "source"),
    (GOOD, "country/date/type"),
])
def test_a_bad_row_gives_one_line_naming_file_row_and_column(tmp_path, row, column):
    path = tmp_path / "t.csv"
    path.write_text(HEADER + GOOD + row, encoding="utf-8")
    with pytest.raises(HedgelabError) as err:
        load_triggers(path)
    assert len(err.value.lines) == 1
    line = err.value.lines[0]
    assert str(path) in line and "row 3" in line and f": {column}: expected" in line


def test_missing_file_and_bad_header_give_one_line(tmp_path):
    with pytest.raises(HedgelabError) as err:
        load_triggers(tmp_path / "nope.csv")
    assert len(err.value.lines) == 1 and "file: expected" in err.value.lines[0]
    path = tmp_path / "t.csv"
    path.write_text("country,year\nJPN,2010\n", encoding="utf-8")
    with pytest.raises(HedgelabError) as err:
        load_triggers(path)
    assert len(err.value.lines) == 1 and "header: expected" in err.value.lines[0]


def test_trigger_window_counts_the_years_ending_with_the_year(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(HEADER + GOOD.replace("KOR,2016,2016-07-08", "CAN,2018,2018-12-01"), encoding="utf-8")
    frame = load_triggers(path)
    one = trigger_indicator(frame, ["CAN"], range(2017, 2021), window=1).set_index("year")["triggers"]
    two = trigger_indicator(frame, ["CAN"], range(2017, 2021), window=2).set_index("year")["triggers"]
    assert one.to_dict() == {2017: 0, 2018: 1, 2019: 0, 2020: 0}
    assert two.to_dict() == {2017: 0, 2018: 1, 2019: 1, 2020: 0}
    with pytest.raises(HedgelabError):
        trigger_indicator(frame, ["CAN"], [2018], window=0)


def test_icews_flag_uses_only_earlier_years(data_dir):
    import pandas as pd

    from hedgelab.data.loaders.icews import load_icews
    from hedgelab.data.triggers import icews_conflict

    flags = icews_conflict(["JPN"], range(2005, 2015), 0.75, data_dir).set_index("year")
    events = load_icews(data_dir)
    jpn = events[(events["source"] == "JPN") & (events["target"] == "CHN")].set_index("year")
    share = (jpn["verb_conf"] + jpn["matl_conf"]) / jpn["total"]
    for year in (2006, 2010, 2014):
        assert flags.loc[year, "past_quantile"] == pytest.approx(share[share.index < year].quantile(0.75))
    # the README's face-validity check: the Senkaku years stand out
    assert flags.loc[2010, "trigger"] and flags.loc[2012, "trigger"]
    assert isinstance(flags, pd.DataFrame) and flags.index.max() == 2014
