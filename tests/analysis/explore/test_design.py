"""Designs: Latin-hypercube stratification, Saltelli layout, ranges, reproducibility, errors."""

import numpy as np
import pytest

from hedgelab.analysis.explore.design import Uncertainty, make_design, read_ranges, uncertainties
from hedgelab.errors import HedgelabError
from hedgelab.scenarios import load_scenario
from hedgelab.scenarios.table import parameter_rows


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("japan-2026")


def test_every_uncertainty_with_a_range_is_sampled(scenario):
    found = uncertainties(scenario)
    expected = [r["path"] for r in parameter_rows(scenario)
                if r["kind"] == "uncertainty" and isinstance(r["value"], float) and r["range"] is not None]
    assert [u.name for u in found] == expected and len(found) > 50
    assert all(u.low < u.high for u in found)


def test_lhs_has_one_sample_per_stratum_in_range_and_repeats_with_its_seed(scenario):
    chosen = uncertainties(scenario)[:5]
    design = make_design(chosen, 20, "lhs", seed=3)
    lows = np.array([u.low for u in chosen])
    highs = np.array([u.high for u in chosen])
    unit = (design.samples - lows) / (highs - lows)
    for column in unit.T:  # Latin hypercube: each of the n equal strata holds exactly one sample
        assert sorted(np.floor(column * 20).astype(int)) == list(range(20))
    assert np.array_equal(design.samples, make_design(chosen, 20, "lhs", seed=3).samples)
    assert not np.array_equal(design.samples, make_design(chosen, 20, "lhs", seed=4).samples)
    assert design.digest() != make_design(chosen, 20, "lhs", seed=4).digest()


def test_sobol_design_has_saltelli_rows_and_needs_a_power_of_two(scenario):
    chosen = uncertainties(scenario)[:4]
    design = make_design(chosen, 8, "sobol", seed=0)
    assert design.samples.shape == (8 * (4 + 2), 4)
    assert ((design.samples >= [u.low for u in chosen]) & (design.samples <= [u.high for u in chosen])).all()
    with pytest.raises(HedgelabError, match="power of 2"):
        make_design(chosen, 6, "sobol", seed=0)


def test_subset_and_ranges_file(scenario, tmp_path):
    assert [u.name for u in uncertainties(scenario, ["events.coercion_severity"])] == ["events.coercion_severity"]
    path = tmp_path / "ranges.toml"
    path.write_text('"events.coercion_severity" = [0.1, 0.2]\n"environment.convergence_speed" = [0.0, 0.1]\n')
    found = uncertainties(scenario, ranges=read_ranges(path), where=str(path))
    assert found == [Uncertainty("events.coercion_severity", 0.1, 0.2, found[0].unit),
                     Uncertainty("environment.convergence_speed", 0.0, 0.1, found[1].unit)]


def test_bad_ranges_are_one_line_each_naming_file_and_field(scenario, tmp_path):
    path = tmp_path / "ranges.yaml"
    path.write_text("events.coercion_severty: [0.1, 0.2]\nevents.coercion_severity: [0.1, 9.0]\n")
    with pytest.raises(HedgelabError) as err:
        uncertainties(scenario, ranges=read_ranges(path), where=str(path))
    assert len(err.value.lines) == 2
    assert err.value.lines[0].startswith(f"{path}: events.coercion_severty: expected") and "did you mean" in err.value.lines[0]
    assert err.value.lines[1].startswith(f"{path}: events.coercion_severity: expected low < high inside")
