"""Scenarios: the built-ins load and are fully documented; bad input gives the right lines.

Every user error is a :class:`HedgelabError` whose lines read ``FILE: FIELD: expected …``;
files are written to ``tmp_path`` and inherit with ``base = "japan-2026"``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from hedgelab import api
from hedgelab.cli.main import app
from hedgelab.errors import HedgelabError
from hedgelab.scenarios import Parameter, Scenario, builtin_names, builtin_strategies, load_scenario, strategies_for
from hedgelab.scenarios.schema import Strategy

LINE = re.compile(r"^(?P<file>[^:]+): (?P<field>[^:]+): expected (?P<what>.+)$")


def _lines(call) -> list[str]:
    with pytest.raises(HedgelabError) as info:
        call()
    lines = info.value.lines
    assert lines, "an error without lines"
    for line in lines:
        assert LINE.match(line), f"not 'FILE: FIELD: expected …': {line!r}"
    assert str(info.value) == "\n".join(lines)
    return lines


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _parameters(node, prefix: str = ""):
    """Every :class:`Parameter` in a scenario, with its dotted path."""
    if isinstance(node, Parameter):
        yield prefix.rstrip("."), node
        return
    if isinstance(node, dict):
        items = node.items()
    elif hasattr(type(node), "model_fields"):
        items = ((k, getattr(node, k)) for k in type(node).model_fields)
    else:
        return
    for key, value in items:
        yield from _parameters(value, f"{prefix}{key}.")


# --- built-ins --------------------------------------------------------------------------------

def test_builtin_names_include_the_issue_scenarios():
    assert {"japan-2026", "japan-2017", "japan-2021", "australia-2020"} <= set(builtin_names())


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_scenario_loads_and_runs(name):
    scenario = load_scenario(name)
    assert isinstance(scenario, Scenario) and scenario.name == name
    roles = [p.role for p in scenario.partners.values()]
    assert roles.count("patron") == 1 and roles.count("challenger") == 1
    result = api.run(name, ["dual_hedge", "anchor"], n_paths=64, years=2, seed=0)
    assert np.all(np.isfinite(result["prosperity"].values))


@pytest.mark.parametrize("name", builtin_names())
def test_every_parameter_has_unit_range_and_source(name):
    params = list(_parameters(load_scenario(name)))
    assert len(params) > 100
    for path, p in params:
        assert p.unit.strip(), f"{name}: {path}: no unit"
        assert p.range is not None, f"{name}: {path}: no range"
        lo, hi = p.range
        assert lo <= p.value <= hi, f"{name}: {path}: {p.value} outside {p.range}"
        assert len(p.source.strip()) >= 3, f"{name}: {path}: no source"
        assert p.kind in {"uncertainty", "lever", "constant"}


def test_builtin_strategies_are_the_nine_presets_and_two_adaptive_variants():
    presets = builtin_strategies()
    nine = {"dual_hedge", "multi_hedge", "anchor", "tilt_china", "russia_hedge", "autonomy", "leverage", "neutral",
            "incremental"}
    assert set(presets) == nine | {"vigilant_hedge", "adaptive_dual_hedge"}
    for name, strategy in presets.items():
        assert strategy.description
        if name in nine:  # the nine use neither threat response nor a switch
            assert strategy.switch is None and strategy.defence_on_threat == strategy.security_on_threat == 0
            assert strategy.derisk_on_threat == 0
    levers = Strategy.model_json_schema()["properties"]
    for lever in ("defence_shift", "compartmentalisation", "speed", "signal"):
        assert levers[lever]["unit"] and levers[lever]["range"]


def test_yaml_scenario_with_base_loads(tmp_path):
    path = _write(tmp_path, "mine.yaml", "base: japan-2026\nname: mine\nenvironment:\n  convergence:\n    value: 0.7\n")
    scenario = load_scenario(path)
    assert scenario.name == "mine" and scenario.environment.convergence.value == 0.7
    assert scenario.environment.convergence.unit == load_scenario("japan-2026").environment.convergence.unit


# --- bad input ----------------------------------------------------------------------------------

def test_wrong_type(tmp_path):
    path = _write(tmp_path, "s.toml", 'base = "japan-2026"\n[environment.convergence]\nvalue = "high"\n')
    (line,) = _lines(lambda: load_scenario(path))
    assert line.startswith(f"{path}: environment.convergence.value: expected ")
    assert "number" in line and "'high'" in line


def test_unknown_field(tmp_path):
    path = _write(tmp_path, "s.toml", 'base = "japan-2026"\n[threat]\nprovocation_efect = { value = 0.3, unit = "x", kind = "constant", source = "abc" }\n')
    (line,) = _lines(lambda: load_scenario(path))
    assert line.startswith(f"{path}: threat.provocation_efect: expected ") and "unknown field" in line


def test_out_of_range_value(tmp_path):
    path = _write(tmp_path, "s.toml", 'base = "japan-2026"\n[environment.convergence]\nvalue = 1.5\n')
    (line,) = _lines(lambda: load_scenario(path))
    assert line == f"{path}: environment.convergence: expected a value in [0.2, 0.9], got 1.5"


def test_all_errors_of_a_file_one_per_line(tmp_path):
    path = _write(
        tmp_path, "s.toml",
        'base = "japan-2026"\n[environment.convergence]\nvalue = 1.5\n'
        '[environment.assertiveness]\nvalue = "x"\n[threat]\nfoo = 1\n',
    )
    lines = _lines(lambda: load_scenario(path))
    fields = sorted(LINE.match(line)["field"] for line in lines)
    assert fields == ["environment.assertiveness.value", "environment.convergence", "threat.foo"]


def test_partner_referenced_by_a_strategy_but_not_defined(tmp_path):
    path = _write(tmp_path, "s.toml", 'base = "japan-2026"\n[strategies.mine]\npartners = { TWN = { security = 0.2 } }\n')
    (line,) = _lines(lambda: load_scenario(path))
    m = LINE.match(line)
    assert m["file"] == path and "TWN" in line
    # the field names where the bad reference is, not the whole document
    assert m["field"].startswith("strategies.mine"), line


def test_partner_referenced_by_a_builtin_strategy_but_not_in_the_scenario(tmp_path):
    path = _write(tmp_path, "s.toml", 'base = "japan-2026"\nname = "no-russia"\ndrop_partners = ["RUS"]\n')
    scenario = load_scenario(path)
    lines = _lines(lambda: strategies_for(scenario, ["russia_hedge"]))
    assert any("partners.RUS" in line for line in lines)


def test_unparsable_toml(tmp_path):
    path = _write(tmp_path, "s.toml", 'base = "japan-2026"\n[environment\nx = 1\n')
    (line,) = _lines(lambda: load_scenario(path))
    assert line.startswith(f"{path}: syntax: expected valid TOML (") and "line 2" in line


def test_unparsable_yaml(tmp_path):
    path = _write(tmp_path, "s.yaml", "base: japan-2026\nenvironment: [1, 2\n  x: {\n")
    (line,) = _lines(lambda: load_scenario(path))
    assert line.startswith(f"{path}: syntax: expected valid YAML (")


def test_missing_file(tmp_path):
    path = str(tmp_path / "nowhere.toml")
    (line,) = _lines(lambda: load_scenario(path))
    assert line == f"{path}: file: expected an existing scenario file"


def test_missing_base_file(tmp_path):
    path = _write(tmp_path, "s.toml", 'base = "gone.toml"\n')
    (line,) = _lines(lambda: load_scenario(path))
    assert "gone.toml" in line and ": file: expected an existing scenario file" in line


def test_unknown_builtin_name_suggests_nearest():
    (line,) = _lines(lambda: load_scenario("japan-2062"))
    assert line.startswith("japan-2062: scenario: expected ") and "did you mean japan-2026" in line


def test_unknown_strategy_suggests_nearest():
    (line,) = _lines(lambda: strategies_for(load_scenario("japan-2026"), ["dual_hedg"]))
    assert line.startswith("strategies: dual_hedg: expected a known strategy (did you mean dual_hedge")


def test_unknown_set_path_suggests_nearest():
    (line,) = _lines(lambda: load_scenario("japan-2026", ["environment.convergense=0.3"]))
    assert line.startswith("overrides: environment.convergense: expected a scenario parameter path (did you mean environment.convergence")
    (line,) = _lines(lambda: load_scenario("japan-2026", ["partners.AUS.rech=0.2"]))
    assert "did you mean partners.AUS.reach" in line


def test_set_value_validated_like_the_file():
    (line,) = _lines(lambda: load_scenario("japan-2026", ["environment.convergence=1.5"]))
    assert "environment.convergence: expected a value in [0.2, 0.9], got 1.5" in line
    (line,) = _lines(lambda: load_scenario("japan-2026", ["environment.convergence=abc"]))
    assert line.startswith("overrides: environment.convergence=abc: expected a TOML literal")


def test_set_applies_the_value():
    scenario = load_scenario("japan-2026", ["environment.convergence=0.8", "partners.AUS.alignment.security=0.7"])
    assert scenario.environment.convergence.value == 0.8
    assert scenario.partners["AUS"].alignment.security.value == 0.7


# --- the same through the CLI: lines on stderr, exit code 2, no traceback ----------------------

@pytest.mark.parametrize(
    "text, suffix, field",
    [
        ('base = "japan-2026"\n[environment.convergence]\nvalue = 1.5\n', ".toml", "environment.convergence"),
        ('base = "japan-2026"\n[environment\n', ".toml", "syntax"),
        ("base: japan-2026\nenvironment: [1, 2\n", ".yaml", "syntax"),
    ],
)
def test_cli_reports_scenario_errors_with_exit_code_2(tmp_path, text, suffix, field):
    path = _write(tmp_path, f"s{suffix}", text)
    result = CliRunner().invoke(app, ["compare", "--scenario", path, "--paths", "16", "--years", "1"])
    assert result.exit_code == 2, result.output
    output = result.stderr if hasattr(result, "stderr") else result.output
    assert f"{path}: {field}: expected" in output
    assert "Traceback" not in result.output


def test_cli_unknown_set_path_exit_code_2():
    result = CliRunner().invoke(app, ["compare", "--set", "environment.convergense=0.3", "--paths", "16", "--years", "1"])
    assert result.exit_code == 2
    assert "did you mean environment.convergence" in (result.stderr if hasattr(result, "stderr") else result.output)
