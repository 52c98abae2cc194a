"""Layers hold: import-linter contracts (``.importlinter``), a pure model core, no hidden numbers.

- ``lint-imports`` passes on the package, and a forbidden import planted in a copy of
  ``model/`` makes it fail (so the contract guards what it claims to);
- ``import hedgelab.model`` loads neither pydantic nor yaml;
- the model core does no I/O;
- no numeric literal in ``model/`` except 0, 1, -1, squares (``x**2``) and named module-level
  constants (unit conversions and numerical guards): every other number is a scenario parameter.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "hedgelab"
LINT = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))


def _lint(src_parent: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(src_parent), "PATH": str(Path(sys.executable).parent)}
    return subprocess.run([LINT, "--config", str(ROOT / ".importlinter"), "--no-cache"],
                          capture_output=True, text=True, env=env, cwd=ROOT)


def test_import_contracts_are_kept():
    result = _lint(SRC.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("planted", [
    "from hedgelab.scenarios import schema\n",
    "import pydantic\n",
    "from hedgelab import cli\n",
])
def test_a_forbidden_import_in_the_model_breaks_a_contract(tmp_path, planted):
    copy = tmp_path / "src"
    shutil.copytree(SRC, copy / "hedgelab", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "hedgelab" / "model" / "planted.py").write_text(planted)
    result = _lint(copy)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout


def test_importing_the_model_loads_no_schema_library():
    code = "import hedgelab.model, sys; print(sorted(m for m in ('pydantic', 'yaml', 'pandas', 'xarray') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_model_core_never_prints_or_opens_files():
    for path in (SRC / "model").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"print", "open", "input"}, f"{path.name} calls {node.func.id}"


def _hidden_numbers(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    named = {id(c) for stmt in tree.body if isinstance(stmt, ast.Assign | ast.AnnAssign)
             for c in ast.walk(stmt) if isinstance(c, ast.Constant)}
    squares = {id(n.right) for n in ast.walk(tree) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow)
               and isinstance(n.right, ast.Constant) and n.right.value == 2}
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and type(node.value) in (int, float)
                and node.value not in (0, 1, -1) and id(node) not in named | squares):
            found.append(f"{path.relative_to(SRC)}:{node.lineno}: {node.value!r}")
    return found


def test_no_hidden_number_in_the_model():
    found = [line for path in sorted((SRC / "model").glob("*.py")) for line in _hidden_numbers(path)]
    assert not found, "numbers that should be scenario parameters or named constants:\n" + "\n".join(found)


def test_the_hidden_number_check_finds_an_inline_constant(tmp_path):
    planted = tmp_path / "model" / "planted.py"
    planted.parent.mkdir()
    planted.write_text("GUARD = 1e-9\n\ndef f(x):\n    return 2.0 + x + x**2 + GUARD\n")
    global SRC
    saved, SRC = SRC, tmp_path
    try:
        assert _hidden_numbers(planted) == ["model/planted.py:4: 2.0"]
    finally:
        SRC = saved
