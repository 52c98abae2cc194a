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


# --- issue 11, item 4: the hazard with triggers ------------------------------------------------

def _toy():
    import pandas as pd

    # two years, four countries; coerced rows have a trigger, and so does one that was not.
    return pd.DataFrame({
        "country": list("ABCD") * 2,
        "year": [2010] * 4 + [2015] * 4,
        "share": [0.2, 0.1, 0.3, 0.05, 0.25, 0.1, 0.3, 0.06],
        "response": [0.9, 0.5, 1.0, 0.4, 1.0, 0.6, 1.1, 0.45],
        "coerced": [False, True, False, False, True, False, False, False],
        "triggers": [0, 1, 1, 0, 1, 0, 0, 0],
        "trigger": [False, True, True, False, True, False, False, False],
        "icews_conflict_share": [0.1, 0.3, 0.2, 0.05, 0.1, 0.1, 0.1, 0.1],
        "icews_trigger": [True, True, False, False, None, None, None, None],
    })


def test_within_year_auc_equals_a_hand_count_of_pairs():
    import numpy as np

    from hedgelab.analysis.coercion_ranking import ranking_auc
    from hedgelab.analysis.coercion_validation import within_year_auc

    toy = _toy()
    auc, pairs = within_year_auc(toy["year"], toy["share"], toy["coerced"])
    # 2010: B (0.1) beats D (0.05), loses to A and C -> 1 of 3; 2015: A (0.25) beats B, D, loses to C -> 2 of 3
    assert pairs == 6 and auc == pytest.approx(3 / 6)
    assert auc == pytest.approx(ranking_auc(toy.assign(response=toy["share"])))
    rng = np.random.default_rng(1)
    for _ in range(20):
        score = rng.integers(0, 3, len(toy)).astype(float)  # many ties
        assert within_year_auc(toy["year"], score, toy["coerced"])[0] == pytest.approx(
            ranking_auc(toy.assign(response=score)))


def test_trigger_effect_is_the_hand_computed_rate_ratio():
    from hedgelab.analysis.coercion_validation import fit_trigger_effect

    toy = _toy()
    # with trigger: B10, C10, A15 -> k1 = 2, E1 = 0.1 + 0.3 + 0.25; without: k0 = 0, E0 = rest
    e1 = 0.1 + 0.3 + 0.25
    e0 = toy["share"].sum() - e1
    expected = ((2 + 0.5) / e1) / ((0 + 0.5) / e0)
    assert fit_trigger_effect(toy["share"], toy["trigger"], toy["coerced"], 0.5) == pytest.approx(expected)


def test_out_of_sample_fits_never_see_the_scored_rows():
    from hedgelab.analysis.coercion_validation import SCHEMES, score_scheme

    toy = _toy()
    scored, _ = score_scheme(toy, "share+triggers", SCHEMES[1], 2012, 0.5)
    assert set(scored["year"]) == {2015}
    for labels in scored["fitted_on"]:
        assert labels and (toy.loc[sorted(labels), "year"] <= 2012).all()
    # flipping the outcomes of the scored years changes nothing that is scored
    flipped = toy.assign(coerced=toy["coerced"].where(toy["year"] <= 2012, ~toy["coerced"]))
    again, _ = score_scheme(flipped, "share+triggers", SCHEMES[1], 2012, 0.5)
    assert again["score"].tolist() == pytest.approx(scored["score"].tolist())
    loco, _ = score_scheme(toy, "response+triggers", SCHEMES[2], 2012, 0.5)
    for row in loco.itertuples():
        assert row.country not in set(toy.loc[sorted(row.fitted_on), "country"])
        flip = toy.assign(coerced=toy["coerced"].where(toy["country"] != row.country, ~toy["coerced"]))
        other, _ = score_scheme(flip, "response+triggers", SCHEMES[2], 2012, 0.5)
        assert other.loc[row.Index, "score"] == pytest.approx(row.score)


def test_validation_tables_have_intervals_around_the_estimates_and_the_positives():
    from hedgelab.analysis.coercion_validation import MODELS, SCHEMES, validate_coercion

    toy = _toy()
    result = validate_coercion(toy, split_year=2012, n_boot=40, seed=3)
    curated = result.auc[result.auc["triggers"] != "ICEWS conflict"]
    assert len(curated) == len(MODELS) * len(SCHEMES)
    assert (curated["lower"] <= curated["auc"] + 1e-12).all() and (curated["auc"] <= curated["upper"] + 1e-12).all()
    assert curated.loc[curated["scheme"] == SCHEMES[1], "positives"].eq(1).all()
    assert curated.loc[curated["scheme"] == SCHEMES[0], "positives"].eq(2).all()
    # same seed -> same table; ranks: the coerced B2010 is its country's higher year under share
    again = validate_coercion(toy, split_year=2012, n_boot=40, seed=3)
    assert again.auc.equals(result.auc)
    assert set(result.ranks.columns) >= set(MODELS)
    ranks = result.ranks.set_index(["country", "year"])
    # by hand: B's share ties across its two years (1.5), its response is lower in 2010 (rank 2),
    # and only 2010 has a trigger (rank 1); A's 2015 is higher on both share and response
    assert ranks.loc[("B", 2010), "share"] == 1.5 and ranks.loc[("B", 2010), "response"] == 2.0
    assert ranks.loc[("B", 2010), "share+triggers"] == 1.0 and ranks.loc[("A", 2015), "response"] == 1.0
    assert ranks["of"].eq(2).all()


def test_bad_model_or_scheme_is_one_line():
    from hedgelab.analysis.coercion_validation import score_scheme
    from hedgelab.errors import HedgelabError

    with pytest.raises(HedgelabError) as err:
        score_scheme(_toy(), "astrology", "in sample", 2012, 0.5)
    assert len(err.value.lines) == 1


@pytest.mark.slow
def test_real_validation_reproduces_the_documented_share_and_response_auc(data_dir):
    from hedgelab.analysis.coercion_validation import validate_coercion, validation_frame

    frame = validation_frame(data_dir=data_dir)
    assert len(frame) == 8 * 16 and frame["coerced"].sum() == 6
    assert frame.loc[frame["coerced"], "trigger"].all()  # every coerced year had a listed trigger
    result = validate_coercion(frame, n_boot=50)
    auc = result.auc[result.auc["triggers"] != "ICEWS conflict"].set_index(["model", "scheme"])["auc"]
    assert auc[("share", "in sample")] == pytest.approx(0.70, abs=0.005)
    assert auc[("share+triggers", "out of sample: time")] > auc[("share", "out of sample: time")]
