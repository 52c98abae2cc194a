"""Scale-out: the runner's chunks on a Dask distributed cluster.

:class:`DaskExecutor` implements the executor interface of :mod:`hedgelab.analysis.executors`
(``n_workers`` and ``map_unordered``) on a ``dask.distributed`` cluster: either one a user points
it at (``address="tcp://scheduler:8786"``) or a ``LocalCluster`` of worker processes, one thread
each, that it starts and stops itself. Results are identical to the single-process run: the
runner places every chunk's output by path index, and a chunk's numbers depend only on its own
parameters and shocks (drawn on the worker from the seed and the chunk's first path).

Why Dask rather than Ray: ``dask[distributed]`` is pure-Python wheels on every platform Python
runs on, gives tests a real multi-process ``LocalCluster`` inside the test process, and needs no
separate object store or daemon; a user with a cluster runs ``dask scheduler`` and
``dask worker`` (or any Dask deployment: Kubernetes, SLURM through dask-jobqueue) and passes the
scheduler's address. Ray would add a plasma object store and a node daemon for the same job.

Tasks are submitted with a bounded number in flight (``max_in_flight``, default twice the
cluster's threads) and yielded as they complete (``distributed.as_completed``); closing the
iterator early (Ctrl-C in the runner) cancels every task not yet returned. When tasks are
dataclasses (the runner's chunks), the field values they share by identity, such as the model
parameters that every chunk of one run carries, are scattered to the cluster once instead of
being serialised with every task.

``dask`` is imported only when an executor is made; without it the error names the extra to
install (``pip install 'hedgelab[distributed]'``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from hedgelab.errors import HedgelabError, error_line
from hedgelab.analysis.optional import optional

T = TypeVar("T")
R = TypeVar("R")

INSTALL_HINT = "pip install 'hedgelab[distributed]'"
_INLINE_TYPES = (type(None), bool, int, float, complex, str, bytes)
_DONE = object()


def _rebuild_and_call(fn: Callable[[Any], R], cls: type, fields: dict[str, Any]) -> R:
    """On a worker: rebuild a dataclass task from its fields (scattered ones already resolved)."""
    return fn(cls(**fields))


class DaskExecutor:
    """Run tasks on a Dask distributed cluster.

    Parameters
    ----------
    address : str, optional
        A running scheduler (``tcp://host:8786``). Without it a ``LocalCluster`` of ``n_workers``
        processes with one thread each is started, and stopped by :meth:`close`.
    n_workers : int, optional
        Worker processes of the local cluster (default: every available core); not with ``address``.
    max_in_flight : int, optional
        Tasks submitted and not yet returned, at most (default: twice the cluster's threads).

    Use it as a context manager, or call :meth:`close`, so that a local cluster stops.
    """

    def __init__(self, address: str | None = None, *, n_workers: int | None = None,
                 max_in_flight: int | None = None, timeout: float = 30.0):
        if address is not None and n_workers is not None:
            raise HedgelabError(error_line("request", "n_workers",
                                           "None when address is given (the cluster has its own workers)"))
        if n_workers is not None and n_workers < 1:
            raise HedgelabError(error_line("request", "n_workers", f"at least 1 (got {n_workers})"))
        if max_in_flight is not None and max_in_flight < 1:
            raise HedgelabError(error_line("request", "max_in_flight", f"at least 1 (got {max_in_flight})"))
        distributed = optional("distributed", "distributed")
        self._cluster = None
        if address is None:
            from hedgelab.analysis.executors import available_cores

            self._cluster = distributed.LocalCluster(
                n_workers=n_workers or available_cores(), threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR)
            address = self._cluster.scheduler_address
        try:
            self.client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as err:
            self._stop_cluster()
            raise HedgelabError(error_line("request", "address", (
                f"a reachable Dask scheduler such as tcp://host:8786; {address}: {type(err).__name__}: {err}"
            ).replace("\n", " "))) from None
        self.address = address
        if self._cluster is not None:
            self.client.wait_for_workers(len(self._cluster.workers), timeout=timeout)
        threads = sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values())
        self.n_workers = max(1, threads)
        self.max_in_flight = max_in_flight or 2 * self.n_workers
        self._as_completed = distributed.as_completed

    # -- the executor interface -------------------------------------------------------------
    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Yield ``fn(task)`` for every task as it completes on the cluster, in any order.

        Closing the iterator early cancels every submitted task that has not been returned."""
        client = self.client
        scattered: dict[int, tuple[Any, Any]] = {}  # id(value) -> (value kept alive, its future)
        seen: dict[int, Any] = {}  # id(value) -> value (kept alive so that ids stay unique)

        def submit(task: T) -> Any:
            if not dataclasses.is_dataclass(task) or isinstance(task, type):
                return client.submit(fn, task, pure=False)
            fields = {f.name: getattr(task, f.name) for f in dataclasses.fields(task)}
            shared = []
            for name, value in fields.items():
                if isinstance(value, _INLINE_TYPES):
                    continue
                key = id(value)
                if key in scattered:
                    fields[name] = scattered[key][1]
                elif key in seen:  # carried by a second task: send it once from now on
                    shared.append(name)
                else:
                    seen[key] = value
            if shared:  # one round trip; a list so that tuples and dicts travel whole
                futures = client.scatter([fields[name] for name in shared], hash=False)
                for name, future in zip(shared, futures):
                    scattered[id(fields[name])] = (fields[name], future)
                    fields[name] = future
            return client.submit(_rebuild_and_call, fn, type(task), fields, pure=False)

        queue = iter(tasks)
        pending: set[Any] = set()
        completed = self._as_completed(loop=client.loop)
        try:
            for task in queue:  # fill the cluster, then top it up as tasks finish (bounded memory)
                future = submit(task)
                pending.add(future)
                completed.add(future)
                if len(pending) >= self.max_in_flight:
                    break
            for future in completed:
                pending.discard(future)
                result = future.result()
                future.release()
                next_task = next(queue, _DONE)
                if next_task is not _DONE:
                    following = submit(next_task)
                    pending.add(following)
                    completed.add(following)
                yield result
        finally:
            if pending:
                client.cancel(list(pending))
            completed.clear()
            for _, future in scattered.values():
                future.release()

    # -- lifetime ---------------------------------------------------------------------------
    def close(self) -> None:
        """Disconnect; stop the local cluster if this executor started it."""
        self.client.close()
        self._stop_cluster()

    def _stop_cluster(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        kind = "local cluster" if self._cluster is not None else "cluster"
        return f"DaskExecutor({kind} at {self.address}, {self.n_workers} workers)"
