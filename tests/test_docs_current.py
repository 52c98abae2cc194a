"""Generated references (parameters from the scenario files, metrics from the registry) are current."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("script", "doc"), [
    ("render_parameter_docs.py", "parameters.md"),
    ("render_metric_docs.py", "metrics.md"),
])
def test_generated_docs_are_current(script, doc):
    spec = importlib.util.spec_from_file_location(script.removesuffix(".py"), ROOT / "scripts" / script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / doc).read_text(encoding="utf-8") == module.render(), (
        f"docs/{doc} is stale: run python scripts/{script}"
    )


@pytest.mark.slow
def test_backtest_tables_are_current(data_dir):
    spec = importlib.util.spec_from_file_location("render_backtests", ROOT / "scripts" / "render_backtest_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (ROOT / "docs" / "backtests.md").read_text(encoding="utf-8")
    shown = module.START + text.partition(module.START)[2].partition(module.STOP)[0] + module.STOP
    assert shown == module.render(module.cells(str(data_dir))), (
        "docs/backtests.md is stale: run python scripts/render_backtest_tables.py --data-dir DIR"
    )
