"""Backtests: does the model, started from the data at one year, get the following years right?

:func:`backtest` sets the model's initial state from the data of the focal state at year
``start`` (:func:`hedgelab.scenarios.calibrate.initial_state`: the built-in scenario of that focal state,
else japan-2026, as a template), runs it forward under the *status quo* strategy (every shift
and reaction lever zero) and scores its projections of the observable indicators against the
data of the years ``start + 1 … end``, next to two baselines that are always reported:

* **persistence**: the value at ``start`` (the last value the model's initial state sees);
* **linear trend**: an ordinary least-squares line through the values of the ``trend_window``
  years ending at ``start`` (default 10: ``start - 9 … start``), extrapolated.

Every forecast uses the same information: data up to and including ``start``. The score is
the mean absolute error (MAE) per indicator over the years with data.

Indicators and their model counterparts:

=========================  ==========================================  ========================
indicator                  data                                        model
=========================  ==========================================  ========================
trade_share_total, USA     IMF DOTS goods trade share with the patron  direct exposure, patron
trade_share_total, CHN     the same with the challenger (mainland)     direct exposure, challenger
milex_gdp                  SIPRI (else COW NMC / World Bank), % GDP    defence spending
unga_ideal_distance, USA   UNGA ideal-point distance                   none (baselines only)
unga_ideal_distance, CHN   the same with China                         none (baselines only)
=========================  ==========================================  ========================

The model's yearly projection is the mean over paths of the four quarterly values of that year
(year ``start + k`` = simulated quarters ``4(k-1) … 4k-1``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from hedgelab.errors import HedgelabError, error_line

__all__ = [
    "BacktestResult",
    "DEFAULT_TREND_WINDOW",
    "SCORED",
    "backtest",
    "linear_trend",
    "mae",
    "model_projection",
    "persistence",
]

PathLike = str | os.PathLike[str] | None

DEFAULT_TREND_WINDOW = 10
"""Years (ending at ``start``) the linear-trend baseline is fitted on."""

MIN_START = 1990
"""Earliest start year: the scenario schema's earliest base year."""

MAX_HORIZON = 50
MAX_BACKTEST_PATHS = 100_000
"""Paths of one backtest projection (each keeps every quarter of three indicators)."""


@dataclass(frozen=True)
class Scored:
    """One observable indicator: its name, partner role (or None) and model counterpart."""

    indicator: str
    role: str | None  # "patron", "challenger" or None (a monadic indicator)
    model: str | None  # "exposure_patron", "exposure_challenger", "spending", or None


SCORED: tuple[Scored, ...] = (
    Scored("trade_share_total", "patron", "exposure_patron"),
    Scored("trade_share_total", "challenger", "exposure_challenger"),
    Scored("milex_gdp", None, "spending"),
    Scored("unga_ideal_distance", "patron", None),
    Scored("unga_ideal_distance", "challenger", None),
)
"""What a backtest scores. UNGA distance has no model counterpart yet (baselines only)."""


# --- baselines and scores (pure functions, tested on hand-made series) ---------------------------


def persistence(history: pd.Series, origin: int, years: list[int]) -> pd.Series:
    """Forecast every year in ``years`` with the last value at or before ``origin``.

    ``history`` is indexed by year. NaN when there is no value at or before ``origin``.
    """
    past = history[history.index <= origin].dropna()
    value = float(past.sort_index().iloc[-1]) if not past.empty else np.nan
    return pd.Series(value, index=pd.Index(years, name="year"), dtype="float64")


def linear_trend(history: pd.Series, origin: int, years: list[int], window: int = DEFAULT_TREND_WINDOW) -> pd.Series:
    """Forecast with the OLS line through the values of years ``origin - window + 1 … origin``.

    NaN when fewer than two years in the window have values.
    """
    past = history[(history.index > origin - window) & (history.index <= origin)].dropna()
    if len(past) < 2:
        return pd.Series(np.nan, index=pd.Index(years, name="year"), dtype="float64")
    x = past.index.to_numpy(dtype="float64")
    slope, intercept = np.polyfit(x, past.to_numpy(dtype="float64"), 1)
    return pd.Series(intercept + slope * np.asarray(years, dtype="float64"), index=pd.Index(years, name="year"))


def mae(forecast: pd.Series, actual: pd.Series) -> tuple[float, int]:
    """Mean absolute error over the years where both have values, and how many years that is."""
    both = pd.concat([forecast.rename("f"), actual.rename("a")], axis=1).dropna()
    if both.empty:
        return float("nan"), 0
    return float((both["f"] - both["a"]).abs().mean()), len(both)


# --- the model's projection ----------------------------------------------------------------------


def model_projection(raw: dict[str, Any], n_years: int, *, n_paths: int = 100, seed: int = 0,
                     samples: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Run a scenario dict forward under the status quo; yearly means over quarters and paths.

    Returns a frame indexed by ``k = 1 … n_years`` (years after the base year) with columns
    ``exposure_patron``, ``exposure_challenger``, ``spending`` (means) and the same with suffixes
    ``_p05``/``_p95`` (5% and 95% quantiles over paths of the yearly mean).
    """
    from hedgelab.analysis import runner
    from hedgelab.analysis.prepare import prepare
    from hedgelab.model.recorders import Trajectory
    from hedgelab.scenarios.loader import validate
    from hedgelab.scenarios.schema import Strategy

    columns = {"exposure_patron": "patron_exposure", "exposure_challenger": "challenger_exposure",
               "spending": "defence_spending"}
    scenario = validate(raw, raw.get("name", "backtest scenario"))
    prepared = prepare(scenario, {"status_quo": Strategy()}, samples=samples, n_paths=n_paths if samples else None)
    output = runner.run(prepared, [Trajectory(tuple(columns.values()))], n_paths=n_paths, years=n_years,
                        seed=seed, dtype=np.float64, what="a backtest")
    out: dict[str, np.ndarray] = {}
    for name, variable in columns.items():
        quarterly = output.outputs[variable][1][0]  # [path, quarter] of the one strategy
        yearly = quarterly.reshape(n_paths, n_years, 4).mean(axis=2)  # [path, year]
        out[name] = yearly.mean(axis=0)
        out[f"{name}_p05"] = np.quantile(yearly, 0.05, axis=0)
        out[f"{name}_p95"] = np.quantile(yearly, 0.95, axis=0)
    return pd.DataFrame(out, index=pd.Index(np.arange(1, n_years + 1), name="k"))


# --- the backtest --------------------------------------------------------------------------------


@dataclass
class BacktestResult:
    """What :func:`backtest` found.

    Attributes
    ----------
    country, start, end, trend_window, template, n_paths : as requested / used
    rows : DataFrame
        One row per indicator, partner and scored year: ``indicator, partner, unit, year,
        actual, model, persistence, trend`` (``model`` NaN where the model has no counterpart).
    summary : DataFrame
        One row per indicator and partner: ``indicator, partner, unit, n_years, mae_model,
        mae_persistence, mae_trend, best`` (the method with the lowest MAE; ties name all).
    initial : list of Calibrated
        The calibrated initial-state numbers (value, source, as_of).
    notes : list of str
    """

    country: str
    start: int
    end: int
    trend_window: int
    template: str
    n_paths: int
    rows: pd.DataFrame
    summary: pd.DataFrame
    initial: list[Any] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN -> None)."""

        def clean(v: Any) -> Any:
            if isinstance(v, (float, np.floating)):
                return None if not np.isfinite(v) else float(v)
            if isinstance(v, (np.integer,)):
                return int(v)
            return v

        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return [{k: clean(v) for k, v in r.items()} for r in df.to_dict(orient="records")]

        return {
            "country": self.country, "from": self.start, "to": self.end,
            "trend_window": [self.start - self.trend_window + 1, self.start],
            "template": self.template, "paths": self.n_paths,
            "summary": records(self.summary), "rows": records(self.rows),
            "initial_state": [{"parameter": c.dotted, "value": c.value, "source": c.source, "as_of": c.as_of}
                              for c in self.initial],
            "notes": list(self.notes),
        }


MODES: tuple[str, ...] = ("conditional", "unconditional")
"""``conditional``: partner growth and the challenger's capacity growth set to their realised
means over ``start … end`` (a test of the dynamics given the drivers); ``unconditional``: each
path draws those rates from a normal around the estimate from data before ``start`` with the
predictive SD written in its range (truncated at the range), a forecast."""

Z90 = 1.6448536269514722  # two-sided 90% normal quantile: the baselines' interval half-width in SDs


def growth_paths(raw: dict[str, Any]) -> list[tuple[str, ...]]:
    """The scenario paths of the growth rates a backtest conditions on or samples."""
    return [("threat", "challenger_capacity_growth"), *(("partners", c, "growth") for c in raw["partners"])]


def realised_growth(raw: dict[str, Any], start: int, end: int, data_dir: PathLike) -> dict[tuple[str, ...], float]:
    """Mean yearly log change over ``start … end`` of every partner's share of world GDP and of
    the challenger's military expenditure relative to the US's (data after ``start``: used only
    by the conditional mode)."""
    from hedgelab.data.calibration import _Milex, challenger_capacity_growth, partner_growth

    out: dict[tuple[str, ...], float] = {}
    window = end - start
    separate = set(raw["partners"]) | {raw["focal"]}
    challenger = next(c for c, p in raw["partners"].items() if p.get("role") == "challenger")
    item = challenger_capacity_growth(challenger, end, _Milex(data_dir), window=window)
    out[item.path] = float(item.exact)
    for code in raw["partners"]:
        item = partner_growth(code, end, exclude=separate, data_dir=data_dir, window=window)
        out[item.path] = float(item.exact)
    return out


ESTIMATED: tuple[tuple[str, ...], ...] = (
    ("economy", "gravity_elasticity"), ("economy", "gravity_impact"), ("economy", "exposure_adjust_speed"),
    ("focal_state", "threat_response"),
)
"""Estimated structural parameters: every backtest draws them per path around the estimate with
SD = a quarter of their range (estimate ± 2 SE), so the model's interval carries estimation
uncertainty in both modes."""


def sampled_estimates(raw: dict[str, Any], n_paths: int, seed: int) -> dict[str, np.ndarray]:
    """Per-path draws of :data:`ESTIMATED` (normal, SD = range / 4, clipped to the range)."""
    from hedgelab.data.calibration import _get

    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(len(MODES) + 1,)))
    out = {}
    for path in ESTIMATED:
        entry = _get(raw, path)
        low, high = (float(x) for x in entry["range"])
        draws = float(entry["value"]) + (high - low) / 4 * rng.standard_normal(n_paths)
        out[".".join(path)] = np.clip(draws, low, high)
    return out


def sampled_growth(raw: dict[str, Any], n_paths: int, seed: int) -> dict[str, np.ndarray]:
    """Per-path growth rates: normal around each value with SD = half the distance from the value
    to the top of its range (the predictive SD), clipped to the range."""
    from hedgelab.data.calibration import _get

    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(len(MODES),)))
    out = {}
    for path in growth_paths(raw):
        entry = _get(raw, path)
        value = float(entry["value"])
        low, high = entry["range"]
        draws = value + (float(high) - value) / 2 * rng.standard_normal(n_paths)
        out[".".join(path)] = np.clip(draws, low, high)
    return out


def interval_coverage(low: pd.Series, high: pd.Series, actual: pd.Series) -> float:
    """Share of years with data where ``low <= actual <= high``."""
    both = pd.concat([low.rename("l"), high.rename("h"), actual.rename("a")], axis=1).dropna()
    if both.empty:
        return float("nan")
    return float(((both["a"] >= both["l"]) & (both["a"] <= both["h"])).mean())


def baseline_intervals(history: pd.Series, origin: int, years: list[int], window: int) -> dict[str, tuple[pd.Series, pd.Series]]:
    """90% intervals of the baselines from data up to ``origin``: persistence as a random walk
    (±Z90 × SD of the yearly changes in the window × √h), the trend from the OLS residual SD
    with the usual prediction-interval factor."""
    past = history[(history.index > origin - window) & (history.index <= origin)].dropna()
    idx = pd.Index(years, name="year")
    nan = pd.Series(np.nan, index=idx)
    if len(past) < 3:
        return {"persistence": (nan, nan), "trend": (nan, nan)}
    h = np.asarray(years, dtype=float) - origin
    sd_step = float(past.diff().dropna().std(ddof=1))
    pers = persistence(history, origin, years)
    half = Z90 * sd_step * np.sqrt(h)
    x = past.index.to_numpy(dtype=float)
    slope, intercept = np.polyfit(x, past.to_numpy(dtype=float), 1)
    resid = past.to_numpy(dtype=float) - (intercept + slope * x)
    s2 = float((resid**2).sum() / (len(x) - 2))
    xs = np.asarray(years, dtype=float)
    factor = np.sqrt(1 + 1 / len(x) + (xs - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
    trend = pd.Series(intercept + slope * xs, index=idx)
    t_half = Z90 * np.sqrt(s2) * factor
    return {"persistence": (pers - half, pers + half), "trend": (trend - t_half, trend + t_half)}


def _series(country: str, indicator: str, partner: str | None, data_dir: PathLike) -> tuple[pd.Series, str]:
    from hedgelab.data.indicators import compute

    df = compute(country, [indicator], [partner] if partner else None, data_dir=data_dir, use_shipped=False)
    if partner is not None:
        df = df[df["partner"] == partner]
    unit = str(df["unit"].iloc[0]) if not df.empty else ""
    return df.set_index("year")["value"].sort_index(), unit


def _check_args(start: int, end: int, trend_window: int, n_paths: int) -> None:
    lines = []
    if start < MIN_START:
        lines.append(error_line("request", "start", f"a year of {MIN_START} or later (the model's scenarios start in {MIN_START} at the earliest), got {start}"))
    if end <= start:
        lines.append(error_line("request", "end", f"a year after the start {start}, got {end}"))
    elif end - start > MAX_HORIZON:
        lines.append(error_line("request", "end", f"at most {MAX_HORIZON} years after the start {start}, got {end}"))
    if trend_window < 2:
        lines.append(error_line("request", "trend_window", f"at least 2 years, got {trend_window}"))
    if not 1 <= n_paths <= MAX_BACKTEST_PATHS:
        lines.append(error_line("request", "n_paths", f"between 1 and {MAX_BACKTEST_PATHS:,} paths, got {n_paths:,}"))
    if lines:
        raise HedgelabError(lines)


def backtest(
    country: str,
    start: int,
    end: int,
    data_dir: PathLike = None,
    *,
    n_paths: int = 100,
    trend_window: int = DEFAULT_TREND_WINDOW,
    seed: int = 0,
    mode: str = "conditional",
) -> BacktestResult:
    """Backtest the model for ``country`` from ``start`` to ``end`` (see the module docstring).

    Raises
    ------
    HedgelabError
        For an unknown country (with the closest codes), a start or end year outside the data
        (naming the dataset and the years it covers), a missing data directory, or bad options.
    """
    from hedgelab.scenarios.calibrate import initial_state, template_for
    from hedgelab.data.codes import validate_iso3
    from hedgelab.data.sources import resolve_data_dir

    focal = validate_iso3(country, where="--country")
    if mode not in MODES:
        raise HedgelabError(error_line("mode", str(mode), " or ".join(MODES)))
    _check_args(int(start), int(end), int(trend_window), int(n_paths))
    ddir = resolve_data_dir(data_dir)
    template = template_for(focal)

    from hedgelab.scenarios.loader import load_raw

    partners = load_raw(template)[0]["partners"]
    code = {role: next(c for c, p in partners.items() if p.get("role") == role) for role in ("patron", "challenger")}
    if focal in code.values():
        raise HedgelabError(error_line("--country", focal, "a middle power, not the patron or the challenger"))

    series: dict[Scored, tuple[pd.Series, str]] = {}
    for s in SCORED:
        series[s] = _series(focal, s.indicator, code[s.role] if s.role else None, ddir)
    _check_coverage(focal, start, end, series)

    raw, initial = initial_state(focal, start, ddir, template)
    years = list(range(start + 1, end + 1))
    samples = sampled_estimates(raw, n_paths, seed) if n_paths > 1 else None
    if mode == "conditional":
        from hedgelab.data.calibration import _get

        for path, value in realised_growth(raw, start, end, ddir).items():
            entry = _get(raw, path)
            entry["value"] = value
            entry["range"] = [min(entry["range"][0], value), max(entry["range"][1], value)]
            entry["source"] = f"realised mean {start}-{end} (conditional backtest)"
    else:
        samples = {**(samples or {}), **sampled_growth(raw, n_paths, seed)}
    projection = model_projection(raw, end - start, n_paths=n_paths, seed=seed, samples=samples)
    projection.index = [start + k for k in projection.index]

    rows, summary = [], []
    for s, (hist, unit) in series.items():
        partner = code[s.role] if s.role else None
        actual = hist.reindex(years)
        pers = persistence(hist, start, years)
        trend = linear_trend(hist, start, years, trend_window)
        model = projection[s.model].reindex(years) if s.model else pd.Series(np.nan, index=years)
        intervals = baseline_intervals(hist, start, years, trend_window)
        if s.model:
            intervals["model"] = (projection[f"{s.model}_p05"].reindex(years), projection[f"{s.model}_p95"].reindex(years))
        coverage = {k: interval_coverage(lo, hi, actual) for k, (lo, hi) in intervals.items()}
        for y in years:
            rows.append({"indicator": s.indicator, "partner": partner, "unit": unit, "year": y,
                         "actual": actual[y], "model": model[y], "persistence": pers[y], "trend": trend[y]})
        m_model, n = mae(model, actual) if s.model else (float("nan"), 0)
        m_pers, n_pers = mae(pers, actual)
        m_trend, _ = mae(trend, actual)
        scores = {"model": m_model, "persistence": m_pers, "trend": m_trend}
        finite = {k: v for k, v in scores.items() if np.isfinite(v)}
        best = ""
        if finite:
            low = min(finite.values())
            best = "=".join(k for k, v in finite.items() if abs(v - low) <= 1e-9 * max(1.0, abs(low)))
        summary.append({"indicator": s.indicator, "partner": partner, "unit": unit, "n_years": n_pers,
                        "mae_model": m_model, "mae_persistence": m_pers, "mae_trend": m_trend, "best": best,
                        "cover90_model": coverage.get("model", float("nan")),
                        "cover90_persistence": coverage["persistence"], "cover90_trend": coverage["trend"]})

    notes = [
        f"mode: {mode} ({'partner and challenger-capacity growth at their realised means' if mode == 'conditional' else 'growth rates sampled per path from estimates before ' + str(start)}); "
        f"dynamics (gravity, threat response) estimated from data to {start - 1}",
        f"model: status-quo strategy (no shifts, no reactions), {n_paths} paths, seed {seed}; initial state "
        f"calibrated from the data of {start} on the {template} template (alignments, environment and events "
        "are the template's judgement)",
        f"persistence: the value at {start}; trend: OLS line through {start - trend_window + 1}-{start}",
        "unga_ideal_distance: the model has no counterpart yet, so only the baselines are scored",
    ]
    last = {s: int(h.dropna().index.max()) for s, (h, _) in series.items() if not h.dropna().empty}
    short = sorted({f"{s.indicator} ends in {y}" for s, y in last.items() if y < end})
    if short:
        notes.append("scored only where data exist: " + "; ".join(short))
    return BacktestResult(focal, int(start), int(end), int(trend_window), template, int(n_paths),
                          pd.DataFrame(rows), pd.DataFrame(summary), initial, notes)


def _check_coverage(focal: str, start: int, end: int, series: dict[Scored, tuple[pd.Series, str]]) -> None:
    """``start`` must be covered by every indicator the model is initialised from; ``end`` by at
    least one scored indicator."""
    lines = []
    spans = {}
    for s, (hist, _) in series.items():
        h = hist.dropna()
        spans[s] = (int(h.index.min()), int(h.index.max())) if not h.empty else None
    for s in SCORED:
        if s.model is None:
            continue
        span = spans[s]
        label = f"{s.indicator}" + (f" ({s.role})" if s.role else "")
        if span is None:
            lines.append(error_line(f"backtest {focal}", label, "data for this country (none found)"))
        elif start not in series[s][0].dropna().index:
            lines.append(error_line(f"backtest {focal}", "--from", f"a year the data cover for {label}: {span[0]}-{span[1]}, got {start}"))
    covered = [sp for sp in spans.values() if sp is not None]
    if covered and end > max(sp[1] for sp in covered):
        lines.append(error_line(f"backtest {focal}", "--to", f"a year the data cover (at most {max(sp[1] for sp in covered)}), got {end}"))
    if lines:
        raise HedgelabError(lines)
