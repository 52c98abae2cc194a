"""User-facing errors.

Every problem caused by input (a scenario file, a ``--set`` override, a data file, a CLI option)
is raised as :class:`HedgelabError` carrying one line per problem, each formatted
``WHERE: FIELD: expected …``. The CLI prints the lines to stderr and exits with code 2;
library users catch the exception and read :attr:`HedgelabError.lines`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


MAX_LINE_CHARS = 400
"""Longest error line: a hostile input (a huge value, an expanded YAML alias) is summarised."""


KEPT_TAIL = 120
"""Characters kept from the end of a cut line (where hints such as "did you mean" stand)."""


def _bounded(line: str) -> str:
    if len(line) <= MAX_LINE_CHARS:
        return line
    head = MAX_LINE_CHARS - KEPT_TAIL
    cut = len(line) - MAX_LINE_CHARS
    return f"{line[:head]} …({cut:,} characters cut)… {line[-KEPT_TAIL:]}"


class HedgelabError(Exception):
    """An input error, with one human-readable line per problem (each cut to
    :data:`MAX_LINE_CHARS` characters)."""

    def __init__(self, lines: str | Iterable[str]):
        self.lines: list[str] = [_bounded(line) for line in ([lines] if isinstance(lines, str) else lines)]
        super().__init__("\n".join(self.lines))


def error_line(where: str, field: str, expected: str) -> str:
    """Format one error line as ``WHERE: FIELD: expected …``."""
    return f"{where}: {field}: expected {expected}"


def suggest(name: str, choices: Iterable[str], n: int = 3) -> str:
    """Return a ``(did you mean …?)`` hint listing the closest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(name, list(choices), n=n, cutoff=0.5)
    return f" (did you mean {', '.join(close)}?)" if close else ""
