"""Strategy comparison: per-path outcome metrics of every strategy on the same futures."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import numpy as np
import xarray as xr

from hedgelab.analysis import provenance, runner
from hedgelab.analysis.metrics import VARIABLES
from hedgelab.analysis.prepare import prepare
from hedgelab.model.recorders import DepthAtFirstCrisis, EventRates, EverEvents, FirstEvent, Recorder, TimeAverages
from hedgelab.model.step import PROSPERITY_PARTS
from hedgelab.scenarios import Scenario

AVERAGED: tuple[str, ...] = (
    "security", "autonomy", "deterrence", "taiwan_preparedness", "security_without_us",
    "us_protection", "partner_protection", "own_protection", "threat", "perceived_options",
    "leverage", "effective_exposure", "support",
)
"""Per-quarter variables whose time averages a comparison keeps (besides prosperity's parts)."""


def outcome_recorders() -> list[Recorder]:
    """The recorders behind a comparison's per-path outcomes (:data:`~hedgelab.analysis.metrics.VARIABLES`)."""
    parts = tuple(f"prosperity_{p}" for p in PROSPERITY_PARTS)
    return [
        TimeAverages((*AVERAGED, *parts), totals=(("prosperity", parts),)),
        EverEvents(),
        EventRates(),
        FirstEvent(),
        DepthAtFirstCrisis(),
    ]


def result_attrs(full_record: dict) -> dict:
    """Dataset attributes: the provenance record without the full inputs, flat (NetCDF-ready),
    with the complete flag as 0/1; ``attrs["provenance"]`` keeps the full record as JSON text."""
    attrs = provenance.flat(provenance.brief(full_record))
    attrs["complete"] = int(full_record["complete"])
    attrs["version"] = full_record["hedgelab_version"]
    attrs["provenance"] = json.dumps(full_record, sort_keys=True)
    return attrs


def run(
    scenario: str | Scenario = "japan-2026",
    strategies: Sequence[str] | None = None,
    *,
    n_paths: int = 2000,
    years: int = 10,
    seed: int = 0,
    overrides: Sequence[str] | None = None,
    samples: Mapping[str, np.ndarray] | None = None,
    dtype: np.dtype = np.float32,
    workers: int | None = None,
    progress: runner.Progress | None = None,
) -> xr.Dataset:
    """Simulate strategies on one scenario and return per-path outcomes.

    Parameters
    ----------
    scenario : str or Scenario
        Built-in name, path to a scenario file, or a loaded :class:`Scenario`.
    strategies : list of str, optional
        Strategy names (built-in presets or the scenario's own); all when omitted.
    n_paths, years, seed : int
        Number of sampled futures, horizon in years, and the seed of the shared shocks.
    overrides : list of str
        ``dotted.path=VALUE`` overrides (like ``--set``).
    samples : mapping of str to array [n_paths], optional
        Parameters that vary across paths (exploratory runs over uncertainties).
    dtype : numpy dtype
        float32 (fast) or float64; results are kept in this dtype.
    workers : int, optional
        Local worker threads (default: every available core); results do not depend on it.
    progress : callable, optional
        Called as ``progress(paths_done, n_paths)`` after each chunk.

    Returns
    -------
    xarray.Dataset
        Variables ``[strategy, path]`` described in :data:`hedgelab.analysis.metrics.VARIABLES`
        (``units``, ``long_name``, ``better`` and ``definition`` in each variable's attrs);
        dataset attrs: the provenance record (:mod:`hedgelab.analysis.provenance`: scenario,
        ``param_hash``, ``run_id``, seed, years, ``paths``, ``version``, workers, backend, start
        and end time, ``complete``, 0 when interrupted: then ``path`` lists the paths that
        finished), and ``provenance``, the full record with resolved parameters as JSON.
    """
    started = provenance.now()
    prepared = prepare(scenario, strategies, overrides, samples, n_paths)
    output = runner.run(prepared, outcome_recorders(), n_paths=n_paths, years=years, seed=seed,
                        dtype=dtype, workers=workers, progress=progress, what="a comparison")
    data = {name: (dims, values, _variable_attrs(name)) for name, (dims, values) in output.outputs.items()}
    full = provenance.record(prepared, output, seed=seed, n_paths=n_paths, years=years, started=started,
                             workers=output.n_workers, dtype=np.dtype(dtype).name)
    return xr.Dataset(
        data,
        coords={"strategy": list(prepared.policy.names), "path": output.paths},
        attrs=result_attrs(full),
    )


def _variable_attrs(name: str) -> dict[str, str]:
    v = VARIABLES[name]
    return {"units": v.unit, "long_name": v.long_name, "better": v.better, "definition": v.definition}
