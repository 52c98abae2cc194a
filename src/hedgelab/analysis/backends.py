"""Which numerical backend runs the model: the NumPy core, the fused kernel on the CPU, or on a GPU.

- ``numpy``: :func:`hedgelab.model.simulate`, the readable specification;
- ``fast``: the fused kernel (:mod:`hedgelab.model.fast`, numba) on the CPU, in each worker;
- ``gpu``: the same kernel on a CUDA GPU;
- ``auto`` (the default): ``fast`` when numba is installed and the run asks for nothing the
  kernel does not cover, else ``numpy``.

The kernel covers the built-in recorders and the whole policy family. A run that needs anything
else (a user's recorder, a ``target_fn``) runs on ``numpy`` and says so (a warning on the
``hedgelab`` logger, and ``backend = "numpy"`` in its provenance), also when ``fast`` or ``gpu``
was asked for; a backend that is not installed is refused with one line naming the extra.

A backend is chosen per call (``runner.run(backend=...)``) or pinned for a block of code
(:func:`pinned_backend`; the CLI's ``--backend`` pins it for the command).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from hedgelab.errors import HedgelabError, error_line
from hedgelab.model import fast, policy_targets
from hedgelab.model.recorders import Recorder
from hedgelab.model.step import TargetFn

BACKENDS: tuple[str, ...] = ("auto", "numpy", "fast", "gpu")
AUTO, NUMPY, FAST, GPU = BACKENDS
logger = logging.getLogger("hedgelab")
_pinned: ContextVar[str] = ContextVar("hedgelab_backend", default=AUTO)


def check_backend(name: str) -> str:
    """``name`` if it is a backend, else a one-line error."""
    if name not in BACKENDS:
        raise HedgelabError(error_line("request", "backend", f"one of {', '.join(BACKENDS)} (got {name!r})"))
    return name


@contextmanager
def pinned_backend(name: str | None) -> Iterator[None]:
    """Runs inside the block use backend ``name`` unless they ask for one (None: leave as is)."""
    if name is None:
        yield
        return
    token = _pinned.set(check_backend(name))
    try:
        yield
    finally:
        _pinned.reset(token)


def pin_backend(name: str) -> None:
    """Pin backend ``name`` for the rest of this context (the CLI's ``--backend``)."""
    _pinned.set(check_backend(name))


def requested(name: str | None = None) -> str:
    """The backend asked for: ``name``, else the pinned one, else ``auto``."""
    return check_backend(name) if name is not None else _pinned.get()


def _fallback(why: str) -> str:
    logger.warning("note: the model runs on the NumPy core (backend numpy): %s", why)
    return NUMPY


def choose(name: str | None, recorders: Sequence[Recorder] = (), target_fn: TargetFn = policy_targets) -> str:
    """The backend that runs a request (``numpy``, ``fast`` or ``gpu``; see the module docstring).

    Raises
    ------
    HedgelabError
        When ``fast`` or ``gpu`` is asked for and cannot run here at all.
    """
    asked = requested(name)
    if asked == NUMPY:
        return NUMPY
    if asked in (FAST, GPU) and not fast.available():
        raise HedgelabError(error_line("request", "backend", (
            f"numpy or auto: {asked} needs numba (pip install \"hedgelab[{'fast' if asked == FAST else 'gpu'}]\")")))
    if asked == GPU and not fast.gpu_available():
        raise HedgelabError(error_line("request", "backend", (
            "numpy, fast or auto: gpu needs a CUDA GPU and numba's CUDA target (pip install \"hedgelab[gpu]\"); "
            "none was found")))
    if asked == AUTO and not fast.available():
        return NUMPY
    if target_fn is not policy_targets:
        return _fallback("a target_fn replaces the policy family, which the fused kernel cannot call")
    why = fast.unsupported(recorders)
    if why is not None:
        return _fallback(f"{why} (the fused kernel reduces only those)")
    return GPU if asked == GPU else FAST
