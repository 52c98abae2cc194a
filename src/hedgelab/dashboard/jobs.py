"""Runs in the background of a page: progress, cancel, and a cache of finished results.

A :class:`Job` runs one function in a thread and reports ``(phase, done, total)``; cancelling sets
a flag that the next progress report turns into :class:`Cancelled` (the engine reports after each
chunk of at most 1,024 paths, so a cancel takes effect within a chunk). Finished results are kept
in a :class:`Cache` by their settings, so the same settings do not recompute.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from hedgelab.errors import HedgelabError, error_line

MAX_RUNNING = 2
"""Jobs running at once over all sessions unless ``hedgelab serve --max-runs`` says otherwise
(the development machine has two cores)."""
CACHE_SIZE = 16
"""Finished results kept. A comparison is cached without its per-path outcomes
(:meth:`hedgelab.report.comparison.Comparison.slim`: summary, quantiles, breakdown, a few hundred
kB whatever the paths) and an exploration as tables and SVG figures, so 16 stay small."""


class Cancelled(Exception):
    """Raised inside a job's progress report once the job was cancelled."""


class Cache:
    """Results by key, least recently used forgotten first; thread-safe."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_ids = itertools.count(1)


class Job:
    """``work(progress)`` in a daemon thread holding one of the server's run ``slots``; its result
    is put in ``cache`` under ``key``.

    ``status`` is ``running``, ``done``, ``failed`` (``errors`` holds the error lines) or
    ``cancelled``.
    """

    def __init__(self, kind: str, key: Hashable, work: Callable[[Callable[[str, int, int], None]], Any], cache: Cache,
                 slots: threading.BoundedSemaphore):
        if not slots.acquire(blocking=False):
            raise HedgelabError(error_line("dashboard", "runs", "no free run slot on this server (every one is "
                                           "running; hedgelab serve --max-runs sets how many); wait for one to finish"))
        self._slots = slots
        self.id, self.kind, self.key = next(_ids), kind, key
        self.status, self.phase, self.done, self.total = "running", "starting", 0, 0
        self.errors: list[str] = []
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(work, cache), name=f"hedgelab-job-{self.id}", daemon=True)
        self._thread.start()

    def _progress(self, phase: str, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.phase, self.done, self.total = phase, done, total

    def _run(self, work, cache: Cache) -> None:  # type: ignore[no-untyped-def]
        try:
            result = work(self._progress)
            if self._cancel.is_set():
                raise Cancelled
            cache.put(self.key, result)
            self.status = "done"
        except Cancelled:
            self.status = "cancelled"
        except HedgelabError as err:
            self.errors, self.status = err.lines, "failed"
        except Exception as err:  # noqa: BLE001 - a page shows the failure; the server carries on
            logging.getLogger(__name__).exception("job %s failed", self.id)
            self.errors, self.status = [error_line("dashboard", type(err).__name__, f"a run without error ({err})")], "failed"
        finally:
            self._slots.release()

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report."""
        self._cancel.set()

    def describe(self) -> dict[str, Any]:
        """What the page polls: id, kind, status, phase, done, total and error lines."""
        return {"id": self.id, "kind": self.kind, "status": self.status, "phase": self.phase,
                "done": self.done, "total": self.total, "errors": self.errors}
