"""Markdown tables of the game sub-models' parameters and outputs, for docs/games.md.

``docs/games.md`` holds each table between ``<!-- params:NAME -->`` / ``<!-- outputs:NAME -->``
and ``<!-- end -->`` markers; :func:`sync_tables` rewrites those blocks from the
:class:`~hedgelab.games.ModelSpec` tables and a test checks that the file is in sync. Regenerate
with::

    python -c "import pathlib, hedgelab.games._doc as d; p = pathlib.Path('docs/games.md'); p.write_text(d.sync_tables(p.read_text()))"
"""

from __future__ import annotations

import math
import re

from hedgelab.games._params import ModelSpec


def _range(low: float, high: float, low_open: bool) -> str:
    left = "(" if low_open else "["
    right = "∞)" if math.isinf(high) else f"{high:g}]"
    return f"{left}{low:g}, {right}"


def param_table(model: ModelSpec) -> str:
    """Markdown table of a model's parameters: name, default, range, unit, meaning, source.

    Parameters
    ----------
    model : ModelSpec
        The sub-model.

    Returns
    -------
    str
        The table, one row per parameter.
    """
    rows = ["| parameter | default | range | unit | meaning | source |", "|---|---|---|---|---|---|"]
    for p in model.params:
        rows.append(
            f"| `{p.name}` | {p.default:g} | {_range(p.low, p.high, p.low_open)} | {p.unit} "
            f"| {p.description} | {p.source} |"
        )
    return "\n".join(rows)


def output_table(model: ModelSpec) -> str:
    """Markdown table of a model's outputs: name, unit, meaning.

    Parameters
    ----------
    model : ModelSpec
        The sub-model.

    Returns
    -------
    str
        The table, one row per output.
    """
    rows = ["| output | unit | meaning |", "|---|---|---|"]
    rows += [f"| `{o.name}` | {o.unit} | {o.description} |" for o in model.outputs]
    return "\n".join(rows)


def sync_tables(text: str) -> str:
    """Replace every marked table block in ``text`` with the generated table.

    Parameters
    ----------
    text : str
        Markdown containing ``<!-- params:NAME -->…<!-- end -->`` or
        ``<!-- outputs:NAME -->…<!-- end -->`` blocks.

    Returns
    -------
    str
        The text with every block regenerated.
    """
    from hedgelab.games import MODELS

    def repl(match: re.Match[str]) -> str:
        kind, name = match.group(1), match.group(2)
        table = param_table(MODELS[name]) if kind == "params" else output_table(MODELS[name])
        return f"<!-- {kind}:{name} -->\n{table}\n<!-- end -->"

    return re.sub(r"<!-- (params|outputs):(\w+) -->.*?<!-- end -->", repl, text, flags=re.S)
