"""Dependencies point inward: the model core does no I/O and knows nothing of CLI, data or API."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "hedgelab"

FORBIDDEN = {
    "model": ("hedgelab.cli", "hedgelab.api", "hedgelab.data", "hedgelab.trajectories", "typer", "rich", "matplotlib", "pandas", "xarray"),
    "games": ("hedgelab.model", "hedgelab.cli", "hedgelab.api", "hedgelab.data", "typer", "rich"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_inner_packages_do_not_import_outer_layers(package):
    offenders = []
    for path in (SRC / package).rglob("*.py"):
        for name in imported_modules(path):
            if name.startswith(FORBIDDEN[package]):
                offenders.append(f"{path.relative_to(SRC)} imports {name}")
    assert not offenders, offenders


def test_model_core_never_prints_or_opens_files():
    for path in (SRC / "model").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"print", "open", "input"}, f"{path.name} calls {node.func.id}"
