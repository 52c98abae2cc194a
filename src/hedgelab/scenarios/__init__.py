"""Scenarios: the pydantic schema, the TOML/YAML loader with inheritance, and the built-ins."""

from hedgelab.scenarios.loader import (
    DEFAULT_SCENARIO,
    builtin_names,
    builtin_strategies,
    load_scenario,
    strategies_for,
)
from hedgelab.model.state import DOMAINS
from hedgelab.scenarios.schema import Parameter, Scenario, Strategy

__all__ = [
    "DEFAULT_SCENARIO",
    "DOMAINS",
    "Parameter",
    "Scenario",
    "Strategy",
    "builtin_names",
    "builtin_strategies",
    "load_scenario",
    "strategies_for",
]
