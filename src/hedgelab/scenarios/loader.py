"""Load scenarios from TOML or YAML, resolve inheritance, apply ``--set`` overrides.

A scenario file may start with ``base = "NAME"`` (a built-in name or a path relative to the
file) and then give only what differs (``convergence_speed = 0.1`` is shorthand for setting the
inherited parameter's ``value``) (``drop_partners = ["CODE", …]`` removes partners of the
base, e.g. when the focal state changes); tables are merged key by key, so overriding a parameter's
``value`` keeps its unit, range and source unless those are given too. Every problem is reported
as a :class:`~hedgelab.errors.HedgelabError` with one ``FILE: FIELD: expected …`` line per error.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.scenarios.overrides import apply_overrides, merge_tables
from hedgelab.scenarios.schema import Scenario, Strategy

DEFAULT_SCENARIO = "japan-2026"
_BUILTIN = resources.files("hedgelab.scenarios") / "builtin"


def builtin_names() -> list[str]:
    """Names of the built-in scenarios."""
    return list(_builtin_names())


@lru_cache(maxsize=1)
def _builtin_names() -> tuple[str, ...]:
    # Package data does not change while the process runs: list the folder once.
    return tuple(sorted(
        p.name.removesuffix(".toml")
        for p in _BUILTIN.iterdir()
        if p.name.endswith(".toml") and p.name != "strategies.toml"
    ))


def _read_file(path: Path, label: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise HedgelabError(error_line(label, "file", "an existing scenario file")) from None
    except OSError as err:
        raise HedgelabError(error_line(label, "file", f"a readable file ({err.strerror})")) from None
    except UnicodeDecodeError:
        raise HedgelabError(error_line(label, "file", "UTF-8 text")) from None
    try:
        if path.suffix in {".yaml", ".yml"}:
            data = yaml.safe_load(text)
        else:
            data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as err:
        detail = str(err).splitlines()[0]
        raise HedgelabError(error_line(label, "syntax", f"valid {path.suffix[1:].upper()} ({detail})")) from None
    if not isinstance(data, dict):
        raise HedgelabError(error_line(label, "document", "a table of scenario fields"))
    return data


def _resolve(ref: str, relative_to: Path | None) -> tuple[Path, str]:
    """Find a scenario by built-in name or path; return (path, label used in errors)."""
    if ref in builtin_names():
        return Path(str(_BUILTIN / f"{ref}.toml")), f"{ref}.toml"
    path = Path(ref)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if path.suffix not in {".toml", ".yaml", ".yml"}:
        hint = suggest(ref, builtin_names())
        raise HedgelabError(
            error_line(ref, "scenario", f"a built-in name ({', '.join(builtin_names())}) or a .toml/.yaml file{hint}")
        )
    return path, str(ref)


def load_raw(ref: str, relative_to: Path | None = None, _seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], str]:
    """Read a scenario and its ``base`` chain into one merged dict (not yet validated)."""
    path, label = _resolve(ref, relative_to)
    key = str(path.resolve())
    if key in _seen:
        raise HedgelabError(error_line(label, "base", "no circular inheritance"))
    data = _read_file(path, label)
    base_ref = data.pop("base", None)
    if base_ref is None:
        return data, label
    if not isinstance(base_ref, str):
        raise HedgelabError(error_line(label, "base", "the name or path of a scenario (a string)"))
    try:
        base_data, _ = load_raw(base_ref, path.parent, (*_seen, key))
    except HedgelabError as err:
        raise HedgelabError([f"{line} (the base of {label})" for line in err.lines]) from None
    dropped = data.pop("drop_partners", [])
    if not isinstance(dropped, list) or not all(isinstance(c, str) for c in dropped):
        raise HedgelabError(error_line(label, "drop_partners", "a list of partner codes"))
    for code in dropped:
        if code not in base_data.get("partners", {}):
            raise HedgelabError(error_line(label, f"drop_partners.{code}", f"a partner of the base scenario{suggest(code, base_data.get('partners', {}))}"))
        del base_data["partners"][code]
    return merge_tables(base_data, data), label


def _format_errors(label: str, err: ValidationError) -> list[str]:
    lines = []
    for item in err.errors():
        field = ".".join(str(p) for p in item["loc"]) or "document"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            expected = "no such field (unknown field)"
        elif item["type"] == "missing":
            expected = "this required field"
        elif message.startswith("Value error, "):
            expected = message.removeprefix("Value error, ")
        else:
            expected = f"{message.lower()} (got {item.get('input')!r})"
        lines.append(error_line(label, field, expected))
    return lines


def validate(data: dict[str, Any], label: str) -> Scenario:
    """Validate a merged scenario dict, reporting every error of the file at once."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise HedgelabError(_format_errors(label, err)) from None
    undefined = [
        error_line(label, f"strategies.{name}.partners.{code}",
                   f"a partner defined in the scenario ({', '.join(scenario.partners)}){suggest(code, scenario.partners)}")
        for name, strategy in scenario.strategies.items()
        for code in strategy.partners
        if code not in scenario.partners
    ]
    if scenario.events.reference_scenario not in builtin_names():
        undefined.append(error_line(
            label, "events.reference_scenario",
            f"a built-in scenario where the base rates hold ({', '.join(builtin_names())})"
            f"{suggest(scenario.events.reference_scenario, builtin_names())}",
        ))
    if undefined:
        raise HedgelabError(undefined)
    return scenario


def load_scenario(ref: str = DEFAULT_SCENARIO, overrides: list[str] | None = None) -> Scenario:
    """Load a built-in scenario by name, or a TOML/YAML file by path, with ``--set`` overrides.

    Parameters
    ----------
    ref : str
        A built-in name (see :func:`builtin_names`) or a path to a ``.toml``/``.yaml`` file.
    overrides : list of str
        ``dotted.path=VALUE`` items, VALUE a TOML literal, applied after inheritance; a
        parameter path sets that parameter's ``value``.
    """
    data, label = load_raw(ref)
    if overrides:
        data = apply_overrides(data, overrides)
    return validate(data, label)


def builtin_strategies() -> dict[str, Strategy]:
    """The named strategy presets shipped with hedgelab (frozen models; the dict is a copy)."""
    return dict(_builtin_strategies())


@lru_cache(maxsize=1)
def _builtin_strategies() -> tuple[tuple[str, Strategy], ...]:
    data = tomllib.loads((_BUILTIN / "strategies.toml").read_text(encoding="utf-8"))
    try:
        return tuple((name, Strategy.model_validate(spec)) for name, spec in data.items())
    except ValidationError as err:  # pragma: no cover - the shipped file is tested
        raise HedgelabError(_format_errors("strategies.toml", err)) from None


def inapplicable_strategies(scenario: Scenario) -> list[str]:
    """Built-in presets that refer to partners the scenario does not define (e.g. ``russia_hedge``
    in a scenario without Russia); they are left out when no strategies are named."""
    return [
        name for name, strategy in builtin_strategies().items()
        if name not in scenario.strategies and any(code not in scenario.partners for code in strategy.partners)
    ]


def strategies_for(scenario: Scenario, names: list[str] | None = None) -> dict[str, Strategy]:
    """Resolve strategy names against the built-in presets and the scenario's own strategies."""
    available = {**builtin_strategies(), **scenario.strategies}
    if names is None:
        inapplicable = set(inapplicable_strategies(scenario))
        chosen = [n for n in available if n not in inapplicable]
    else:
        chosen = names
    if not chosen:
        raise HedgelabError(error_line("--strategies", "strategies", "at least one strategy name"))
    unknown = [n for n in chosen if n not in available]
    if unknown:
        raise HedgelabError(
            [error_line("--strategies", n, f"a known strategy{suggest(n, available)} (known: {', '.join(available)})") for n in unknown]
        )
    for name in chosen:
        for code in available[name].partners:
            if code not in scenario.partners:
                raise HedgelabError(
                    error_line(
                        f"strategy {name}", f"partners.{code}",
                        f"a partner defined in scenario {scenario.name} ({', '.join(scenario.partners)})",
                    )
                )
    return {name: available[name] for name in chosen}
