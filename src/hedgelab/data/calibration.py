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
    "PARTNER_REACH",
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

PARTNER_REACH: dict[str, float] = {
    "USA": 0.6, "AUS": 0.3, "JPN": 0.3, "PHL": 0.3, "KOR": 0.2, "IND": 0.1, "ASEAN": 0.1,
    "CAN": 0.05, "RUS": 0.0,
}
"""Share of a partner's military expenditure that could bear on the focal state's security
(judgement, the same for every focal state in the built-ins). US 0.6: about 60% of US naval
power has been assigned to the Pacific since the 2012 rebalance. Australia, Japan and the
Philippines 0.3: close partners in or near the theatre. South Korea 0.2: tied to the peninsula.
India and ASEAN 0.1: distant or non-aligned. Canada 0.05: a few ships a year in the Pacific.
Russia 0: it would not defend the focal state. A partner missing here (the EU, whose members'
spending the data hold only for Germany) keeps its hand-set ``security_capacity``."""

COERCION_YEARS: tuple[int, int] = (2010, 2023)
"""Years at risk for the coercion base rate: the catalogue covers episodes from 2010; its last
catalogued episode began in 2023 (docs/indicators_d2.md uses the same window)."""

SHARE_DIGITS = 3
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
    """``security_capacity`` of the patron and each secondary partner in :data:`PARTNER_REACH`:
    military expenditure relative to the US (aggregates: the sum over members with data) times
    the partner's reach."""
    items = []
    for code, partner in partners.items():
        if partner.get("role") == "challenger" or code not in PARTNER_REACH:
            continue
        reach = PARTNER_REACH[code]
        if code in AGGREGATES:
            members = aggregate_members(code, base_year, exclude=[focal, *partners])
            ratio, year, text = milex.bloc_ratio(code, members, base_year)
        else:
            ratio, year, text = milex.ratio(code, base_year)
        items.append(Calibrated(
            ("partners", code, "security_capacity"), round(ratio * reach, 4),
            f"{text} = {ratio:.3f}, times a reach of {reach} (judgement, hedgelab.data.calibration.PARTNER_REACH)",
            str(year), exact=ratio * reach,
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
