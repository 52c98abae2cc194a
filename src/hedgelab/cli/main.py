"""Entry point of the ``hedgelab`` command: registers the sub-command groups."""

from __future__ import annotations

import typer

from hedgelab.cli import backtest_commands, data_commands, games_commands, model_commands

app = typer.Typer(
    name="hedgelab",
    help="Model, measure and stress-test how a middle power hedges between great powers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
for commands in (model_commands, data_commands, backtest_commands, games_commands):
    commands.register(app)
