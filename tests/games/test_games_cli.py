"""``hedgelab games …`` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from hedgelab.cli.main import app
from hedgelab.games import MODELS

runner = CliRunner()


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["games", *args])


@pytest.mark.parametrize("name", list(MODELS))
def test_defaults_as_json_match_the_api(name: str) -> None:
    result = _run(name, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    expected = MODELS[name].evaluate()
    assert payload["model"] == name
    for key, value in expected.items():
        assert payload["results"][key] == pytest.approx(float(value))


def test_parameters_and_table_output() -> None:
    result = _run("dilemma", "--reliability", "0.3", "--burden-gap", "-0.5", "--conflict-risk=2")
    assert result.exit_code == 0, result.output
    assert "best_commitment" in result.stdout
    data = json.loads(_run("dilemma", "--reliability", "0.3", "--format", "json").stdout)
    assert data["params"]["reliability"] == 0.3
    low = json.loads(_run("dilemma", "--reliability", "0.9", "--format", "json").stdout)
    assert low["results"]["best_commitment"] < data["results"]["best_commitment"]


def test_triangle_labels() -> None:
    data = json.loads(_run("triangle", "--china-focal", "-0.4", "--format", "json").stdout)
    assert data["results"]["configuration_label"] == "stable marriage"
    assert data["results"]["pariah_label"] == "China"
    table = _run("triangle").stdout
    assert "romantic triangle" in table and "focal" in table


def test_sweep_json_and_csv() -> None:
    result = _run("coercion", "--sweep", "provocation=0:1:5", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["sweep"] == {"param": "provocation", "values": [0.0, 0.25, 0.5, 0.75, 1.0]}
    p = data["results"]["p_coercion"]
    assert len(p) == 5 and p == sorted(p) and p[-1] > p[0]
    csv = _run("bargain", "--sweep", "perceived_viability=0:1:3", "--format", "csv").stdout
    lines = csv.strip().splitlines()
    assert lines[0].startswith("perceived_viability,") and len(lines) == 4


def test_plot_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "dilemma.png"
    result = _run("dilemma", "--sweep", "commitment=0:1:11", "--plot", str(target))
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 1000
    assert target.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["dilemma", "--reliability", "-0.2"], "games dilemma: reliability: expected"),
        (["dilemma", "--reliability", "nan"], "got nan"),
        (["bargain", "--focal-power", "1.5"], "games bargain: focal_power: expected"),
        (["coercion", "--committed-prior", "2"], "committed_prior"),
        (["coercion", "--direct-exposure", "0.8", "--routed-exposure", "0.5"], "<= 1"),
        (["dilemma", "--sweep", "reliability=0:2:5"], "reliability"),
        (["dilemma", "--sweep", "reliability=0:1"], "PARAM=LO:HI:N"),
        (["dilemma", "--sweep", "reliability=0:1:1"], "N in [2"),
        (["dilemma", "--plot", "x.png"], "--sweep as well"),
        (["dilemma", "--reliability", "0.5", "--sweep", "reliability=0:1:3"], "not both"),
        (["balance", "--edge", "US:China:2"], "expected a finite number in [-1, 1]"),
        (["balance", "--edge", "US:China:nan"], "US-China"),
        (["balance", "--edge", "US-China"], "A:B:VALUE"),
        (["balance", "--focal", "Atlantis"], "focal"),
    ],
)
def test_bad_input_gives_one_clear_line_and_exit_code_2(args: list[str], fragment: str) -> None:
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["triangle", "--us-china", "abc"], "--us-china"),  # typed options: typer's usage errors
        (["triangle", "--us-chian", "0.1"], "--us-china"),
        (["dilemma", "--reliability"], "--reliability"),
    ],
)
def test_typed_options_refuse_bad_input_with_exit_code_2(args: list[str], fragment: str) -> None:
    result = _run(*args)
    assert result.exit_code == 2 and fragment in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_parameter_is_a_typed_option_with_unit_and_range_in_help(name: str) -> None:
    from hedgelab.cli.main import app

    command = typer.main.get_command(app).commands["games"].commands[name]
    options = {p.name: p for p in command.params}
    for spec in MODELS[name].params:
        option = options[spec.name]
        assert option.opts == [f"--{spec.name.replace('_', '-')}"], spec.name
        assert spec.unit in option.help and f"{spec.high:g}]" in option.help, spec.name


def test_balance_command() -> None:
    result = _run("balance", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["focal"] == "Japan" and data["n_triads"] == 10
    assert ["Japan", "Russia", "US"] in data["focal_pivot_triads"]
    two_camps = _run("balance", "--edge", "US:China:-0.5", "--edge", "US:Japan:0.5",
                     "--edge", "China:Japan:-0.5", "--format", "json")
    camps = json.loads(two_camps.stdout)["camps"]
    assert sorted(camps) == [["China"], ["Japan", "US"]]
    assert "Japan as pivot" in _run("balance").stdout


def test_response_shapes_default_to_the_scenario(tmp_path: Path) -> None:
    steep = tmp_path / "steep.toml"
    steep.write_text(
        'base = "japan-2026"\nname = "steep"\n\n[responses]\n'
        "coercion_resolve = { value = 0.1 }\nabandonment_commitment_slope = { value = 3.0 }\n",
        encoding="utf-8",
    )

    def params(*args: str) -> dict[str, float]:
        result = _run(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["params"]  # type: ignore[no-any-return]

    assert params("coercion")["resolve"] == MODELS["coercion"].param("resolve").default
    assert params("coercion", "--scenario", str(steep))["resolve"] == 0.1
    assert params("dilemma", "--scenario", str(steep))["commitment_slope"] == 3.0
    # a value on the command line still wins over the scenario's
    assert params("coercion", "--scenario", str(steep), "--resolve", "0.3")["resolve"] == 0.3
    # games without response shapes do not read the scenario
    assert _run("triangle", "--scenario", "no-such-scenario").exit_code == 0
    assert _run("coercion", "--scenario", "no-such-scenario").exit_code == 2
