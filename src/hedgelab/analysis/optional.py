"""Optional dependencies behind extras: imported when first needed, with one clear line naming
the extra to install when missing (the core install runs ``compare`` without them)."""

from __future__ import annotations

import importlib
from types import ModuleType

from hedgelab.errors import HedgelabError, error_line


def optional(module: str, extra: str) -> ModuleType:
    """Import ``module`` or raise one line: ``MODULE: import: expected … pip install 'hedgelab[EXTRA]'``."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise HedgelabError(error_line(
            module, "import", f"the optional package of the '{extra}' extra: pip install 'hedgelab[{extra}]'"
        )) from None
