"""From a scenario name (or file, or loaded scenario) to what the engine runs: the one place
that loads, applies overrides, resolves strategies, compiles arrays and checks per-path samples."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from hedgelab.analysis.provenance import param_hash
from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.model import ModelParams, PolicyArrays, reference_intensity
from hedgelab.model.params import ParameterPathError
from hedgelab.scenarios import Scenario, Strategy, load_scenario, strategies_for
from hedgelab.scenarios.bounds import bounds_for
from hedgelab.scenarios.compile import compile_params, compile_policies
from hedgelab.scenarios.table import parameter_rows

SAMPLES = "samples"
"""The ``WHERE`` of error lines about per-path samples."""


@dataclass(frozen=True)
class Prepared:
    """A scenario and strategies compiled for the core: what every engine run needs."""

    scenario: Scenario
    strategies: dict[str, Strategy]
    params: ModelParams  # may vary along paths when samples were given
    policy: PolicyArrays
    reference: dict[str, float]  # event intensities where the base rates hold
    overrides: tuple[str, ...] = ()
    samples: tuple[str, ...] = ()  # dotted paths that vary along paths
    samples_digest: str = ""  # SHA-256 of the sampled values (empty without samples)

    @property
    def param_hash(self) -> str:
        """Hash of the resolved parameters, strategy definitions and samples
        (:func:`hedgelab.analysis.provenance.param_hash`)."""
        return param_hash(self.scenario, self.strategies, self.samples_digest)


def reference_for(scenario: Scenario) -> dict[str, float]:
    """Event intensities at the base-year state of the scenario's ``events.reference_scenario``
    (loaded as published, without overrides), where the base rates were estimated."""
    return dict(_builtin_reference(scenario.events.reference_scenario))


@lru_cache(maxsize=None)
def _builtin_reference(name: str) -> tuple[tuple[str, float], ...]:
    # The reference is a built-in scenario (the loader checks), fixed for the process: read once.
    return tuple(reference_intensity(compile_params(load_scenario(name))).items())


def prepare(
    scenario: str | Scenario,
    strategies: Sequence[str] | Mapping[str, Strategy] | None = None,
    overrides: Sequence[str] | None = None,
    samples: Mapping[str, np.ndarray] | None = None,
    n_paths: int | None = None,
) -> Prepared:
    """Load the scenario (with overrides), resolve the strategy names (all when None; a mapping
    gives strategies by value), compile both, and give the parameters in ``samples`` one value
    per path (``n_paths`` of them)."""
    if isinstance(scenario, str):
        scenario = load_scenario(scenario, list(overrides or []))
    elif overrides:
        raise HedgelabError(error_line("request", "overrides", "a scenario name or path when overrides are given"))
    if isinstance(strategies, Mapping):
        chosen = dict(strategies)
    else:
        chosen = strategies_for(scenario, list(strategies) if strategies is not None else None)
    params = compile_params(scenario)
    digest = ""
    if samples:
        checked = check_samples(scenario, samples, n_paths)
        try:
            params = params.with_samples(checked)
        except ParameterPathError as err:  # a scenario path that is not a model parameter
            raise HedgelabError(error_line(SAMPLES, str(err.args[0]), "a model parameter path")) from None
        check_sampled_state(params)
        digest = hashlib.sha256(b"".join(
            path.encode() + np.ascontiguousarray(values, dtype=np.float64).tobytes()
            for path, values in sorted(checked.items())
        )).hexdigest()
    return Prepared(
        scenario, chosen, params, compile_policies(chosen, params, strategies_for(scenario, None)), reference_for(scenario),
        overrides=tuple(overrides or ()), samples=tuple(sorted(samples or ())), samples_digest=digest,
    )


def check_samples(scenario: Scenario, samples: Mapping[str, np.ndarray], n_paths: int | None) -> dict[str, np.ndarray]:
    """Validate per-path parameter values: known numeric paths, finite, one per path, in range."""
    rows = {r["path"]: r for r in parameter_rows(scenario) if isinstance(r["value"], float)}
    checked, errors = {}, []
    for path, values in samples.items():
        if path not in rows:
            errors.append(error_line(SAMPLES, path, f"a numeric scenario parameter path{suggest(path, rows)}"))
            continue
        try:
            array = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            errors.append(error_line(SAMPLES, path, "an array of numbers"))
            continue
        low, high = rows[path]["range"] or bounds_for(path)  # a range lies within the hard bounds
        if array.shape != (n_paths,):
            errors.append(error_line(SAMPLES, path, f"one value per path, shape ({n_paths},), got {array.shape}"))
        elif not np.isfinite(array).all():
            errors.append(error_line(SAMPLES, path, "finite numbers (no NaN or infinity)"))
        elif array.min() < low or array.max() > high:
            errors.append(error_line(SAMPLES, path, f"values in [{low}, {high}], got [{array.min()}, {array.max()}]"))
        else:
            checked[path] = array
    if errors:
        raise HedgelabError(errors)
    return checked


def check_sampled_state(params: ModelParams) -> None:
    """Cross-parameter constraints on sampled paths (what the schema checks for one scenario)."""
    exposure = params.partners.exposure + params.partners.routed_exposure
    fs = params.focal_state
    errors = []
    if np.any(exposure.sum(-1) > 1.0 + 1e-9):
        errors.append(error_line(SAMPLES, "partners.*.exposure", "direct plus routed exposure summing to at most 1 on every path"))
    if np.any(fs.defence_ceiling < fs.defence_spending):
        errors.append(error_line(SAMPLES, "focal_state.defence_ceiling", "at least focal_state.defence_spending on every path"))
    if errors:
        raise HedgelabError(errors)
