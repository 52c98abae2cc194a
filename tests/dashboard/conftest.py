"""Fixtures of the dashboard tests: a live server on a free loopback port (in a thread, torn down
after the tests), headless Chromium through Playwright, and the folder for screenshots.

Browser tests need Debian's ``chromium`` (``/usr/bin/chromium``, or ``$HEDGELAB_CHROMIUM``) and
the ``playwright`` package. Without them they are skipped with the reason; with
``HEDGELAB_REQUIRE_BROWSER=1`` (as in ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ENV = "HEDGELAB_CHROMIUM"
REQUIRE_ENV = "HEDGELAB_REQUIRE_BROWSER"
ARTIFACTS = Path(os.environ.get("HEDGELAB_TEST_ARTIFACTS", REPO_ROOT / "test-artifacts"))
"""Screenshots of the browser tests (git-ignored; CI keeps them with the run)."""
CHROMIUM_ARGS = ("--no-sandbox", "--disable-dev-shm-usage")
"""Chromium's flags: no sandbox (CI runs as root) and no /dev/shm (small in containers: a renderer
that fills it crashes)."""


def chromium_path() -> str | None:
    """Debian's Chromium (or ``$HEDGELAB_CHROMIUM``), None when absent."""
    named = os.environ.get(CHROMIUM_ENV, "").strip()
    return named if named and Path(named).is_file() else shutil.which("chromium")


def browser_missing(chromium: str | None) -> str | None:
    """Why the browser tests cannot run with the browser at ``chromium`` (None: not found), or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if chromium is None:
        return f"chromium not found (apt-get install chromium, or set {CHROMIUM_ENV})"
    return None


class LiveServer:
    """The dashboard served by uvicorn in a thread of the test process."""

    def __init__(self) -> None:
        import uvicorn

        from hedgelab.dashboard.app import create_app
        from hedgelab.dashboard.server import listen

        self.socket = listen("127.0.0.1", 0)  # a free port, bound before the server starts
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.app = create_app()
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the dashboard did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="session")
def live_server():
    pytest.importorskip("fastapi")
    with LiveServer() as server:
        yield server


def without_browser(reason: str, environ=os.environ) -> tuple[str, str]:
    """What a browser test does when the browser is missing: ``("skip" | "fail", message)``."""
    if environ.get(REQUIRE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}:
        return "fail", f"{reason} and {REQUIRE_ENV}=1"
    return "skip", f"{reason} (set {REQUIRE_ENV}=1 to fail instead)"


@pytest.fixture(scope="session")
def browser():
    reason = browser_missing(chromium_path())
    if reason is not None:
        action, message = without_browser(reason)
        (pytest.fail if action == "fail" else pytest.skip)(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def artifacts(request):
    """A folder for this test's screenshots under :data:`ARTIFACTS`."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    shots = sorted(p.name for p in folder.iterdir())
    if shots:
        print(f"screenshots of {request.node.name}: {folder} ({', '.join(shots)})")
