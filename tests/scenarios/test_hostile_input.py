"""Hostile or careless scenario input gets one short line and exit 2, quickly, in bounded memory;
hard bounds cannot be widened by a scenario; errors name where the bad value came from."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hedgelab.errors import MAX_LINE_CHARS, HedgelabError
from hedgelab.scenarios import load_scenario
from hedgelab.scenarios.bounds import bounds_for
from hedgelab.scenarios.loader import MAX_SCENARIO_BYTES

MEMORY_LIMIT = 500 * 2**20  # bytes of address space... see _limit
SECONDS = 5.0


def _limit() -> None:  # runs in the child: cap its data segment (heap) at 500 MB
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_LIMIT, MEMORY_LIMIT))


def _show(path: Path) -> subprocess.CompletedProcess:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "hedgelab", "show", str(path)], capture_output=True, text=True,
                            timeout=60, preexec_fn=_limit)
    result.seconds = time.perf_counter() - start  # type: ignore[attr-defined]
    return result


def _one_short_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 500, lines[:3]
    assert result.seconds < SECONDS  # type: ignore[attr-defined]
    return lines[0]


def _bomb(path: Path, levels: int = 10, width: int = 9, where: str = "description") -> Path:
    lines = ["base: japan-2026", "name: bomb", "a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels + 1)]
    lines.append(f"{where}: *a{levels}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_yaml_alias_bomb_is_one_line(tmp_path):
    bomb = _bomb(tmp_path / "bomb.yaml")
    assert bomb.stat().st_size < 1000
    line = _one_short_line(_show(bomb))
    assert line.startswith(f"{bomb}: syntax: expected valid YAML") and "aliases are expanded" in line


@pytest.mark.slow
def test_an_oversized_file_is_refused_unread(tmp_path):
    big = tmp_path / "big.toml"
    big.write_text('name = "big"\n' + "# padding\n" * (MAX_SCENARIO_BYTES // 10 + 1))
    assert _one_short_line(_show(big)) == f"{big}: file: expected a scenario file of at most {MAX_SCENARIO_BYTES:,} bytes"


@pytest.mark.slow
def test_an_endless_file_is_refused(tmp_path):
    endless = tmp_path / "endless.toml"
    endless.symlink_to("/dev/zero")
    assert "a regular file (not a pipe, device or directory)" in _one_short_line(_show(endless))


def test_an_unbounded_value_is_one_line(tmp_path):
    wide = tmp_path / "wide.toml"
    wide.write_text('base = "japan-2026"\nname = "wide"\n[environment]\n'
                    'convergence_speed = { value = 1e30, range = [0.0, 1e300] }\n')
    line = _one_short_line(_show(wide))
    assert line == f"{wide}: environment.convergence_speed: expected a value within the hard bounds [0, 1000], got 1e+30"


@pytest.mark.parametrize(("path", "value"), [
    ("environment.convergence", -50.0), ("partners.CHN.exposure", 1.5), ("focal_state.defence_spending", 150.0),
])
def test_a_range_cannot_be_widened_past_the_hard_bounds(tmp_path, path, value):
    low, high = bounds_for(path)
    assert not low <= value <= high
    group, _, name = path.rpartition(".")
    scenario = tmp_path / "widened.toml"
    scenario.write_text(f'base = "japan-2026"\nname = "widened"\n[{group}]\n'
                        f"{name} = {{ value = {value}, range = [{min(value, low)}, {max(value, high)}] }}\n")
    with pytest.raises(HedgelabError) as err:
        load_scenario(str(scenario))
    assert any(line.startswith(f"{scenario}: {path}: expected a value within the hard bounds") for line in err.value.lines)


def test_every_built_in_value_and_range_lies_within_its_hard_bounds():
    from hedgelab.scenarios import builtin_names
    from hedgelab.scenarios.table import parameter_rows

    for name in builtin_names():
        for row in parameter_rows(load_scenario(name)):
            if isinstance(row["value"], float):
                low, high = bounds_for(row["path"])
                assert low <= row["value"] <= high, (name, row["path"])
                if row["range"]:
                    assert low <= row["range"][0] and row["range"][1] <= high, (name, row["path"])


def test_errors_name_the_source_of_the_bad_value(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text('base = "japan-2026"\nname = "child"\n[environment]\nconvergence_speed = 0.1\n')
    with pytest.raises(HedgelabError) as err:  # a bad --set value is blamed on --set, not on a file
        load_scenario(str(child), ["environment.convergence_speed=0.9"])
    assert err.value.lines == ["overrides: environment.convergence_speed: expected a value in [0.0, 0.2], got 0.9"]
    bad_child = tmp_path / "bad.toml"
    bad_child.write_text('base = "japan-2026"\nname = "bad"\n[environment]\nconvergence_speed = 0.9\n')
    with pytest.raises(HedgelabError) as err:  # the user's file
        load_scenario(str(bad_child))
    assert err.value.lines[0].startswith(f"{bad_child}: environment.convergence_speed:")
    grandchild = tmp_path / "grandchild.toml"
    grandchild.write_text(f'base = "{bad_child}"\nname = "grandchild"\n')
    with pytest.raises(HedgelabError) as err:  # a base file the user's file inherits from
        load_scenario(str(grandchild))
    assert err.value.lines[0].startswith(f"{bad_child} (the base of {grandchild}): environment.convergence_speed:")


def test_error_lines_are_cut_with_a_note():
    err = HedgelabError("x" * 10_000 + " (did you mean y?)")
    line = err.lines[0]
    assert len(line) < MAX_LINE_CHARS + 50 and "…(9,618 characters cut)…" in line
    assert line.endswith("(did you mean y?)")  # hints at the end survive the cut


@pytest.mark.parametrize(("name", "text"), [
    ("huge.toml", 'base = "japan-2026"\nname = "x"\n[environment]\nconvergence_speed = 1' + "0" * 400 + "\n"),
    ("digits.toml", 'base = "japan-2026"\nname = "x"\n[environment]\nconvergence_speed = 1' + "0" * 5000 + "\n"),
    ("recursive.yaml", "base: japan-2026\nname: x\nenvironment: &a {x: *a}\n"),
    ("list.toml", 'name = "x"\npartners = ["USA"]\n'),
])
def test_more_hostile_files_are_clean_errors(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    if name == "list.toml":  # a base whose partners are a list, dropped from by a child
        child = tmp_path / "child.toml"
        child.write_text(f'base = "{path}"\nname = "child"\ndrop_partners = ["USA"]\n')
        path = child
    with pytest.raises(HedgelabError) as err:
        load_scenario(str(path))
    assert all(len(line) <= MAX_LINE_CHARS + 60 for line in err.value.lines)


def test_a_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(HedgelabError, match="a regular file"):
        load_scenario(str(fifo))


def test_a_deeply_nested_set_value_is_one_line():
    with pytest.raises(HedgelabError) as err:
        load_scenario("japan-2026", ["environment.convergence_speed=" + "[" * 5000 + "]" * 5000])
    assert len(err.value.lines) == 1 and len(err.value.lines[0]) <= MAX_LINE_CHARS + 60
