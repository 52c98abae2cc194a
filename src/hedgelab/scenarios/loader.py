"""Load scenarios from TOML or YAML, resolve inheritance, apply ``--set`` overrides.

A scenario file may start with ``base = "NAME"`` (a built-in name or a path relative to the
file) and then give only what differs (``convergence_speed = 0.1`` is shorthand for setting the
inherited parameter's ``value``) (``drop_partners = ["CODE", …]`` removes partners of the
base, e.g. when the focal state changes); tables are merged key by key, so overriding a parameter's
``value`` keeps its unit, range and source unless those are given too. Every problem is reported
as a :class:`~hedgelab.errors.HedgelabError` with one ``FILE: FIELD: expected …`` line per error.
"""

from __future__ import annotations

import reprlib
import stat
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.scenarios.overrides import apply_overrides, merge_tables
from hedgelab.scenarios.bounds import check_bounds
from hedgelab.scenarios.schema import Scenario, Strategy

DEFAULT_SCENARIO = "japan-2026"
_BUILTIN = resources.files("hedgelab.scenarios") / "builtin"

MAX_SCENARIO_BYTES = 1_000_000
"""Largest scenario file read (the built-ins are under 60 kB); a larger one is refused unread."""
MAX_YAML_NODES = 100_000
"""Largest YAML document once its aliases are expanded (a scenario has a few thousand nodes): an
alias bomb parses small but expands exponentially when validated or printed."""

Origins = dict[str, str]
"""Dotted path of a value in a merged scenario -> where it came from (a file label or ``--set``)."""


IN_PROGRESS = -1  # marks a YAML node whose expanded size is being counted


class _BoundedYamlLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a document whose alias expansion exceeds
    :data:`MAX_YAML_NODES` nodes (counted without expanding anything)."""

    def compose_document(self):  # type: ignore[no-untyped-def]
        root = super().compose_document()
        sizes: dict[int, int] = {}

        def expanded(node: yaml.Node) -> int:
            if sizes.get(id(node)) == IN_PROGRESS:
                raise yaml.YAMLError("no recursive aliases (a node that contains itself)")
            if id(node) not in sizes:
                sizes[id(node)] = IN_PROGRESS
                children = node.value if isinstance(node, yaml.SequenceNode) else (
                    [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else [])
                sizes[id(node)] = 1 + sum(expanded(child) for child in children)
            return sizes[id(node)]

        if root is not None and expanded(root) > MAX_YAML_NODES:
            raise yaml.YAMLError(f"a document of at most {MAX_YAML_NODES:,} nodes once aliases are expanded")
        return root


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


def read_scenario_file(path: Path, label: str) -> dict[str, Any]:
    """Read one scenario file into a dict, before inheritance and validation: at most
    :data:`MAX_SCENARIO_BYTES` read, a regular file only, UTF-8 TOML or YAML (bounded nesting and
    node count), a table at the top; every failure one error line naming ``label``."""
    try:
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):  # a FIFO or device would block or never end
            raise HedgelabError(error_line(label, "file", "a regular file (not a pipe, device or directory)"))
        with open(path, "rb") as handle:  # never more than the limit, even if it grows while read
            raw = handle.read(MAX_SCENARIO_BYTES + 1)
        if len(raw) > MAX_SCENARIO_BYTES:
            raise HedgelabError(error_line(label, "file", f"a scenario file of at most {MAX_SCENARIO_BYTES:,} bytes"))
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise HedgelabError(error_line(label, "file", "an existing scenario file")) from None
    except OSError as err:
        raise HedgelabError(error_line(label, "file", f"a readable file ({err.strerror})")) from None
    except UnicodeDecodeError:
        raise HedgelabError(error_line(label, "file", "UTF-8 text")) from None
    try:
        if path.suffix in {".yaml", ".yml"}:
            data = yaml.load(text, Loader=_BoundedYamlLoader)  # noqa: S506 - a SafeLoader subclass
        else:
            data = tomllib.loads(text)
    except RecursionError:
        raise HedgelabError(error_line(label, "syntax", "tables and lists nested at most a few hundred deep")) from None
    except (tomllib.TOMLDecodeError, yaml.YAMLError, ValueError) as err:  # ValueError: e.g. a 5,000-digit integer
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


def load_raw(ref: str, relative_to: Path | None = None) -> tuple[dict[str, Any], str]:
    """Read a scenario and its ``base`` chain into one merged dict (not yet validated)."""
    data, label, _ = _load_with_origins(ref, relative_to)
    return data, label


def _leaf_origins(data: dict[str, Any], label: str, prefix: str = "") -> Origins:
    origins: Origins = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            origins.update(_leaf_origins(value, label, f"{path}."))
        else:
            origins[path] = label
    return origins


def _under_any(path: str, leaves: Origins) -> bool:
    """Whether ``path`` lies strictly under one of ``leaves`` (``a.b.c`` under ``a`` or ``a.b``):
    one look-up per dot of ``path``, so filtering a base's origins is linear in their number."""
    return any(path[:i] in leaves for i, char in enumerate(path) if char == ".")


def _load_with_origins(
    ref: str, relative_to: Path | None = None, _seen: tuple[str, ...] = ()
) -> tuple[dict[str, Any], str, Origins]:
    """:func:`load_raw`, and where each value came from (this file or a base file)."""
    path, label = _resolve(ref, relative_to)
    key = str(path.resolve())
    if key in _seen:
        raise HedgelabError(error_line(label, "base", "no circular inheritance"))
    data = read_scenario_file(path, label)
    base_ref = data.pop("base", None)
    if base_ref is None:
        return data, label, _leaf_origins(data, label)
    if not isinstance(base_ref, str):
        raise HedgelabError(error_line(label, "base", "the name or path of a scenario (a string)"))
    try:
        base_data, base_label, base_origins = _load_with_origins(base_ref, path.parent, (*_seen, key))
    except HedgelabError as err:
        raise HedgelabError([f"{line} (the base of {label})" for line in err.lines]) from None
    given = _leaf_origins(data, label)
    origins = {p: f"{where} (the base of {label})" for p, where in base_origins.items()
               if not _under_any(p, given)}  # a value given here replaces the base's whole entry
    dropped = data.pop("drop_partners", [])
    if not isinstance(dropped, list) or not all(isinstance(c, str) for c in dropped):
        raise HedgelabError(error_line(label, "drop_partners", "a list of partner codes"))
    if not isinstance(base_data.get("partners", {}), dict):
        raise HedgelabError(error_line(f"{base_label} (the base of {label})", "partners", "a table of partners"))
    for code in dropped:
        if code not in base_data.get("partners", {}):
            raise HedgelabError(error_line(label, f"drop_partners.{code}", f"a partner of the base scenario{suggest(code, base_data.get('partners', {}))}"))
        del base_data["partners"][code]
    return merge_tables(base_data, data), label, {**origins, **_leaf_origins(data, label)}


_INPUT_SUMMARY = reprlib.Repr()
"""Bad values are shown summarised: a nested or huge value costs bounded time and space."""
_INPUT_SUMMARY.maxlevel, _INPUT_SUMMARY.maxlist, _INPUT_SUMMARY.maxdict = 2, 4, 4
_INPUT_SUMMARY.maxstring = _INPUT_SUMMARY.maxother = 80


OVERRIDES = "overrides"
"""The origin of values set by ``overrides`` (``--set``): the WHERE of their error lines."""


def _overridden(origins: Origins | None) -> tuple[str, ...]:
    """The paths that ``origins`` says an override set (found once per file, not once per error)."""
    return tuple(path for path, where in (origins or {}).items() if where == OVERRIDES)


def _origin(field: str, label: str, origins: Origins | None, overridden: tuple[str, ...] = ()) -> str:
    """Where the value at ``field`` came from: ``overrides`` when an override (one of
    ``overridden``, from :func:`_overridden`) lies at or under it (a cross-field check on a group
    blames the override that broke it), else the most specific known origin, else ``label``."""
    if not origins:
        return label
    if any(path == field or path.startswith(f"{field}.") for path in overridden):
        return OVERRIDES
    parts = field.split(".")
    for candidate in (f"{field}.value", *(".".join(parts[:n]) for n in range(len(parts), 0, -1))):
        if candidate in origins:
            return origins[candidate]
    return label


def _format_errors(label: str, err: ValidationError, origins: Origins | None = None) -> list[str]:
    lines, overridden = [], _overridden(origins)
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
            expected = f"{message.lower()} (got {_INPUT_SUMMARY.repr(item.get('input'))})"
        lines.append(error_line(_origin(field, label, origins, overridden), field, expected))
    return lines


def _bound_errors(data: dict[str, Any], label: str, origins: Origins | None, prefix: str = "",
                  overridden: tuple[str, ...] | None = None) -> dict[str, str]:
    """Hard-bound problems of every numeric parameter value and range in a merged scenario dict:
    parameter path -> error line."""
    overridden = _overridden(origins) if overridden is None else overridden
    errors: dict[str, str] = {}
    for key, node in data.items():
        path = f"{prefix}{key}"
        if not isinstance(node, dict):
            continue
        if "value" not in node:
            errors.update(_bound_errors(node, label, origins, f"{path}.", overridden))
            continue
        value, plausible = node["value"], node.get("range")
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue  # the schema reports a value that is not a number
        numeric_range = (isinstance(plausible, list | tuple) and len(plausible) == 2
                         and all(isinstance(x, int | float) and not isinstance(x, bool) for x in plausible))
        try:
            problem = check_bounds(path, float(value), tuple(map(float, plausible)) if numeric_range else None)
        except OverflowError:  # an integer too large for a float
            problem = "a finite number within the hard bounds"
        if problem is not None:
            errors[path] = error_line(_origin(path, label, origins, overridden), path, problem)
    return errors


def validate(data: dict[str, Any], label: str, origins: Origins | None = None) -> Scenario:
    """Validate a merged scenario dict, reporting every error of the file at once (each against
    the file, base file or ``--set`` the bad value came from, when ``origins`` says)."""
    bounds = _bound_errors(data, label, origins)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:  # the schema's lines, then bound problems it did not report
        reported = {".".join(str(p) for p in item["loc"]) for item in err.errors()}
        extra = [line for path, line in bounds.items() if path not in reported]
        raise HedgelabError(_format_errors(label, err, origins) + extra) from None
    if bounds:
        raise HedgelabError(list(bounds.values()))
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
    data, label, origins = _load_with_origins(ref)
    if overrides:
        data = apply_overrides(data, overrides)
        for item in overrides:  # a --set path names a parameter (its value) or a plain field
            path = item.partition("=")[0].strip()
            origins.update({path: OVERRIDES, f"{path}.value": OVERRIDES})
    return validate(data, label, origins)


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
        raise HedgelabError(error_line("request", "strategies", "at least one strategy name"))
    repeated = sorted({n for n in chosen if chosen.count(n) > 1})
    if repeated:
        raise HedgelabError(error_line("strategies", ",".join(repeated), "each strategy named once"))
    unknown = [n for n in chosen if n not in available]
    if unknown:
        raise HedgelabError(
            [error_line("strategies", n, f"a known strategy{suggest(n, available)} (known: {', '.join(available)})") for n in unknown]
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
