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
