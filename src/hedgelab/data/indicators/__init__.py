"""Indicator registry: name -> function, unit, source dataset(s) and formula.

An indicator module defines functions decorated with :func:`indicator`::

    @indicator("trade_share_imports", unit="share", datasets=("imf_dots",), dyadic=True)
    def trade_share_imports(req: Request) -> pd.DataFrame:
        '''Share of the focal state's goods imports that come from the partner.

        Formula: M[c, p, t] / M[c, World, t] ...
        '''
        ...
        return frame  # columns: country, partner, year, value (and optionally source)

The function receives one :class:`Request` (focal country, partners, years, data directory,
``redistributable_only``) and returns rows with columns ``country, partner, year, value``; it may
add a per-row ``source`` (dataset name) when it draws on more than one dataset. The registry
validates and completes the frame (``indicator``, ``unit``, ``source``), keeps the requested
years, and returns the tidy columns :data:`COLUMNS`.

:data:`INDICATOR_MODULES` lists the modules the registry imports; a module that does not exist
(yet) is skipped, an error inside an existing module is not.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hedgelab.data.codes import AGGREGATES, COUNTRIES, FOCAL, is_country, validate_iso3
from hedgelab.errors import HedgelabError, error_line, suggest

__all__ = [
    "COLUMNS",
    "DEFAULT_PARTNERS",
    "INDICATOR_MODULES",
    "Indicator",
    "Request",
    "compute",
    "get",
    "indicator",
    "parse_years",
    "registry",
]

INDICATOR_MODULES: tuple[str, ...] = (
    "trade",
    "trade_values",
    "military",
    "alliances",
    "arms",
    "alignment",
    "fdi",
    "hedging_index",
)
"""Modules of :mod:`hedgelab.data.indicators` imported by :func:`registry` (missing ones skipped)."""

COLUMNS = ["indicator", "country", "partner", "year", "value", "unit", "source"]
"""Columns of every indicator table, in this order."""

DEFAULT_PARTNERS: tuple[str, ...] = ("USA", "CHN")
"""Partners used for dyadic indicators when none are given (the two great powers)."""


@dataclass(frozen=True)
class Request:
    """What an indicator function is asked for.

    Attributes
    ----------
    country : str
        Focal state, ISO3.
    partners : tuple of str or None
        Partner states, ISO3; None = the indicator's default (:data:`DEFAULT_PARTNERS`
        minus the focal country).
    years : (int, int) or None
        Inclusive year range; None = all years the data cover. Functions may use it to skip
        work; the registry filters anyway.
    data_dir : Path or None
        Data directory (see :mod:`hedgelab.data.sources`); None = ``HEDGELAB_DATA``.
    redistributable_only : bool
        Use only datasets whose terms allow redistribution (the shipped table is built so).
    all_partners : bool
        Every partner the source has (``--partners all``); ``partners`` is then ignored.
    include_aggregates : bool
        With ``all_partners``: also the aggregates the source has as partners (World, EU,
        regions); without it only countries and territories.
    """

    country: str
    partners: tuple[str, ...] | None = None
    years: tuple[int, int] | None = None
    data_dir: Path | None = None
    redistributable_only: bool = False
    all_partners: bool = False
    include_aggregates: bool = False

    def partner_list(self) -> tuple[str, ...]:
        """Partners to compute, never the focal country itself.

        With ``all_partners`` this is every code a source can hold as a partner (all countries
        and territories of :mod:`hedgelab.data.codes`, plus its aggregates when
        ``include_aggregates``), so filtering a source's rows by it keeps every partner the
        source has; indicators that create rows per partner use :meth:`present_partners`.
        """
        if self.all_partners:
            ps: Iterable[str] = list(COUNTRIES) + (list(AGGREGATES) if self.include_aggregates else [])
        else:
            ps = self.partners if self.partners is not None else DEFAULT_PARTNERS
        return tuple(p for p in ps if p != self.country)

    def present_partners(self, in_source: Iterable[str]) -> tuple[str, ...]:
        """The partners to give rows for, given the partner codes the source has for this country:
        the requested ones (even if absent from the source), or with ``all_partners`` those the
        source has (aggregates only with ``include_aggregates``)."""
        if not self.all_partners:
            return self.partner_list()
        wanted = set(self.partner_list())
        return tuple(sorted({p for p in in_source if isinstance(p, str) and p in wanted}))


@dataclass(frozen=True)
class Indicator:
    """One registered indicator."""

    name: str
    func: Callable[[Request], pd.DataFrame]
    unit: str
    datasets: tuple[str, ...]
    dyadic: bool
    doc: str = field(default="")
    optional: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())
    """Keys of :data:`hedgelab.data.definitions.NOTES`: the definitions that change its values."""

    @property
    def required(self) -> tuple[str, ...]:
        """Datasets without which the indicator cannot be computed."""
        return tuple(d for d in self.datasets if d not in self.optional)

    @property
    def summary(self) -> str:
        """First line of the docstring."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name


_REGISTRY: dict[str, Indicator] = {}
_LOADED = False


def indicator(
    name: str, *, unit: str, datasets: Sequence[str], dyadic: bool, optional: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> Callable[[Callable[[Request], pd.DataFrame]], Callable[[Request], pd.DataFrame]]:
    """Register ``func`` as indicator ``name`` with its unit, source dataset(s) and definition notes.

    ``notes`` are keys of :data:`hedgelab.data.definitions.NOTES` (an unknown key raises at
    import, so a typo cannot drop a note).

    ``datasets`` lists every dataset the function may read, the main one first (the default
    ``source`` of its rows); ``optional`` names those it can do without. When all indicators
    are requested, one whose required datasets are missing from the data directory is skipped
    with a note instead of failing the whole request.
    """

    from hedgelab.data.definitions import NOTES

    unknown = [n for n in notes if n not in NOTES]
    if unknown:  # programming error in an indicator module
        raise RuntimeError(f"indicator {name}: unknown definition note(s) {unknown}")

    def deco(func: Callable[[Request], pd.DataFrame]) -> Callable[[Request], pd.DataFrame]:
        _REGISTRY[name] = Indicator(name, func, unit, tuple(datasets), dyadic, func.__doc__ or "", tuple(optional),
                                    tuple(notes))
        return func

    return deco


def registry() -> dict[str, Indicator]:
    """All registered indicators, importing :data:`INDICATOR_MODULES` on first use."""
    global _LOADED
    if not _LOADED:
        for mod in INDICATOR_MODULES:
            full = f"{__name__}.{mod}"
            try:
                importlib.import_module(full)
            except ModuleNotFoundError as err:
                if err.name != full:  # a missing dependency inside an existing module is a bug
                    raise
        _LOADED = True
    return dict(_REGISTRY)


def get(name: str) -> Indicator:
    """One indicator by name; an unknown name raises with the closest ones."""
    reg = registry()
    if name not in reg:
        raise HedgelabError(
            error_line("indicators", repr(name), f"one of {', '.join(sorted(reg))}{suggest(name, reg)}")
        )
    return reg[name]


def parse_years(text: str | None) -> tuple[int, int] | None:
    """Parse ``"1990-2020"``, ``"2019"``, ``"1990-"`` or ``"-2020"`` into an inclusive range."""
    if text is None or str(text).strip() == "":
        return None
    s = str(text).strip()
    try:
        if "-" in s or ":" in s:
            lo, hi = s.replace(":", "-").split("-", 1)
            lo_i = int(lo) if lo.strip() else -10_000
            hi_i = int(hi) if hi.strip() else 10_000
        else:
            lo_i = hi_i = int(s)
    except ValueError:
        raise HedgelabError(error_line("--years", repr(text), "a year or range such as 2019 or 1990-2020")) from None
    if lo_i > hi_i:
        raise HedgelabError(error_line("--years", repr(text), "a range whose first year is not after its last"))
    return (lo_i, hi_i)


def _finish(ind: Indicator, df: pd.DataFrame, req: Request) -> pd.DataFrame:
    missing = [c for c in ("country", "partner", "year", "value") if c not in df.columns]
    if missing:  # programming error in an indicator module
        raise RuntimeError(f"indicator {ind.name} returned no column(s) {missing}")
    out = df.copy()
    out["indicator"] = ind.name
    out["unit"] = ind.unit
    if "source" not in out.columns:
        out["source"] = ind.datasets[0]
    out["source"] = out["source"].fillna(ind.datasets[0])
    out["year"] = out["year"].astype("int64")
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    out = out[np.isfinite(out["value"].to_numpy())]
    out["partner"] = out["partner"].astype(object).where(out["partner"].notna(), None)
    return out[COLUMNS]


def _shipped_rows(ind: Indicator, req: Request) -> pd.DataFrame:
    from hedgelab.data.shipped_table import load_shipped

    table = load_shipped()
    rows = table[(table["indicator"] == ind.name) & (table["country"] == req.country)]
    if ind.dyadic and req.all_partners:
        keep = rows["partner"].map(lambda p: isinstance(p, str) and (req.include_aggregates or is_country(p)))
        rows = rows[keep.astype(bool) & (rows["partner"] != req.country)]
    elif ind.dyadic:
        rows = rows[rows["partner"].isin(req.partner_list())]
    return rows


def _present(name: str, data_dir: Path | None) -> bool:
    from hedgelab.data.sources import DATASETS

    ds = DATASETS.get(name)
    return ds is None or data_dir is None or (data_dir / ds.dir_name / ds.files[0]).is_file()


def _check_shipped(req: Request) -> None:
    from hedgelab.data.shipped_table import SHIPPED_COUNTRIES, SHIPPED_PARTNERS

    hint = "(pass --data-dir or set HEDGELAB_DATA to compute from raw data)"
    lines = []
    if req.country not in SHIPPED_COUNTRIES:
        lines.append(error_line("shipped table", f"--country {req.country}",
                                f"one of {', '.join(SHIPPED_COUNTRIES)} {hint}"))
    extra = [] if req.all_partners else [p for p in (req.partners or ()) if p not in SHIPPED_PARTNERS]
    if extra:
        lines.append(error_line("shipped table", f"--partners {','.join(extra)}",
                                f"partners among {', '.join(SHIPPED_PARTNERS)} {hint}"))
    if lines:
        raise HedgelabError(lines)


def compute(
    country: str,
    indicators: Iterable[str] | None = None,
    partners: Iterable[str] | None = None,
    years: tuple[int, int] | str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    *,
    redistributable_only: bool = False,
    use_shipped: bool | None = None,
    include_aggregates: bool = False,
) -> pd.DataFrame:
    """Compute indicators for one focal country as one tidy table.

    Parameters
    ----------
    country : str
        Focal state, ISO3 (a name is accepted); an unknown code raises with suggestions.
    indicators : iterable of str, optional
        Indicator names; default all registered (when reading the shipped table: all it holds).
    partners : iterable of str or "all", optional
        Partner states (ISO3) for dyadic indicators; default :data:`DEFAULT_PARTNERS`. Aggregates
        a source has as a unit are accepted too (``EUU``: the EU as a trade partner in IMF DOTS);
        indicators without them return no rows for them. ``"all"`` (or ``["all"]``): every
        partner each indicator's source has (for the shipped table: every partner it holds).
    years : (int, int) or str, optional
        Inclusive range or ``"1990-2020"``. A range outside the data raises.
    data_dir : path, optional
        Data directory; default ``HEDGELAB_DATA``.
    redistributable_only : bool
        Only datasets hedgelab may redistribute.
    use_shipped : bool, optional
        Read the table shipped with the package instead of raw data. Default: True when no data
        directory is given or set in ``HEDGELAB_DATA``.
    include_aggregates : bool
        With ``partners="all"``: also aggregates (World, EU, regions) where the source has them.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, sorted by indicator, partner, year. ``attrs["notes"]`` lists
        the indicators that have no data in the requested years (when others do; when none do,
        a :class:`~hedgelab.errors.HedgelabError` is raised instead).
    """
    from hedgelab.data.sources import MissingDataError, find_data_dir, resolve_data_dir

    focal = validate_iso3(country, where="--country")
    wanted = [partners] if isinstance(partners, str) else None if partners is None else list(partners)
    all_partners = wanted is not None and [str(p).strip().lower() for p in wanted] == ["all"]
    plist = None if wanted is None or all_partners else tuple(
        validate_iso3(p, where="--partners", allow_aggregates=True) for p in wanted
    )
    yr = parse_years(years) if isinstance(years, str) or years is None else (int(years[0]), int(years[1]))
    if use_shipped is None:
        use_shipped = find_data_dir(data_dir) is None
    ddir = None if use_shipped else resolve_data_dir(data_dir)
    reg = registry()
    explicit = indicators is not None
    if explicit:
        names = list(dict.fromkeys(indicators))  # type: ignore[arg-type]
        for n in names:
            get(n)
    elif use_shipped:
        from hedgelab.data.shipped_table import load_shipped

        held = set(load_shipped()["indicator"])
        names = [n for n in reg if n in held]
    else:
        names = list(reg)
    req = Request(focal, plist, yr, ddir, redistributable_only, all_partners, include_aggregates)
    if use_shipped:
        _check_shipped(req)
    frames: list[pd.DataFrame] = []
    empty_in_range: list[str] = []
    notes: list[str] = []
    for name in names:
        ind = reg[name]
        if use_shipped:
            from hedgelab.data.shipped_table import SHIPPED_INDICATORS

            if name not in SHIPPED_INDICATORS:
                if explicit:
                    raise HedgelabError(
                        error_line(
                            f"indicator {name}", "data",
                            f"a data directory with {', '.join(ind.datasets)} (--data-dir or HEDGELAB_DATA); "
                            "the package ships only indicators from redistributable sources",
                        )
                    )
                continue
            df = _shipped_rows(ind, req)
        else:
            absent = [d for d in ind.required if not _present(d, ddir)]
            if absent and not explicit:
                notes.append(error_line(f"indicator {name}", "data", f"dataset {', '.join(absent)} in {ddir} (skipped)"))
                continue
            try:
                df = _finish(ind, ind.func(req), req)
            except MissingDataError as err:
                if explicit:
                    raise
                notes.extend(f"{line} (indicator {name} skipped)" for line in err.lines)
                continue
            if ind.dyadic:
                df = df[df["partner"].isin(req.partner_list())]
        if df.empty and explicit and not use_shipped:
            continue
        if yr is not None:
            in_range = df[(df["year"] >= yr[0]) & (df["year"] <= yr[1])]
            if in_range.empty and not df.empty:
                empty_in_range.append(
                    error_line(
                        f"indicator {name} ({', '.join(ind.datasets)})", "--years",
                        f"years within {int(df['year'].min())}-{int(df['year'].max())}, got {yr[0]}-{yr[1]}",
                    )
                )
            df = in_range
        frames.append(df)
    if empty_in_range and all(f.empty for f in frames):
        raise HedgelabError(empty_in_range)
    if not frames:
        out = pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else object) for c in COLUMNS})
    else:
        out = pd.concat([f for f in frames if not f.empty] or frames[:1], ignore_index=True)
        out["partner"] = out["partner"].astype(object).where(out["partner"].notna(), None)
        out = out.sort_values(["indicator", "partner", "year"], na_position="first", kind="stable")
        out = out.reset_index(drop=True)[COLUMNS]
    out.attrs["notes"] = notes + empty_in_range
    return out


def check_country(code: str) -> bool:
    """True for a known country code (re-exported helper for indicator modules)."""
    return is_country(code)


__all__ += ["FOCAL", "check_country"]
