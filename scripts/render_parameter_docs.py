"""Regenerate docs/parameters.md from the built-in scenario files."""

from pathlib import Path

from hedgelab.scenarios import DEFAULT_SCENARIO, builtin_names, load_scenario
from hedgelab.scenarios.table import parameter_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs" / "parameters.md"


def render() -> str:
    names = [DEFAULT_SCENARIO] + [n for n in builtin_names() if n != DEFAULT_SCENARIO]
    return parameter_markdown([load_scenario(n) for n in names])


if __name__ == "__main__":
    DOCS.write_text(render(), encoding="utf-8")
    print(f"wrote {DOCS}")
