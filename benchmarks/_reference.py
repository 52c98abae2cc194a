"""The per-path reference model (``tests/reference/reference_model.py``) loaded by path, for the
benchmarks that compare the engine with it (imported by the benchmark scripts beside this file)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_reference():  # type: ignore[no-untyped-def]
    """Import the reference model module from the tests folder."""
    path = ROOT / "tests" / "reference" / "reference_model.py"
    name = "_bench_reference_model"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module
