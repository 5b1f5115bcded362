"""Planning part of a roster: kept staffing, the channels planned, the SLA period judged in
simulation, and what a miss raises."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from omnistaff.optimize import channel_requirements, optimize
from omnistaff.optimize.evaluate import Evaluation, evaluate
from omnistaff.optimize.schedule import paid_cost
from omnistaff.scenarios import Scenario, bundled_scenarios, load_scenario, scenario_from_dict
from omnistaff.scenarios.variants import apply_variant


def weekend(variant: str) -> Scenario:
    return apply_variant(load_scenario(bundled_scenarios()["weekend_social"]), variant)


def test_only_the_channels_named_are_planned_and_judged() -> None:
    scenario = weekend("optimized_4h")
    planned = ["social_posts", "social_dms", "email"]
    requirements = channel_requirements(scenario)
    assert sorted([*requirements.live, *requirements.deferred]) == sorted(planned)
    evaluation = evaluate(scenario, replications=2)
    assert list(evaluation.channels.index) == planned
    assert set(evaluation.intervals["channel"]) == set(planned)


@pytest.mark.slow
def test_a_kept_roster_that_meets_every_sla_is_kept_as_it_is() -> None:
    scenario = weekend("optimized_4h")
    result = optimize(scenario)
    assert len(result.iterations) == 1 and result.converged
    assert result.cost == pytest.approx(paid_cost(scenario))
    kept = sorted((s.group, s.start, s.length, s.count, d) for s in scenario.staffing.shifts
                  for d in s.days if s.count)
    planned = sorted((s.group, s.start, s.length, s.count, d)
                     for s in result.scenario.staffing.shifts for d in s.days)
    assert planned == kept


@pytest.mark.slow
def test_the_uncovered_weekend_is_planned_to_the_bundled_1h_schedule_in_two_rounds() -> None:
    # The README's worked example: the optimizer's schedule is the bundled `optimized_1h`.
    result = optimize(weekend("no_weekend_social"))
    assert result.converged and len(result.iterations) <= 2
    assert result.cost == pytest.approx(paid_cost(weekend("optimized_1h")))


def two_days(sla_period: str) -> Scenario:
    """Monday is staffed all day, Tuesday (a tenth of Monday's posts) not at all."""
    return scenario_from_dict({
        "name": "two days", "horizon": {"days": 2, "replications": 3, "seed": 5},
        "channels": {"social": {
            "mode": "deferred", "arrivals": {"weekly_volume": 2000,
                                             "weekly": [1, 0.1, 1, 1, 1, 1, 1]},
            "handle_time": {"mean": 120, "cv": 1}, "sla": {"target": 0.8, "threshold": "1h"}}},
        "groups": {"team": {"skills": ["social"], "hourly_cost": 30}},
        "staffing": {"shifts": [{"group": "team", "days": ["mon"], "start": "00:00",
                                 "length": "24h", "count": 3}]},
        "optimizer": {"sla_period": sla_period},
    })


@pytest.mark.parametrize(("period", "met"), [("horizon", True), ("day", False)])
def test_the_sla_period_decides_whether_one_bad_day_fails_a_schedule(period: str,
                                                                     met: bool) -> None:
    evaluation = evaluate(two_days(period), replications=3)
    days = evaluation.days.loc["social"]
    assert days[0] > 0.95 and days[1] < 0.5
    assert evaluation.channels.loc["social", "service_level"] > 0.8
    assert bool(evaluation.channels.loc["social", "met"]) is met
    shortfall = evaluation.shortfall("social")
    if period == "day":
        assert shortfall[0] < 0 < shortfall[1]
    else:
        assert shortfall[0] == shortfall[1] < 0


def synthetic(abandon: list[float], level: float = 0.9) -> Evaluation:
    """Phone over three intervals: service level met everywhere, abandonment as given."""
    channels = pd.DataFrame({"service_level": [level], "service_level_ci95": [0.01],
                             "abandon_rate": [float(np.mean(abandon))],
                             "abandon_rate_ci95": [0.01], "target": [0.8],
                             "max_abandon_rate": [0.05], "met": [False]}, index=["phone"])
    intervals = pd.DataFrame({"channel": "phone", "interval": [0, 1, 2],
                              "service_level": [level] * 3, "replications": 5,
                              "service_level_ci95": 0.02, "target": 0.8, "miss": False,
                              "abandon_rate": abandon})
    return Evaluation(channels, intervals, pd.DataFrame(), pd.DataFrame([[level]],
                                                                        index=["phone"]))


def test_abandonment_above_its_ceiling_raises_the_intervals_where_it_is() -> None:
    evaluation = synthetic([0.01, 0.09, 0.12])
    assert list(evaluation.to_raise("phone")) == [1, 2]


def test_a_met_channel_raises_nothing() -> None:
    evaluation = synthetic([0.01, 0.02, 0.03])
    met: dict[str, Any] = {**evaluation.channels.loc["phone"].to_dict(), "met": True}
    evaluation.channels.loc["phone"] = pd.Series(met)
    assert list(evaluation.to_raise("phone")) == []
