"""Entry point of the ``hedgelab`` command: registers the sub-command groups."""

from __future__ import annotations

import typer

from hedgelab.cli import model_commands

app = typer.Typer(
    name="hedgelab",
    help="Model, measure and stress-test how a middle power hedges between great powers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
model_commands.register(app)

try:  # sub-command groups owned by other capabilities register themselves when present
    from hedgelab.cli import data_commands

    data_commands.register(app)
except ImportError:  # pragma: no cover - only while that capability is absent
    pass
try:
    from hedgelab.cli import games_commands

    games_commands.register(app)
except ImportError:  # pragma: no cover
    pass
try:
    from hedgelab.cli import backtest_commands

    backtest_commands.register(app)
except ImportError:  # pragma: no cover
    pass
