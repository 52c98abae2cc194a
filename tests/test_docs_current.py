"""The generated parameter reference matches the scenario files."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_parameter_docs_are_current():
    spec = importlib.util.spec_from_file_location("render", ROOT / "scripts" / "render_parameter_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8") == module.render(), (
        "docs/parameters.md is stale: run python scripts/render_parameter_docs.py"
    )


def test_metric_docs_are_current():
    spec = importlib.util.spec_from_file_location("render_metrics", ROOT / "scripts" / "render_metric_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8") == module.render(), (
        "docs/metrics.md is stale: run python scripts/render_metric_docs.py"
    )
