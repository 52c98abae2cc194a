"""Regenerate docs/metrics.md from the metric registry (hedgelab.analysis.metrics)."""

from pathlib import Path

from hedgelab.analysis.metrics import METRICS, VARIABLES, direction_label

DOCS = Path(__file__).resolve().parents[1] / "docs" / "metrics.md"


def render() -> str:
    lines = [
        "# Metrics",
        "",
        "Generated from the metric registry (`hedgelab.analysis.metrics`) by",
        "`python scripts/render_metric_docs.py`; `tests/test_docs_current.py` checks it is current.",
        "The CLI tables, `--help`, result attributes (`units`, `long_name`, `better`, `definition`)",
        "and later the exploration and the dashboard read the same registry.",
        "",
        "## Summary metrics (`hedgelab compare`, `api.summarise`)",
        "",
        "| metric | of variable | statistic | unit | direction | definition |",
        "|---|---|---|---|---|---|",
    ]
    for m in METRICS.values():
        lines.append(f"| `{m.name}` | `{m.variable}` | {m.statistic} | {m.unit} | {direction_label(m.better)} | {m.definition} |")
    lines += [
        "",
        "Every summary carries a standard error: `s/√n` for means (sample standard deviation), the",
        "influence-function error for the lower-tail mean.",
        "",
        "## Per-path variables (`api.run`, `compare --out DIR` → `paths.parquet`)",
        "",
        "| variable | long name | unit | direction | definition |",
        "|---|---|---|---|---|",
    ]
    for v in VARIABLES.values():
        lines.append(f"| `{v.name}` | {v.long_name} | {v.unit} | {direction_label(v.better)} | {v.definition} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    DOCS.write_text(render(), encoding="utf-8")
    print(f"wrote {DOCS}")
