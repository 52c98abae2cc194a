"""The China–Taiwan trilemma front: the Pareto front of deterrence, Taiwan-contingency preparedness
and security without the US over the levers of the policy family.

Search: NSGA-II (Deb et al. 2002, :class:`pymoo.algorithms.moo.nsga2.NSGA2`) over the levers of
:class:`hedgelab.scenarios.schema.Strategy` (each scalar lever and each role's shift per domain,
over the ranges the schema allows). A candidate's objectives are ensemble means over ``n_paths``
paths (registry metrics of the same names, :data:`hedgelab.analysis.metrics.METRICS`), every
candidate of every generation on the same shocks (one seed: common random numbers, so two
candidates differ by their levers, not by noise). The named strategies are evaluated on the same
shocks and seed the first generation.

Precision: unless given, ``n_paths`` is chosen from a pilot run so that every standard error is
under ``precision`` (1%) of the objective's range over the pilot points:
``n = max_j (sd_j / (precision × range_j))²``; the result reports the achieved largest ratio of
standard error to range over the front and the named strategies, and warns (a ``hedgelab``
logger warning and :attr:`Front.warning`) when that ratio exceeds ``precision``: the pilot's range
understated the front's, the path count hit :data:`MAX_PATHS`, or ``n_paths`` was given.

The front is the non-dominated set of everything evaluated (the named strategies included), so
every named strategy is on it or dominated by a point of it. The first :data:`RECHECK_LAYERS`
non-dominated layers of everything evaluated (the front and the points just behind it) and the
named strategies are re-evaluated on a fresh seed (``seed +`` :data:`RECHECK_SEED_OFFSET`,
:attr:`Front.recheck`): the share of front points still non-dominated there, the points from
behind that join the front there, and the largest shift of a front point in units of the standard
error of a difference of two independent estimates, ``√(se₁² + se₂²)``. A named strategy's distance to the front is the IGD+ distance
(Ishibuchi et al. 2015): the smallest Euclidean norm, over front points ``f``, of ``max(f − p, 0)``
in objectives scaled by the front's range: 0 on the front, the improvement it needs otherwise.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import BaseModel

from hedgelab.analysis import runner
from hedgelab.analysis.limits import check_request
from hedgelab.analysis.metrics import METRICS
from hedgelab.analysis.optional import optional
from hedgelab.analysis.prepare import prepare
from hedgelab.analysis.provenance import param_hash
from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.model.recorders import TimeAverages
from hedgelab.scenarios import Scenario, Strategy, load_scenario, strategies_for
from hedgelab.scenarios.schema import DomainShift

OBJECTIVES: tuple[str, ...] = ("deterrence", "taiwan_preparedness", "security_without_us")
"""The trilemma's three objectives (registry metrics, higher is better)."""
PRECISION = 0.01
"""Largest standard error of an objective mean, as a share of its range."""
PILOT_PATHS = 512
"""Paths per point of the pilot run that sizes ``n_paths`` (enough for a standard deviation to a
few per cent)."""
PILOT_POINTS = 16
"""Random lever settings of the pilot run (with the named strategies), whose objective range the
precision rule divides by."""
PATH_STEP = 1024
"""``n_paths`` chosen from the pilot is rounded up to whole shock blocks."""
MAX_PATHS = 32768
"""Most paths per evaluation the pilot's rule chooses (a search of 1,000 evaluations stays within
minutes); when the rule needs more, the result says so (:attr:`Front.warning`)."""
RECHECK_SEED_OFFSET = 1
"""The re-check runs on ``seed + RECHECK_SEED_OFFSET`` (fresh shocks, the same levers)."""
RECHECK_LAYERS = 3
"""Non-dominated layers of everything evaluated that the re-check re-evaluates (the front and the
points just behind it, which may overtake it on fresh shocks)."""
logger = logging.getLogger("hedgelab")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Lever:
    """One dimension of the search: a scalar lever (``defence_shift``) or a role's shift in a
    domain (``patron.security``), with the range the schema allows."""

    name: str
    low: float
    high: float
    unit: str


def _bounds(field) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    low = next(m.ge for m in field.metadata if hasattr(m, "ge"))
    high = next(m.le for m in field.metadata if hasattr(m, "le"))
    return float(low), float(high)


def levers(names: Sequence[str] | None = None) -> list[Lever]:
    """The levers of the policy family: every float lever of the schema's
    :class:`~hedgelab.scenarios.schema.Strategy`, and every float field of its nested settings
    (each role's shift per domain, ``patron.security``; threat weights …), or those in ``names``.
    Discrete settings (a switch's signal and target, per-partner shifts) are not searched."""
    found = []
    for name, field in Strategy.model_fields.items():
        kind = field.annotation
        if kind is float and isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get("kind") == "lever":
            found.append(Lever(name, *_bounds(field), field.json_schema_extra["unit"]))
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            for sub, inner in kind.model_fields.items():
                if inner.annotation is float:
                    extra = inner.json_schema_extra if isinstance(inner.json_schema_extra, dict) else {}
                    unit = extra.get("unit", "alignment shift" if kind is DomainShift else "")
                    found.append(Lever(f"{name}.{sub}", *_bounds(inner), unit))
    if names is None:
        return found
    if not names:
        raise HedgelabError(error_line("request", "levers", "at least one lever name (leave it out to search all)"))
    known = {lever.name: lever for lever in found}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise HedgelabError(error_line("request", "levers", f"lever names ({', '.join(known)}), not {unknown[0]!r}"
                                       f"{suggest(unknown[0], known)}"))
    return [known[n] for n in names]


def strategy_from(values: Sequence[float], chosen: Sequence[Lever], base: Strategy | None = None) -> Strategy:
    """A strategy with ``chosen`` levers set to ``values`` (the others as in ``base``, or defaults)."""
    data = (base or Strategy()).model_dump()
    data["description"] = ""
    for lever, value in zip(chosen, values):
        role, _, domain = lever.name.partition(".")
        if domain:
            data[role][domain] = float(value)
        else:
            data[lever.name] = float(value)
    return Strategy.model_validate(data)


def lever_values(strategy: Strategy, chosen: Sequence[Lever]) -> np.ndarray:
    """The values of ``chosen`` levers in ``strategy`` (per-partner shifts are not levers here)."""
    data = strategy.model_dump()
    return np.array([data[l.name.partition(".")[0]][l.name.partition(".")[2]] if "." in l.name else data[l.name]
                     for l in chosen], dtype=np.float64)


def evaluate(scenario: Scenario, strategies: Mapping[str, Strategy], *, n_paths: int, years: int, seed: int,
             workers: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Ensemble means and standard errors ``[strategy, objective]`` of :data:`OBJECTIVES`, every
    strategy on the same shocks."""
    prepared = prepare(scenario, strategies)
    with warnings.catch_warnings():
        # levers at the edge of their range can cut every economic tie: the model's exposure cap is then
        # min(1, cap / 0) = 1, as intended, with numpy's divide-by-zero warning on the way
        warnings.filterwarnings("ignore", "divide by zero", RuntimeWarning)
        output = runner.run(prepared, [TimeAverages(OBJECTIVES)], n_paths=n_paths, years=years, seed=seed,
                            dtype=np.float32, workers=workers, what="the trilemma front")
    values = np.stack([output.outputs[name][1].astype(np.float64) for name in OBJECTIVES], axis=-1)  # [S, P, 3]
    return values.mean(1), values.std(1, ddof=1) / np.sqrt(values.shape[1])


def non_dominated(points: np.ndarray) -> np.ndarray:
    """Indices of the rows of ``points`` (higher is better in every column) that no other row
    dominates (pymoo's non-dominated sorting)."""
    nds = optional("pymoo.util.nds.non_dominated_sorting", "explore")
    return np.sort(nds.NonDominatedSorting().do(-np.asarray(points), only_non_dominated_front=True))


def igd_plus(points: np.ndarray, front: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """IGD+ distance of each row of ``points`` to ``front`` (higher is better), per objective in
    units of ``scale``: ``min_f ‖max(f − p, 0) / scale‖``."""
    gap = np.maximum(front[None, :, :] - points[:, None, :], 0.0) / scale
    return np.sqrt((gap**2).sum(-1)).min(1)


def paths_needed(sd: np.ndarray, spread: np.ndarray, precision: float = PRECISION) -> float:
    """Paths so that a standard error ``sd / √n`` is under ``precision × spread`` in every
    objective: ``max_j (sd_j / (precision × spread_j))²``."""
    return float(np.max((np.asarray(sd) / (precision * np.maximum(np.asarray(spread), 1e-12))) ** 2))


def paths_for(sd: np.ndarray, spread: np.ndarray, precision: float = PRECISION) -> int:
    """:func:`paths_needed` in whole blocks of :data:`PATH_STEP`, at most :data:`MAX_PATHS`."""
    needed = paths_needed(sd, spread, precision)
    return int(min(MAX_PATHS, max(PATH_STEP, np.ceil(needed / PATH_STEP) * PATH_STEP)))


@dataclass(frozen=True)
class Front:
    """A trilemma front and the named strategies placed against it."""

    points: pd.DataFrame  # front points: point, origin (search / named), levers, objectives, <objective>_se
    named: pd.DataFrame  # named strategies: objectives, _se, on_front, dominated_by, distance
    recheck: dict  # the front and the layers behind it re-evaluated on a fresh seed
    settings: dict  # scenario, overrides, version, param_hash, seed, n_paths, years, generations, population,
    # levers, se_over_range, precision_met, evaluations
    warning: str | None = None  # why a standard error exceeds the precision target (None: every one meets it)


def _table(labels, origin, x, chosen, means, se) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    frame = pd.DataFrame({"point": labels, "origin": origin})
    for j, lever in enumerate(chosen):
        frame[lever.name] = x[:, j]
    for j, name in enumerate(OBJECTIVES):
        frame[name] = means[:, j]
        frame[f"{name}_se"] = se[:, j]
    return frame


def front(
    scenario: str | Scenario = "japan-2026",
    *,
    lever_names: Sequence[str] | None = None,
    overrides: Sequence[str] | None = None,
    n_paths: int | None = None,
    years: int = 10,
    seed: int = 0,
    population: int = 40,
    generations: int = 25,
    precision: float = PRECISION,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Front:
    """The trilemma front of ``scenario`` over the policy family's levers.

    Parameters
    ----------
    lever_names : list of str, optional
        Levers to search (:func:`levers`; default all); the others stay at the schema's defaults.
    n_paths : int, optional
        Paths per evaluation (default: chosen from a pilot run for ``precision``).
    population, generations : int
        NSGA-II population size and number of generations.
    progress : callable, optional
        ``progress(generations_done, generations)``.
    """
    nsga2 = optional("pymoo.algorithms.moo.nsga2", "explore")
    problem_module = optional("pymoo.core.problem", "explore")
    check_request(PATH_STEP if n_paths is None else n_paths, years, seed)
    problems = []
    if population < 4:
        problems.append(error_line("request", "population", f"at least 4 (got {population})"))
    if generations < 1:
        problems.append(error_line("request", "generations", f"at least 1 (got {generations})"))
    if not 0 < precision < 1:
        problems.append(error_line("request", "precision", f"a share in (0, 1), got {precision}"))
    if problems:
        raise HedgelabError(problems)
    loaded = load_scenario(scenario, list(overrides or [])) if isinstance(scenario, str) else scenario
    chosen = levers(lever_names)
    named = strategies_for(loaded, None)
    low, high = np.array([l.low for l in chosen]), np.array([l.high for l in chosen])
    rng = np.random.default_rng(seed)
    named_x = np.clip(np.array([lever_values(s, chosen) for s in named.values()]), low, high)

    def run(xs: np.ndarray, paths: int, at_seed: int, extra: Mapping[str, Strategy] = {}) -> tuple[np.ndarray, np.ndarray]:
        batch = {**extra, **{f"x{i}": strategy_from(x, chosen) for i, x in enumerate(xs)}}
        return evaluate(loaded, batch, n_paths=paths, years=years, seed=at_seed, workers=workers)

    pilot_paths = needed = None
    if n_paths is None:
        pilot_x = low + rng.random((PILOT_POINTS, len(chosen))) * (high - low)
        means, se = run(pilot_x, PILOT_PATHS, seed, named)
        sd, spread = (se * np.sqrt(PILOT_PATHS)).max(0), means.max(0) - means.min(0)
        n_paths, needed = paths_for(sd, spread, precision), paths_needed(sd, spread, precision)
        pilot_paths = PILOT_PATHS
    named_means, named_se = evaluate(loaded, named, n_paths=n_paths, years=years, seed=seed, workers=workers)

    class Trilemma(problem_module.Problem):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__(n_var=len(chosen), n_obj=len(OBJECTIVES), xl=low, xu=high)

    start = np.vstack([named_x, low + rng.random((max(0, population - len(named_x)), len(chosen))) * (high - low)])
    algorithm = nsga2.NSGA2(pop_size=population, sampling=start[:population] if len(start) >= population else start)
    algorithm.setup(Trilemma(), termination=("n_gen", generations), seed=seed, verbose=False)
    xs, means, ses = [], [], []
    done = 0
    while algorithm.has_next():
        pop = algorithm.ask()
        x = pop.get("X")
        m, s = run(x, n_paths, seed)
        pop.set("F", -m)
        algorithm.tell(infills=pop)
        xs.append(x)
        means.append(m)
        ses.append(s)
        done += 1
        if progress is not None:
            progress(min(done, generations), generations)
    searched_x, searched_m, searched_se = np.vstack(xs), np.vstack(means), np.vstack(ses)
    all_m = np.vstack([named_means, searched_m])
    on = non_dominated(all_m)
    names = list(named)
    labels = names + [f"point{i}" for i in range(len(searched_m))]
    origin = ["named"] * len(names) + ["search"] * len(searched_m)
    all_x = np.vstack([named_x, searched_x])
    all_se = np.vstack([named_se, searched_se])
    non_dominated_labels = {labels[i] for i in on}  # a named strategy equal to a front point is on it too
    # identical evaluations (a candidate drawn twice, two strategies that act alike) are one point
    _, unique = np.unique(np.round(all_m[on], 12), axis=0, return_index=True)
    on = on[np.sort(unique)]
    points = _table([labels[i] for i in on], [origin[i] for i in on], all_x[on], chosen, all_m[on], all_se[on])
    spread = all_m[on].max(0) - all_m[on].min(0)
    scale = np.where(spread > 0, spread, 1.0)
    distance = igd_plus(named_means, all_m[on], scale)
    dominated_by = [next((labels[i] for i in on if np.all(all_m[i] >= p) and np.any(all_m[i] > p)), "")
                    for p in named_means]
    named_table = _table(names, ["named"] * len(names), named_x, chosen, named_means, named_se).drop(columns=["origin"])
    named_table = named_table.rename(columns={"point": "strategy"})[["strategy", *[c for c in named_table.columns
                                                                                   if c in OBJECTIVES or c.endswith("_se")]]]
    named_table["on_front"] = [label in non_dominated_labels for label in names]
    named_table["dominated_by"] = dominated_by
    named_table["distance"] = distance
    # the first layers of everything evaluated re-evaluated on a fresh seed (named strategies as themselves)
    fresh = seed + RECHECK_SEED_OFFSET
    layers = optional("pymoo.util.nds.non_dominated_sorting", "explore").NonDominatedSorting().do(-all_m)
    behind = np.concatenate(layers[:RECHECK_LAYERS])
    searched = np.sort(behind[np.array([origin[i] == "search" for i in behind], dtype=bool)])
    re_all, re_se_all = run(all_x[searched], n_paths, fresh, named)
    fresh_m = pd.DataFrame(re_all, index=[*names, *(labels[i] for i in searched)])
    fresh_se = pd.DataFrame(re_se_all, index=fresh_m.index)
    still = {fresh_m.index[i] for i in non_dominated(fresh_m.to_numpy())}
    re_m, re_se = fresh_m.loc[points["point"]].to_numpy(), fresh_se.loc[points["point"]].to_numpy()
    shift = np.abs(re_m - points[list(OBJECTIVES)].to_numpy())
    recheck = {
        "seed": fresh, "layers": RECHECK_LAYERS, "n_rechecked": int(len(fresh_m)),
        "share_still_non_dominated": float(points["point"].isin(still).mean()),
        "joined_from_behind": sorted(still - {labels[i] for i in layers[0]} - set(names)),
        "max_shift_over_range": {name: float(shift[:, j].max() / scale[j]) for j, name in enumerate(OBJECTIVES)},
        "max_shift_over_se": float(np.max(shift / np.sqrt(points[[f"{n}_se" for n in OBJECTIVES]].to_numpy() ** 2
                                                          + re_se**2))),
    }
    shown = np.vstack([all_m[on], named_means])
    shown_se = np.vstack([all_se[on], named_se])
    settings = {
        "scenario": loaded.name, "seed": seed, "n_paths": n_paths, "pilot_paths": pilot_paths, "years": years,
        "population": population, "generations": generations, "levers": [l.name for l in chosen],
        "evaluations": int(len(searched_m)), "precision": precision,
        "se_over_range": {name: float(shown_se[:, j].max() / max(np.ptp(shown[:, j]), 1e-12))
                          for j, name in enumerate(OBJECTIVES)},
        "paths_needed": needed, "units": {name: METRICS[name].unit for name in OBJECTIVES},
        "overrides": list(overrides or []), "version": _version(), "param_hash": param_hash(loaded, named, ""),
    }
    warning = _precision_warning(settings["se_over_range"], precision, n_paths, pilot_paths, needed)
    settings["precision_met"] = warning is None
    if warning is not None:
        logger.warning(warning)
    return Front(points.sort_values(list(OBJECTIVES), ascending=False).reset_index(drop=True), named_table,
                 recheck, settings, warning)


def _version() -> str:
    import hedgelab

    return str(hedgelab.__version__)


def _precision_warning(ratios: Mapping[str, float], precision: float, n_paths: int, pilot_paths: int | None,
                       needed: float | None) -> str | None:
    """Why the largest standard error over range exceeds ``precision`` (None when it does not)."""
    worst = max(ratios, key=lambda name: ratios[name])
    if ratios[worst] <= precision:
        return None
    if pilot_paths is None:
        why = f"n_paths = {n_paths:,} was given, not chosen by the pilot's rule"
    elif needed is not None and needed > MAX_PATHS:
        why = f"the rule needed {needed:,.0f} paths, capped at MAX_PATHS = {MAX_PATHS:,}"
    else:
        why = "the pilot's range understated the front's"
    return (f"trilemma front: the standard error of {worst} is {ratios[worst]:.2%} of its range, above the "
            f"precision target {precision:.0%} ({why}); differences smaller than about two standard errors "
            "are noise")
