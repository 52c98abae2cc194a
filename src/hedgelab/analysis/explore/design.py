"""Experimental designs over a scenario's uncertainties.

An *uncertainty* is a numeric scenario parameter of ``kind = "uncertainty"`` with a plausible
range (``hedgelab show``); a design samples some or all of them over their ranges (or over a
user's narrower ranges) with a Latin hypercube (:class:`scipy.stats.qmc.LatinHypercube`) or a
Saltelli/Sobol design for Sobol indices (:func:`SALib.sample.sobol.sample`). Names are the
dotted paths that ``--set`` and ``hedgelab show`` use.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.scenarios import Scenario
from hedgelab.scenarios.table import parameter_rows
from hedgelab.analysis.optional import optional

DESIGN_KINDS: tuple[str, ...] = ("lhs", "sobol")


@dataclass(frozen=True)
class Uncertainty:
    """One sampled parameter: its ``--set`` path, the range sampled and its unit."""

    name: str
    low: float
    high: float
    unit: str = ""


@dataclass(frozen=True)
class Design:
    """Sampled values ``samples[sample, uncertainty]`` and how they were drawn.

    For ``kind="sobol"`` the rows are SALib's Saltelli layout (``n_base × (D + 2)`` rows without
    second-order terms), which :func:`hedgelab.analysis.explore.sensitivity.sobol_indices` needs in
    that order.
    """

    kind: str
    uncertainties: tuple[Uncertainty, ...]
    samples: np.ndarray  # [n_samples, n_uncertainties], float64
    n_base: int  # the n of the request (rows for lhs; base samples for sobol)
    seed: int

    @property
    def names(self) -> list[str]:
        """The sampled parameter paths, in column order."""
        return [u.name for u in self.uncertainties]

    @property
    def n_samples(self) -> int:
        """Number of sampled futures (rows)."""
        return int(self.samples.shape[0])

    def problem(self) -> dict:
        """The SALib problem dictionary (names and bounds)."""
        return {"num_vars": len(self.uncertainties), "names": self.names,
                "bounds": [[u.low, u.high] for u in self.uncertainties]}

    def frame(self) -> pd.DataFrame:
        """The samples as a table, one column per uncertainty, index ``sample``."""
        frame = pd.DataFrame(self.samples, columns=self.names)
        frame.index.name = "sample"
        return frame

    def digest(self) -> str:
        """SHA-256 of the kind, names, ranges and sampled values (what identifies the design)."""
        head = json.dumps({"kind": self.kind, "n_base": self.n_base, "seed": self.seed,
                           "uncertainties": [[u.name, u.low, u.high] for u in self.uncertainties]})
        return hashlib.sha256(head.encode() + np.ascontiguousarray(self.samples, np.float64).tobytes()).hexdigest()

    def describe(self) -> dict:
        """A JSON-ready description (for the sweep record and the catalogue)."""
        return {"kind": self.kind, "n_base": self.n_base, "n_samples": self.n_samples, "seed": self.seed,
                "uncertainties": [{"name": u.name, "low": u.low, "high": u.high, "unit": u.unit}
                                  for u in self.uncertainties]}


def uncertainties(
    scenario: Scenario,
    names: Sequence[str] | None = None,
    ranges: Mapping[str, Sequence[float]] | None = None,
    *,
    where: str = "request",
) -> list[Uncertainty]:
    """The uncertainties to sample: every numeric ``kind = "uncertainty"`` parameter with a range
    (``names`` and ``ranges`` both None), the parameters in ``names``, or those in ``ranges``
    (``{path: (low, high)}``, each inside the parameter's plausible range). ``where`` names the
    source in error lines (a ranges file)."""
    rows = {r["path"]: r for r in parameter_rows(scenario)
            if isinstance(r["value"], float) and r["range"] is not None}
    if names is None and ranges is None:
        return [Uncertainty(p, float(r["range"][0]), float(r["range"][1]), r["unit"])
                for p, r in rows.items() if r["kind"] == "uncertainty"]
    chosen: list[Uncertainty] = []
    errors: list[str] = []
    if names is not None:
        for name in names:
            if name not in rows:
                errors.append(error_line(where, "uncertainties", f"a numeric parameter path with a range, not "
                                         f"{name!r}{suggest(name, rows)}"))
            else:
                chosen.append(Uncertainty(name, *map(float, rows[name]["range"]), rows[name]["unit"]))
    for name, bounds in (ranges or {}).items():
        if name not in rows:
            errors.append(error_line(where, name, f"a numeric parameter path with a range{suggest(name, rows)}"))
            continue
        low_ok, high_ok = rows[name]["range"]
        try:
            low, high = (float(b) for b in bounds)
        except (TypeError, ValueError):
            errors.append(error_line(where, name, "[low, high], two numbers"))
            continue
        if not (low_ok <= low < high <= high_ok):
            errors.append(error_line(where, name, f"low < high inside the plausible range [{low_ok}, {high_ok}], "
                                     f"got [{low}, {high}]"))
            continue
        chosen.append(Uncertainty(name, low, high, rows[name]["unit"]))
    if not chosen and not errors:
        errors.append(error_line(where, "uncertainties", "at least one parameter to sample"))
    if len({u.name for u in chosen}) != len(chosen):
        errors.append(error_line(where, "uncertainties", "each parameter once"))
    if errors:
        raise HedgelabError(errors)
    return chosen


def read_ranges(path: Path) -> dict[str, list[float]]:
    """A ranges file: a TOML, YAML or JSON table ``"dotted.path" = [low, high]``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise HedgelabError(error_line(str(path), "path", f"a readable file ({err.strerror})")) from None
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix in {".yaml", ".yml"}:
            data = yaml.safe_load(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            raise HedgelabError(error_line(str(path), "path", "a .toml, .yaml, .yml or .json file"))
    except (tomllib.TOMLDecodeError, yaml.YAMLError, json.JSONDecodeError) as err:
        raise HedgelabError(error_line(str(path), "file", f"valid {path.suffix[1:].upper()} ({err})")) from None
    if not isinstance(data, dict) or not data:
        raise HedgelabError(error_line(str(path), "file", 'a table of "dotted.path" = [low, high]'))
    return data


def make_design(
    uncertainties_: Sequence[Uncertainty], n: int, kind: str, seed: int,
) -> Design:
    """Sample ``uncertainties_``.

    Parameters
    ----------
    n : int
        ``lhs``: the number of samples. ``sobol``: the number of base samples, a power of 2; the
        design then has ``n × (D + 2)`` rows for ``D`` uncertainties (Saltelli's scheme without
        second-order indices, SALib's :func:`SALib.sample.sobol.sample`).
    kind : {"lhs", "sobol"}
    seed : int
        Seed of the design (scrambling and permutations); the same seed gives the same design.
    """
    if kind not in DESIGN_KINDS:
        raise HedgelabError(error_line("request", "design", f"one of {', '.join(DESIGN_KINDS)}, not {kind!r}"))
    if n < 2 or (kind == "sobol" and n & (n - 1)):
        raise HedgelabError(error_line("request", "n_samples", f"at least 2{', a power of 2' if kind == 'sobol' else ''}"
                                       f" (got {n})"))
    lows = np.array([u.low for u in uncertainties_])
    highs = np.array([u.high for u in uncertainties_])
    if kind == "lhs":
        from scipy.stats import qmc  # scipy.stats costs 0.5 s at import: load it when sampling

        unit = qmc.LatinHypercube(d=len(uncertainties_), seed=np.random.default_rng(seed)).random(n)
        samples = qmc.scale(unit, lows, highs) if len(uncertainties_) else unit
    else:
        sobol_sample = optional("SALib.sample.sobol", "explore")

        problem = {"num_vars": len(uncertainties_), "names": [u.name for u in uncertainties_],
                   "bounds": [[u.low, u.high] for u in uncertainties_]}
        samples = sobol_sample.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
    samples = np.clip(np.asarray(samples, dtype=np.float64), lows, highs)  # rounding must not leave the range
    return Design(kind, tuple(uncertainties_), samples, n, seed)


def design_from_frame(frame: pd.DataFrame, description: Mapping) -> Design:
    """Rebuild a :class:`Design` from its table and :meth:`Design.describe` (a stored sweep)."""
    found = tuple(Uncertainty(u["name"], u["low"], u["high"], u.get("unit", "")) for u in description["uncertainties"])
    values = frame[[u.name for u in found]].to_numpy(dtype=np.float64)
    return Design(description["kind"], found, values, int(description["n_base"]), int(description["seed"]))
