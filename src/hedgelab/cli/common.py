"""Shared helpers for the CLI sub-commands: error reporting and output formats."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

import typer
from rich.console import Console

from hedgelab.errors import HedgelabError

stderr_console = Console(stderr=True)
stdout_console = Console()

F = TypeVar("F", bound=Callable[..., Any])


class OutputFormat(str, Enum):
    """Formats that commands can print to stdout."""

    table = "table"
    json = "json"
    csv = "csv"


def reports_errors(func: F) -> F:
    """Turn a :class:`HedgelabError` into its lines on stderr and exit code 2 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except HedgelabError as err:
            for line in err.lines:
                print(line, file=sys.stderr)
            raise typer.Exit(code=2) from None
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            raise typer.Exit(code=130) from None

    return wrapper  # type: ignore[return-value]
