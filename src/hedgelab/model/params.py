"""Model parameters as arrays: compiled from a :class:`~hedgelab.scenarios.Scenario`.

Every scalar parameter of the scenario becomes an array that broadcasts over a leading path axis
``[P]``: by default a 0-d array (the same value on every path); after :meth:`ModelParams.with_samples`
a ``[P]`` array, so one simulation call evaluates many sampled futures. Partner parameters are
``[K]`` vectors (``[P, K]`` once sampled) and initial alignments ``[K, D]`` (``[P, K, D]``).
Parameters are addressed by the same dotted paths as the scenario file and ``--set``
(``environment.convergence_speed``, ``partners.AUS.security_capacity``,
``partners.AUS.alignment.security``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from types import SimpleNamespace

import numpy as np

from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.scenarios.schema import DOMAINS, Parameter, Scenario

_GROUPS = ("focal_state", "environment", "threat", "events", "economy", "bargaining")
PARTNER_FIELDS = ("security_capacity", "exposure", "routed_exposure", "trade_gain", "energy_capacity")
REGIME_INDEX = {"committed": 0, "transactional": 1, "retrenching": 2}


@dataclass(frozen=True)
class ModelParams:
    """All numeric parameters of one scenario, as arrays (see module docstring for shapes)."""

    scalars: dict[str, np.ndarray]  # "group.name" -> [] or [P]
    partner_vectors: dict[str, np.ndarray]  # field -> [K] or [P, K]
    alignment0: np.ndarray  # [K, D] or [P, K, D]
    partners: tuple[str, ...]
    roles: tuple[str, ...]
    regime0: int
    n_paths: int | None = None  # set once any parameter varies along paths

    @property
    def patron(self) -> int:
        """Index of the patron on the partner axis."""
        return self.roles.index("patron")

    @property
    def challenger(self) -> int:
        """Index of the challenger on the partner axis."""
        return self.roles.index("challenger")

    @cached_property
    def secondary_mask(self) -> np.ndarray:
        """[K] True for secondary partners."""
        return np.array([r == "secondary" for r in self.roles])

    @cached_property
    def secondary_capacity(self) -> np.ndarray:
        """[K] or [P, K] security capacity of secondary partners, 0 for the patron and challenger."""
        return self.partner_vectors["security_capacity"] * self.secondary_mask

    @cached_property
    def non_patron_mask(self) -> np.ndarray:
        """[K] True for every partner but the patron."""
        return np.array([r != "patron" for r in self.roles])

    @cached_property
    def _groups(self) -> dict[str, SimpleNamespace]:
        fields: dict[str, dict[str, np.ndarray]] = {}
        for key, value in self.scalars.items():
            group, name = key.split(".", 1)
            fields.setdefault(group, {})[name] = value
        return {group: SimpleNamespace(**values) for group, values in fields.items()}

    def group(self, name: str) -> SimpleNamespace:
        """The scalars of one scenario group as attributes (``params.group('environment').convergence``).

        Built once per parameter set (the model reads groups every quarter)."""
        return self._groups[name]

    def paths(self) -> list[str]:
        """Every dotted path that can be sampled or overridden."""
        out = list(self.scalars)
        for code in self.partners:
            out += [f"partners.{code}.{f}" for f in PARTNER_FIELDS]
            out += [f"partners.{code}.alignment.{d}" for d in DOMAINS]
        return out

    def with_samples(self, samples: dict[str, np.ndarray]) -> ModelParams:
        """Return parameters where each path in ``samples`` takes one value per path.

        Parameters
        ----------
        samples : dict of str to array of shape [P]
            Values for each sampled path (all of the same length P).
        """
        lengths = {len(np.asarray(v)) for v in samples.values()}
        if self.n_paths is not None:
            lengths.add(self.n_paths)
        if len(lengths) > 1:
            raise HedgelabError(error_line("samples", "length", f"one length for all sampled parameters, got {sorted(lengths)}"))
        n_paths = lengths.pop() if lengths else self.n_paths
        scalars = dict(self.scalars)
        vectors = {k: v.copy() for k, v in self.partner_vectors.items()}
        alignment0 = self.alignment0.copy()
        known = self.paths()
        for path, values in samples.items():
            values = np.asarray(values, dtype=float)
            if path in scalars:
                scalars[path] = values
                continue
            parts = path.split(".")
            if path not in known:
                raise HedgelabError(error_line("samples", path, f"a model parameter path{suggest(path, known)}"))
            k = self.partners.index(parts[1])
            if parts[2] == "alignment":
                alignment0 = _expand(alignment0, n_paths, 2)
                alignment0[:, k, DOMAINS.index(parts[3])] = values
            else:
                vectors[parts[2]] = _expand(vectors[parts[2]], n_paths, 1)
                vectors[parts[2]][:, k] = values
        return replace(
            self, scalars=scalars, partner_vectors=vectors, alignment0=alignment0,
            n_paths=n_paths,
        )

    def take(self, paths: slice) -> ModelParams:
        """Restrict path-varying parameters to a slice of paths (for chunked simulation)."""
        if self.n_paths is None:
            return self

        def cut(a: np.ndarray, base_ndim: int) -> np.ndarray:
            return a[paths] if a.ndim > base_ndim else a

        return replace(
            self,
            scalars={k: cut(v, 0) for k, v in self.scalars.items()},
            partner_vectors={k: cut(v, 1) for k, v in self.partner_vectors.items()},
            alignment0=cut(self.alignment0, 2),
            n_paths=len(range(self.n_paths)[paths]),
        )

    def astype(self, dtype: np.dtype) -> ModelParams:
        """Cast every array to ``dtype`` (float32 for speed, float64 for tests)."""
        return replace(
            self,
            scalars={k: v.astype(dtype) for k, v in self.scalars.items()},
            partner_vectors={k: v.astype(dtype) for k, v in self.partner_vectors.items()},
            alignment0=self.alignment0.astype(dtype),
        )


def _expand(array: np.ndarray, n_paths: int | None, base_ndim: int) -> np.ndarray:
    if array.ndim > base_ndim:
        return array.copy()
    if n_paths is None:
        raise HedgelabError(error_line("samples", "length", "at least one sampled path"))
    return np.broadcast_to(array, (n_paths, *array.shape)).copy()


def compile_params(scenario: Scenario) -> ModelParams:
    """Turn a validated scenario into :class:`ModelParams` (float64, no path axis yet)."""
    scalars: dict[str, np.ndarray] = {}
    for group_name in _GROUPS:
        group = getattr(scenario, group_name)
        for name in type(group).model_fields:
            value = getattr(group, name)
            if isinstance(value, Parameter):
                scalars[f"{group_name}.{name}"] = np.asarray(value.value, dtype=float)
    partners = scenario.partner_codes()
    vectors = {
        f: np.array([getattr(scenario.partners[c], f).value for c in partners], dtype=float)
        for f in PARTNER_FIELDS
    }
    alignment0 = np.array(
        [[getattr(scenario.partners[c].alignment, d).value for d in DOMAINS] for c in partners],
        dtype=float,
    )
    return ModelParams(
        scalars=scalars,
        partner_vectors=vectors,
        alignment0=alignment0,
        partners=tuple(partners),
        roles=tuple(scenario.partners[c].role for c in partners),
        regime0=REGIME_INDEX[scenario.environment.us_regime_initial],
    )
