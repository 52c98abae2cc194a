"""CLI: hedgelab episodes, hedgelab data sources, definition footnotes of hedgelab indicators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from hedgelab.cli.main import app

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "src" / "hedgelab" / "data" / "catalogue" / "episodes.yaml"
runner = CliRunner()


def _raw_episodes() -> list[dict]:
    raw = yaml.safe_load(CATALOGUE.read_text())
    return raw["episodes"] if isinstance(raw, dict) else raw


@pytest.mark.parametrize("args", [["--coercer", "CHN", "--target", "JPN"], ["--years", "2016-2020"],
                                  ["--trigger", "THAAD"], ["--coercer", "USA"], []])
def test_episodes_filters_match_the_catalogue(args: list[str]) -> None:
    res = runner.invoke(app, ["episodes", *args, "-f", "json"])
    assert res.exit_code == 0, res.stderr
    got = {e["id"] for e in json.loads(res.stdout)["episodes"]}
    opts = dict(zip(args[::2], args[1::2]))
    want = {
        e["id"] for e in _raw_episodes()
        if opts.get("--coercer", e["actor"]) == e["actor"]
        and opts.get("--target", e["target"]) == e["target"]
        and ("--years" not in opts or 2016 <= int(str(e["date"])[:4]) <= 2020)
        and opts.get("--trigger", "").lower() in e["trigger"].lower()
    }
    assert got == want and (want or args == ["--trigger", "THAAD"])
    assert all(e["source"] for e in json.loads(res.stdout)["episodes"])


def test_episodes_bad_filter_is_one_line() -> None:
    res = runner.invoke(app, ["episodes", "--coercer", "RUS"])
    assert res.exit_code == 2 and res.stderr.strip() == "episodes: --coercer: expected one of CHN, USA, got 'RUS'"


def test_data_sources_lists_every_dataset_with_files() -> None:
    from hedgelab.data.sources import DATASETS

    res = runner.invoke(app, ["data", "sources", "-f", "json"])
    assert res.exit_code == 0, res.stderr
    rows = {r["dataset"]: r for r in json.loads(res.stdout)["datasets"]}
    assert set(rows) == set(DATASETS)
    shared = REPO.parent / "shared" / "data"
    for r in rows.values():
        assert r["publisher"] and r["download"] and r["licence"] and r["uses"]
        if shared.is_dir():  # the layout named is the layout of a real data directory
            assert all((shared / f).is_file() for f in r["files"]), r["files"]
    text = runner.invoke(app, ["data", "sources"])
    assert text.exit_code == 0 and "SHA256SUMS" in text.stdout and "imf_dots/imf_dots_goods" in text.stdout


def test_every_note_is_used_and_documented() -> None:
    from hedgelab.data.definitions import NOTES
    from hedgelab.data.indicators import registry

    used = {k for i in registry().values() for k in i.notes}
    assert used == set(NOTES)
    docs = (REPO / "docs" / "indicators.md").read_text()
    for note in NOTES.values():
        assert note.title in docs, note.title


def test_indicator_table_prints_footnotes() -> None:
    res = runner.invoke(app, ["indicators", "-c", "DEU", "-i", "trade_share_imports", "-p", "CHN", "-y", "2016"])
    assert res.exit_code == 0, res.stderr
    assert "[1] IMF DOTS, the focal state's own report" in res.stdout
    assert "country of consignment" in res.stdout
