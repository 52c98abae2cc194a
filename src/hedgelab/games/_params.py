"""Parameter tables and input checking shared by every game sub-model.

Each sub-model declares its inputs as a tuple of :class:`ParamSpec` (name, unit, default,
admissible range, source) and its results as a tuple of :class:`OutputSpec`. The CLI builds its
options and help from these tables, the docs list them, and the shared contract test checks that
every input is range-checked, documented and vectorised.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hedgelab.errors import HedgelabError, error_line, suggest

FloatArray = NDArray[np.floating[Any]]


@dataclass(frozen=True)
class ParamSpec:
    """One input of a game sub-model.

    Attributes
    ----------
    name : str
        Python keyword (also the CLI option ``--name`` with dashes).
    default : float
        Value used when the caller gives none.
    low, high : float
        Admissible closed range; ``math.inf`` for an open end.
    unit : str
        Unit of measurement (``"probability"``, ``"share of alliance surplus"`` …).
    description : str
        What the input means, in one sentence.
    source : str
        Where the default and range come from (a publication, or "judgement: " with reasons).
    low_open : bool
        Whether ``low`` itself is excluded (for strictly positive quantities).
    """

    name: str
    default: float
    low: float
    high: float
    unit: str
    description: str
    source: str
    low_open: bool = False

    def expected(self) -> str:
        """Describe the admissible range for an error line."""
        left = "(" if self.low_open else "["
        high = "inf)" if math.isinf(self.high) else f"{self.high:g}]"
        return f"a finite number in {left}{self.low:g}, {high} ({self.unit})"


@dataclass(frozen=True)
class OutputSpec:
    """One result of a game sub-model: name, unit and meaning."""

    name: str
    unit: str
    description: str


@dataclass(frozen=True)
class ModelSpec:
    """A game sub-model as the CLI, the docs and the contract test see it.

    Attributes
    ----------
    name : str
        Short name (the CLI sub-command).
    title : str
        One-line title with the literature it follows.
    params : tuple of ParamSpec
        Every input, with unit, default, range and source.
    outputs : tuple of OutputSpec
        Every result that ``evaluate`` returns.
    evaluate : callable
        ``evaluate(**params) -> dict[str, ndarray]``; vectorised over broadcastable arrays.
    """

    name: str
    title: str
    params: tuple[ParamSpec, ...]
    outputs: tuple[OutputSpec, ...]
    evaluate: Callable[..., dict[str, FloatArray]]

    def param(self, name: str) -> ParamSpec:
        """Return the spec of parameter ``name`` or raise a :class:`HedgelabError`."""
        for spec in self.params:
            if spec.name == name:
                return spec
        raise HedgelabError(
            error_line(
                f"games {self.name}",
                name,
                "one of " + ", ".join(p.name for p in self.params)
                + suggest(name, [p.name for p in self.params]),
            )
        )

    def defaults(self) -> dict[str, float]:
        """Return the default value of every parameter."""
        return {p.name: p.default for p in self.params}


def _describe(value: NDArray[Any]) -> str:
    bad = value.ravel()
    return f"{bad[0]:g}" if bad.size == 1 else f"{bad.size} values, first {bad[0]:g}"


def result_dtype(*arrays: ArrayLike) -> np.dtype[Any]:
    """Return float32 when every non-scalar array input is float32, else float64.

    Python numbers and 0-d arrays (keyword parameters, defaults) do not decide the dtype, so
    float32 state arrays give float32 results (the simulation's convention).
    """
    arrs = [a for a in arrays if isinstance(a, np.ndarray) and a.ndim > 0]
    if arrs and all(a.dtype == np.float32 for a in arrs):
        return np.dtype(np.float32)
    return np.result_type(*(np.asarray(a) for a in arrays), np.float64)  # type: ignore[no-any-return]


def resolve_params(
    where: str, specs: tuple[ParamSpec, ...], params: Mapping[str, ArrayLike]
) -> dict[str, FloatArray]:
    """Fill defaults, reject unknown names, and range-check every input.

    Parameters
    ----------
    where : str
        Location used at the start of each error line (``"games dilemma"``).
    specs : tuple of ParamSpec
        The model's parameter table.
    params : mapping of str to array-like
        The caller's inputs; names not in ``specs`` are errors.

    Returns
    -------
    dict of str to ndarray
        Every parameter as a checked floating array (float32 inputs stay float32; anything
        else becomes float64).

    Raises
    ------
    HedgelabError
        One line per unknown name; otherwise one line per input that is not a number, is
        NaN or infinite, or lies outside its range.
    """
    names = [s.name for s in specs]
    unknown = [k for k in params if k not in names]
    if unknown:
        raise HedgelabError(
            [
                error_line(where, k, "one of " + ", ".join(names) + suggest(k, names))
                for k in unknown
            ]
        )
    lines: list[str] = []
    out: dict[str, FloatArray] = {}
    for spec in specs:
        raw = params.get(spec.name, spec.default)
        try:
            arr = np.asarray(raw)
            if arr.dtype.kind not in "fiub":
                raise TypeError
            if arr.dtype != np.float32:
                arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            lines.append(error_line(where, spec.name, f"{spec.expected()}, got {raw!r}"))
            continue
        finite = np.isfinite(arr)
        below = arr <= spec.low if spec.low_open else arr < spec.low
        bad = ~finite | below | (arr > spec.high)
        if np.any(bad):
            lines.append(
                error_line(where, spec.name, f"{spec.expected()}, got {_describe(arr[bad])}")
            )
            continue
        out[spec.name] = arr
    if lines:
        raise HedgelabError(lines)
    return out


def broadcast_results(
    inputs: Mapping[str, FloatArray], results: Mapping[str, ArrayLike]
) -> dict[str, FloatArray]:
    """Return every result as its own float64 array of the inputs' broadcast shape.

    Parameters
    ----------
    inputs : mapping of str to ndarray
        The checked inputs (from :func:`resolve_params`).
    results : mapping of str to array-like
        The model's outputs, each broadcastable to the inputs' shape.

    Returns
    -------
    dict of str to ndarray
        Writable float64 copies, one per output, all of the same shape.
    """
    shape = np.broadcast_shapes(*(x.shape for x in inputs.values()))
    return {
        k: np.broadcast_to(np.asarray(v, dtype=np.float64), shape).copy()
        for k, v in results.items()
    }
