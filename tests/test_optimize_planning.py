"""Planning part of a roster: kept staffing, the channels planned, the SLA period judged in
simulation, and what a miss raises."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from omnistaff.optimize import channel_requirements, optimize
from omnistaff.optimize.evaluate import Evaluation, Judging, _verdicts, evaluate, one_sided
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
    evaluation = evaluate(scenario, Judging().fixed(2))
    assert list(evaluation.channels.index) == planned
    assert set(evaluation.periods["channel"]) == set(planned)
    assert set(evaluation.intervals["channel"]) == set(planned)


@pytest.mark.slow
def test_a_kept_roster_that_meets_every_sla_is_kept_as_it_is() -> None:
    scenario = weekend("optimized_4h")
    result = optimize(scenario)
    rounds = [i for i in result.iterations if i.phase == "raise"]
    assert len(rounds) == 1 and result.converged
    assert not any(i.kept for i in result.iterations[1:])  # no lowering trial beat it
    assert result.cost == pytest.approx(paid_cost(scenario))
    kept = sorted((s.group, s.start, s.length, s.count, d) for s in scenario.staffing.shifts
                  for d in s.days if s.count)
    planned = sorted((s.group, s.start, s.length, s.count, d)
                     for s in result.scenario.staffing.shifts for d in s.days)
    assert planned == kept


@pytest.mark.slow
def test_the_uncovered_weekend_is_planned_to_the_bundled_1h_schedule() -> None:
    # The README's worked example: the optimizer's trimmed schedule is the bundled
    # `optimized_1h`, found in three rounds, every round proven within the gap.
    result = optimize(weekend("no_weekend_social"))
    rounds = [i for i in result.iterations if i.phase == "raise"]
    assert result.converged and len(rounds) == 3
    assert all(i.solve.proven for i in result.iterations)
    assert result.trim is not None and result.trim.complete
    assert result.cost == pytest.approx(paid_cost(weekend("optimized_1h")))
    weekend_rows = result.schedule[result.schedule["template"] != "kept"]
    assert int(weekend_rows["count"].sum()) == 9


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
    evaluation = evaluate(two_days(period), Judging(period=period).fixed(3))
    days = evaluation.days.loc["social"]
    assert days[0] > 0.95 and days[1] < 0.5
    assert evaluation.channels.loc["social", "service_level"] > 0.8
    assert bool(evaluation.channels.loc["social", "met"]) is met
    shortfall = evaluation.shortfall("social")
    if period == "day":
        assert shortfall[0] == 0 < shortfall[1]
        assert list(evaluation.periods["verdict"]) == ["met", "missed"]
    else:
        assert shortfall[0] == shortfall[1] == 0


def test_a_mean_above_target_with_a_lower_bound_below_it_is_not_met() -> None:
    # Three replications of one day: 0.78, 0.86 and 0.9 average 0.847 over a target of 0.8,
    # but the 95% one-sided lower bound, 0.847 - 2.92 * 0.0611 / sqrt(3) = 0.744, is below it.
    stacked = pd.DataFrame({"channel": "social", "period": 0, "replication": [0, 1, 2],
                            "level": [0.78, 0.86, 0.9]})
    mean, sd, n = stacked["level"].mean(), stacked["level"].std(), 3
    lower, upper = one_sided(pd.Series([mean]), pd.Series([sd]), pd.Series([n]), 0.95)
    assert lower[0] == pytest.approx(mean - 2.919986 * sd / np.sqrt(3), rel=1e-5)
    assert lower[0] < 0.8 < mean < upper[0]
    table = pd.DataFrame({"service_level": [mean], "lower_bound": lower, "upper_bound": upper,
                          "target": [0.8], "max_abandon_rate": [None], "abandon_rate": [0.0],
                          "abandon_upper": [0.0]})
    assert list(_verdicts(table)) == ["unclear"]


def test_more_replications_are_simulated_only_while_a_verdict_is_unclear() -> None:
    clear = evaluate(two_days("day"), Judging(replications=3, max_replications=12))
    assert clear.replications == 3  # Tuesday is clearly missed: no need for more


def synthetic(abandon: list[float], level: float = 0.9, verdict: str = "missed") -> Evaluation:
    """Phone over three intervals of one day: service level met everywhere, abandonment as
    given."""
    channels = pd.DataFrame({"service_level": [level], "service_level_ci95": [0.01],
                             "abandon_rate": [float(np.mean(abandon))],
                             "abandon_rate_ci95": [0.01], "target": [0.8],
                             "max_abandon_rate": [0.05], "lower_bound": [level - 0.01],
                             "met": [verdict == "met"]}, index=["phone"])
    periods = pd.DataFrame({"channel": ["phone"], "period": [0], "service_level": [level],
                            "lower_bound": [level - 0.01], "target": [0.8],
                            "verdict": [verdict]})
    intervals = pd.DataFrame({"channel": "phone", "interval": [0, 1, 2],
                              "service_level": [level] * 3, "replications": 5,
                              "service_level_ci95": 0.02, "target": 0.8, "miss": False,
                              "abandon_rate": abandon})
    return Evaluation(channels, periods, intervals, pd.DataFrame(),
                      pd.DataFrame([[level]], index=["phone"]), Judging(), 5)


def test_abandonment_above_its_ceiling_raises_the_intervals_where_it_is() -> None:
    evaluation = synthetic([0.01, 0.09, 0.12])
    assert list(evaluation.to_raise("phone", 3)) == [1, 2]


def test_a_met_channel_raises_nothing() -> None:
    evaluation = synthetic([0.01, 0.02, 0.03], verdict="met")
    assert list(evaluation.to_raise("phone", 3)) == []


def test_a_missed_day_with_no_interval_below_target_raises_its_worst_quarter() -> None:
    evaluation = synthetic([0.01, 0.02, 0.03])
    intervals = evaluation.intervals.assign(service_level=[0.85, 0.81, 0.9])
    evaluation = Evaluation(evaluation.channels, evaluation.periods, intervals,
                            evaluation.groups, evaluation.days, evaluation.judging, 5)
    assert list(evaluation.to_raise("phone", 3)) == [1]


def test_a_horizon_judged_as_one_period_raises_across_its_days() -> None:
    evaluation = synthetic([0.01, 0.02, 0.03])
    intervals = evaluation.intervals.assign(service_level=[0.85, 0.7, 0.9])
    evaluation = Evaluation(evaluation.channels, evaluation.periods, intervals,
                            evaluation.groups, evaluation.days, Judging(period="horizon"), 5)
    assert list(evaluation.to_raise("phone", 1)) == [1]  # one interval a day, one period
