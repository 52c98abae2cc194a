"""Calibrate the built-in scenarios' initial state from the data (``hedgelab.data``).

For each built-in scenario this module computes, from the indicators of its focal state at its
base year (or the latest earlier year the data cover, recorded in ``as_of``):

* every partner's ``exposure``: share of the focal state's goods trade (exports FOB + imports
  CIF, IMF DOTS with the focal state as reporter) conducted with the partner. Aggregate partners
  (the EU, ASEAN) are the sum over their member states *in the data year*, leaving out members
  the scenario lists as partners of their own and the focal state itself (so nothing is counted
  twice: japan-2026's "ASEAN (excluding the Philippines)" has nine members, australia-2020's
  "ASEAN" ten);
* the challenger's ``routed_exposure``: the Hong Kong share of goods trade, the scenario files'
  proxy for exposure to China routed through a third economy;
* ``economy.openness``: goods trade (DOTS, exports + imports with World) over GDP (World Bank,
  current US$);
* ``focal_state.defence_spending``: military expenditure, % of GDP (the ``milex_gdp`` indicator:
  SIPRI where the user's data directory has it, else COW NMC milex over World Bank GDP);
* ``focal_state.own_capacity`` and ``threat.challenger_capacity``: military expenditure in
  current US$ relative to the United States (SIPRI, else COW NMC), the challenger's ratio times
  a documented *reach* where the scenario judges that only part of it bears on the focal state;
* every partner's ``military_expenditure_ratio`` (the patron's is 1; aggregates: the sum over
  members with data); the model multiplies it by the partner's ``reach``, a scenario parameter;
* ``events.coercion_rate`` (only in the scenario named by ``events.reference_scenario``, where
  hazards are normalised) and its plausible range: the episode catalogue's rate of Chinese
  economic coercion per country-year at risk against the focal state, with the exact (Garwood)
  95% Poisson interval (:func:`hedgelab.data.episodes.base_rate`).

Alignment indices stay judgement (docs/calibration.md says why).

:func:`calibrate_raw` returns the numbers for a scenario dict with their ``source`` and
``as_of``. Writing them into the built-in scenario files, and building an in-memory scenario for
any focal state and year, is the scenarios' side (:mod:`hedgelab.scenarios.calibrate`): the data
layer knows nothing of scenario files.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from hedgelab.data.codes import country_name, validate_iso3
from hedgelab.errors import HedgelabError, error_line

__all__ = [
    "AGGREGATES",
    "CHALLENGER_REACH",
    "MILEX_UNCOVERED",
    "Calibrated",
    "aggregate_members",
    "calibrate_raw",
    "capacity_ratio",
    "coercion_rate",
    "defence_spending",
    "exposures",
    "openness",
]

PathLike = str | os.PathLike[str] | None

# --- membership of the aggregate partners -------------------------------------------------------

_EU_ACCESSION: dict[str, int] = {
    "BEL": 1958, "FRA": 1958, "DEU": 1958, "ITA": 1958, "LUX": 1958, "NLD": 1958,
    "DNK": 1973, "IRL": 1973, "GBR": 1973, "GRC": 1981, "PRT": 1986, "ESP": 1986,
    "AUT": 1995, "FIN": 1995, "SWE": 1995,
    "CYP": 2004, "CZE": 2004, "EST": 2004, "HUN": 2004, "LVA": 2004, "LTU": 2004, "MLT": 2004,
    "POL": 2004, "SVK": 2004, "SVN": 2004, "BGR": 2007, "ROU": 2007, "HRV": 2013,
}
_EU_EXIT: dict[str, int] = {"GBR": 2020}
_ASEAN_ACCESSION: dict[str, int] = {
    "IDN": 1967, "MYS": 1967, "PHL": 1967, "SGP": 1967, "THA": 1967, "BRN": 1984, "VNM": 1995,
    "LAO": 1997, "MMR": 1997, "KHM": 1999,
}

AGGREGATES: dict[str, tuple[dict[str, int], dict[str, int]]] = {
    "EU": (_EU_ACCESSION, _EU_EXIT),
    "ASEAN": (_ASEAN_ACCESSION, {}),
}
"""Aggregate partner codes of the scenario files -> (accession year, exit year) per member.

A state counts as a member in every year from its accession year (also when it joined during
that year: 2004, 2013) up to the year before it left (the UK left on 31 January 2020, so it
counts to 2019)."""

CHALLENGER_REACH: dict[str, float] = {"AUS": 0.6}
"""Share of the challenger's military expenditure judged to bear on the focal state (default 1).

Australia: 0.6 (judgement: Australia lies far from the western Pacific theatre where most of
China's forces are concentrated; the hand-set value before calibration was 0.2 against a
2023 ratio of 0.32)."""

MILEX_UNCOVERED: frozenset[str] = frozenset({"EU"})
"""Partners whose military expenditure the data do not cover (the EU: of its members the data
hold only Germany's), so their ``military_expenditure_ratio`` stays hand-set in the scenario file.

A partner's *reach* (the share of that expenditure that could bear on the focal state's
security) is not calibrated here: no dataset in the data directory measures where forces are
based or could deploy, so reach is a scenario parameter with its own range and source
(``partners.<k>.reach``; docs/calibration.md)."""

COERCION_YEARS: tuple[int, int] = (2010, 2023)
"""Years at risk for the coercion base rate: the catalogue covers episodes from 2010; its last
catalogued episode began in 2023 (docs/indicators_d2.md uses the same window)."""

SHARE_DIGITS = 3
RATIO_DIGITS = 4
SPENDING_DIGITS = 2


def aggregate_members(code: str, year: int, exclude: Iterable[str] = ()) -> list[str]:
    """Members of aggregate partner ``code`` in ``year``, minus ``exclude`` (ISO3), sorted."""
    accession, exit_ = AGGREGATES[code]
    skip = set(exclude)
    return sorted(c for c, y0 in accession.items() if y0 <= year < exit_.get(c, 10_000) and c not in skip)


@dataclass(frozen=True)
class Calibrated:
    """One calibrated number: where it goes in the scenario file and where it came from.

    Attributes
    ----------
    path : tuple of str
        Keys from the scenario's root to the parameter, e.g. ``("partners", "USA", "exposure")``.
    value : float
        Rounded as written to the file.
    source : str
        Dataset(s), year and formula.
    as_of : str
        Year of the data used.
    range : (float, float) or None
        Plausible range, when the calibration estimates one (else the file's range is kept).
    exact : float or None
        The value before rounding (used by backtests; not written).
    """

    path: tuple[str, ...]
    value: float
    source: str
    as_of: str
    range: tuple[float, float] | None = None
    exact: float | None = field(default=None, compare=False)

    @property
    def dotted(self) -> str:
        """``partners.USA.exposure``."""
        return ".".join(self.path)


def _bn(x: float) -> str:
    """US$ millions -> ``US$1,269.4bn``."""
    return f"US${x / 1e3:,.1f}bn"


def _latest(years: Iterable[int], base_year: int, where: str, what: str) -> int:
    usable = sorted(int(y) for y in years if int(y) <= base_year)
    if not usable:
        have = sorted(int(y) for y in years)
        span = f"{have[0]}-{have[-1]}" if have else "none"
        raise HedgelabError(error_line(where, "year", f"{what} for {base_year} or earlier (data cover {span})"))
    return usable[-1]


# --- trade --------------------------------------------------------------------------------------


def _trade_table(focal: str, data_dir: PathLike) -> pd.DataFrame:
    """Goods trade of ``focal`` (DOTS reporter): index year, columns partner codes, US$ m (X + M)."""
    from hedgelab.data.indicators import Request
    from hedgelab.data.indicators.trade import dots_flows
    from hedgelab.data.sources import resolve_data_dir

    wide = dots_flows(Request(focal, data_dir=resolve_data_dir(data_dir)))
    if wide.empty:
        raise HedgelabError(error_line(f"imf_dots: {focal}", "reporter", "a state that reports to IMF DOTS"))
    wide = wide.reindex(columns=["exports", "imports"])
    total = wide.sum(axis=1, min_count=2).dropna()
    table = total.unstack("partner")
    if "WLD" not in table.columns:
        raise HedgelabError(error_line(f"imf_dots: {focal}", "partner", "a World row"))
    return table[table["WLD"].notna() & (table["WLD"] > 0)]


def exposures(
    focal: str,
    base_year: int,
    partners: Mapping[str, Mapping[str, Any]],
    data_dir: PathLike = None,
    *,
    table: pd.DataFrame | None = None,
) -> list[Calibrated]:
    """Partner exposure shares (and the challenger's routed exposure) from IMF DOTS.

    ``partners`` maps each scenario partner code to its table (``name`` and ``role`` are read);
    ``table`` is :func:`_trade_table`'s result when the caller already has it.
    Formula: ``(X[c->p] + M[c<-p]) / (X[c->World] + M[c<-World])`` (DOTS, reporter c); an
    aggregate's numerator is the sum over its members (see :func:`aggregate_members`). The
    challenger's ``routed_exposure`` is the same share for Hong Kong.
    """
    if table is None:
        table = _trade_table(focal, data_dir)
    year = _latest(table.index, base_year, f"imf_dots: {focal}", "goods trade reported to IMF DOTS")
    row = table.loc[year]
    world = float(row["WLD"])
    fname = country_name(focal)
    head = f"IMF DOTS, {fname} as reporter, {year}"
    out: list[Calibrated] = []
    separate = set(partners) | {focal}

    def share(codes: list[str]) -> float:
        return float(sum(float(row[c]) for c in codes if c in row.index and not math.isnan(row[c])))

    for code, spec in partners.items():
        if code in AGGREGATES:
            members = aggregate_members(code, year, exclude=separate)
            trade = share(members)
            what = (f"goods trade with the {len(members)} {code} members of {year} not listed as partners of "
                    f"their own ({', '.join(members)})")
        else:
            validate_iso3(code, where=f"partners.{code}")
            trade = share([code])
            what = f"goods trade with {country_name(code)}"
        value = round(trade / world, SHARE_DIGITS)
        source = f"{head}: {what} / total goods trade (exports FOB + imports CIF) = {_bn(trade)} / {_bn(world)}"
        out.append(Calibrated(("partners", code, "exposure"), value, source, str(year), exact=trade / world))
        if spec.get("role") == "challenger":
            hk = share(["HKG"])
            out.append(Calibrated(
                ("partners", code, "routed_exposure"), round(hk / world, SHARE_DIGITS),
                f"{head}: goods trade with Hong Kong / total goods trade = {_bn(hk)} / {_bn(world)}, "
                "a proxy for exposure routed through third economies",
                str(year), exact=hk / world,
            ))
    return out


def openness(focal: str, base_year: int, data_dir: PathLike = None, *, table: pd.DataFrame | None = None) -> Calibrated:
    """Goods trade / GDP: DOTS exports + imports with World over World Bank GDP (current US$)."""
    from hedgelab.data.loaders.worldbank import load_wdi

    if table is None:
        table = _trade_table(focal, data_dir)
    gdp = load_wdi("gdp", data_dir)
    g = gdp[gdp["country"] == focal].set_index("year")["value"]
    years = [y for y in table.index if y in g.index and g[y] > 0]
    year = _latest(years, base_year, f"imf_dots + worldbank_wdi: {focal}", "goods trade and GDP")
    trade = float(table.loc[year, "WLD"]) * 1e6
    value = round(trade / float(g[year]), SHARE_DIGITS)
    source = (f"IMF DOTS and World Bank WDI: {country_name(focal)} goods trade (exports FOB + imports CIF) "
              f"US${trade / 1e12:.3f}tn / GDP US${float(g[year]) / 1e12:.3f}tn, {year}")
    return Calibrated(("economy", "openness"), value, source, str(year), exact=trade / float(g[year]))


# --- military -----------------------------------------------------------------------------------

_MILEX_SOURCE = {
    "sipri_milex": "SIPRI Military Expenditure Database 2024 (share of GDP)",
    "sipri_milex_owid": "SIPRI Military Expenditure Database 2025 via Our World in Data (% of GDP)",
    "cow_nmc+worldbank_wdi": "COW NMC v7 milex (thousand current US$) x 1000 / World Bank GDP (current US$) x 100",
}


def defence_spending(focal: str, base_year: int, data_dir: PathLike = None) -> Calibrated:
    """Military expenditure, % of GDP, from the ``milex_gdp`` indicator (SIPRI, else COW/WB)."""
    from hedgelab.data.indicators import compute

    df = compute(focal, ["milex_gdp"], data_dir=data_dir, use_shipped=False)
    year = _latest(df["year"], base_year, f"milex_gdp: {focal}", "military expenditure as % of GDP")
    r = df[df["year"] == year].iloc[0]
    value = round(float(r["value"]), SPENDING_DIGITS)
    label = _MILEX_SOURCE.get(str(r["source"]), str(r["source"]))
    return Calibrated(("focal_state", "defence_spending"), value,
                      f"{label}: {country_name(focal)} {year}", str(year), exact=float(r["value"]))


class _Milex:
    """Military expenditure in current US$ m, wide (index year, one column per country), with
    its source label: SIPRI where the data directory has it, else COW NMC. Loaded once per
    calibration and shared by every capacity."""

    def __init__(self, data_dir: PathLike) -> None:
        from hedgelab.data.indicators._frame import has_file
        from hedgelab.data.loaders.sipri_milex import SHEETS, load_sipri_milex
        from hedgelab.data.sources import resolve_data_dir

        ddir = resolve_data_dir(data_dir)
        if has_file("sipri_milex", ddir, SHEETS["current_usd_m"][0]):
            s = load_sipri_milex("current_usd_m", ddir)
            long = s[s["value"].notna()][["country", "year", "value"]]
            self.label = "SIPRI Military Expenditure Database 2024 (current US$)"
        else:
            from hedgelab.data.loaders.cow_nmc import load_nmc

            n = load_nmc(ddir)
            n = n[(n["milex_currency"] == "USD") & n["milex"].notna()]
            long = pd.DataFrame({"country": n["country"], "year": n["year"], "value": n["milex"] / 1000.0})
            self.label = "COW NMC v7 milex (current US$)"
        self.wide = long.pivot(index="year", columns="country", values="value")
        usa = self.wide.get("USA")
        self.usa = usa if usa is not None else pd.Series(float("nan"), index=self.wide.index)

    def ratio(self, country: str, base_year: int) -> tuple[float, int, str]:
        """See :func:`capacity_ratio`."""
        own = self.wide.get(country)
        have = [] if own is None else self.wide.index[own.notna() & (self.usa > 0)]
        year = _latest(have, base_year, f"military expenditure: {country}",
                       f"{self.label} for {country} and the United States")
        a, b = float(self.wide.at[year, country]), float(self.usa[year])
        return a / b, year, f"{self.label}: {country_name(country)} {_bn(a)} / United States {_bn(b)}, {year}"

    def bloc_ratio(self, code: str, members: list[str], base_year: int) -> tuple[float, int, str]:
        """The sum over ``members`` with data in the latest year <= ``base_year`` where any has
        data, relative to the United States."""
        present = self.wide.reindex(columns=members).notna()
        have = self.wide.index[self.usa.notna() & present.any(axis=1)]
        year = _latest(have, base_year, f"military expenditure: {code}", f"{self.label} for members of {code}")
        counted = [mem for mem in members if present.at[year, mem]]
        spend = float(sum(self.wide.at[year, mem] for mem in counted))
        usa = float(self.usa[year])
        missing = sorted(set(members) - set(counted))
        text = (f"{self.label}: {code} members {', '.join(counted)} {_bn(spend)} / United States "
                f"{_bn(usa)}, {year}" + (f" (no data: {', '.join(missing)})" if missing else ""))
        return spend / usa, year, text


def capacity_ratio(country: str, base_year: int, data_dir: PathLike = None) -> tuple[float, int, str]:
    """Military expenditure of ``country`` / that of the United States, current US$.

    Returns ``(ratio, year, source text)`` for the latest year <= ``base_year`` with both values.
    """
    return _Milex(data_dir).ratio(country, base_year)


def own_capacity(focal: str, base_year: int, milex: _Milex) -> Calibrated:
    """Own military expenditure relative to the US."""
    ratio, year, text = milex.ratio(focal, base_year)
    return Calibrated(("focal_state", "own_capacity"), round(ratio, SHARE_DIGITS), text, str(year), exact=ratio)


def challenger_capacity(focal: str, challenger: str, base_year: int, milex: _Milex) -> Calibrated:
    """Challenger's military expenditure relative to the US, times the reach for ``focal``."""
    ratio, year, text = milex.ratio(challenger, base_year)
    reach = CHALLENGER_REACH.get(focal)
    if reach is None:
        return Calibrated(("threat", "challenger_capacity"), round(ratio, SHARE_DIGITS),
                          f"{text} = {ratio:.3f}, all of it within reach of {country_name(focal)}", str(year), exact=ratio)
    return Calibrated(
        ("threat", "challenger_capacity"), round(ratio * reach, SHARE_DIGITS),
        f"{text} = {ratio:.3f}, times a reach of {reach} (judgement: distance from the western Pacific "
        f"theatre, hedgelab.data.calibration.CHALLENGER_REACH)",
        str(year), exact=ratio * reach,
    )


def partner_capacities(focal: str, base_year: int, partners: Mapping[str, Mapping[str, Any]],
                       milex: _Milex) -> list[Calibrated]:
    """``military_expenditure_ratio`` of the patron and every secondary partner the data cover
    (not :data:`MILEX_UNCOVERED`): military expenditure relative to the US (aggregates: the sum
    over members with data). The model's security capacity is this ratio times ``reach``."""
    items = []
    for code, partner in partners.items():
        if partner.get("role") == "challenger" or code in MILEX_UNCOVERED:
            continue
        if code in AGGREGATES:
            members = aggregate_members(code, base_year, exclude=[focal, *partners])
            ratio, year, text = milex.bloc_ratio(code, members, base_year)
        else:
            ratio, year, text = milex.ratio(code, base_year)
        items.append(Calibrated(
            ("partners", code, "military_expenditure_ratio"), round(ratio, RATIO_DIGITS), f"{text} = {ratio:.4f}",
            str(year), exact=ratio,
        ))
    return items


# --- events -------------------------------------------------------------------------------------


def coercion_rate(focal: str, challenger: str = "CHN", years: tuple[int, int] = COERCION_YEARS) -> Calibrated:
    """Base rate of the challenger's economic coercion of ``focal`` from the episode catalogue.

    Episodes per country-year at risk (``focal`` over ``years``), range = exact 95% Poisson
    (Garwood) interval, rounded outward to 3 decimals.
    """
    from hedgelab.data.episodes import base_rate

    br = base_rate("economic_coercion", challenger, [focal], range(years[0], years[1] + 1))
    low = math.floor(br.lower * 1000) / 1000
    high = math.ceil(br.upper * 1000) / 1000
    ids = ", ".join(br.episode_ids) or "none"
    source = (f"hedgelab episode catalogue (data/catalogue/episodes.yaml): {br.n_episodes} episodes of economic "
              f"coercion by {country_name(challenger)} against {country_name(focal)} in {years[0]}-{years[1]} "
              f"({ids}) / {br.exposure} country-years at risk; range = exact 95% Poisson interval")
    return Calibrated(("events", "coercion_rate"), round(br.rate, 3), source, str(years[1]), (low, high), exact=br.rate)


# --- whole scenarios ----------------------------------------------------------------------------


def _roles(partners: Mapping[str, Mapping[str, Any]], role: str) -> str:
    return next(code for code, p in partners.items() if p.get("role") == role)


def calibrate_raw(raw: Mapping[str, Any], data_dir: PathLike = None, *, reference: bool = False) -> list[Calibrated]:
    """Calibrated numbers for a merged (unvalidated) scenario dict: its focal state and base year.

    ``reference`` adds the coercion base rate (for the scenario hazards are normalised at).
    """
    focal = str(raw["focal"])
    year = int(raw["base_year"])
    partners = raw.get("partners", {})
    trade = _trade_table(focal, data_dir)
    milex = _Milex(data_dir)
    items = exposures(focal, year, partners, data_dir, table=trade)
    items.append(openness(focal, year, data_dir, table=trade))
    items.append(defence_spending(focal, year, data_dir))
    items.append(own_capacity(focal, year, milex))
    items.append(challenger_capacity(focal, _roles(partners, "challenger"), year, milex))
    items.extend(partner_capacities(focal, year, partners, milex))
    if reference:
        items.append(coercion_rate(focal, _roles(partners, "challenger")))
    return [_fit_range(raw, item) for item in items]


def _fit_range(raw: Mapping[str, Any], item: Calibrated) -> Calibrated:
    """Widen the parameter's plausible range (to 2 decimals, outward) if the value falls outside."""
    if item.range is not None:
        return item
    entry = _get(raw, item.path)
    current = entry.get("range") if isinstance(entry, Mapping) else None
    if not current or current[0] <= item.value <= current[1]:
        return item
    low = min(float(current[0]), math.floor(item.value * 100) / 100)
    high = max(float(current[1]), math.ceil(item.value * 100) / 100)
    return replace(item, range=(low, high))


def _get(raw: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = raw
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


# --- dynamics: estimates from data before a year (issue 11) -------------------------------------

GRAVITY_REPORTERS: tuple[str, ...] = ("JPN", "KOR", "AUS", "DEU", "GBR", "PHL", "IND", "CAN", "USA")
"""Reporters of the gravity panel (the focal states hedgelab backtests, plus Canada and the US)."""

GRAVITY_FIRST_YEAR = 1981
"""First year of the gravity panel (the first change of a 1980 share)."""

GRAVITY_MIN_SHARE = 0.005
"""Dyads enter a year only where last year's trade share was at least 0.5%: log changes of
tiny shares are noise."""

GRAVITY_MIN_YEARS = 5
"""A dyad needs at least this many years in the window to enter the within-dyad regression."""

SPENDING_REACTORS: tuple[str, ...] = ("JPN", "KOR", "AUS", "DEU", "GBR", "PHL", "IND", "CAN")
"""US allies and partners of the threat-response panel."""

SPENDING_FIRST_YEAR = 1990
"""First year of the threat-response panel (SIPRI's China series starts in 1989)."""

TRANSACTIONAL_YEARS: tuple[int, int] = (2017, 2020)
"""Years coded as a transactional US regime (the first Trump administration); all others are
coded committed. A dated fact, not an estimate; the only source of variation in US reliability
the threat-response regression has."""

GROWTH_WINDOW = 10
"""Years of growth a partner's or the challenger's growth rate is averaged over."""

GROWTH_HORIZON = 10
"""Horizon (years) of the predictive interval of a growth rate (the range written to the file)."""

WB_AGGREGATES = ("WLD", "EUU", "EAS", "EAP")


@dataclass(frozen=True)
class Estimate:
    """A regression coefficient with its standard error, sample and window."""

    value: float
    se: float
    n: int
    groups: int
    window: tuple[int, int]


def _gdp_shares(data_dir: PathLike) -> pd.DataFrame:
    """Log share of world GDP (World Bank, current US$): index year, one column per country and EU."""
    import numpy as np

    from hedgelab.data.loaders.worldbank import load_wdi

    gdp = load_wdi("gdp", data_dir).pivot(index="year", columns="country", values="value")
    out = np.log(gdp.div(gdp["WLD"], axis=0))
    out["EU"] = out.get("EUU")
    return out


def _within_ols(y: pd.Series, x: pd.DataFrame, groups: pd.Series) -> tuple[Any, Any]:
    """OLS with group fixed effects (within transformation); coefficients and the
    cluster-robust (by group) covariance, with the G/(G-1) small-sample factor."""
    import numpy as np

    xd = (x - x.groupby(groups).transform("mean")).to_numpy()
    yd = (y - y.groupby(groups).transform("mean")).to_numpy()
    beta = np.linalg.lstsq(xd, yd, rcond=None)[0]
    resid = yd - xd @ beta
    bread = np.linalg.inv(xd.T @ xd)
    meat = np.zeros((x.shape[1], x.shape[1]))
    for idx in groups.groupby(groups).indices.values():
        score = xd[idx].T @ resid[idx]
        meat += np.outer(score, score)
    g = groups.nunique()
    return beta, bread @ meat @ bread * g / (g - 1)


def gravity_estimates(end_year: int, data_dir: PathLike = None) -> dict[str, Estimate]:
    """Error-correction gravity regression on IMF DOTS trade shares and World Bank GDP shares.

    ``Δ log s[c,k,t] = a[c,k] + b_w log w[k,t-1] + b_s log s[c,k,t-1] + γ Δ log w[k,t] + e``, with
    ``s`` the share of partner k in reporter c's goods trade, ``w`` k's share of world GDP,
    dyad fixed effects and dyad-clustered standard errors, over :data:`GRAVITY_FIRST_YEAR` …
    ``end_year``. Returns ``adjust_speed`` ρ = −b_s, ``elasticity`` η = b_w / ρ (long run, delta
    method) and ``impact`` γ (short run).
    """
    import numpy as np

    w = _gdp_shares(data_dir)
    partners = [c for c in w.columns if c not in WB_AGGREGATES and c != "EU"]
    frames = []
    for rep in GRAVITY_REPORTERS:
        table = _trade_table(rep, data_dir)
        for k in partners:
            if k == rep or k not in table.columns:
                continue
            ls = np.log(table[k] / table["WLD"]).replace(-np.inf, np.nan)
            lw = w[k].reindex(ls.index)
            frames.append(pd.DataFrame({
                "dls": ls.diff(), "ls1": ls.shift(), "lw1": lw.shift(), "dlw": lw.diff(),
                "year": ls.index, "dyad": f"{rep}-{k}",
            }).reset_index(drop=True))
    panel = pd.concat(frames).dropna()
    panel = panel[(panel["year"] >= GRAVITY_FIRST_YEAR) & (panel["year"] <= end_year)
                  & (np.exp(panel["ls1"]) >= GRAVITY_MIN_SHARE)]
    panel = panel.groupby("dyad").filter(lambda d: len(d) >= GRAVITY_MIN_YEARS)
    beta, cov = _within_ols(panel["dls"], panel[["lw1", "ls1", "dlw"]], panel["dyad"])
    rho = -beta[1]
    eta = beta[0] / rho
    grad = np.array([1.0 / rho, beta[0] / rho**2, 0.0])
    window = (int(panel["year"].min()), int(panel["year"].max()))
    n, g = len(panel), int(panel["dyad"].nunique())
    return {
        "adjust_speed": Estimate(float(rho), float(np.sqrt(cov[1, 1])), n, g, window),
        "elasticity": Estimate(float(eta), float(np.sqrt(grad @ cov @ grad)), n, g, window),
        "impact": Estimate(float(beta[2]), float(np.sqrt(cov[2, 2])), n, g, window),
    }


def threat_estimates(end_year: int, data_dir: PathLike = None) -> dict[str, Estimate]:
    """Error-correction regression of allies' military spending (% of GDP, SIPRI) on the
    challenger's capacity (log of China's over US military expenditure, current US$).

    ``Δ s[c,t] = a[c] + b_k log K[t-1] + b_s s[c,t-1] + b_r transactional[t] + e`` over
    :data:`SPENDING_REACTORS`, :data:`SPENDING_FIRST_YEAR` … ``end_year``, country fixed effects
    and country-clustered standard errors (8 clusters: treat the SE as rough). Returns the
    long-run ``threat_response`` = b_k / −b_s (pp of GDP per unit of log capacity) and
    ``transactional_response`` = b_r / −b_s (pp of GDP in a transactional-regime year; NaN where
    the window has no such year).
    """
    import numpy as np

    from hedgelab.data.indicators import compute

    milex = _Milex(data_dir)
    lk = np.log(milex.wide["CHN"] / milex.usa)
    first, last = TRANSACTIONAL_YEARS
    frames = []
    for c in SPENDING_REACTORS:
        s = compute(c, ["milex_gdp"], data_dir=data_dir, use_shipped=False).set_index("year")["value"].sort_index()
        frames.append(pd.DataFrame({
            "ds": s.diff(), "s1": s.shift(), "lk1": lk.reindex(s.index).shift(),
            "tr": ((s.index >= first) & (s.index <= last)).astype(float), "year": s.index, "c": c,
        }).reset_index(drop=True))
    panel = pd.concat(frames).dropna()
    panel = panel[(panel["year"] >= SPENDING_FIRST_YEAR) & (panel["year"] <= end_year)]
    has_tr = panel["tr"].any()
    cols = ["lk1", "s1", "tr"] if has_tr else ["lk1", "s1"]
    beta, cov = _within_ols(panel["ds"], panel[cols], panel["c"])
    rho = -beta[1]
    window = (int(panel["year"].min()), int(panel["year"].max()))
    n, g = len(panel), int(panel["c"].nunique())

    def long_run(i: int) -> Estimate:
        grad = np.zeros(len(cols))
        grad[i], grad[1] = 1.0 / rho, beta[i] / rho**2
        return Estimate(float(beta[i] / rho), float(np.sqrt(grad @ cov @ grad)), n, g, window)

    nan = Estimate(float("nan"), float("nan"), n, g, window)
    return {
        "threat_response": long_run(0),
        "transactional_response": long_run(2) if has_tr else nan,
        "adjust_speed": Estimate(float(rho), float(np.sqrt(cov[1, 1])), n, g, window),
    }


def _growth(series: pd.Series, end_year: int, window: int = GROWTH_WINDOW) -> tuple[float, float, float, tuple[int, int]]:
    """Mean yearly log change of ``series`` over the ``window`` changes ending at ``end_year``:
    (mean, its standard error, the predictive SD of a :data:`GROWTH_HORIZON`-year mean, years)."""

    d = series.sort_index().diff().dropna()
    d = d[d.index <= end_year].iloc[-window:]
    if len(d) < 2:
        raise HedgelabError(error_line("growth", str(end_year), f"at least 2 years of data up to {end_year}"))
    sd = float(d.std(ddof=1))
    return (float(d.mean()), sd / math.sqrt(len(d)), sd * math.sqrt(1 / len(d) + 1 / GROWTH_HORIZON),
            (int(d.index[0]) - 1, int(d.index[-1])))


def partner_growth(code: str, end_year: int, exclude: Iterable[str] = (), data_dir: PathLike = None,
                   *, shares: pd.DataFrame | None = None, window: int = GROWTH_WINDOW) -> Calibrated:
    """``partners.<code>.growth``: mean yearly log change of the partner's share of world GDP
    (World Bank, current US$) over the :data:`GROWTH_WINDOW` years to ``end_year``; ASEAN is the
    sum over its members of that year not listed separately; range = mean ± 2 predictive SD of a
    :data:`GROWTH_HORIZON`-year mean (a random walk with drift in the log share)."""
    import numpy as np

    w = _gdp_shares(data_dir) if shares is None else shares
    if code == "ASEAN":
        members = [m for m in aggregate_members("ASEAN", end_year, exclude=exclude) if m in w.columns]
        series = np.log(np.exp(w[members]).sum(axis=1, min_count=len(members)))
        label = f"ASEAN members {', '.join(members)}"
    elif code in w.columns:
        series, label = w[code], ("the EU (World Bank EUU, today's members)" if code == "EU" else country_name(code))
    else:
        raise HedgelabError(error_line(f"partners.{code}.growth", code, "a partner with World Bank GDP"))
    mean, se, pred, (y0, y1) = _growth(series.dropna(), end_year, window)
    lo, hi = round(mean - 2 * pred, 4), round(mean + 2 * pred, 4)
    source = (f"World Bank WDI GDP (current US$): mean yearly log change of {label}'s share of world GDP, "
              f"{y0}-{y1} = {mean:.4f} (SE {se:.4f}); range = ±2 predictive SD of a {GROWTH_HORIZON}-year mean "
              f"({pred:.4f})")
    return Calibrated(("partners", code, "growth"), round(mean, 4), source, str(y1), (min(lo, round(mean, 4)), max(hi, round(mean, 4))), exact=mean)


def challenger_capacity_growth(challenger: str, end_year: int, milex: _Milex, window: int = GROWTH_WINDOW) -> Calibrated:
    """``threat.challenger_capacity_growth``: mean yearly log change of the challenger's military
    expenditure relative to the US's over the :data:`GROWTH_WINDOW` years to ``end_year``."""
    import numpy as np

    ratio = np.log(milex.wide[challenger] / milex.usa).dropna()
    mean, se, pred, (y0, y1) = _growth(ratio, end_year, window)
    lo, hi = round(mean - 2 * pred, 4), round(mean + 2 * pred, 4)
    source = (f"{milex.label}: mean yearly log change of {country_name(challenger)}'s / the United States' "
              f"military expenditure, {y0}-{y1} = {mean:.4f} (SE {se:.4f}); range = ±2 predictive SD of a "
              f"{GROWTH_HORIZON}-year mean ({pred:.4f})")
    return Calibrated(("threat", "challenger_capacity_growth"), round(mean, 4), source, str(y1), (lo, hi), exact=mean)


def _estimated(path: tuple[str, ...], est: Estimate, what: str, digits: int = 3, floor: float | None = None) -> Calibrated:
    lo = round(est.value - 2 * est.se, digits)
    hi = round(est.value + 2 * est.se, digits)
    if floor is not None:
        lo = max(lo, floor)
    value = round(est.value, digits)
    source = (f"estimate {est.value:.3f} (SE {est.se:.3f}), {what}, {est.window[0]}-{est.window[1]}, "
              f"n = {est.n} in {est.groups} groups; range = estimate ± 2 SE")
    return Calibrated(path, value, source, str(est.window[1]), (min(lo, value), max(hi, value)), exact=est.value)


def dynamics_raw(raw: Mapping[str, Any], data_dir: PathLike = None, *, end_year: int | None = None) -> list[Calibrated]:
    """Estimated dynamics for a merged scenario dict, from data up to ``end_year`` (default: the
    year before the scenario's base year): the gravity elasticity, impact and adjustment speed,
    every partner's growth, the challenger's capacity growth, the threat and reliability responses.
    """
    focal = str(raw["focal"])
    end = int(raw["base_year"]) - 1 if end_year is None else end_year
    partners = raw.get("partners", {})
    milex = _Milex(data_dir)
    shares = _gdp_shares(data_dir)
    grav = gravity_estimates(end, data_dir)
    panel = (f"IMF DOTS goods-trade shares of {len(GRAVITY_REPORTERS)} reporters ({', '.join(GRAVITY_REPORTERS)}) "
             "with every partner holding ≥0.5%, on World Bank GDP shares, error-correction regression with "
             "dyad fixed effects, dyad-clustered SE")
    items = [
        _estimated(("economy", "gravity_elasticity"), grav["elasticity"], f"long-run elasticity (b_w/ρ, delta method), {panel}", floor=0.0),
        _estimated(("economy", "gravity_impact"), grav["impact"], f"same-year elasticity, {panel}"),
        _estimated(("economy", "exposure_adjust_speed"), grav["adjust_speed"], f"speed of adjustment ρ, {panel}", floor=0.01),
    ]
    threat = threat_estimates(end, data_dir)
    spend = (f"SIPRI military expenditure (% of GDP) of {', '.join(SPENDING_REACTORS)} on log(China / US military "
             "expenditure), error-correction regression with country fixed effects, country-clustered SE")
    items.append(_estimated(("focal_state", "threat_response"), threat["threat_response"],
                            f"long-run pp of GDP per unit of log challenger capacity, {spend}"))
    env = raw.get("environment", {})
    tr = threat["transactional_response"]
    gap = float(_get(env, ("reliability_committed",))["value"]) - float(_get(env, ("reliability_transactional",))["value"])
    if math.isnan(tr.value):
        items.append(Calibrated(("focal_state", "reliability_response"), 0.0,
                                f"not identifiable from data to {end}: no transactional US year ({TRANSACTIONAL_YEARS[0]}-"
                                f"{TRANSACTIONAL_YEARS[1]}) in the window; set to 0", str(end), (0.0, 0.0), exact=0.0))
    else:
        per_unit = Estimate(tr.value / gap, tr.se / gap, tr.n, tr.groups, tr.window)
        items.append(_estimated(("focal_state", "reliability_response"), per_unit,
                                f"long-run pp of GDP in a transactional-regime year ({TRANSACTIONAL_YEARS[0]}-"
                                f"{TRANSACTIONAL_YEARS[1]}, coded) divided by the reliability gap committed − transactional "
                                f"({gap:g}), {spend}"))
    items.append(challenger_capacity_growth(_roles(partners, "challenger"), end, milex))
    separate = set(partners) | {focal}
    for code in partners:
        if code == focal:
            continue
        items.append(partner_growth(code, end, exclude=separate, data_dir=data_dir, shares=shares))
    return items
