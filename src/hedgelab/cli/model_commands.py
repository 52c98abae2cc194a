"""CLI commands of the model core: compare, simulate, scenarios, show, diff."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the model commands to ``app``."""
