"""An interrupted comparison and report (review of issue 16): the run stops after the interrupted
phase, is marked incomplete from both phases, records both runs' provenance and the CLI exits
130; both phases' result sizes are checked before anything runs."""

from __future__ import annotations

import html
import json
import re

import pytest
from typer.testing import CliRunner

from hedgelab.cli.main import app as cli
from hedgelab.errors import HedgelabError
from hedgelab.report import comparison as comparison_module
from hedgelab.report.comparison import Request, max_paths, run_comparison
from hedgelab.scenarios import load_scenario

PATHS = 4096  # several chunks of the engine
REQUEST = Request("japan-2026", (), ("dual_hedge", "anchor"), PATHS, 1, 0)


def interrupt_in(phase: str):
    """A progress report that presses Ctrl-C once ``phase`` has finished a chunk."""

    def progress(current: str, done: int, total: int) -> None:
        if current == phase and 0 < done < total:
            raise KeyboardInterrupt

    return progress


@pytest.mark.slow
def test_interrupted_outcomes_stop_the_comparison(monkeypatch):
    monkeypatch.setattr(comparison_module.api, "trajectories", lambda *a, **k: pytest.fail("trajectories ran"))
    found = run_comparison(REQUEST, interrupt_in("outcomes"))
    assert found.trajectories is None and not found.complete
    assert 0 < found.result.attrs["paths"] < PATHS


@pytest.mark.slow
def test_interrupted_trajectories_make_the_comparison_incomplete():
    found = run_comparison(REQUEST, interrupt_in("trajectories"))
    assert found.result.attrs["complete"] and found.result.attrs["paths"] == PATHS
    assert not found.trajectories.attrs["complete"] and not found.complete


@pytest.mark.slow
def test_an_interrupted_report_is_written_marked_incomplete_and_exits_130(tmp_path, monkeypatch):
    real = comparison_module.run_comparison
    monkeypatch.setattr(comparison_module, "run_comparison",
                        lambda request, progress, workers=None: real(request, interrupt_in("trajectories"), workers))
    out = tmp_path / "r.html"
    done = CliRunner().invoke(cli, ["report", "--out", str(out), "--strategies", "dual_hedge,anchor",
                                    "--paths", str(PATHS), "--years", "1"])
    assert done.exit_code == 130, done.output
    assert f"interrupted: {out} covers only what finished" in done.output
    text = out.read_text()
    assert re.search(rf'id="incomplete">This run was interrupted: outcomes cover {PATHS} of {PATHS} paths; '
                     rf'trajectories cover \d+ of {PATHS} paths', text)
    folded = re.search(r"Full provenance records.*?<pre>(.*?)</pre>", text, re.S).group(1)
    records = json.loads(html.unescape(folded))
    assert set(records) == {"outcomes", "trajectories"} and records["trajectories"]["complete"] is False
    assert text.count('class="provenance"') == 2


def test_both_phases_are_checked_before_anything_runs(monkeypatch):
    monkeypatch.setattr(comparison_module.api, "run", lambda *a, **k: pytest.fail("outcomes ran"))
    loaded = load_scenario("japan-2026")
    most = max_paths(loaded, 2, 50)
    with pytest.raises(HedgelabError, match=r"n_paths: expected at most [\d,]+ paths for a comparison's trajectories"):
        run_comparison(Request("japan-2026", (), ("dual_hedge", "anchor"), most + 1, 50, 0))
