"""Experiments: every strategy on every sampled future of a design, many paths each.

One engine run (:func:`hedgelab.analysis.runner.run`) evaluates a *chunk* of samples at once:
``k`` samples × ``P`` paths per sample, path ``p`` belonging to sample ``p // P`` with the sampled
parameters repeated along its paths, so the model is vectorised across samples as well as paths.
Every sample sees the same ``P`` shock paths (the runner's ``shock_period``): common random
numbers across strategies *and* samples, so a difference between two futures is the parameters,
not the noise. Each sample's numbers depend only on its parameter values, the seed, ``P`` and the
horizon, never on which chunk it ran in, how many workers ran it or whether the sweep was resumed.

Per sample and strategy a sweep keeps every headline metric of the registry
(:data:`hedgelab.analysis.metrics.METRICS`: the mean over the sample's paths, or the lower-tail
mean for ``cvar_prosperity``) and its Monte-Carlo standard error. With ``series`` it also keeps,
per sample, strategy and quarter, the across-path mean of each named per-quarter series
(:data:`hedgelab.model.series.SERIES`: what tipping points read) and, for the first
``observed_paths`` paths of each sample, the per-path quarterly values of the ``observed`` series
(what one government sees on its one path: what signposts are scored on).

With ``out``, finished chunks are written as Parquet files (``chunks/``) the moment they finish,
beside ``sweep.json`` (the provenance record), ``design.parquet`` and ``catalog.duckdb``
(:mod:`hedgelab.analysis.explore.catalog`); a sweep that stopped for any reason resumes from them
without recomputing a finished chunk.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from hedgelab.analysis import provenance, runner
from hedgelab.analysis.compare import outcome_recorders
from hedgelab.analysis.executors import Executor, make_executor
from hedgelab.analysis.explore import catalog
from hedgelab.analysis.explore.design import Design, design_from_frame
from hedgelab.analysis.limits import check_request
from hedgelab.analysis.metrics import METRICS
from hedgelab.analysis.summary import statistic_along
from hedgelab.analysis.prepare import prepare
from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.model.series import PATH_PREFIX
from hedgelab.model.series import PREFIX as SERIES_PREFIX
from hedgelab.model.series import SERIES, QuarterlySeries
from hedgelab.scenarios import Scenario, load_scenario
from hedgelab.store import parquet_writer, write_atomic
from hedgelab.analysis.optional import optional

SWEEP_FILE = "sweep.json"
DESIGN_FILE = "design.parquet"
CHUNK_DIR = "chunks"
SERIES_CHUNK_BYTES = 64 * 2**20
"""With ``series``, an engine run keeps every quarter of every path until it is reduced: its
samples are chosen so that those values fit this budget."""
CHUNK_PATHS = 16384
"""Default paths per chunk of samples (``samples_per_chunk = max(1, CHUNK_PATHS // P)``): enough
runner chunks of 1,024 paths to keep every local worker busy, small enough that an interruption
loses little."""
OBSERVED_PATHS = 16
"""Paths per sampled future whose quarterly observables a sweep with series keeps path by path
(``explore --observed-paths``): enough paths per future to score a signpost on single paths
(over 100 futures, 1,600 paths), few enough that the per-path store stays a few tens of MB."""

Progress = Callable[[int, int], None]


def _chunk_frame(output: runner.RunOutput, samples: Sequence[int], strategies: Sequence[str], n_per: int) -> pd.DataFrame:
    n_strategies = len(strategies)
    columns: dict[str, np.ndarray] = {
        "sample": np.repeat(np.asarray(samples, dtype=np.int64), n_strategies),
        "strategy": np.tile(np.asarray(strategies, dtype=object), len(samples)),
    }
    for metric in METRICS.values():
        dims, values = output.outputs[metric.variable]
        if dims != ("strategy", "path"):
            raise RuntimeError(f"{metric.variable} has dims {dims}")
        value, stderr = statistic_along(values.reshape(n_strategies, len(samples), n_per), metric.statistic)
        columns[metric.name] = value.T.reshape(-1)  # sample-major rows, strategies within
        columns[f"{metric.name}_stderr"] = stderr.T.reshape(-1)
    return pd.DataFrame(columns)


def _series_frame(output: runner.RunOutput, samples: Sequence[int], strategies: Sequence[str], n_per: int,
                  series: Sequence[str]) -> pd.DataFrame:
    """Rows ``(sample, strategy, quarter)`` (quarter 1 = the first quarter simulated), one column
    per series: its mean over the sample's paths (float64)."""
    n_s, n_q = len(strategies), output.n_quarters
    index = pd.MultiIndex.from_product([np.asarray(samples, dtype=np.int64), list(strategies),
                                        np.arange(1, n_q + 1, dtype=np.int64)], names=["sample", "strategy", "quarter"])
    columns = {}
    for name in series:
        values = output.outputs[f"{SERIES_PREFIX}{name}"][1].reshape(n_s, len(samples), n_per, n_q).mean(2, dtype=np.float64)
        columns[name] = values.transpose(1, 0, 2).reshape(-1)  # sample-major, then strategy, then quarter
    return pd.DataFrame(columns, index=index).reset_index()


def _paths_frame(output: runner.RunOutput, samples: Sequence[int], strategies: Sequence[str], n_per: int,
                 observed: Sequence[str], k: int) -> pd.DataFrame:
    """Rows ``(sample, strategy, path, quarter)`` for the first ``k`` paths of each sample (path 0 =
    its first path; every sample's path ``p`` sees the same shocks), one float32 column per series."""
    n_s, n_q = len(strategies), output.n_quarters
    index = pd.MultiIndex.from_product([np.asarray(samples, dtype=np.int64), list(strategies),
                                        np.arange(k, dtype=np.int64), np.arange(1, n_q + 1, dtype=np.int64)],
                                       names=["sample", "strategy", "path", "quarter"])
    columns = {}
    for name in observed:
        values = output.outputs[f"{SERIES_PREFIX}{name}"][1].reshape(n_s, len(samples), n_per, n_q)[:, :, :k]
        columns[name] = values.transpose(1, 0, 2, 3).reshape(-1).astype(np.float32)
    return pd.DataFrame(columns, index=index).reset_index()


def _record(prepared, design: Design, *, seed: int, paths_per_sample: int, years: int, dtype: np.dtype,
            started: str, samples_done: int, complete: bool, workers: int, elapsed: float) -> dict[str, Any]:
    n_paths = design.n_samples * paths_per_sample
    done = runner.RunOutput({}, np.arange(samples_done * paths_per_sample), complete, 4 * years, workers)
    record = provenance.record(prepared, done, seed=seed, n_paths=n_paths, years=years, started=started,
                               workers=workers, dtype=np.dtype(dtype).name)
    record.update({
        "kind": "exploration", "design": design.describe(), "design_digest": design.digest(),
        "paths_per_sample": paths_per_sample, "samples_done": samples_done, "dtype": np.dtype(dtype).name,
        "metrics": list(METRICS), "elapsed_s": round(elapsed, 3),
    })
    return record


class _Store:
    """An exploration directory: the sweep's record, its design and its finished chunks."""

    def __init__(self, directory: Path, record: dict[str, Any], design: Design):
        self.directory = directory
        self.chunks = directory / CHUNK_DIR
        sweep_file = directory / SWEEP_FILE
        if sweep_file.exists():
            try:
                old = json.loads(sweep_file.read_text())
            except (OSError, json.JSONDecodeError):
                raise HedgelabError(error_line(str(sweep_file), "file", "a sweep record (JSON)")) from None
            if old.get("run_id") == record["run_id"] and any(
                    old.get(key, default) != record.get(key, default)
                    for key, default in (("observed", []), ("observed_paths", 0))):
                raise HedgelabError(error_line(str(directory), "out", (
                    f"the sweep's own per-path settings to resume it: it keeps {old.get('observed_paths', 0)} "
                    f"observed paths per future, this request {record.get('observed_paths', 0)} (--observed-paths); "
                    "match them or choose another --out")))
            if (old.get("run_id") != record["run_id"] or old.get("dtype") != record["dtype"]
                    or old.get("series", []) != record.get("series", [])):
                raise HedgelabError(error_line(str(directory), "out", (
                    f"an empty directory or one holding this sweep (run {record['run_id']}); it holds run "
                    f"{old.get('run_id')} ({old.get('scenario')}, {old.get('design', {}).get('kind')}, "
                    f"{old.get('design', {}).get('n_samples')} samples, seed {old.get('seed')}): choose another --out")))
        elif directory.exists() and any(p.name != catalog.CATALOG for p in directory.iterdir()):
            raise HedgelabError(error_line(str(directory), "out", "an empty directory or one holding this sweep"))
        else:
            write_atomic(sweep_file, lambda p: p.write_text(json.dumps(record, sort_keys=True, indent=1)))
            write_atomic(directory / DESIGN_FILE, parquet_writer(design.frame().reset_index(), {
                "run_id": record["run_id"], "design": design.describe()}))
        self.chunks.mkdir(parents=True, exist_ok=True)
        catalog.update(directory, record, self.chunk_files())  # rebuilt from the files once per start

    def finished(self) -> pd.DataFrame:
        """The rows of every finished chunk (stray temporary files of a killed write ignored)."""
        files = self.chunk_files()
        if not files:
            return pd.DataFrame()
        return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)

    def finished_series(self, kind: str = "series") -> pd.DataFrame:
        """The quarterly means (``kind="paths"``: the per-path observables) of every finished chunk."""
        files = sorted(self.chunks.glob(f"{kind}-*.parquet"))
        return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True) if files else pd.DataFrame()

    def chunk_files(self) -> list[Path]:
        return sorted(self.chunks.glob("samples-*.parquet"))

    def write_series(self, frame: pd.DataFrame, record: Mapping[str, Any], kind: str = "series") -> None:
        """The chunk's quarterly means (``kind="paths"``: per-path observables), written before its
        samples file (which marks it finished)."""
        samples = np.unique(frame["sample"].to_numpy())
        write_atomic(self.chunks / f"{kind}-{samples[0]:08d}-{samples[-1]:08d}.parquet",
                     parquet_writer(frame, {"run_id": record["run_id"], "series": record["series"]}))

    def write_chunk(self, frame: pd.DataFrame, record: Mapping[str, Any], seconds: float, workers: int) -> None:
        samples = np.unique(frame["sample"].to_numpy())
        name = f"samples-{samples[0]:08d}-{samples[-1]:08d}.parquet"
        meta = {"run_id": record["run_id"], "first_sample": int(samples[0]), "n_samples": int(len(samples)),
                "samples": [int(s) for s in samples], "seconds": round(seconds, 3), "finished": provenance.now(),
                "workers": workers}
        write_atomic(self.chunks / name, parquet_writer(frame, meta))
        self._write_record(record)
        catalog.add_chunk(self.directory, record, self.chunks / name)

    def _write_record(self, record: Mapping[str, Any]) -> None:
        write_atomic(self.directory / SWEEP_FILE, lambda p: p.write_text(json.dumps(record, sort_keys=True, indent=1)))

    def close(self, record: Mapping[str, Any]) -> None:
        """Write the final record and rebuild the catalogue from every chunk file."""
        self._write_record(record)
        catalog.update(self.directory, record, self.chunk_files())


def sweep(
    scenario: str | Scenario,
    strategies: Sequence[str] | None,
    design: Design,
    *,
    paths_per_sample: int,
    years: int,
    seed: int,
    overrides: Sequence[str] | None = None,
    out: Path | None = None,
    samples_per_chunk: int | None = None,
    workers: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    dtype: np.dtype = np.float32,
    series: Sequence[str] = (),
    observed: Sequence[str] = (),
    observed_paths: int = OBSERVED_PATHS,
) -> xr.Dataset:
    """Evaluate every strategy on every sample of ``design``.

    Parameters
    ----------
    scenario : str or Scenario
        Built-in name, scenario file, or a loaded scenario (then without ``overrides``).
    strategies : list of str, optional
        Strategy names (all the scenario's when None).
    design : Design
        The sampled futures (:func:`hedgelab.analysis.explore.design.make_design`).
    paths_per_sample : int
        Monte-Carlo paths per sample; every sample sees the same shock paths.
    years, seed : int
        Horizon and the seed of the shocks.
    out : Path, optional
        Exploration directory: chunks are stored as they finish and an unfinished sweep of the
        same request there is resumed (a different sweep there is an error).
    samples_per_chunk : int, optional
        Samples per engine run (default ``max(1, CHUNK_PATHS // paths_per_sample)``); results do
        not depend on it.
    workers, executor
        Where the runner computes (local threads by default); results do not depend on it.
    progress : callable, optional
        ``progress(paths_done, paths_total)``, counting paths of all samples.
    series : sequence of str
        Per-quarter series (:data:`hedgelab.model.series.SERIES`) whose across-path mean per
        sample, strategy and quarter to keep as well (stored as ``chunks/series-*.parquet``).
    observed : sequence of str
        Series of ``series`` to keep path by path for the first ``observed_paths`` paths of each
        sample as well (stored as ``chunks/paths-*.parquet``, float32).
    observed_paths : int
        Paths per sample kept with ``observed`` (``paths_per_sample`` where that is fewer).

    Returns
    -------
    xarray.Dataset
        For every metric of :data:`~hedgelab.analysis.metrics.METRICS` a variable
        ``[strategy, sample]`` (attrs: units, long_name, better, statistic) and its standard error
        ``<metric>_stderr``; ``design`` ``[sample, uncertainty]`` with the sampled values; attrs:
        the sweep's provenance record (``run_id``, ``param_hash`` covering the design, seed,
        ``paths_per_sample``, ``complete``, ``samples_done`` …) with the design as JSON text.
        With ``series``, ``quarterly_<name>`` ``[strategy, sample, quarter]`` for each; with
        ``observed``, ``path_<name>`` ``[strategy, sample, observed_path, quarter]``.
        An interrupted sweep returns the finished samples with ``complete = 0``.
    """
    optional("duckdb", "explore")  # the catalogue is written after each chunk: fail before any work
    started, clock = provenance.now(), time.perf_counter()
    check_request(paths_per_sample, years, seed)
    series = list(series)
    unknown = [name for name in series if name not in SERIES]
    if unknown:
        raise HedgelabError(error_line("request", "series", f"per-quarter series names, not {unknown[0]!r}"
                                       f"{suggest(unknown[0], SERIES)}"))
    observed = list(observed)
    if any(name not in series for name in observed):
        raise HedgelabError(error_line("request", "observed", f"series kept as well ({', '.join(series) or 'none'}), "
                                       f"not {next(n for n in observed if n not in series)!r}"))
    if observed and observed_paths < 1:
        raise HedgelabError(error_line("request", "observed_paths", f"a whole number of paths of at least 1, got {observed_paths}"))
    observed_paths = min(observed_paths, paths_per_sample)
    loaded = load_scenario(scenario, list(overrides or [])) if isinstance(scenario, str) else scenario
    base = prepare(loaded, strategies)
    names = list(base.policy.names)
    prepare(loaded, base.strategies, None, dict(zip(design.names, design.samples.T)), design.n_samples)  # checks all
    tagged = dataclasses.replace(base, overrides=tuple(overrides or ()), samples=tuple(design.names),
                                 samples_digest=design.digest())
    executor = executor or make_executor(workers)
    per_chunk = max(1, CHUNK_PATHS // paths_per_sample)
    if series:  # every quarter of every path is held until reduced: bound it
        held = len(names) * 4 * years * len(series) * np.dtype(dtype).itemsize * paths_per_sample
        per_chunk = max(1, min(per_chunk, SERIES_CHUNK_BYTES // held))
    per_chunk = samples_per_chunk if samples_per_chunk is not None else per_chunk
    if per_chunk < 1:
        raise HedgelabError(error_line("request", "samples_per_chunk", f"at least 1 (got {per_chunk})"))

    def make_record(done: int, complete: bool) -> dict[str, Any]:
        record = _record(tagged, design, seed=seed, paths_per_sample=paths_per_sample, years=years, dtype=dtype,
                         started=started, samples_done=done, complete=complete, workers=executor.n_workers,
                         elapsed=time.perf_counter() - clock)
        if observed:
            record = {**record, "observed": observed, "observed_paths": observed_paths}
        return {**record, "series": series} if series else record

    recorders = [*outcome_recorders(), *([QuarterlySeries(tuple(series))] if series else [])]
    series_frames: list[pd.DataFrame] = []
    path_frames: list[pd.DataFrame] = []

    store = _Store(Path(out), make_record(0, False), design) if out is not None else None
    frames = [store.finished()] if store is not None else []
    if store is not None and series:
        series_frames.append(store.finished_series())
        path_frames.append(store.finished_series("paths"))
    done = set(frames[0]["sample"].tolist()) if frames and len(frames[0]) else set()
    todo = [i for i in range(design.n_samples) if i not in done]
    total = design.n_samples * paths_per_sample
    interrupted = False
    for first in range(0, len(todo), per_chunk):
        batch = todo[first : first + per_chunk]
        n_paths = len(batch) * paths_per_sample
        samples = {name: np.repeat(design.samples[batch, column], paths_per_sample)
                   for column, name in enumerate(design.names)}
        prepared = prepare(loaded, base.strategies, None, samples, n_paths)
        offset = len(done) * paths_per_sample
        chunk_clock = time.perf_counter()
        try:
            output = runner.run(
                prepared, recorders, n_paths=n_paths, years=years, seed=seed, dtype=dtype,
                executor=executor, shock_period=paths_per_sample, what="an exploration chunk",
                progress=None if progress is None else (lambda d, _t, o=offset: progress(o + d, total)),
            )
        except KeyboardInterrupt:
            interrupted = True
            break
        if not output.complete:
            interrupted = True
            break
        frame = _chunk_frame(output, batch, names, paths_per_sample)
        frames.append(frame)
        done.update(batch)
        if observed:
            path_frames.append(_paths_frame(output, batch, names, paths_per_sample, observed, observed_paths))
            if store is not None:
                store.write_series(path_frames[-1], make_record(len(done), False), "paths")
        if series:
            series_frames.append(_series_frame(output, batch, names, paths_per_sample, series))
            if store is not None:
                store.write_series(series_frames[-1], make_record(len(done), False))
        if store is not None:
            store.write_chunk(frame, make_record(len(done), False), time.perf_counter() - chunk_clock,
                              executor.n_workers)
    record = make_record(len(done), not interrupted and len(done) == design.n_samples)
    if store is not None:
        store.close(record)
    return _dataset(frames, design, names, record, series_frames, path_frames)


def _dataset(frames: Sequence[pd.DataFrame], design: Design, strategies: Sequence[str], record: Mapping,
             series_frames: Sequence[pd.DataFrame] = (), path_frames: Sequence[pd.DataFrame] = ()) -> xr.Dataset:
    rows = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else None
    samples = np.array(sorted(set(rows["sample"])) if rows is not None else [], dtype=np.int64)
    data: dict[str, Any] = {}
    for metric in METRICS.values():
        for name, attrs in ((metric.name, {"units": metric.unit, "long_name": metric.long_name, "better": metric.better,
                                           "statistic": metric.statistic, "definition": metric.definition}),
                            (f"{metric.name}_stderr", {"units": metric.unit,
                                                       "long_name": f"Monte-Carlo standard error of {metric.name}"})):
            table = np.full((len(strategies), len(samples)), np.nan)
            if rows is not None and name in rows:  # a metric added to the registry after the sweep stays NaN
                wide = rows.pivot(index="strategy", columns="sample", values=name)
                table = wide.reindex(index=list(strategies), columns=samples).to_numpy(dtype=np.float64)
            data[name] = (("strategy", "sample"), table, attrs)
    data["design"] = (("sample", "uncertainty"), design.samples[samples], {"long_name": "sampled parameter values"})
    _add_series(data, series_frames, record.get("series", []), strategies, samples, 4 * int(record["years"]))
    _add_paths(data, path_frames, record.get("observed", []), strategies, samples, 4 * int(record["years"]),
               int(record.get("observed_paths", 0)))
    attrs = provenance.flat(provenance.brief(record))
    attrs["complete"] = int(record["complete"])
    quarters = {"quarter": np.arange(1, 4 * int(record["years"]) + 1)} if record.get("series") else {}
    if record.get("observed"):
        quarters["observed_path"] = np.arange(int(record["observed_paths"]))
    return xr.Dataset(data, coords={**quarters, "strategy": list(strategies), "sample": samples,
                                    "uncertainty": design.names,
                                    "low": ("uncertainty", [u.low for u in design.uncertainties]),
                                    "high": ("uncertainty", [u.high for u in design.uncertainties]),
                                    "unit": ("uncertainty", [u.unit for u in design.uncertainties])},
                      attrs=attrs)


def _add_series(data: dict[str, Any], frames: Sequence[pd.DataFrame], series: Sequence[str],
                strategies: Sequence[str], samples: np.ndarray, n_quarters: int) -> None:
    """``quarterly_<name>`` ``[strategy, sample, quarter]`` for the finished samples."""
    if not series:
        return
    used = [f for f in frames if len(f)]
    keys = ["strategy", "sample", "quarter"]  # a chunk recomputed after a kill may have left an equal copy
    rows = (pd.concat(used, ignore_index=True).drop_duplicates(keys, keep="last").set_index(keys)
            if used else None)
    full = pd.MultiIndex.from_product([list(strategies), samples, np.arange(1, n_quarters + 1)])
    for name in series:
        values = (rows[name].reindex(full).to_numpy(dtype=np.float64) if rows is not None
                  else np.full(len(full), np.nan))
        data[f"{SERIES_PREFIX}{name}"] = (("strategy", "sample", "quarter"),
                                          values.reshape(len(strategies), len(samples), n_quarters),
                                          {"long_name": f"mean over the future's paths of {name} in each quarter"})


def _add_paths(data: dict[str, Any], frames: Sequence[pd.DataFrame], observed: Sequence[str],
               strategies: Sequence[str], samples: np.ndarray, n_quarters: int, k: int) -> None:
    """``path_<name>`` ``[strategy, sample, observed_path, quarter]`` (float32) for the finished samples."""
    if not observed:
        return
    used = [f for f in frames if len(f)]
    keys = ["strategy", "sample", "path", "quarter"]
    rows = (pd.concat(used, ignore_index=True).drop_duplicates(keys, keep="last").set_index(keys)
            if used else None)
    full = pd.MultiIndex.from_product([list(strategies), samples, np.arange(k), np.arange(1, n_quarters + 1)])
    for name in observed:
        values = (rows[name].reindex(full).to_numpy(dtype=np.float32) if rows is not None
                  else np.full(len(full), np.nan, dtype=np.float32))
        data[f"{PATH_PREFIX}{name}"] = (("strategy", "sample", "observed_path", "quarter"),
                                        values.reshape(len(strategies), len(samples), k, n_quarters),
                                        {"long_name": f"{name} in each quarter on each of the future's first {k} paths"})


def load(directory: Path) -> xr.Dataset:
    """The results stored in an exploration directory (finished chunks; ``complete`` says whether
    every sample finished)."""
    directory = Path(directory)
    sweep_file = directory / SWEEP_FILE
    if not sweep_file.exists():
        raise HedgelabError(error_line(str(directory), "path", f"an exploration directory (with {SWEEP_FILE}); "
                                       "run hedgelab explore --out DIR first"))
    record = json.loads(sweep_file.read_text())
    design = stored_design(directory, record)
    files = sorted((directory / CHUNK_DIR).glob("samples-*.parquet"))
    frames = [pd.read_parquet(f) for f in files]
    series = sorted((directory / CHUNK_DIR).glob("series-*.parquet")) if record.get("series") else []
    paths = sorted((directory / CHUNK_DIR).glob("paths-*.parquet")) if record.get("observed") else []
    return _dataset(frames, design, record["strategies"], record, [pd.read_parquet(f) for f in series],
                    [pd.read_parquet(f) for f in paths])


def stored_design(directory: Path, record: Mapping | None = None) -> Design:
    """The design of an exploration directory."""
    record = record or json.loads((Path(directory) / SWEEP_FILE).read_text())
    frame = pd.read_parquet(Path(directory) / DESIGN_FILE)
    return design_from_frame(frame, record["design"])
