"""People on tours: the classic days-off problem with hand-computed least workforces (Baker
1974; Burns and Carter 1985), rotations over several weeks, the roster checker on every roster
the optimizer writes here, and one hand-made roster refused for each rule."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from omnistaff.optimize import SolveSettings, build_model, schedule_data, solve
from omnistaff.optimize.evaluate import Evaluation, Judging
from omnistaff.optimize.loop import _agents
from omnistaff.optimize.requirements import Requirements
from omnistaff.optimize.roster_check import roster_violations
from omnistaff.optimize.roster_out import RosterShift, build_roster, roster_shifts
from omnistaff.optimize.schedule import with_schedule
from omnistaff.scenarios import Scenario, ScenarioError, scenario_from_dict
from omnistaff.sim.roster import planned_shifts

HOUR = 3600.0
PER_DAY = 48


def days_off_scenario(weeks: int = 1, **contract: object) -> Scenario:
    """One team, one 08:00-16:00 shift a day, on the given contract."""
    return scenario_from_dict({
        "name": "days off", "horizon": {"days": 7 * weeks},
        "channels": {"phone": {"mode": "live", "arrivals": {"weekly_volume": 100},
                               "handle_time": {"mean": 300, "cv": 1},
                               "sla": {"target": 0.8, "threshold": "20s"}}},
        "groups": {"team": {"skills": ["phone"], "hourly_cost": 10}},
        "contracts": {"full_time": contract},
        "optimizer": {"templates": [{"name": "day", "earliest_start": "08:00",
                                     "latest_start": "08:00", "lengths": ["8h"]}],
                      "shift_tiebreak": 0},
    })


def least_workforce(demand: list[int], weeks: int = 1, **contract: object
                    ) -> tuple[int, list[RosterShift], Scenario, float]:
    """People the model needs for `demand` agents on each weekday at 10:00, its roster, the
    scenario and the solve's gap."""
    scenario = days_off_scenario(weeks, **contract)
    count = scenario.horizon.intervals
    required = np.zeros(count)
    for day in range(scenario.horizon.days):
        required[day * PER_DAY + 20] = demand[day % 7]
    requirements = Requirements(erlang={"phone": required}, required={"phone": required},
                                open={"phone": np.zeros(count, bool)}, work={}, window={})
    data = schedule_data(scenario, requirements)
    model = build_model(data)
    report = solve(model, SolveSettings(mip_gap=1e-6))
    assert report.status == "proven"
    roster = build_roster(data, _agents(model))
    assert roster_violations(scenario, roster) == []
    return len({s.agent for s in roster}), roster, scenario, report.gap


def brute_force(demand: list[int]) -> int:
    """The least workforce on five days of seven with the two days off together (cyclic),
    by enumerating the people off on each pair of days."""
    best = math.inf
    top = max(demand)
    for off in itertools.product(range(top + 1), repeat=7):
        people = sum(off)
        if people >= best:
            continue
        if all(people - off[d] - off[d - 1] >= demand[d] for d in range(7)):
            best = people
    return int(best)


@pytest.mark.parametrize(("demand", "least"), [
    # Flat demand: 5 days of 7 each, so ceil(7 x 3 / 5) = 5 people (the work bound).
    ([3, 3, 3, 3, 3, 3, 3], 5),
    # Weekdays heavy: the work bound ceil(27 / 5) = 6 is above the peak 5.
    ([5, 5, 5, 5, 5, 1, 1], 6),
    ([8, 8, 8, 8, 8, 8, 8], 12),
    # Peaks on Tue, Thu, Sat: both bounds say 6 (ceil(26/5) and the peak), but every pair of
    # consecutive days off except (Sun, Mon) touches a peak: summing the three peak days'
    # coverage gives 2W + x(Sun,Mon) >= 18, so W = 6 puts everyone off Sunday and Monday,
    # leaving Monday's 2 uncovered; 7 people suffice.
    ([2, 6, 2, 6, 2, 6, 2], 7),
])
def test_classic_days_off_problem(demand: list[int], least: int) -> None:
    people, _, _, _ = least_workforce(demand)
    assert people == least == brute_force(demand)
    assert people >= max(max(demand), math.ceil(sum(demand) / 5))


def test_days_off_matches_enumeration() -> None:
    rng = np.random.default_rng(13)
    for _ in range(4):
        demand = [int(v) for v in rng.integers(0, 4, 7)]
        assert least_workforce(demand)[0] == brute_force(demand)


def test_a_rotation_needs_what_each_week_needs() -> None:
    # Identical weeks: a 4-week rotation needs the one week's least workforce, its roster
    # checked across weeks (at most 6 days in a row).
    people, roster, _, _ = least_workforce([5, 5, 5, 5, 5, 3, 3], weeks=4)
    assert people == brute_force([5, 5, 5, 5, 5, 3, 3]) == 7
    assert {s.day // 7 for s in roster} == {0, 1, 2, 3}


@pytest.mark.parametrize("weeks", [2, 3, 4])
def test_weekend_off_every_other_week(weeks: int) -> None:
    # Every other weekend off, at most 8 days in a row (Monday is day 0). A week with the
    # weekend worked lies between two weekends off, so each week at least half of the n
    # people have it off, and the others are off Wednesday-Thursday (a), Thursday-Friday (b)
    # or Friday-Saturday: from any earlier pair to the next weekend off is more than 8 days
    # in a row. Saturday is then worked only by the a + b, so a + b >= 3, and they all miss
    # Thursday, so n >= 5 + a + b >= 8. Eight suffice (4 off the weekend, 1 off Wed-Thu, 2
    # off Thu-Fri, 1 off Fri-Sat each week: 8 8 7 5 5 3 4 at work), whatever the rotation's
    # length; without the rule 7 do (`test_a_rotation_needs_what_each_week_needs`).
    people, roster, scenario, gap = least_workforce([5, 5, 5, 5, 5, 3, 3], weeks=weeks,
                                                    weekend_off_every=2, max_consecutive_days=8)
    assert people == 8 and gap == pytest.approx(0.0, abs=1e-9)
    assert {s.day // 7 for s in roster} == set(range(weeks))
    assert roster_violations(scenario, roster) == []


@pytest.mark.parametrize("weeks", [1, 2])
def test_simulation_runs_the_roster(weeks: int) -> None:
    # Each person logs in on their own days, in each week of a rotation.
    _, roster, scenario, _ = least_workforce([5, 5, 5, 5, 5, 3, 3], weeks=weeks)
    staffed = with_schedule(scenario, roster_shifts(scenario, roster))
    assert {s.agent for s in staffed.staffing.shifts} == {s.agent for s in roster}
    planned = planned_shifts(staffed)
    logins = sorted(login for _, login, _, _ in planned if login >= 0)
    assert logins == sorted(s.day * 86400 + s.start for s in roster)


# -- one hand-made roster refused per rule --------------------------------------------------

def person(days: list[int], agent: str = "a", start: float = 8 * HOUR,
           length: float = 8 * HOUR, template: str = "day", following: str | None = None,
           contract: str = "full_time", starts: dict[int, float] | None = None
           ) -> list[RosterShift]:
    starts = starts or {}
    return [RosterShift(agent, "team", contract, template, d, starts.get(d, start), length, (),
                        following or agent) for d in days]


def test_a_valid_roster_passes() -> None:
    assert roster_violations(days_off_scenario(), person([0, 1, 2, 3, 4])) == []


@pytest.mark.parametrize(("rules", "roster", "words"), [
    ({}, person([0, 1, 2, 3, 4, 5]), "works 6 days"),
    ({}, person([0, 1, 3, 4, 5]), "not together"),
    ({}, person([0, 1, 2, 3, 4], starts={1: 10 * HOUR}), "different times"),
    ({}, person([0, 1, 2, 3, 4], length=14 * HOUR), "rest"),
    ({"max_paid_hours": "35h"}, person([0, 1, 2, 3, 4]), "paid hours"),
    ({"templates": ["day"]}, person([0, 1, 2, 3, 4], template="late"), "template"),
    ({"weekend_off_every": 1}, person([0, 1, 4, 5, 6]), "weekend"),
    ({}, person([0, 1, 2, 3, 4], contract="part_time"), "not in the scenario"),
    ({}, person([0, 1, 2, 3, 4]) + person([0], start=18 * HOUR), "two shifts"),
])
def test_each_rule_refuses_a_roster_breaking_it(rules: dict, roster: list[RosterShift],
                                                words: str) -> None:
    problems = roster_violations(days_off_scenario(**rules), roster)
    assert any(words in p for p in problems), problems


def test_consecutive_days_across_weeks_are_refused() -> None:
    # Off Mon-Tue in week 0, Sat-Sun in week 1: Wednesday to the next Friday is 10 in a row.
    roster = person([2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    problems = roster_violations(days_off_scenario(weeks=2), roster)
    assert any("10 days in a row" in p for p in problems), problems
    assert roster_violations(days_off_scenario(weeks=2, max_consecutive_days=10), roster) == []


def test_headcount_is_a_limit_on_people() -> None:
    scenario = days_off_scenario()
    scenario = scenario.model_copy(update={"groups": {"team": scenario.groups["team"]
                                                      .model_copy(update={"max_headcount": 1})}})
    roster = person([0, 1, 2, 3, 4]) + person([0, 1, 2, 3, 4], agent="b")
    assert any("headcount" in p for p in roster_violations(scenario, roster))


def test_a_rotation_that_does_not_close_is_refused() -> None:
    roster = person([0, 1, 2, 3, 4], following="b") + person([0, 1, 2, 3, 4], agent="b",
                                                             following="c")
    roster += person([0, 1, 2, 3, 4], agent="c", following="b")
    assert any("does not close" in p for p in roster_violations(days_off_scenario(), roster))


def test_contracts_are_checked_when_loaded() -> None:
    with pytest.raises(ScenarioError, match="whole weeks"):
        scenario_from_dict({**days_off_scenario().model_dump(mode="json"),
                            "horizon": {"days": 10}})
    with pytest.raises(ScenarioError, match="not an agent group"):
        days_off_scenario(groups=["nobody"])
    with pytest.raises(ScenarioError, match="min_paid_hours"):
        days_off_scenario(min_paid_hours="40h", max_paid_hours="30h")


def test_without_contracts_there_are_no_tours() -> None:
    scenario = days_off_scenario()
    plain = scenario_from_dict({**scenario.model_dump(mode="json"), "contracts": {}})
    count = plain.horizon.intervals
    required = np.zeros(count)
    required[20] = 2
    requirements = Requirements(erlang={"phone": required}, required={"phone": required},
                                open={"phone": np.zeros(count, bool)}, work={}, window={})
    data = schedule_data(plain, requirements)
    assert data.tours is None
    assert not hasattr(build_model(data), "rota")


# -- pay rules ---------------------------------------------------------------------------

def paid(pay: dict, start: str, weekday: str = "sat", day: int = 5, skills: int = 1,
         breaks: tuple = ()) -> float:
    """Cost of one 8-hour shift at 10 an hour under the pay rules."""
    from omnistaff.optimize.premiums import option_cost
    from omnistaff.optimize.shifts import ShiftOption
    from omnistaff.scenarios.units import clock_seconds

    spec = days_off_scenario().model_dump(mode="json")
    spec["channels"].update({f"c{k}": spec["channels"]["phone"] for k in range(1, skills)})
    spec["groups"]["team"]["skills"] = list(spec["channels"])[:skills]
    spec["pay"] = pay
    scenario = scenario_from_dict(spec)
    option = ShiftOption("team", "day", weekday, clock_seconds(start), 8 * HOUR, breaks)
    return option_cost(scenario, option, [day])


def test_time_premiums_cost_the_hours_they_cover() -> None:
    assert paid({}, "08:00") == pytest.approx(80)
    # Saturday 08:00-16:00 at +25%: 80 + 8 x 10 x 0.25.
    assert paid({"weekend_premium": 0.25}, "08:00") == pytest.approx(100)
    # Friday 20:00 to Saturday 04:00: 4 weekend hours, and 6 night hours (22:00-04:00).
    assert paid({"weekend_premium": 0.25, "night_premium": 0.5}, "20:00", "fri", 4) == \
        pytest.approx(80 + 4 * 10 * 0.25 + 6 * 10 * 0.5)
    # A public holiday on a Saturday pays the holiday premium instead of the weekend's.
    assert paid({"weekend_premium": 0.25, "holiday_premium": 1.0, "holidays": [5]},
                "08:00") == pytest.approx(160)
    # An unpaid hour's break at 4 h is not paid, nor its premium.
    assert paid({"weekend_premium": 0.25}, "08:00", breaks=((4 * HOUR, HOUR, False),)) == \
        pytest.approx(7 * 10 * 1.25)
    # Two extra skills at 1.5 an hour each.
    assert paid({"skill_premium": 1.5}, "08:00", skills=3) == pytest.approx(80 + 8 * 2 * 1.5)


def test_overtime_costs_the_hours_beyond_the_contract() -> None:
    # 5 x 8 h = 40 h on a 36 h contract: 4 h a week at 50% more of 10 an hour = 20 a week.
    spec = days_off_scenario(contract_hours="36h").model_dump(mode="json")
    spec["pay"] = {"overtime_premium": 0.5}
    scenario = scenario_from_dict(spec)
    from omnistaff.optimize.tours import tour_data

    count = scenario.horizon.intervals
    required = np.zeros(count)
    required[20::PER_DAY] = 3
    requirements = Requirements(erlang={"phone": required}, required={"phone": required},
                                open={"phone": np.zeros(count, bool)}, work={}, window={})
    data = schedule_data(scenario, requirements)
    assert tour_data(scenario, data.options).cost[0] == pytest.approx(20)
    model = build_model(data)
    report = solve(model, SolveSettings(mip_gap=1e-6))
    # Flat 3 a day: 5 people, each 40 paid hours (400) and 20 overtime.
    assert report.objective == pytest.approx(5 * 420)


def test_the_loop_plans_people_and_writes_a_checked_roster(tmp_path) -> None:
    from omnistaff.optimize import optimize
    from omnistaff.ui.outputs import write_optimization

    spec = days_off_scenario().model_dump(mode="json")
    spec["channels"]["phone"]["arrivals"] = {
        "weekly_volume": 400, "intraday": "business_hours",
        "hours": {"open": "08:00", "close": "18:00", "days": "all"}}
    spec["horizon"].update({"replications": 2, "seed": 3})
    spec["pay"] = {"weekend_premium": 0.25}
    spec["optimizer"].update({"max_iterations": 1, "replications": 3, "max_replications": 3,
                              "trim_evaluations": 4,
                              "templates": [{"name": "day", "earliest_start": "08:00",
                                             "latest_start": "10:00", "start_step": "1h",
                                             "lengths": ["8h"]}]})
    scenario = scenario_from_dict(spec)
    result = optimize(scenario)
    roster = list(result.roster)
    assert roster and roster_violations(scenario, roster) == []
    # The optimized scenario runs the roster: one named entry per person and shift.
    assert {s.agent for s in result.scenario.staffing.shifts} == {s.agent for s in roster}
    # The round's cost is the model's objective: base pay and the weekend premium.
    assert result.final.cost == pytest.approx(result.final.solve.objective)
    assert sum(s.paid_seconds for s in roster) / 3600 == pytest.approx(
        sum(result.final.paid_hours.values()))
    paths = write_optimization(result, tmp_path)
    assert tmp_path / "roster.csv" in paths
    heads = __import__("pandas").read_csv(tmp_path / "headcount.csv")
    assert heads["people"].sum() == len({s.agent for s in roster})
    summary = __import__("json").loads((tmp_path / "summary.json").read_text())
    assert summary["roster"]["rules_broken"] == []
    assert summary["roster"]["people"] == heads["people"].sum()


def test_cost_per_channel_shows_the_premiums() -> None:
    from omnistaff.sim import simulate
    from omnistaff.sim.costing import channel_costs, group_costs

    spec = days_off_scenario().model_dump(mode="json")
    spec["staffing"] = {"shifts": [{"group": "team", "days": ["sat"], "start": "08:00",
                                    "length": "8h", "count": 2}]}
    spec["pay"] = {"weekend_premium": 0.25}
    scenario = scenario_from_dict(spec)
    result = simulate(scenario, seed=1)
    groups = group_costs(result, scenario)
    # Two agents, 8 h on Saturday at 10 an hour and 25% more: 40 of premium.
    assert groups.loc["team", "premium_cost"] == pytest.approx(40)
    channels = channel_costs(result, scenario)
    assert channels.loc["phone", "premium_cost"] == pytest.approx(40)
    assert channels.loc["phone", "labour_cost"] == pytest.approx(
        groups.loc["team", "paid_hours"] * 10 + 40)


def test_too_few_people_is_explained() -> None:
    from omnistaff.optimize import ScheduleInfeasible, optimize

    spec = days_off_scenario(max_people=2).model_dump(mode="json")
    spec["channels"]["phone"]["arrivals"] = {
        "weekly_volume": 400, "intraday": "business_hours",
        "hours": {"open": "08:00", "close": "16:00", "days": "all"}}
    with pytest.raises(ScheduleInfeasible, match="max_headcount"):
        optimize(scenario_from_dict(spec), max_iterations=1)


def _people_plan() -> tuple[object, tuple[int, ...]]:
    """The five people of flat demand 3 at one interval a day, and their data."""
    scenario = days_off_scenario()
    count = scenario.horizon.intervals
    required = np.zeros(count)
    required[20::PER_DAY] = 3
    requirements = Requirements(erlang={"phone": required}, required={"phone": required},
                                open={"phone": np.zeros(count, bool)}, work={}, window={})
    data = schedule_data(scenario, requirements)
    model = build_model(data)
    solve(model, SolveSettings(mip_gap=1e-6))
    return data, _agents(model)


def _people_verdicts(data: object, schedule: tuple[int, ...], missed: tuple[int, ...] = ()
                     ) -> Evaluation:
    """A stand-in simulation: every day met while at least 4 people work, but `missed`."""
    enough = sum(schedule[len(data.options):]) >= 4
    met = [enough and d not in missed for d in range(7)]
    periods = pd.DataFrame({"channel": "phone", "period": range(7),
                            "verdict": ["met" if m else "missed" for m in met]})
    channels = pd.DataFrame({"met": [all(met)]}, index=["phone"])
    return Evaluation(channels, periods, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
                      Judging(), 10)


def test_the_trim_takes_whole_people_away() -> None:
    # From the 5 of flat demand 3, the trim takes one person away with their five
    # agent-shifts, and the plan left is still a roster that keeps every rule.
    from omnistaff.optimize.tour_trim import trim_people

    data, plan = _people_plan()

    def judge(schedule: tuple[int, ...]) -> Evaluation:
        return _people_verdicts(data, schedule)

    trimmed, _, report = trim_people(data, plan, judge(plan), judge, 20,
                                     [0] * len(data.options), judge)
    assert sum(trimmed[len(data.options):]) == 4 and report.removed == 5
    assert report.complete and report.cost_before - report.cost_after == pytest.approx(400)
    roster = build_roster(data, trimmed)
    assert len({s.agent for s in roster}) == 4
    assert roster_violations(days_off_scenario(), roster) == []


def test_a_day_the_plan_misses_afresh_keeps_the_people_working_it() -> None:
    # The fresh replications find Monday short whatever the plan: it is excused there, the
    # people working Monday are kept, and one of those off on Monday goes.
    from omnistaff.optimize.tour_trim import trim_people

    data, plan = _people_plan()
    people = plan[len(data.options):]
    working = [r for r, p in enumerate(people) if p > 0 and data.tours.works(r, 0)]
    assert 0 < len(working) < 5  # the plan has people off on Monday (else nothing to show)
    trimmed, evaluation, report = trim_people(
        data, plan, _people_verdicts(data, plan), lambda s: _people_verdicts(data, s), 20,
        [0] * len(data.options), lambda s: _people_verdicts(data, s, missed=(0,)))
    assert report.missed_afresh == ("phone on day 1",) and report.kept_for_them == len(working)
    assert f"the {len(working)} tours working that day were kept" in report.describe("USD")
    removed = sum(people) - sum(trimmed[len(data.options):])
    assert report.people_removed == removed > 0
    assert report.describe("USD").startswith(
        f"trim removed {removed} {'person' if removed == 1 else 'people'}, "
        f"{report.removed} agent-shifts")
    assert "every other remaining person was tried" in report.describe("USD")
    assert all(trimmed[len(data.options) + r] == people[r] for r in working)
    assert sum(trimmed[len(data.options):]) == 4 and report.removed == 5 and report.complete
    assert evaluation.all_met
