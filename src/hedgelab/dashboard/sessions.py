"""Per-browser-session state: which scenario, which slider settings, which comparison settings,
and the session's running job. Sessions are identified by a random cookie, made only by the pages
and actions that keep state (not by ``/health``, the scripts or a poll). The store forgets a
session idle for :data:`IDLE_SECONDS` (never one whose run is still going) and removes its
uploads; with :data:`MAX_SESSIONS` live sessions it refuses a new one rather than forget a live
one."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from hedgelab.scenarios import DEFAULT_SCENARIO, Scenario, load_scenario

from hedgelab.errors import HedgelabError, error_line
from hedgelab.report.comparison import DEFAULT_PATHS, DEFAULT_YEARS

COOKIE = "hedgelab_session"
MAX_SESSIONS = 200
"""Live sessions kept at once; beyond them a new session is refused until one has been idle for
:data:`IDLE_SECONDS`."""
IDLE_SECONDS = 3600.0
"""Seconds without a request after which a session (and its uploads) is forgotten, unless its run
is still going."""


@dataclass
class State:
    """One session's settings. ``scenario`` is a built-in name or the path of this session's
    upload; ``overrides`` maps parameter paths to the values the sliders set."""

    scenario: str = DEFAULT_SCENARIO
    label: str = DEFAULT_SCENARIO  # how the scenario is shown (an upload: its file name)
    digest: str = ""  # SHA-256 of an uploaded file ("" for a built-in)
    overrides: dict[str, float] = field(default_factory=dict)
    strategies: tuple[str, ...] | None = None  # None: every applicable strategy
    n_paths: int = DEFAULT_PATHS
    years: int = DEFAULT_YEARS
    seed: int = 0
    pair: tuple[str, str] | None = None
    explore: dict = field(default_factory=dict)  # the explore page's last settings
    job: object | None = None  # the session's current or last job (hedgelab.dashboard.jobs.Job)
    directory: Path | None = None  # the session's private folder for uploads
    upload: Path | None = None  # the folder of the session's current upload (removed when replaced)

    def override_items(self) -> tuple[str, ...]:
        """The overrides as ``--set`` items, sorted (part of the cache key)."""
        return _set_items(self.overrides)

    def load(self, overrides: dict[str, float] | None = None) -> Scenario:
        """The session's scenario with its overrides (or with ``overrides`` instead)."""
        return _load(self.scenario, _set_items(self.overrides if overrides is None else overrides))

    def choose_scenario(self, scenario: str, label: str, digest: str) -> None:
        """Switch to another scenario: its overrides, strategy choice and breakdown pair start afresh."""
        self.scenario, self.label, self.digest = scenario, label, digest
        self.overrides, self.strategies, self.pair = {}, None, None

    def upload_directory(self) -> Path:
        """The session's private folder for uploads (made on first use)."""
        if self.directory is None:
            self.directory = Path(tempfile.mkdtemp(prefix="hedgelab-session-"))
        return self.directory

    def replace_upload(self, folder: Path) -> None:
        """Make ``folder`` (a new upload's) the session's upload, removing the one it replaces."""
        if self.upload is not None and self.upload != folder:
            shutil.rmtree(self.upload, ignore_errors=True)
        self.upload = folder

    def running(self) -> bool:
        """Whether the session's run is still going."""
        return self.job is not None and getattr(self.job, "status", None) == "running"

    def close(self) -> None:
        """Remove the session's uploads."""
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)


def _set_items(overrides: dict[str, float]) -> tuple[str, ...]:
    """``overrides`` as sorted ``--set`` items (``path=value``)."""
    return tuple(f"{path}={value!r}" for path, value in sorted(overrides.items()))


@lru_cache(maxsize=64)
def _load(scenario: str, items: tuple[str, ...]) -> Scenario:
    """:func:`load_scenario`, remembered: every page shows the scenario, and a built-in's file and an
    upload's (each kept in a new folder of its own, never rewritten) do not change while the server
    runs; the validated scenario is a frozen model, safe to share."""
    return load_scenario(scenario, list(items))


class Sessions:
    """Thread-safe map from session token to :class:`State`, forgetting idle sessions.

    ``clock`` gives seconds (``time.monotonic``; tests pass their own)."""

    def __init__(self, limit: int = MAX_SESSIONS, idle_seconds: float = IDLE_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.limit, self.idle_seconds, self.clock = limit, idle_seconds, clock
        self._states: dict[str, tuple[State, float]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._states)

    def find(self, token: str | None) -> State | None:
        """The state of a known ``token`` (marked as used now), else None; never makes one."""
        with self._lock:
            if token is None or token not in self._states:
                return None
            state = self._states[token][0]
            self._states[token] = (state, self.clock())
            return state

    def create(self) -> tuple[str, State]:
        """A new session (new token), after forgetting the idle ones; a one-line error when
        :attr:`limit` sessions are live."""
        with self._lock:
            self._forget_idle()
            if len(self._states) >= self.limit:
                raise HedgelabError(error_line("dashboard", "session", f"at most {self.limit} live sessions on this "
                                               f"server; try again once one has been idle for {self.idle_seconds:,.0f} s"))
            token = secrets.token_urlsafe(24)
            self._states[token] = (State(), self.clock())
            return token, self._states[token][0]

    def _forget_idle(self) -> None:
        now = self.clock()
        for token, (state, used) in list(self._states.items()):
            if now - used > self.idle_seconds and not state.running():
                del self._states[token]
                state.close()

    def close(self) -> None:
        """Forget every session and remove their uploads."""
        with self._lock:
            for state, _ in self._states.values():
                state.close()
            self._states.clear()
