"""Limits on one request, enforced in one place and quoted by ``--help``.

Errors name the Python parameter (``n_paths``); the CLI maps parameter names to its flags.
"""

from __future__ import annotations

from hedgelab.errors import HedgelabError, error_line

MAX_PATHS = 10_000_000
"""Largest number of paths one request may ask for (refused before anything is allocated)."""
MAX_YEARS = 50
"""Longest horizon, in years."""
MAX_RESULT_BYTES = 2 * 2**30
"""Largest result one request may keep in memory (per-path outputs of every recorder)."""

WHERE = "request"
"""The ``WHERE`` of error lines about a request's arguments (not a file)."""


def check_request(n_paths: int, years: int, seed: int) -> None:
    """Refuse a request outside the limits, one line per problem, naming the parameter."""
    errors = []
    if seed < 0:
        errors.append(error_line(WHERE, "seed", f"a whole number of at least 0, got {seed}"))
    if not 1 <= n_paths <= MAX_PATHS:
        errors.append(error_line(WHERE, "n_paths", f"a whole number from 1 to {MAX_PATHS:,}, got {n_paths:,}"))
    if not 1 <= years <= MAX_YEARS:
        errors.append(error_line(WHERE, "years", f"a horizon from 1 to {MAX_YEARS} years, got {years}"))
    if errors:
        raise HedgelabError(errors)


def check_result_size(n_paths: int, values_per_path: int, itemsize: int, what: str) -> None:
    """Refuse a request whose results (``values_per_path`` numbers of ``itemsize`` bytes per path)
    would exceed :data:`MAX_RESULT_BYTES`."""
    if n_paths * values_per_path * itemsize > MAX_RESULT_BYTES:
        most = MAX_RESULT_BYTES // (values_per_path * itemsize)
        raise HedgelabError(error_line(
            WHERE, "n_paths",
            f"at most {most:,} paths for {what} ({values_per_path:,} values of {itemsize} bytes per path, "
            f"{MAX_RESULT_BYTES // 2**30} GiB of results); got {n_paths:,}: use fewer paths, strategies or years",
        ))
