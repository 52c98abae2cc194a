"""The coercion hazard ranks the documented cases of Chinese coercion above the others."""

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def ranking(data_dir: Path):
    from hedgelab.analysis.coercion_ranking import coercion_ranking

    return coercion_ranking(data_dir=data_dir)


@pytest.mark.slow
def test_coerced_country_years_score_higher_than_the_others_of_the_same_year(ranking):
    from hedgelab.analysis.coercion_ranking import ranking_auc

    assert ranking["coerced"].sum() >= 5
    # 0.5 would be a coin toss; the model's hazard beats it on the documented cases.
    assert ranking_auc(ranking) >= 0.7


@pytest.mark.slow
def test_australia_2020_and_korea_2017_top_their_years(ranking):
    for country, year in (("AUS", 2020), ("KOR", 2017)):
        that_year = ranking[ranking["year"] == year].set_index("country")["response"]
        assert that_year.idxmax() == country, that_year.sort_values().to_dict()


def test_ranking_auc_counts_pairs_within_years():
    import pandas as pd

    from hedgelab.analysis.coercion_ranking import ranking_auc

    frame = pd.DataFrame({
        "year": [1, 1, 1, 2, 2],
        "country": list("ABCAB"),
        "response": [0.9, 0.5, 0.95, 0.3, 0.3],
        "coerced": [True, False, False, True, False],
    })
    # year 1: 0.9 beats 0.5, loses to 0.95 -> 1 of 2; year 2: tie -> 0.5 of 1.
    assert ranking_auc(frame) == pytest.approx(1.5 / 3)
