"""The run catalogue: one embedded DuckDB file per exploration directory (``catalog.duckdb``)
with a ``runs`` table (one row per sweep: the provenance record of
:func:`hedgelab.analysis.provenance.record` plus the design and progress) and a ``chunks`` table
(one row per finished chunk file).

The Parquet files are the truth: every chunk file carries its own metadata (sweep ``run_id``,
samples, seconds, time): the catalogue is rebuilt from them when a sweep starts or resumes
(:func:`update`), and a sweep adds one row per chunk as it finishes (:func:`add_chunk`, so a long
sweep's bookkeeping grows linearly, not quadratically); a sweep killed between writing a chunk and
adding its row loses nothing, the next start rebuilds the row from the file.
:func:`list_runs` gathers the catalogues under one or more directories and can query them with SQL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from hedgelab.analysis import provenance
from hedgelab.errors import HedgelabError, error_line
from hedgelab.store import read_parquet_metadata
from hedgelab.analysis.optional import optional

CATALOG = "catalog.duckdb"
"""The catalogue's file name inside an exploration directory."""

RUN_COLUMNS: tuple[str, ...] = (
    "run_id", "directory", "scenario", "focal", "base_year", "param_hash", "design", "n_samples",
    "n_uncertainties", "paths_per_sample", "strategies", "seed", "years", "samples_done", "complete",
    "workers", "backend", "hedgelab_version", "started", "finished", "elapsed_s",
)
"""Columns of the ``runs`` table (``record`` holds the full record as JSON besides)."""


def _run_row(directory: Path, record: Mapping[str, Any]) -> dict[str, Any]:
    design = record["design"]
    return {
        "run_id": record["run_id"], "directory": str(directory.resolve()), "scenario": record["scenario"],
        "focal": record["focal"], "base_year": record["base_year"], "param_hash": record["param_hash"],
        "design": design["kind"], "n_samples": design["n_samples"], "n_uncertainties": len(design["uncertainties"]),
        "paths_per_sample": record["paths_per_sample"], "strategies": ",".join(record["strategies"]),
        "seed": record["seed"], "years": record["years"], "samples_done": record["samples_done"],
        "complete": bool(record["complete"]), "workers": record["workers"], "backend": record["backend"],
        "hedgelab_version": record["hedgelab_version"], "started": record["started"],
        "finished": record["finished"], "elapsed_s": record["elapsed_s"],
        "record": json.dumps(provenance.brief(record),
                             sort_keys=True),
    }


CHUNKS_SCHEMA = ("run_id VARCHAR, file VARCHAR, first_sample BIGINT, n_samples BIGINT, seconds DOUBLE, "
                 "finished VARCHAR, workers BIGINT")
"""Columns and types of the ``chunks`` table."""


def chunk_rows(chunk_files: Sequence[Path]) -> pd.DataFrame:
    """One row per chunk file, from the file's own metadata."""
    rows = []
    for path in chunk_files:
        meta = read_parquet_metadata(path)
        rows.append({"run_id": meta["run_id"], "file": path.name, "first_sample": meta["first_sample"],
                     "n_samples": meta["n_samples"], "seconds": meta["seconds"], "finished": meta["finished"],
                     "workers": meta["workers"]})
    return pd.DataFrame(rows, columns=["run_id", "file", "first_sample", "n_samples", "seconds", "finished", "workers"])


def _write(directory: Path, record: Mapping[str, Any], chunks: pd.DataFrame, *, replace: bool) -> None:
    """Replace the ``runs`` row and insert ``chunks`` (after emptying the table when ``replace``,
    else after removing rows of the same files), in one transaction."""
    duckdb = optional("duckdb", "explore")

    runs = pd.DataFrame([_run_row(directory, record)])
    with duckdb.connect(str(directory / CATALOG)) as con:
        con.execute("BEGIN TRANSACTION")
        con.register("runs_frame", runs)
        con.register("chunks_frame", chunks)
        con.execute("CREATE OR REPLACE TABLE runs AS SELECT * FROM runs_frame")
        con.execute(f"CREATE {'OR REPLACE TABLE' if replace else 'TABLE IF NOT EXISTS'} chunks ({CHUNKS_SCHEMA})")
        con.execute("DELETE FROM chunks WHERE file IN (SELECT file FROM chunks_frame)")
        con.execute("INSERT INTO chunks SELECT * FROM chunks_frame")
        con.execute("COMMIT")


def update(directory: Path, record: Mapping[str, Any], chunk_files: Sequence[Path]) -> None:
    """Rewrite the catalogue of ``directory`` from ``record`` and every chunk file."""
    _write(directory, record, chunk_rows(chunk_files), replace=True)


def add_chunk(directory: Path, record: Mapping[str, Any], chunk_file: Path) -> None:
    """Add one finished chunk file's row (and refresh the ``runs`` row from ``record``)."""
    _write(directory, record, chunk_rows([chunk_file]), replace=False)


def catalog_files(roots: Sequence[Path], depth: int = 3) -> list[Path]:
    """Catalogue files in ``roots`` and their sub-directories down to ``depth`` levels."""
    found: list[Path] = []
    for root in roots:
        if not root.is_dir():
            raise HedgelabError(error_line(str(root), "path", "a directory"))
        for level in range(depth + 1):
            found.extend(sorted(root.glob("/".join(["*"] * level + [CATALOG]))))
    return sorted(set(found))


def list_runs(roots: Sequence[Path], query: str | None = None, depth: int = 3) -> pd.DataFrame:
    """Every run in the catalogues under ``roots`` (columns :data:`RUN_COLUMNS`), or the result of
    the SQL ``query`` over a table named ``runs`` (all catalogues) and ``chunks``."""
    duckdb = optional("duckdb", "explore")

    runs, chunks = [], []
    for path in catalog_files(roots, depth):
        try:
            with duckdb.connect(str(path), read_only=True) as con:
                runs.append(con.execute("SELECT * FROM runs").df())
                chunks.append(con.execute("SELECT * FROM chunks").df())
        except duckdb.Error as err:  # a catalogue being written by a running sweep, or damaged
            raise HedgelabError(error_line(str(path), "catalog", f"a readable DuckDB catalogue ({err})")) from None
    all_runs = pd.concat(runs, ignore_index=True) if runs else pd.DataFrame(columns=[*RUN_COLUMNS, "record"])
    all_chunks = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(
        columns=["run_id", "file", "first_sample", "n_samples", "seconds", "finished", "workers"])
    if query is None:
        return all_runs[list(RUN_COLUMNS)].sort_values("started", kind="stable").reset_index(drop=True)
    with duckdb.connect() as con:
        con.register("runs", all_runs)
        con.register("chunks", all_chunks)
        try:
            return con.execute(query).df()
        except duckdb.Error as err:
            raise HedgelabError(error_line("request", "query", f"SQL over the tables runs and chunks ({err})")) from None
