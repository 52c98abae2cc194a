"""Scenarios from the data: the built-in scenarios' calibrated numbers, written into their files,
and an in-memory scenario for any focal state and year.

The numbers come from :mod:`hedgelab.data.calibration` (the data layer, which knows nothing of
scenario files); :func:`write_scenarios` writes them into the TOML files with tomlkit (comments
and order kept), only ``value``/``source``/``as_of``/``range`` of those parameters;
``scripts/calibrate_scenarios.py`` is the only writer of these numbers. :func:`initial_state`
builds an in-memory scenario for any focal state and year (used by
:mod:`hedgelab.analysis.backtest`).
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hedgelab.data.calibration import Calibrated, PathLike, _get, _roles, calibrate_raw, dynamics_raw
from hedgelab.data.codes import country_name, validate_iso3
from hedgelab.errors import HedgelabError, error_line

__all__ = ["calibrate", "calibrate_all", "initial_state", "is_reference", "template_for", "write_scenarios"]


def calibrate(name: str, data_dir: PathLike = None) -> list[Calibrated]:
    """Calibrated numbers for built-in scenario ``name``."""
    from hedgelab.scenarios.loader import load_raw

    raw, _ = load_raw(name)
    return calibrate_raw(raw, data_dir, reference=is_reference(raw, name)) + dynamics_raw(raw, data_dir)


def is_reference(raw: Mapping[str, Any], name: str) -> bool:
    """Whether the merged scenario dict ``raw`` of scenario ``name`` is the one its hazards are
    normalised at (``events.reference_scenario``, the schema's default when the file is silent)."""
    from hedgelab.scenarios.schema import EventsSpec

    default = EventsSpec.model_fields["reference_scenario"].default
    return raw.get("events", {}).get("reference_scenario", default) == name


def calibrate_all(data_dir: PathLike = None) -> dict[str, list[Calibrated]]:
    """Calibrated numbers for every built-in scenario, bases before the scenarios inheriting them."""
    from hedgelab.scenarios.loader import builtin_names

    return {name: calibrate(name, data_dir) for name in _inheritance_order(builtin_names())}


def _base_of(name: str) -> str | None:
    import tomllib

    from hedgelab.scenarios.loader import _BUILTIN

    data = tomllib.loads((_BUILTIN / f"{name}.toml").read_text(encoding="utf-8"))
    return data.get("base")


def _inheritance_order(names: list[str]) -> list[str]:
    done: list[str] = []

    def visit(n: str) -> None:
        if n in done:
            return
        base = _base_of(n)
        if base in names:
            visit(base)
        done.append(n)

    for n in names:
        visit(n)
    return done


def _matches(entry: Any, item: Calibrated) -> bool:
    if not isinstance(entry, Mapping):
        return False
    same = (float(entry.get("value", math.nan)) == item.value and entry.get("source") == item.source
            and entry.get("as_of") == item.as_of)
    if item.range is not None:
        same = same and tuple(entry.get("range", ())) == item.range
    return same


def write_scenarios(results: Mapping[str, list[Calibrated]], directory: Path | None = None) -> list[Path]:
    """Write calibrated numbers into the built-in scenario files; return the files changed.

    Only ``value``, ``source``, ``as_of`` (and ``range`` where estimated) of the calibrated
    parameters are touched; comments, order and every other field are kept (tomlkit). A
    scenario that inherits gets an entry only where the calibrated number differs from what it
    would inherit, or where it already has one. Bases are written first, so running twice
    changes nothing the second time.
    """
    import tomlkit

    from hedgelab.scenarios.loader import _BUILTIN, load_raw

    folder = directory if directory is not None else Path(str(_BUILTIN))
    changed: list[Path] = []
    for name in _inheritance_order(list(results)):
        path = folder / f"{name}.toml"
        text = path.read_text(encoding="utf-8")
        doc = tomlkit.parse(text)
        base = doc.get("base")
        inherited = load_raw(str(base), folder)[0] if base else {}
        for item in results[name]:
            own = _get(doc, item.path)
            if own is None and base and _matches(_get(inherited, item.path), item):
                continue
            _set(doc, item)
        new = tomlkit.dumps(doc)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def _set(doc: Any, item: Calibrated) -> None:
    import tomlkit

    node = doc
    for i, key in enumerate(item.path[:-1]):
        if key not in node:
            # a table for the partner (``[partners.USA]``) or group; super tables stay implicit
            node[key] = tomlkit.table(is_super_table=(i == 0 and item.path[0] == "partners"))
        node = node[key]
    leaf = item.path[-1]
    if leaf not in node:  # a new entry, written in the files' own style ``{ value = …, … }``
        fields = [f"value = {item.value!r}"]
        if item.range is not None:
            fields.append(f"range = [{item.range[0]!r}, {item.range[1]!r}]")
        fields += [f"source = {tomlkit.item(item.source).as_string()}", f"as_of = {tomlkit.item(item.as_of).as_string()}"]
        node[leaf] = tomlkit.parse(f"x = {{ {', '.join(fields)} }}")["x"]
        return
    entry = node[leaf]
    entry["value"] = item.value
    if item.range is not None:
        entry["range"] = list(item.range)
    entry["source"] = item.source
    entry["as_of"] = item.as_of


# --- scenarios for any focal state and year (backtests) ------------------------------------------


@functools.cache  # the built-in files do not change while the process runs
def template_for(focal: str) -> str:
    """The built-in scenario to start from: the one whose focal state this is, else japan-2026."""
    from hedgelab.scenarios.loader import DEFAULT_SCENARIO, builtin_names, load_raw

    if load_raw(DEFAULT_SCENARIO)[0].get("focal") == focal:
        return DEFAULT_SCENARIO
    for name in builtin_names():
        if load_raw(name)[0].get("focal") == focal:
            return name
    return DEFAULT_SCENARIO


def initial_state(
    focal: str, year: int, data_dir: PathLike = None, template: str | None = None, *, dynamics: bool = True,
) -> tuple[dict[str, Any], list[Calibrated]]:
    """A scenario dict for ``focal`` with its initial state calibrated from the data at ``year``.

    Starts from ``template`` (default :func:`template_for`), drops the partner that is the focal
    state itself, and sets every number :func:`calibrate_raw` produces from data of ``year``
    exactly (a year without data raises). Ranges are widened where a value falls outside them.
    The dynamics (gravity, partner growth, challenger capacity growth, threat and reliability
    responses; :func:`hedgelab.data.calibration.dynamics_raw`) are estimated from data up to
    ``year - 1`` only; ``dynamics=False`` keeps the template's (for analyses of the base-year
    state alone, which the dynamics do not touch). Judgement parameters (alignments, environment, events) are the template's,
    except that ``defence_ceiling`` is raised to the observed spending where the template's is lower.
    """
    from hedgelab.scenarios.loader import load_raw

    focal = validate_iso3(focal, where="focal state")
    template = template or template_for(focal)
    raw, _ = load_raw(template)
    raw = copy.deepcopy(raw)
    raw.pop("drop_partners", None)
    raw["partners"].pop(focal, None)
    roles = {p.get("role") for p in raw["partners"].values()}
    if focal in {_roles(raw["partners"], "patron"), _roles(raw["partners"], "challenger")} or not {"patron", "challenger"} <= roles:
        raise HedgelabError(error_line("focal state", focal, f"a middle power, not the patron or the challenger of {template}"))
    raw.update(focal=focal, focal_name=country_name(focal), base_year=int(year),
               name=f"{focal.lower()}-{year}-calibrated",
               description=f"{country_name(focal)} at {year}, initial state calibrated from the data ({template} template).")
    items = calibrate_raw(raw, data_dir)
    for item in items:
        if item.as_of != str(year):
            raise HedgelabError(error_line(f"calibration of {focal}", item.dotted,
                                           f"data for {year} (the latest before it is {item.as_of})"))
        entry = _get(raw, item.path)
        value = item.exact if item.exact is not None else item.value
        entry["value"] = value
        entry["source"] = item.source
        entry["as_of"] = item.as_of
        low, high = entry.get("range") or (value, value)
        entry["range"] = [min(low, value), max(high, value)]
    # Dynamics are estimated from data *before* ``year`` only (the backtests' rule).
    for item in dynamics_raw(raw, data_dir, end_year=int(year) - 1) if dynamics else ():
        entry = _get(raw, item.path)
        entry.update(value=item.exact if item.exact is not None else item.value, source=item.source, as_of=item.as_of)
        if item.range is not None:
            entry["range"] = list(item.range)
    # The template's defence ceiling is a judgement about *its* focal state (Japan's 2% goal). A
    # ceiling below the spending observed would cut spending at once under the status quo, so it
    # is raised to the observed spending (the status quo keeps what the data show).
    spending = _get(raw, ("focal_state", "defence_spending"))["value"]
    ceiling = _get(raw, ("focal_state", "defence_ceiling"))
    if ceiling["value"] < spending:
        ceiling["value"] = spending
        ceiling["source"] = f"raised to the observed defence spending of {year} (template ceiling below it)"
        low, high = ceiling.get("range") or (spending, spending)
        ceiling["range"] = [min(low, spending), max(high, spending)]
    return raw, items
