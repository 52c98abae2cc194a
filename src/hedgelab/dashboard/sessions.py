"""Per-browser-session state: which scenario, which slider settings, which comparison settings,
and the session's running job. Sessions are identified by a random cookie; the store keeps the
most recently used :data:`MAX_SESSIONS` and removes the uploads of those it forgets."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from hedgelab.scenarios import DEFAULT_SCENARIO, Scenario, load_scenario

COOKIE = "hedgelab_session"
MAX_SESSIONS = 200
"""Sessions kept at once (least recently used forgotten first)."""
DEFAULT_PATHS = 512
"""Paths of a dashboard comparison unless the user asks for more (a run takes about a second)."""
DEFAULT_YEARS = 10


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

    def override_items(self) -> tuple[str, ...]:
        """The overrides as ``--set`` items, sorted (part of the cache key)."""
        return tuple(f"{path}={value!r}" for path, value in sorted(self.overrides.items()))

    def load(self, overrides: dict[str, float] | None = None) -> Scenario:
        """The session's scenario with its overrides (or with ``overrides`` instead)."""
        items = self.override_items() if overrides is None else tuple(f"{p}={v!r}" for p, v in sorted(overrides.items()))
        return _load(self.scenario, items)

    def upload_directory(self) -> Path:
        """The session's private folder for uploads (made on first use)."""
        if self.directory is None:
            self.directory = Path(tempfile.mkdtemp(prefix="hedgelab-session-"))
        return self.directory

    def close(self) -> None:
        """Remove the session's uploads."""
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)


@lru_cache(maxsize=64)
def _load(scenario: str, items: tuple[str, ...]) -> Scenario:
    """:func:`load_scenario`, remembered: every page shows the scenario, and a built-in's file and an
    upload's (kept under a folder named by its SHA-256) do not change while the server runs; the
    validated scenario is a frozen model, safe to share."""
    return load_scenario(scenario, list(items))


class Sessions:
    """Thread-safe map from session token to :class:`State`."""

    def __init__(self, limit: int = MAX_SESSIONS):
        self.limit = limit
        self._states: OrderedDict[str, State] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str | None) -> tuple[str, State]:
        """The state of ``token``, or a new session (new token) when it is unknown."""
        with self._lock:
            if token is not None and token in self._states:
                self._states.move_to_end(token)
                return token, self._states[token]
            token = secrets.token_urlsafe(24)
            self._states[token] = State()
            while len(self._states) > self.limit:
                _, old = self._states.popitem(last=False)
                old.close()
            return token, self._states[token]

    def close(self) -> None:
        """Forget every session and remove their uploads."""
        with self._lock:
            for state in self._states.values():
                state.close()
            self._states.clear()
