"""Hard bounds: what a parameter can be at all, as opposed to its plausible ``range``.

A scenario's ``range`` documents plausibility and may be edited; hard bounds are definitions
and physics (a share lies in [0, 1], a rate is not negative, defence spending is a percentage of
GDP) and live here, in code, where no scenario file can widen them. Every parameter value and
every range endpoint must lie within its bounds (:func:`check_bounds`, run by the loader).
A parameter not listed is a non-negative magnitude (:data:`NON_NEGATIVE`).
"""

from __future__ import annotations

import math
import re

UNIT_INTERVAL = (0.0, 1.0)
"""Shares, probabilities, alignments and indices defined on [0, 1]."""
NON_NEGATIVE = (0.0, 1000.0)
"""Rates, capacities, slopes and costs: not negative; 1,000 is far beyond any meaning the model
gives them (it keeps overflow out of exp and powers)."""
PERCENT_OF_GDP = (0.0, 100.0)
LOG_GROWTH = (-1.0, 1.0)
"""Yearly log changes (growth rates): a fall or rise of more than e-fold a year is not a scenario."""
SIGNED_SHARE = (-1.0, 1.0)
"""Net shares (in favour minus against): public preferences."""
SIGNED_RESPONSE = (-100.0, 100.0)
"""Responses that may go either way (estimated with a sign the data decide)."""

HARD_BOUNDS: dict[str, tuple[float, float]] = {
    "focal_state.defence_spending": PERCENT_OF_GDP,
    "focal_state.defence_ceiling": PERCENT_OF_GDP,
    "focal_state.us_supply_dependence": UNIT_INTERVAL,
    "focal_state.compartmentalisation": UNIT_INTERVAL,
    "focal_state.support": UNIT_INTERVAL,
    "focal_state.threat_response": SIGNED_RESPONSE,
    "focal_state.reliability_response": SIGNED_RESPONSE,
    "environment.reliability_committed": UNIT_INTERVAL,
    "environment.reliability_transactional": UNIT_INTERVAL,
    "environment.reliability_retrenching": UNIT_INTERVAL,
    "environment.china_weakness": UNIT_INTERVAL,
    "environment.china_weakness_mean": UNIT_INTERVAL,
    "environment.convergence": UNIT_INTERVAL,
    "threat.challenger_capacity_growth": LOG_GROWTH,
    "events.coercion_severity": UNIT_INTERVAL,
    "events.routed_reach": UNIT_INTERVAL,
    "events.abandonment_depth": UNIT_INTERVAL,
    "events.entrapment_support_loss": UNIT_INTERVAL,
    "events.deal_depth": UNIT_INTERVAL,
    "events.burden_expectation": PERCENT_OF_GDP,
    "economy.exposure_cap": UNIT_INTERVAL,
    "economy.rest_of_world_gain": NON_NEGATIVE,
    "bargaining.patron_option": UNIT_INTERVAL,
    "responses.abandonment_reliability_floor": UNIT_INTERVAL,
    "responses.coercion_committed_prior": UNIT_INTERVAL,
    "responses.coercion_baseline_demand": UNIT_INTERVAL,
    "responses.focal_bargaining_power": UNIT_INTERVAL,
    "partners.*.alignment.security": UNIT_INTERVAL,
    "partners.*.alignment.economy": UNIT_INTERVAL,
    "partners.*.alignment.technology": UNIT_INTERVAL,
    "partners.*.alignment.energy": UNIT_INTERVAL,
    "partners.*.public_preference.security": SIGNED_SHARE,
    "partners.*.public_preference.economy": SIGNED_SHARE,
    "partners.*.public_preference.technology": SIGNED_SHARE,
    "partners.*.public_preference.energy": SIGNED_SHARE,
    "partners.*.reach": UNIT_INTERVAL,
    "partners.*.exposure": UNIT_INTERVAL,
    "partners.*.routed_exposure": UNIT_INTERVAL,
    "partners.*.energy_capacity": UNIT_INTERVAL,
    "partners.*.growth": LOG_GROWTH,
}
"""Bounds by dotted path (``partners.*`` for every partner)."""

_PARTNER = re.compile(r"^partners\.[^.]+\.")


def bounds_for(path: str) -> tuple[float, float]:
    """The hard bounds of the parameter at ``path``."""
    return HARD_BOUNDS.get(_PARTNER.sub("partners.*.", path), NON_NEGATIVE)


def check_bounds(path: str, value: float, plausible: tuple[float, float] | None) -> str | None:
    """What is wrong with a parameter's value or range against its hard bounds, or None."""
    low, high = bounds_for(path)
    if not math.isfinite(value) or not low <= value <= high:
        return f"a value within the hard bounds [{low:g}, {high:g}], got {value:.6g}"
    if plausible is not None and not (low <= plausible[0] and plausible[1] <= high):
        return (f"a range within the hard bounds [{low:g}, {high:g}] (ranges document plausibility; "
                f"bounds are definitions), got [{plausible[0]:.6g}, {plausible[1]:.6g}]")
    return None
