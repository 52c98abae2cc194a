"""Shared helpers for the CLI sub-commands: error reporting and output formats."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn

from hedgelab.errors import HedgelabError

stderr_console = Console(stderr=True)
stdout_console = Console()

F = TypeVar("F", bound=Callable[..., Any])


class OutputFormat(str, Enum):
    """Formats that commands can print to stdout."""

    table = "table"
    json = "json"
    csv = "csv"


FLAGS: dict[str, str] = {
    "n_paths": "--paths",
    "years": "--years",
    "seed": "--seed",
    "workers": "--workers",
    "overrides": "--set",
    "strategies": "--strategies",
    "start": "--from",
    "end": "--to",
    "trend_window": "--trend-window",
    "backend": "--backend",
}
"""Library parameter names -> the CLI flags that set them."""


class Backend(str, Enum):
    """Numerical backends (:mod:`hedgelab.analysis.backends`)."""

    auto = "auto"
    numpy = "numpy"
    fast = "fast"
    gpu = "gpu"


BackendOpt = Annotated[Backend, typer.Option("--backend", help=(
    "auto (the fused kernel when installed and applicable, else numpy), numpy (the readable core), fast "
    "(the fused kernel, pip install 'hedgelab[fast]') or gpu (on a CUDA GPU, 'hedgelab[gpu]'); recorded "
    "in the provenance and the run id."))]


def use_backend(backend: Backend) -> None:
    """Pin ``--backend`` for every run of this command."""
    from hedgelab.analysis.backends import pin_backend

    pin_backend(backend.value)


WHERE_FLAGS: dict[str, str] = {"overrides": "--set", "strategies": "--strategies"}
"""Library error lines whose WHERE is a parameter holding several items (``overrides: ITEM: …``)."""


def as_flags(line: str, flags: dict[str, str] = FLAGS) -> str:
    """Rewrite a library error line to name the flag the user typed: ``request: n_paths: …``
    becomes ``--paths: …`` and ``overrides: ITEM: …`` becomes ``--set: ITEM: …``."""
    where, _, rest = line.partition(": ")
    field, _, expected = rest.partition(": ")
    if where == "request" and field in flags:
        return f"{flags[field]}: {expected}"
    if where in WHERE_FLAGS:
        return f"{WHERE_FLAGS[where]}: {rest}"
    return line


def reports_errors(func: F) -> F:
    """Turn a :class:`HedgelabError` into its lines on stderr and exit code 2 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except HedgelabError as err:
            for line in err.lines:
                print(as_flags(line), file=sys.stderr)
            raise typer.Exit(code=2) from None
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            raise typer.Exit(code=130) from None

    return wrapper  # type: ignore[return-value]


def split_names(text: str | None) -> list[str] | None:
    """Comma-separated names; None (all) only when the option was not given."""
    return None if text is None else [n.strip() for n in text.split(",") if n.strip()]


def progress_bar(verb: str, *extra: ProgressColumn) -> Progress:
    """A progress bar on stderr (only on a terminal): ``VERB [bar] done/total paths`` and time left."""
    return Progress(
        TextColumn(f"[bold]{verb}"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,} paths"),
        *extra, TimeRemainingColumn(), console=stderr_console, transient=True, disable=not sys.stderr.isatty(),
    )
