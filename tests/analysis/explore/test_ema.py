"""hedgelab as an EMA Workbench model: uncertainties, levers and outcome directions from the
scenario and the metric registry, and perform_experiments giving hedgelab's own numbers."""

import importlib.util
import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("ema_workbench")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # "ipyparallel not installed"
    from ema_workbench import ScalarOutcome, perform_experiments

from hedgelab.analysis.explore.design import Design, uncertainties  # noqa: E402
from hedgelab.analysis.explore.ema import ema_model, ema_name, strategy_policies  # noqa: E402
from hedgelab.analysis.explore.sweep import sweep  # noqa: E402
from hedgelab.analysis.metrics import METRICS  # noqa: E402
from hedgelab.errors import HedgelabError  # noqa: E402
from hedgelab.scenarios import load_scenario  # noqa: E402

NAMES = ["environment.convergence_speed", "events.coercion_severity", "partners.CHN.trade_gain"]
STRATEGIES = ["dual_hedge", "anchor", "multi_hedge"]
P, YEARS, SEED = 48, 2, 7


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("japan-2026")


@pytest.fixture(scope="module")
def model(scenario):
    return ema_model(scenario, STRATEGIES, NAMES, n_paths=P, years=YEARS, seed=SEED)


def test_uncertainties_levers_and_outcomes_come_from_the_scenario_and_the_registry(scenario, model):
    expected = {u.name: u for u in uncertainties(scenario, NAMES)}
    assert [u.name for u in model.uncertainties] == [ema_name(n) for n in NAMES]
    for parameter in model.uncertainties:
        (path,) = parameter.variable_name
        assert parameter.name == path.replace(".", "__") and parameter.name.isidentifier()
        assert (parameter.lower_bound, parameter.upper_bound) == (expected[path].low, expected[path].high)
    assert [c.value for c in model.levers["strategy"].categories] == STRATEGIES
    assert [o.name for o in model.outcomes] == list(METRICS)
    for outcome in model.outcomes:
        better = METRICS[outcome.name].better
        assert outcome.kind == {"higher": ScalarOutcome.MAXIMIZE, "lower": ScalarOutcome.MINIMIZE}.get(
            better, ScalarOutcome.INFO)
    assert model.outcomes["prosperity"].kind == ScalarOutcome.MAXIMIZE
    assert model.outcomes["p_coercion"].kind == ScalarOutcome.MINIMIZE
    every = ema_model(scenario, ["anchor", "dual_hedge"], n_paths=P, years=YEARS)
    assert len(every.uncertainties) == len(uncertainties(scenario)) > len(NAMES)


def test_a_model_of_one_strategy_holds_it_constant(scenario, model):
    single = ema_model(scenario, ["anchor"], NAMES, n_paths=P, years=YEARS, seed=SEED)
    assert len(single.levers) == 0 and single.constants["strategy"].value == "anchor"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        experiments, outcomes = perform_experiments(single, scenarios=2, policies=strategy_policies(single))
    assert list(experiments["policy"]) == ["anchor", "anchor"]
    for row, experiment in enumerate(experiments.itertuples()):
        point = {n: getattr(experiment, ema_name(n)) for n in NAMES}
        assert outcomes["security"][row] == model.function(**point, strategy="anchor")["security"]


def test_perform_experiments_returns_hedgelabs_own_numbers_for_the_same_samples(scenario, model):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        experiments, outcomes = perform_experiments(model, scenarios=4, policies=strategy_policies(model))
    assert len(experiments) == 4 * len(STRATEGIES) and set(outcomes) == set(METRICS)
    # the same futures as a hedgelab design, all four in one vectorised engine run
    futures = experiments.drop_duplicates("scenario").sort_values("scenario")
    design = Design("given", tuple(uncertainties(scenario, NAMES)),
                    futures[[ema_name(n) for n in NAMES]].to_numpy(dtype=np.float64), len(futures), 0)
    own = sweep(scenario, STRATEGIES, design, paths_per_sample=P, years=YEARS, seed=SEED, samples_per_chunk=4, workers=1)
    sample_of = {scenario_id: i for i, scenario_id in enumerate(futures["scenario"])}
    for row, experiment in enumerate(experiments.itertuples()):
        sample, strategy = sample_of[experiment.scenario], experiment.strategy
        for metric in METRICS:
            assert outcomes[metric][row] == own[metric].sel(strategy=strategy, sample=sample).item(), (metric, row)
    # the outcomes vary with the futures and the strategies (not a constant)
    assert np.unique(outcomes["prosperity"]).size == len(experiments)


def test_the_model_function_pickles_for_multiprocessing_evaluators(model):
    function = pickle.loads(pickle.dumps(model.function))
    point = {name: 0.5 * (u.lower_bound + u.upper_bound) for name, u in zip(NAMES, model.uncertainties)}
    assert function(**point, strategy="anchor") == model.function(**point, strategy="anchor")


def test_bad_requests_are_one_line(scenario, model):
    with pytest.raises(HedgelabError, match=r"^request: metrics: expected registry metrics, not 'prosperty' \(did you"):
        ema_model(scenario, STRATEGIES, NAMES, metrics=["prosperty"])
    with pytest.raises(HedgelabError, match=r"^request: uncertainties: expected a numeric parameter path"):
        ema_model(scenario, STRATEGIES, ["environment.no_such_thing"])
    with pytest.raises(HedgelabError, match=r"^experiment: strategy: expected one of dual_hedge, anchor, multi_hedge"):
        model.function(**{n: 0.1 for n in NAMES}, strategy="anchr")


def test_the_example_script_runs_and_reports_every_strategy_on_every_future(capsys):
    path = Path(__file__).resolve().parents[3] / "examples" / "ema_workbench_model.py"
    spec = importlib.util.spec_from_file_location("_ema_example", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    results = example.main(["--scenarios", "6", "--paths", "16", "--years", "1"])
    assert len(results) == 18 and sorted(results["policy"].unique()) == ["anchor", "dual_hedge", "multi_hedge"]
    assert results.groupby("policy").size().tolist() == [6, 6, 6]
    out = capsys.readouterr().out
    assert "prosperity: MAXIMIZE, p_coercion: MINIMIZE" in out and "18 experiments" in out
