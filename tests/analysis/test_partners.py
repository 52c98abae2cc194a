"""Third parties: what the focal state's strategy means for each partner."""

import json

import pytest
from typer.testing import CliRunner

from hedgelab.cli.main import app
from hedgelab.analysis.partners import partner_effects


@pytest.fixture(scope="module")
def effects():
    return partner_effects("japan-2026", ["dual_hedge", "multi_hedge", "anchor"], n_paths=64, years=5)


def change(effects, strategy, partner, measure):
    row = effects[(effects.strategy == strategy) & (effects.partner == partner) & (effects.measure == measure)]
    return float(row["change"].iloc[0])


def test_multi_hedge_deepens_ties_with_every_secondary_partner(effects):
    secondary = sorted(set(effects.loc[effects.role == "secondary", "partner"]))
    assert "CAN" in secondary
    for code in secondary:
        assert change(effects, "multi_hedge", code, "alignment_security") > 0.2, code
        assert change(effects, "multi_hedge", code, "exposure") >= 0.0, code


def test_anchor_shifts_trade_away_from_the_challenger_and_leaves_third_parties_untouched(effects):
    # exposure closes ~8% of its gap a year (economy.exposure_adjust_speed, estimated): about 4 pp in 10 years
    assert change(effects, "anchor", "CHN", "exposure") < -0.03
    assert change(effects, "anchor", "USA", "alignment_security") > 0.1
    assert abs(change(effects, "anchor", "CAN", "alignment_security")) < 1e-9


def test_changes_are_horizon_minus_base_and_stay_in_bounds(effects):
    assert (effects["change"] - (effects["horizon"] - effects["base"])).abs().max() < 1e-12
    alignment = effects[effects.measure.str.startswith("alignment_")]
    assert alignment["horizon"].between(0.0, 1.0).all()


def test_partners_command_json_and_errors():
    runner = CliRunner()
    result = runner.invoke(app, ["partners", "--paths", "32", "--years", "2", "--strategies", "multi_hedge",
                                 "--partner", "CAN", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {r["partner"] for r in payload["rows"]} == {"CAN"}
    bad = runner.invoke(app, ["partners", "--partner", "CNA"])
    assert bad.exit_code == 2 and "did you mean" in bad.stderr and "CAN" in bad.stderr
    from hedgelab.analysis.limits import MAX_PATHS

    too_many = runner.invoke(app, ["partners", "--paths", str(MAX_PATHS + 1)])
    assert too_many.exit_code == 2 and f"--paths: expected a whole number from 1 to {MAX_PATHS:,}" in too_many.stderr
