"""hedgelab: model, measure and stress-test how a middle power hedges between great powers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hedgelab")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
