"""Entry point of the ``hedgelab`` command: registers the sub-command groups.

The console script is :func:`hedgelab.cli.entry.main`, which imports this module inside its
Ctrl-C handling.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from hedgelab import __version__
from hedgelab.cli import (
    adaptive_commands, backtest_commands, data_commands, episodes_commands, explore_commands, games_commands,
    model_commands, report_commands, validate_commands,
)

app = typer.Typer(
    name="hedgelab",
    help="Model, measure and stress-test how a middle power hedges between great powers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        print(f"hedgelab {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[Optional[bool], typer.Option(
        "--version", callback=_print_version, is_eager=True, help="Print the version and exit.")] = None,
) -> None:
    """Model, measure and stress-test how a middle power hedges between great powers."""


for commands in (model_commands, data_commands, backtest_commands, games_commands, episodes_commands, explore_commands,
                 validate_commands, report_commands, adaptive_commands):
    commands.register(app)
