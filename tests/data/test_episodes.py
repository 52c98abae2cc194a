"""Episode catalogue: content rules, schema errors, exact Poisson intervals and base rates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from hedgelab.data.episodes import CATALOGUE_PATH, base_rate, load_episodes, poisson_interval
from hedgelab.errors import HedgelabError

COMPARATORS = ["JPN", "AUS", "KOR", "GBR", "DEU", "PHL", "IND"]


def test_catalogue_meets_the_issue_rules() -> None:
    cat = load_episodes()
    episodes = cat.episodes
    assert len(episodes) >= 12
    assert len({e.target for e in episodes}) >= 8
    assert all(e.date.year >= 2010 for e in episodes)
    assert len({e.id for e in episodes}) == len(episodes)
    assert {e.actor for e in episodes} == {"CHN", "USA"}
    assert all(e.kind == ("economic_coercion" if e.actor == "CHN" else "alliance_pressure") for e in episodes)
    for e in episodes:
        assert e.id.startswith(f"{e.target}-{e.date.year}-")
        assert all("http" in s for s in e.source)
    # the cases named in DESIGN.md are there
    ids = {e.id for e in episodes}
    assert {"JPN-2010-rare-earths", "AUS-2020-barley", "JPN-2023-seafood"} <= ids


def _write(tmp_path: Path, mutate) -> Path:
    raw = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))
    mutate(raw["episodes"][1])
    path = tmp_path / "episodes.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "field", "hint"),
    [
        (lambda e: e.update(severity="high"), "severity", "unknown field"),
        (lambda e: e.update(date="2010-13-45"), "date", "YYYY-MM-DD"),
        (lambda e: e.update(target="Norway"), "target", "ISO"),
        (lambda e: e.update(target="XXX"), "target", "ISO"),
        (lambda e: e.update(kind="sanctions"), "kind", "economic_coercion"),
        (lambda e: e.update(actor="RUS"), "actor", "CHN"),
        (lambda e: e.update(source=["a book without address"]), "source", "URL"),
        (lambda e: e.pop("trigger"), "trigger", "required"),
    ],
)
def test_schema_errors_name_file_episode_and_field(tmp_path: Path, mutate, field: str, hint: str) -> None:
    path = _write(tmp_path, mutate)
    with pytest.raises(HedgelabError) as err:
        load_episodes(path)
    line = next(l for l in err.value.lines if f": {field}" in l)
    assert str(path) in line and "episodes[1] (id NOR-2010-salmon)" in line and hint in line
    assert len(err.value.lines) == 1


def test_duplicate_id_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda e: e.update(id="JPN-2010-rare-earths"))
    with pytest.raises(HedgelabError) as err:
        load_episodes(path)
    assert "unique id" in err.value.lines[0] and "episodes[0]" in err.value.lines[0]
    with pytest.raises(HedgelabError) as err:
        load_episodes(tmp_path / "nope.yaml")
    assert "nope.yaml" in err.value.lines[0] and "file" in err.value.lines[0]
    (tmp_path / "broken.yaml").write_text("episodes: [\n  - id: x\n")
    with pytest.raises(HedgelabError) as err:
        load_episodes(tmp_path / "broken.yaml")
    assert "broken.yaml" in err.value.lines[0] and "YAML" in err.value.lines[0]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 300), st.floats(0.5, 0.995))
def test_garwood_interval_quantile_identities(k: int, confidence: float) -> None:
    alpha = 1 - confidence
    low, high = poisson_interval(k, confidence)
    assert low <= k <= high
    # the upper bound is the mean at which P(X <= k) = alpha/2
    assert stats.poisson.cdf(k, high) == pytest.approx(alpha / 2, rel=1e-6, abs=1e-12)
    if k == 0:
        assert low == 0.0
    else:  # the lower bound is the mean at which P(X >= k) = alpha/2
        assert stats.poisson.sf(k - 1, low) == pytest.approx(alpha / 2, rel=1e-6, abs=1e-12)


def test_poisson_interval_reference_values() -> None:
    # Garwood 95% limits for k = 0, 1, 6 (standard tables: 0-3.689, 0.0253-5.572, 2.202-13.06)
    assert poisson_interval(0) == pytest.approx((0.0, 3.6889), abs=1e-3)
    assert poisson_interval(1) == pytest.approx((0.02532, 5.5716), abs=1e-3)
    assert poisson_interval(6) == pytest.approx((2.2019, 13.059), abs=1e-3)


def test_base_rate_counts_exposure_and_contains_estimate() -> None:
    cat = load_episodes()
    years = range(2010, 2024)
    br = base_rate("economic_coercion", "CHN", COMPARATORS, years)
    expected = [e.id for e in cat.episodes
                if e.actor == "CHN" and e.kind == "economic_coercion" and e.target in COMPARATORS and e.year in years]
    assert sorted(br.episode_ids) == sorted(expected) and br.n_episodes == len(expected)
    assert br.exposure == len(COMPARATORS) * len(years)
    assert br.lower <= br.rate <= br.upper
    low, high = poisson_interval(br.n_episodes)
    assert br.lower == pytest.approx(low / br.exposure) and br.upper == pytest.approx(high / br.exposure)
    assert br.unit == "episodes per country-year"
    japan = base_rate("economic_coercion", "CHN", ["JPN"], years)
    assert japan.n_episodes == 3 and japan.exposure == 14
    none = base_rate("alliance_pressure", "USA", ["IND"], years)
    assert none.n_episodes == 0 and none.rate == 0.0 and none.upper > 0


@pytest.mark.slow
@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["JPN", "AUS", "KOR", "NOR", "CAN", "LTU", "IND"]), min_size=1, unique=True),
       st.integers(2010, 2023), st.integers(0, 13))
def test_base_rate_interval_always_contains_rate(targets: list[str], start: int, span: int) -> None:
    for kind, actor in (("economic_coercion", "CHN"), ("alliance_pressure", "USA")):
        br = base_rate(kind, actor, targets, range(start, start + span + 1))
        assert 0 <= br.lower <= br.rate <= br.upper


def test_base_rate_bad_arguments() -> None:
    with pytest.raises(HedgelabError) as err:
        base_rate("sanctions", "RUS", ["Japan"], [])
    text = "\n".join(err.value.lines)
    assert "kind" in text and "actor" in text and "targets" in text and "years" in text
