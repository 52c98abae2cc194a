"""Compatibility path of the per-path reference, which now lives in ``tests/reference/reference_model.py``.

``benchmarks/bench_model.py`` (and the README's benchmark table) load this file by path; it
loads the reference module by path too and re-exports its names. Like the reference itself it
imports nothing from :mod:`hedgelab`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[1] / "reference" / "reference_model.py"
_NAME = "_hedgelab_tests_reference_model"
if _NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_NAME, _PATH)
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[_NAME] = _module  # dataclasses need the module registered
    _spec.loader.exec_module(_module)
globals().update({k: v for k, v in vars(sys.modules[_NAME]).items() if not k.startswith("__")})
