"""hedgelab: model, measure and stress-test how a middle power hedges between great powers.

Importing the package is nearly free (the console script relies on it to handle Ctrl-C from the
first moment); ``hedgelab.__version__`` is looked up when first asked for.
"""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    if name != "__version__":
        raise AttributeError(f"module 'hedgelab' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("hedgelab")
    except PackageNotFoundError:  # running from a source tree without installation
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found
