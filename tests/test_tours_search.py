"""What a restricted MIP of a plan in people searches: whole lines (every break placement and
weekday of a shift the LP uses), and a stop at the first schedule within the gap of the whole
model's bound."""

from __future__ import annotations

import numpy as np
import pytest

from omnistaff.optimize import schedule_data
from omnistaff.optimize.requirements import Requirements
from omnistaff.optimize.tour_search import restricted_gap, whole_lines
from omnistaff.scenarios import scenario_from_dict


def data_of(contracts: dict) -> object:
    scenario = scenario_from_dict({
        "name": "lines", "horizon": {"days": 7},
        "channels": {"phone": {"mode": "live", "arrivals": {"weekly_volume": 100},
                               "handle_time": {"mean": 300, "cv": 1},
                               "sla": {"target": 0.8, "threshold": "20s"}}},
        "groups": {"team": {"skills": ["phone"], "hourly_cost": 10}},
        "contracts": contracts,
        "optimizer": {"templates": [{"name": "day", "earliest_start": "08:00",
                                     "latest_start": "10:00", "start_step": "1h",
                                     "lengths": ["8h"], "breaks": [
                                         {"duration": "30min", "earliest": "3h",
                                          "latest": "5h", "step": "1h"}]}]},
    })
    count = scenario.horizon.intervals
    required = np.zeros(count)
    required[20] = 1
    requirements = Requirements(erlang={"phone": required}, required={"phone": required},
                                open={"phone": np.zeros(count, bool)}, work={}, window={})
    return schedule_data(scenario, requirements)


def test_a_restricted_mip_keeps_whole_lines() -> None:
    data = data_of({"full_time": {}})
    first = data.options[0]
    kept = whole_lines(data, [0])
    same = [s for s, o in enumerate(data.options)
            if (o.group, o.start, o.length) == (first.group, first.start, first.length)]
    # Three break placements on each of seven weekdays, and nothing of the other starts.
    assert kept == same and len(same) == 3 * 7
    assert whole_lines(data_of({}), [0]) == [0]  # without contracts: the options as kept


def test_a_restricted_mip_stops_within_the_gap_of_the_whole_models_bound() -> None:
    tours, plain = data_of({"full_time": {}}), data_of({})
    gap, target = restricted_gap(tours, 0.01, 990.0, exact=False)
    assert gap == 0.005 and target == pytest.approx(1000.0)
    # A schedule at the target is within 1% of the bound: (1000 - 990) / 1000.
    assert restricted_gap(tours, 0.01, 990.0, exact=True) == (0.01, None)
    assert restricted_gap(plain, 0.01, 990.0, exact=False) == (0.01, None)
    assert restricted_gap(tours, 0.01, float("-inf"), exact=False) == (0.01, None)
