"""A start band: a person's start may move from day to day within it. One person on a 2-hour
band covers early days and late days that need two people on a fixed start; the roster gives
each person one start of their band every day, and a roster whose starts spread wider than the
band is refused."""

from __future__ import annotations

import numpy as np
import pytest

from omnistaff.optimize import SolveSettings, build_model, schedule_data, solve
from omnistaff.optimize.loop import _agents
from omnistaff.optimize.requirements import Requirements
from omnistaff.optimize.roster_check import roster_violations
from omnistaff.optimize.roster_out import RosterShift, build_roster
from omnistaff.scenarios import Scenario, ScenarioError, scenario_from_dict

HOUR = 3600.0
PER_DAY = 48


def band_scenario(weeks: int = 1, **contract: object) -> Scenario:
    """One team, 8-hour shifts starting at 08:00 or 10:00, on the given contract."""
    return scenario_from_dict({
        "name": "start band", "horizon": {"days": 7 * weeks},
        "channels": {"phone": {"mode": "live", "arrivals": {"weekly_volume": 100},
                               "handle_time": {"mean": 300, "cv": 1},
                               "sla": {"target": 0.8, "threshold": "20s"}}},
        "groups": {"team": {"skills": ["phone"], "hourly_cost": 10}},
        "contracts": {"full_time": contract},
        "optimizer": {"templates": [{"name": "day", "earliest_start": "08:00",
                                     "latest_start": "10:00", "start_step": "2h",
                                     "lengths": ["8h"]}],
                      "shift_tiebreak": 0},
    })


def early_and_late(weeks: int = 1, **contract: object
                   ) -> tuple[int, list[RosterShift], Scenario]:
    """People needed for one agent at 08:30 Monday to Wednesday and one at 17:00 on Thursday
    and Friday (08:00-16:00 covers the first, 10:00-18:00 the second), and the roster."""
    scenario = band_scenario(weeks, **contract)
    count = scenario.horizon.intervals
    required = np.zeros(count)
    for week in range(weeks):
        for day in (0, 1, 2):
            required[(7 * week + day) * PER_DAY + 17] = 1
        for day in (3, 4):
            required[(7 * week + day) * PER_DAY + 34] = 1
    requirements = Requirements(erlang={"phone": required}, required={"phone": required},
                                open={"phone": np.zeros(count, bool)}, work={}, window={})
    data = schedule_data(scenario, requirements)
    model = build_model(data)
    report = solve(model, SolveSettings(mip_gap=1e-6))
    assert report.status == "proven"
    roster = build_roster(data, _agents(model))
    assert roster_violations(scenario, roster) == []
    return len({s.agent for s in roster}), roster, scenario


@pytest.mark.parametrize("weeks", [1, 2])
def test_a_start_band_lets_one_person_cover_early_and_late_days(weeks: int) -> None:
    # A fixed start covers either the mornings or the evenings: two people. With a 2-hour
    # band one person works Monday to Friday, 08:00 three days and 10:00 two (rest 14 h).
    assert early_and_late(weeks)[0] == 2
    people, roster, _ = early_and_late(weeks, start_band="2h")
    assert people == 1
    starts = {s.day % 7: s.start for s in roster}
    assert starts == {0: 8 * HOUR, 1: 8 * HOUR, 2: 8 * HOUR, 3: 10 * HOUR, 4: 10 * HOUR}


def test_a_band_too_narrow_for_the_starts_keeps_them_fixed() -> None:
    assert early_and_late(start_band="1h")[0] == 2


def shifts(starts: list[float], length: float = 8 * HOUR) -> list[RosterShift]:
    return [RosterShift("a", "team", "full_time", "day", d, s, length, (), "a")
            for d, s in enumerate(starts)]


def test_starts_spread_wider_than_the_band_are_refused() -> None:
    roster = shifts([8 * HOUR, 8 * HOUR, 10 * HOUR, 9 * HOUR, 8 * HOUR])
    assert roster_violations(band_scenario(start_band="2h"), roster) == []
    problems = roster_violations(band_scenario(start_band="1h"), roster)
    assert any("2 h apart, more than the start band of 1 h" in p for p in problems), problems
    assert any("start band of 0 h" in p for p in roster_violations(band_scenario(), roster))


def test_the_rest_rule_holds_across_a_start_that_moves_earlier() -> None:
    # 14-hour shifts from 10:00 then 08:00: 8 h of rest, below the default 11 h.
    roster = shifts([10 * HOUR, 8 * HOUR, 8 * HOUR, 8 * HOUR, 8 * HOUR], length=14 * HOUR)
    problems = roster_violations(band_scenario(start_band="2h"), roster)
    assert any("8 h of rest" in p for p in problems), problems


def test_a_band_leaving_no_time_for_a_shift_is_refused_when_loaded() -> None:
    with pytest.raises(ScenarioError, match="start_band"):
        band_scenario(start_band="12h", min_rest="12h")
