"""Outputs a user can trust: an output set is replaced whole or not at all, interrupted runs say
so and exit 130, a full disk is one line, and files honour the umask."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from hedgelab.errors import HedgelabError
from hedgelab.store import read_parquet_metadata, write_output_set
from hedgelab.store.files import TEMP_PREFIX

SET = {"summary.csv", "paths.parquet", "run.json"}


def _compare(out: Path, *extra: str) -> subprocess.Popen:
    args = [sys.executable, "-m", "hedgelab", "compare", "--strategies", "anchor,dual_hedge", "--years", "10",
            "--workers", "1", "--format", "csv", "--out", str(out), *extra]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _consistent_set(out: Path) -> dict:
    """The set in ``out`` is whole and its three files belong to one run; return run.json."""
    assert {p.name for p in out.iterdir()} == SET
    record = json.loads((out / "run.json").read_text())
    assert read_parquet_metadata(out / "paths.parquet")["provenance"]["run_id"] == record["run_id"]
    paths = pd.read_parquet(out / "paths.parquet")["path"].nunique()
    assert paths == record["paths"] and len(pd.read_csv(out / "summary.csv")) > 0
    return record


def _no_temporaries(parent: Path) -> None:
    assert not [p for p in parent.iterdir() if p.name.startswith(TEMP_PREFIX) or p.name.endswith(".tmp")]


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_signal_at_any_moment_leaves_one_whole_set(tmp_path, sig):
    out = tmp_path / "run"
    first = _compare(out, "--paths", "2048", "--seed", "1")
    assert first.wait(timeout=120) == 0, first.stderr.read()
    previous = _consistent_set(out)
    rng = random.Random(sig)  # fixed moments: the test is repeatable
    for _ in range(3):
        process = _compare(out, "--paths", "40000", "--seed", "2")
        time.sleep(rng.uniform(0.3, 4.0))
        process.send_signal(sig)
        code = process.wait(timeout=120)
        stderr = process.stderr.read()
        record = _consistent_set(out)
        if sig == signal.SIGINT:
            assert code in (0, 130), stderr
            assert "Traceback" not in stderr
            if code == 130:
                assert "interrupted" in stderr
                assert record["run_id"] == previous["run_id"] or not record["complete"]
            _no_temporaries(tmp_path)
        else:  # killed: the previous set or a finished new one, never a mix
            assert code == -signal.SIGKILL
            assert record["run_id"] == previous["run_id"] or record["complete"]
        previous = record


@pytest.mark.parametrize("backend", ["numpy", "fast"])
def test_an_interrupted_run_writes_what_finished_marked_incomplete(tmp_path, monkeypatch, backend):
    from typer.testing import CliRunner

    from hedgelab.analysis import runner
    from hedgelab.cli.main import app
    from hedgelab.model import fast

    if backend == "fast" and not fast.available():
        pytest.skip("numba is not installed")
    chunk = runner.max_chunk_paths(backend, 1, 10)  # japan-2026's ten partners (the GPU's bound needs them)

    calls = []

    def interrupt_after_two_chunks(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    original = runner._run_chunk
    monkeypatch.setattr(runner, "_run_chunk", interrupt_after_two_chunks)
    result = CliRunner().invoke(app, ["compare", "--paths", str(4 * chunk), "--years", "1", "--strategies", "anchor",
                                      "--workers", "1", "--backend", backend, "--format", "json",
                                      "--out", str(tmp_path / "run")])
    assert result.exit_code == 130
    assert f"interrupted: results cover {2 * chunk:,} of {4 * chunk:,} paths" in result.stderr
    record = _consistent_set(tmp_path / "run")
    assert record["complete"] is False and record["paths"] == 2 * chunk and record["paths_requested"] == 4 * chunk
    assert json.loads(result.stdout)["complete"] is False


def test_a_full_disk_is_one_line_and_keeps_the_previous_set(tmp_path):
    out = tmp_path / "run"
    write_output_set(out, {"a.txt": lambda p: p.write_text("previous")})

    def full_disk(path: Path) -> None:
        path.write_text("partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(HedgelabError) as err:
        write_output_set(out, {"a.txt": lambda p: p.write_text("new"), "b.txt": full_disk})
    assert err.value.lines == [f"{out}: path: expected a writable location (disk full)"]
    assert (out / "a.txt").read_text() == "previous" and not (out / "b.txt").exists()
    _no_temporaries(tmp_path)


def test_a_full_disk_in_compare_exits_2_with_one_line(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from hedgelab.cli import model_commands
    from hedgelab.cli.main import app

    def no_space(frame, metadata):
        def write(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return write

    monkeypatch.setattr(model_commands, "parquet_writer", no_space)
    result = CliRunner().invoke(app, ["compare", "--paths", "16", "--years", "1", "--strategies", "anchor",
                                      "--format", "csv", "--out", str(tmp_path / "run")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"{tmp_path / 'run'}: path: expected a writable location (disk full)"]
    assert not (tmp_path / "run").exists()
    _no_temporaries(tmp_path)


def test_outputs_are_readable_by_group_and_others_under_umask_022(tmp_path):
    old = os.umask(0o022)
    try:
        write_output_set(tmp_path / "run", {"a.txt": lambda p: p.write_text("x")})
        from hedgelab.store import write_atomic

        write_atomic(tmp_path / "single.parquet", lambda p: p.write_text("y"))
    finally:
        os.umask(old)
    assert (tmp_path / "run").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "run" / "a.txt").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "single.parquet").stat().st_mode & 0o777 == 0o644


def test_a_file_in_the_way_of_an_output_set_is_an_error(tmp_path):
    (tmp_path / "run").write_text("not a directory")
    with pytest.raises(HedgelabError, match="a file or link is in the way"):
        write_output_set(tmp_path / "run", {"a.txt": lambda p: p.write_text("x")})
    _no_temporaries(tmp_path)


def test_a_directory_holding_other_files_is_never_replaced(tmp_path):
    mine = tmp_path / "mine"
    (mine / "figures").mkdir(parents=True)
    (mine / "notes.txt").write_text("my notes")
    with pytest.raises(HedgelabError) as err:
        write_output_set(mine, {"a.txt": lambda p: p.write_text("x")})
    assert "it also holds figures, notes.txt" in err.value.lines[0]
    assert (mine / "notes.txt").read_text() == "my notes" and (mine / "figures").is_dir()
    _no_temporaries(tmp_path)


def test_only_a_dead_run_s_leftovers_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)  # that process has exited
    stale = tmp_path / f"{TEMP_PREFIX}run.{dead_pid}.abc"
    live_same_target = tmp_path / f"{TEMP_PREFIX}run.{os.getpid()}.xyz"
    other_target = tmp_path / f"{TEMP_PREFIX}run.v2.{dead_pid}.abc"
    for folder in (stale, live_same_target, other_target):
        folder.mkdir()
    write_output_set(tmp_path / "run", {"a.txt": lambda p: p.write_text("x")})
    assert not stale.exists()  # a killed run's staging directory
    assert live_same_target.exists()  # a running process's: kept
    assert other_target.exists()  # another target's (run.v2): kept
