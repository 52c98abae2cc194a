"""Suite-wide fixtures: the one shared-data directory fixture and an isolated parsed-table cache.

The real public datasets are looked for in ``$HEDGELAB_TEST_DATA`` if set, else in ``shared/data``
beside the repository root (``../shared/data`` from it). Tests that need them take the ``data_dir``
fixture. When the folder is absent they are skipped and one line at the top of the run says so;
with ``HEDGELAB_REQUIRE_DATA=1`` (as in CI) they fail instead. See docs/testing.md.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_ENV = "HEDGELAB_TEST_DATA"
REQUIRE_ENV = "HEDGELAB_REQUIRE_DATA"

pytest_plugins = ["pytester"]


def shared_data_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the shared data are looked for: ``$HEDGELAB_TEST_DATA``, else ``../shared/data``."""
    named = environ.get(DATA_ENV, "").strip()
    return Path(named).expanduser().resolve() if named else (REPO_ROOT.parent / "shared" / "data").resolve()


def data_required(environ: Mapping[str, str] = os.environ) -> bool:
    """True when ``HEDGELAB_REQUIRE_DATA`` asks for a failure instead of a skip."""
    return environ.get(REQUIRE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def missing_data(path: Path, required: bool) -> tuple[str, str] | None:
    """What a test needing the data does: None (run), or ``("skip" | "fail", reason)``."""
    if path.is_dir():
        return None
    if required:
        return "fail", f"shared data directory not found at {path} and {REQUIRE_ENV}=1"
    return "skip", f"shared data directory not found at {path} (set {DATA_ENV} or {REQUIRE_ENV}=1)"


def _status_line(count: int | None = None) -> str | None:
    """The one line shown at the top of a run when the data are absent, else None."""
    path = shared_data_path()
    if path.is_dir():
        return None
    tests = "data tests" if count is None else f"{count} data test{'s' if count != 1 else ''}"
    if data_required():
        return f"hedgelab: shared data directory not found at {path}: {tests} will FAIL ({REQUIRE_ENV}=1)"
    return (f"hedgelab: shared data directory not found at {path}: {tests} will be skipped "
            f"(set {REQUIRE_ENV}=1 to fail instead)")


def pytest_report_header(config: pytest.Config) -> str | None:
    """Shown before collection when the header is (not with ``-q``)."""
    return _status_line()


def pytest_collection_finish(session: pytest.Session) -> None:
    """With ``-q`` there is no header: write the line, with the count, before the first result."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or session.config.get_verbosity() >= 0:
        return
    line = _status_line(sum("data_dir" in getattr(item, "fixturenames", ()) for item in session.items))
    if line:
        reporter.write_line(line, yellow=True, bold=True)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared data directory; skip when it is absent, or fail with ``HEDGELAB_REQUIRE_DATA=1``."""
    path = shared_data_path()
    outcome = missing_data(path, data_required())
    if outcome is not None:
        action, reason = outcome
        if action == "fail":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path


_CACHE: list[Path] = []


@pytest.fixture(autouse=True)
def _isolated_data_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test: no ``HEDGELAB_DATA`` from the environment; one parsed-table cache for the session.

    The cache lives in a temporary folder (never the user's ``~/.cache/hedgelab``) and is shared by
    all tests of the session, so each raw file is parsed once. Tests that need an empty cache of
    their own take ``fresh_cache`` (tests/data/conftest.py).
    """
    monkeypatch.delenv("HEDGELAB_DATA", raising=False)
    if not _CACHE:
        _CACHE.append(tmp_path_factory.mktemp("hedgelab-cache"))
    monkeypatch.setenv("HEDGELAB_CACHE", str(_CACHE[0]))
