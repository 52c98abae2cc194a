"""One provenance record for every output: what was run, on what, by which code, when, and
whether it finished.

The same record goes into ``run.json``, Parquet schema metadata and NetCDF attributes (as flat
attributes: NetCDF takes no nested values), and later into the run catalogue of explorations.

``param_hash`` hashes what determines the numbers apart from the request: the resolved value of
every scenario parameter (not units or source texts), the partners in order with their roles,
the per-path samples and the strategy levers (not their descriptions). ``run_id`` adds the
request (seed, paths, years), the floating-point type (float32 and float64 runs draw different
random streams), the package version and the numerical backend, so two runs with the same id
give the same numbers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from hedgelab import __version__
from hedgelab.scenarios import Scenario, Strategy
from hedgelab.scenarios.table import parameter_rows

if TYPE_CHECKING:
    from hedgelab.analysis.prepare import Prepared
    from hedgelab.analysis.runner import RunOutput

def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:16]


def resolved_values(scenario: Scenario) -> dict[str, Any]:
    """Every parameter's resolved value by dotted path (what ``--set`` addresses)."""
    return {row["path"]: row["value"] for row in parameter_rows(scenario)}


def strategy_levers(strategies: Mapping[str, Strategy]) -> dict[str, Any]:
    """Each strategy's settings of the policy family (its description left out)."""
    return {name: s.model_dump(mode="json", exclude={"description"}) for name, s in strategies.items()}


def param_hash(scenario: Scenario, strategies: Mapping[str, Strategy], samples_digest: str) -> str:
    """SHA-256 (16 hex digits) of resolved parameter values, partner roles, strategy levers and
    the digest of any per-path samples (empty without)."""
    return _digest({
        "parameters": resolved_values(scenario),
        "roles": [[code, partner.role] for code, partner in scenario.partners.items()],
        "strategies": strategy_levers(strategies),
        "samples": samples_digest,
    })


def run_id(param_hash_: str, *, seed: int, n_paths: int, years: int, dtype: str, backend: str) -> str:
    """SHA-256 (16 hex digits) of the parameter hash, the request, the float type, the version
    and the backend (``numpy``, ``fast`` or ``gpu``: they agree to rounding, not bit for bit)."""
    return _digest({"param_hash": param_hash_, "seed": seed, "paths": n_paths, "years": years, "dtype": dtype,
                    "version": __version__, "backend": backend})


def now() -> str:
    """The current time in UTC, ISO 8601 to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def flat(record: Mapping[str, Any]) -> dict[str, str | int | float]:
    """The record with nested values as JSON text (for NetCDF and xarray attributes)."""
    return {k: v if isinstance(v, str | int | float) and not isinstance(v, bool) else json.dumps(v)
            for k, v in record.items()}


def record(
    prepared: Prepared, output: RunOutput, *, seed: int, n_paths: int, years: int, started: str,
    workers: int, dtype: str,
) -> dict[str, Any]:
    """The provenance record of one run (``parameters`` and ``strategy_definitions`` are the
    full resolved inputs: written to ``run.json``, left out of per-file metadata by :func:`brief`)."""
    scenario = prepared.scenario
    hash_ = prepared.param_hash
    return {
        "hedgelab_version": __version__,
        "scenario": scenario.name,
        "focal": scenario.focal,
        "base_year": scenario.base_year,
        "param_hash": hash_,
        "run_id": run_id(hash_, seed=seed, n_paths=n_paths, years=years, dtype=dtype, backend=output.backend),
        "dtype": dtype,
        "overrides": list(prepared.overrides),
        "sampled": list(prepared.samples),
        "strategies": list(prepared.policy.names),
        "seed": seed,
        "years": years,
        "paths_requested": n_paths,
        "paths": int(len(output.paths)),
        "complete": bool(output.complete),
        "workers": workers,
        "backend": output.backend,
        "started": started,
        "finished": now(),
        "parameters": resolved_values(scenario),
        "strategy_definitions": strategy_levers(prepared.strategies),
    }


def brief(full: Mapping[str, Any]) -> dict[str, Any]:
    """The record without the full inputs (their hash stays): for file and dataset metadata."""
    return {k: v for k, v in full.items() if k not in {"parameters", "strategy_definitions"}}
