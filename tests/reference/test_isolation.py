"""The reference model is independent of the package it checks.

``reference_model.py`` (and the compatibility file ``tests/model/reference_step.py`` that loads
it by path) may import only the standard library and NumPy: an AST scan rejects any other
import, any relative import (a sibling module could import hedgelab) and any dynamic import
naming hedgelab; and the reference runs in a fresh interpreter where importing hedgelab fails.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "reference_model.py"
COMPAT = HERE.parent / "model" / "reference_step.py"
ALLOWED = {
    "__future__", "copy", "math", "tomllib", "collections", "dataclasses", "functools", "pathlib", "typing",
    "importlib", "sys", "numpy",
}


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import, ``.`` prefixed for relative ones; dynamic imports too."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, "." * node.level + (node.module or "")))
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in {"__import__", "import_module"}:
                found += [(node.lineno, arg.value) for arg in node.args
                          if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
                if not all(isinstance(arg, ast.Constant) for arg in node.args):
                    found.append((node.lineno, "<dynamic import of a computed name>"))
    return found


@pytest.mark.parametrize("path", [REFERENCE, COMPAT], ids=["reference_model", "model/reference_step"])
def test_reference_imports_nothing_from_hedgelab(path):
    imports = _imports(path)
    assert imports, "the scan found no imports at all"
    hedgelab = [(line, m) for line, m in imports if m.split(".")[0] == "hedgelab" or "hedgelab" in m]
    assert not hedgelab, f"{path.name} imports hedgelab: {hedgelab}"
    other = [(line, m) for line, m in imports if m.startswith(".") or m.split(".")[0] not in ALLOWED]
    assert not other, f"{path.name}: imports outside the standard library and NumPy: {other}"


def test_scan_catches_a_hedgelab_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import numpy\nfrom hedgelab.games import responses\n")
    assert (2, "hedgelab.games") in _imports(probe)
    probe.write_text("def f():\n    import importlib\n    return importlib.import_module('hedgelab.api')\n")
    assert (3, "hedgelab.api") in _imports(probe)


def test_reference_runs_with_hedgelab_unimportable():
    script = f"""
import sys
sys.modules["hedgelab"] = None  # any import of hedgelab now raises ImportError
import importlib.util
for name, path in (("reference_model", {str(REFERENCE)!r}), ("reference_step", {str(COMPAT)!r})):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    records = module.run_path("anchor", 0, 1, 1)
    assert len(records) == 4 and 0 < records[-1]["security"] < 1, records[-1]
assert sys.modules["hedgelab"] is None
assert not [m for m in sys.modules if m.startswith("hedgelab.")]
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
