"""Shared day-level busyness: one multiplier per simulated day for each busyness factor, from
the factor's own named stream, applied to every channel it names."""

from __future__ import annotations

import numpy as np

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.demand import gamma_levels, simulated_days
from omnistaff.sim.streams import Streams


def shared_day_levels(scenario: Scenario, streams: Streams) -> dict[str, np.ndarray]:
    """Per channel in a busyness factor, its factor's level for each of `simulated_days`
    (channels of one factor get the same array); channels in none are absent."""
    days = len(simulated_days(scenario.horizon))
    levels: dict[str, np.ndarray] = {}
    for name, factor in scenario.busyness.items():
        drawn = (gamma_levels(factor.cv, days, streams.rng(f"busyness:{name}", "day_level"))
                 if factor.cv > 0 else np.ones(days))
        levels.update(dict.fromkeys(factor.channels, drawn))
    return levels
