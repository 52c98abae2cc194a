"""hedgelab as an EMA Workbench model, so that EMA users drive it with their own tools.

:func:`ema_model` builds an :class:`ema_workbench.Model` of a scenario:

- **uncertainties**: one :class:`~ema_workbench.RealParameter` per sampled parameter, by default
  every numeric ``kind = "uncertainty"`` parameter with a plausible range (the same choice as
  ``hedgelab explore``: a subset by name, or narrower ranges). EMA Workbench 3 requires names
  that are Python identifiers, so a parameter's name is its dotted path with ``.`` written
  ``__`` (``partners__CHN__trade_gain``); the dotted path is its ``variable_name``, which is what
  the model function receives.
- **levers**: the strategy, a :class:`~ema_workbench.CategoricalParameter` over the strategy
  names (:func:`strategy_policies` gives one EMA ``Policy`` per strategy); a model of one
  strategy holds it as a :class:`~ema_workbench.Constant` instead.
- **outcomes**: one :class:`~ema_workbench.ScalarOutcome` per metric of the registry
  (:data:`hedgelab.analysis.metrics.METRICS`), ``MAXIMIZE`` where higher is better, ``MINIMIZE``
  where lower is, ``INFO`` otherwise: the Monte-Carlo mean over the experiment's paths (the
  lower-tail mean for ``cvar_prosperity``), as a sweep stores it.

Each experiment is one engine run of ``n_paths`` paths with the model's ``seed``: every
experiment sees the same shock paths (common random numbers, as in a sweep), so an experiment's
outcomes equal a sweep's numbers for the same parameter values, strategy, seed, paths and
horizon. The model function is a picklable object, so EMA's multiprocessing evaluator can run it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from hedgelab.analysis import runner
from hedgelab.analysis.compare import outcome_recorders
from hedgelab.analysis.explore.design import Uncertainty, uncertainties as choose_uncertainties
from hedgelab.analysis.summary import statistic_along
from hedgelab.analysis.limits import check_request
from hedgelab.analysis.metrics import METRICS
from hedgelab.analysis.prepare import prepare
from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.scenarios import Scenario, load_scenario
from hedgelab.analysis.optional import optional

STRATEGY_LEVER = "strategy"


def ema_name(path: str) -> str:
    """The EMA parameter name of a dotted parameter path (``.`` → ``__``; an identifier)."""
    return path.replace(".", "__")


class HedgelabFunction:
    """The model function EMA calls: ``f(**{path: value, ..., "strategy": name}) -> {metric: value}``."""

    def __init__(self, scenario: Scenario, strategies: Sequence[str], uncertainties: Sequence[Uncertainty],
                 metrics: Sequence[str], *, n_paths: int, years: int, seed: int, dtype: Any = np.float32,
                 workers: int | None = 1):
        self.scenario = scenario
        self.strategies = list(strategies)
        self.uncertainties = list(uncertainties)
        self.metrics = list(metrics)
        self.n_paths, self.years, self.seed = n_paths, years, seed
        self.dtype = np.dtype(dtype)
        self.workers = workers

    def __call__(self, **experiment: Any) -> dict[str, float]:
        strategy = experiment.get(STRATEGY_LEVER)
        if strategy not in self.strategies:
            raise HedgelabError(error_line("experiment", STRATEGY_LEVER, (
                f"one of {', '.join(self.strategies)}, not {strategy!r}{suggest(str(strategy), self.strategies)}")))
        missing = [u.name for u in self.uncertainties if u.name not in experiment]
        if missing:
            raise HedgelabError(error_line("experiment", missing[0], "a value for every uncertainty of the model"))
        samples = {u.name: np.full(self.n_paths, float(experiment[u.name])) for u in self.uncertainties}
        prepared = prepare(self.scenario, [strategy], None, samples, self.n_paths)
        output = runner.run(prepared, outcome_recorders(), n_paths=self.n_paths, years=self.years, seed=self.seed,
                            dtype=self.dtype, workers=self.workers, shock_period=self.n_paths,
                            what="an EMA Workbench experiment")
        outcomes = {}
        for name in self.metrics:
            metric = METRICS[name]
            dims, values = output.outputs[metric.variable]
            if dims != ("strategy", "path"):
                raise RuntimeError(f"{metric.variable} has dims {dims}")
            value, _ = statistic_along(values[0], metric.statistic)  # as a sweep computes it
            outcomes[name] = float(value)
        return outcomes


def ema_model(
    scenario: str | Scenario = "japan-2026",
    strategies: Sequence[str] | None = None,
    uncertainties: Sequence[str] | None = None,
    *,
    ranges: Mapping[str, Sequence[float]] | None = None,
    metrics: Sequence[str] | None = None,
    n_paths: int = 200,
    years: int = 10,
    seed: int = 0,
    overrides: Sequence[str] | None = None,
    workers: int | None = 1,
    name: str = "hedgelab",
):
    """An :class:`ema_workbench.Model` of ``scenario`` (see the module's description).

    Parameters
    ----------
    scenario : str or Scenario
        Built-in name, scenario file, or a loaded scenario (then without ``overrides``).
    strategies : list of str, optional
        The strategy lever's categories (default: all the scenario's strategies).
    uncertainties : list of str, optional
        Parameter paths to vary (default: every ``kind = "uncertainty"`` parameter with a range).
    ranges : mapping of path to (low, high), optional
        Narrower ranges to vary instead (inside the plausible ranges), as ``explore --ranges``.
    metrics : list of str, optional
        Registry metrics to report as outcomes (default: all of :data:`METRICS`).
    n_paths, years, seed : int
        Paths per experiment, horizon and the seed of the shocks every experiment shares.
    workers : int, optional
        Local threads of each experiment's engine run (default 1: EMA's evaluator parallelises
        across experiments; None: every core).
    """
    ema = optional("ema_workbench", "explore")
    CategoricalParameter, Constant, Model = ema.CategoricalParameter, ema.Constant, ema.Model
    RealParameter, ScalarOutcome = ema.RealParameter, ema.ScalarOutcome

    check_request(n_paths, years, seed)
    if overrides and not isinstance(scenario, str):
        raise HedgelabError(error_line("request", "overrides", "None with a loaded scenario (apply them when loading)"))
    loaded = load_scenario(scenario, list(overrides or [])) if isinstance(scenario, str) else scenario
    names = list(prepare(loaded, strategies).policy.names)
    chosen = choose_uncertainties(loaded, uncertainties, ranges)
    chosen_metrics = list(metrics) if metrics is not None else list(METRICS)
    unknown = [m for m in chosen_metrics if m not in METRICS]
    if unknown:
        raise HedgelabError(error_line("request", "metrics", f"registry metrics, not {unknown[0]!r}"
                                       f"{suggest(unknown[0], METRICS)}"))
    kinds = {"higher": ScalarOutcome.MAXIMIZE, "lower": ScalarOutcome.MINIMIZE}

    model = Model(name, function=HedgelabFunction(loaded, names, chosen, chosen_metrics, n_paths=n_paths,
                                                  years=years, seed=seed, workers=workers))
    model.uncertainties = [RealParameter(ema_name(u.name), u.low, u.high, variable_name=u.name) for u in chosen]
    if len(names) > 1:
        model.levers = [CategoricalParameter(STRATEGY_LEVER, names)]
    else:  # EMA's categorical parameters need two categories: one strategy is a constant
        model.constants = [Constant(STRATEGY_LEVER, names[0])]
    model.outcomes = [ScalarOutcome(m, kind=kinds.get(METRICS[m].better, ScalarOutcome.INFO)) for m in chosen_metrics]
    return model


def strategy_policies(model) -> list:
    """One EMA :class:`~ema_workbench.Policy` per strategy of ``model`` (named after it), for
    ``perform_experiments(model, scenarios=N, policies=strategy_policies(model))``."""
    Policy = optional("ema_workbench", "explore").Policy

    if STRATEGY_LEVER not in model.levers.keys():  # one strategy, held constant
        return [Policy(model.constants[STRATEGY_LEVER].value)]
    lever = model.levers[STRATEGY_LEVER]
    return [Policy(category.name, **{STRATEGY_LEVER: category.value}) for category in lever.categories]
