"""Catalogue of coercion and alliance-pressure episodes, and hazard base rates from it.

The catalogue (``data/catalogue/episodes.yaml``, shipped with the package) lists documented
episodes of economic coercion by China and of alliance pressure by the United States from 2010
on, each with a checkable citation. It is the evidence behind the event hazards of the model
(DESIGN.md, "Events"): :func:`base_rate` turns it into episodes per country-year at risk with an
exact Poisson interval, which is the base rate and plausible range a scenario's hazard should
start from.

Public API: :class:`Episode`, :class:`Catalogue`, :func:`load_episodes`, :class:`BaseRate`,
:func:`base_rate`, :data:`CATALOGUE_PATH`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from scipy import stats

from hedgelab.data.codes import is_country
from hedgelab.errors import HedgelabError, error_line

__all__ = [
    "CATALOGUE_PATH",
    "BaseRate",
    "Catalogue",
    "Episode",
    "base_rate",
    "load_episodes",
    "poisson_interval",
]

#: The catalogue shipped with the package.
CATALOGUE_PATH: Path = Path(str(resources.files("hedgelab.data") / "catalogue" / "episodes.yaml"))

Actor = Literal["CHN", "USA"]
Kind = Literal["economic_coercion", "alliance_pressure"]


def _is_iso3(code: str) -> bool:
    """True when ``code`` is a country ISO3 code known to :mod:`hedgelab.data.codes`."""
    return isinstance(code, str) and is_country(code)


class Episode(BaseModel):
    """One documented episode.

    Attributes
    ----------
    id : str
        Unique identifier, ``<TARGET>-<YEAR>-<slug>``.
    date : datetime.date
        Day the measures began (or were first reported); the episode's year is ``date.year``.
    target : str
        ISO3 code of the state the measures were aimed at.
    actor : {"CHN", "USA"}
        The state applying the measures.
    kind : {"economic_coercion", "alliance_pressure"}
        Economic coercion (trade, investment, tourism or customs measures answering a
        political act) or alliance pressure (a patron's demands on an ally backed by a threat
        to its commitment or by economic measures).
    trigger, measures : str
        What the target did and what was done, as the cited sources report them.
    duration_months : int or None
        Whole months from ``date`` to the documented end; None when no end date was verified.
    source : list of str
        Citations a reader can check: publication, date, title and URL.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z]{3}-\d{4}-[a-z0-9-]+$")
    date: dt.date
    target: str
    actor: Actor
    kind: Kind
    trigger: str = Field(min_length=10)
    measures: str = Field(min_length=10)
    duration_months: int | None = Field(default=None, ge=0, le=600)
    source: list[str] = Field(min_length=1)

    @field_validator("target")
    @classmethod
    def _target_is_iso3(cls, value: str) -> str:
        if not _is_iso3(value):
            raise ValueError(f"an ISO 3166-1 alpha-3 country code (e.g. JPN), got {value!r}")
        return value

    @field_validator("source")
    @classmethod
    def _source_has_url(cls, value: list[str]) -> list[str]:
        for citation in value:
            if "http://" not in citation and "https://" not in citation:
                raise ValueError(f"each citation to include a URL, got {citation[:60]!r}")
        return value

    @property
    def year(self) -> int:
        """Calendar year in which the episode began."""
        return self.date.year


class Catalogue(BaseModel):
    """The whole catalogue file: a list of episodes with unique ids."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    episodes: list[Episode]

    def filter(
        self,
        kind: str | None = None,
        actor: str | None = None,
        targets: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
    ) -> list[Episode]:
        """Episodes matching every criterion given (None means any)."""
        target_set = None if targets is None else set(targets)
        year_set = None if years is None else set(years)
        return [
            e
            for e in self.episodes
            if (kind is None or e.kind == kind)
            and (actor is None or e.actor == actor)
            and (target_set is None or e.target in target_set)
            and (year_set is None or e.year in year_set)
        ]


def _location(raw: object, loc: tuple[int | str, ...]) -> tuple[str, str]:
    """Split a pydantic error location into (episode label, field name)."""
    if len(loc) >= 2 and loc[0] == "episodes" and isinstance(loc[1], int):
        index = loc[1]
        label = f"episodes[{index}]"
        try:
            episode_id = raw["episodes"][index].get("id")  # type: ignore[index, union-attr]
        except (KeyError, IndexError, TypeError, AttributeError):
            episode_id = None
        if episode_id:
            label += f" (id {episode_id})"
        field = ".".join(str(p) for p in loc[2:]) or "episode"
        return label, field
    return "catalogue", ".".join(str(p) for p in loc) or "episodes"


def load_episodes(path: str | Path | None = None) -> Catalogue:
    """Read and validate an episode catalogue.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file with a top-level ``episodes:`` list; default: the shipped catalogue.

    Returns
    -------
    Catalogue

    Raises
    ------
    HedgelabError
        One line per problem, ``<file>: episodes[i] (id …): <field>: expected …``, for a
        missing or unreadable file, invalid YAML, an unknown field, a bad date, a target that
        is not ISO3, a wrong kind or actor, a citation without URL, or a duplicate id.
    """
    path = Path(path) if path is not None else CATALOGUE_PATH
    where = f"episode catalogue {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise HedgelabError(
            error_line(where, "file", f"a readable YAML file ({exc.strerror or exc})")
        ) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark is not None else ""
        raise HedgelabError(error_line(where, f"YAML{at}", "valid YAML")) from None
    if not isinstance(raw, dict) or "episodes" not in raw:
        raise HedgelabError(error_line(where, "episodes", "a top-level 'episodes:' list"))
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            label, field = _location(raw, tuple(err["loc"]))
            if err["type"] == "extra_forbidden":
                expected = "a known field, one of " + ", ".join(Episode.model_fields) + " (unknown field)"
            elif field == "date" or field.endswith(".date"):
                expected = f"a date as YYYY-MM-DD (got {err.get('input')!r})"
            else:
                message = err["msg"].removeprefix("Value error, ")
                expected = message[0].lower() + message[1:] if message else "a valid value"
                if "input" in err and err["type"] != "missing" and "got " not in expected:
                    expected += f" (got {err['input']!r})"
            lines.append(error_line(f"{where}: {label}", field, expected))
        raise HedgelabError(lines) from None
    seen: dict[str, int] = {}
    duplicates = []
    for i, episode in enumerate(catalogue.episodes):
        if episode.id in seen:
            duplicates.append(
                error_line(
                    f"{where}: episodes[{i}] (id {episode.id})",
                    "id",
                    f"a unique id (also used by episodes[{seen[episode.id]}])",
                )
            )
        seen.setdefault(episode.id, i)
    if duplicates:
        raise HedgelabError(duplicates)
    return catalogue


def poisson_interval(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) confidence interval for the mean of a Poisson count.

    ``lower = chi2.ppf(a/2, 2k) / 2`` (0 when k = 0) and ``upper = chi2.ppf(1 - a/2, 2k + 2) / 2``
    with ``a = 1 - confidence``. Garwood (1936), "Fiducial limits for the Poisson distribution",
    *Biometrika* 28: 437-442. The interval has coverage of at least ``confidence``.

    Parameters
    ----------
    count : int
        Observed number of events, >= 0.
    confidence : float, default=0.95
        Two-sided confidence level, in (0, 1).
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must lie in (0, 1)")
    alpha = 1.0 - confidence
    lower = 0.0 if count == 0 else float(stats.chi2.ppf(alpha / 2.0, 2 * count) / 2.0)
    upper = float(stats.chi2.ppf(1.0 - alpha / 2.0, 2 * count + 2) / 2.0)
    return lower, upper


@dataclass(frozen=True)
class BaseRate:
    """Episodes per country-year at risk, with an exact Poisson interval.

    Attributes
    ----------
    n_episodes : int
        Episodes counted.
    exposure : int
        Country-years at risk: number of targets x number of years.
    rate, lower, upper : float
        Point estimate ``n_episodes / exposure`` and Garwood interval bounds, in episodes per
        country-year (equivalently, the annual hazard per country when small).
    confidence : float
        Confidence level of the interval.
    episode_ids : tuple of str
        Ids of the episodes counted, for provenance.
    unit : str
        ``"episodes per country-year"``.
    """

    n_episodes: int
    exposure: int
    rate: float
    lower: float
    upper: float
    confidence: float
    episode_ids: tuple[str, ...]
    unit: str = "episodes per country-year"


def base_rate(
    kind: str,
    actor: str,
    targets: Iterable[str],
    years: Iterable[int],
    confidence: float = 0.95,
    catalogue: Catalogue | None = None,
) -> BaseRate:
    """Base rate of episodes per country-year at risk, with an exact Poisson interval.

    Counts the catalogue's episodes of ``kind`` by ``actor`` against any of ``targets`` that
    began in one of ``years``, and divides by the country-years at risk
    ``len(targets) * len(years)``. Under a Poisson model the count is Poisson with mean
    ``rate * exposure``, so the Garwood interval for the count divided by the exposure is an
    exact interval for the rate. It treats every target as equally at risk in every year: a
    pooled rate, the starting point for a state-dependent hazard, not a forecast for one
    country.

    Parameters
    ----------
    kind : {"economic_coercion", "alliance_pressure"}
    actor : {"CHN", "USA"}
    targets : iterable of str
        ISO3 codes of the countries at risk (the denominator). Episodes against other
        countries are not counted.
    years : iterable of int
        Calendar years at risk, e.g. ``range(2010, 2024)``.
    confidence : float, default=0.95
    catalogue : Catalogue, optional
        Default: the shipped catalogue.

    Raises
    ------
    HedgelabError
        For an unknown kind or actor, an empty target or year set, or a target that is not ISO3.
    """
    where = "base_rate"
    target_list = sorted(set(targets))
    year_list = sorted(set(int(y) for y in years))
    lines = []
    if kind not in ("economic_coercion", "alliance_pressure"):
        lines.append(error_line(where, "kind", f"economic_coercion or alliance_pressure, got {kind!r}"))
    if actor not in ("CHN", "USA"):
        lines.append(error_line(where, "actor", f"CHN or USA, got {actor!r}"))
    if not target_list:
        lines.append(error_line(where, "targets", "at least one ISO3 code"))
    bad = [t for t in target_list if not _is_iso3(t)]
    if bad:
        lines.append(error_line(where, "targets", f"ISO3 country codes, got {bad}"))
    if not year_list:
        lines.append(error_line(where, "years", "at least one year"))
    if lines:
        raise HedgelabError(lines)
    catalogue = catalogue if catalogue is not None else load_episodes()
    episodes = catalogue.filter(kind=kind, actor=actor, targets=target_list, years=year_list)
    exposure = len(target_list) * len(year_list)
    low, high = poisson_interval(len(episodes), confidence)
    return BaseRate(
        n_episodes=len(episodes),
        exposure=exposure,
        rate=len(episodes) / exposure,
        lower=low / exposure,
        upper=high / exposure,
        confidence=confidence,
        episode_ids=tuple(e.id for e in episodes),
    )
