"""Required against scheduled staffing (`omnistaff.optimize.staffing_gap`): agents on shift counted
from the shifts by hand, the requirement the optimizer's own, shared among groups and grossed
up by shrinkage, and the day summary's hours short and over."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from omnistaff.optimize import channel_requirements, staffing_gap
from omnistaff.optimize.staffing_gap import gap_by_day, scheduled_agents, short_lines
from omnistaff.scenarios import Scenario, bundled_scenarios, load_scenario, scenario_from_dict

PHONE = {"mode": "live", "arrivals": {"weekly_volume": 480 * 7},
         "handle_time": {"mean": 300, "cv": 1}, "sla": {"target": 0.8, "threshold": "20s"}}


def one_day(groups: dict[str, Any], shifts: list[dict[str, Any]],
            channels: dict[str, Any] | None = None) -> Scenario:
    """One day in half hours, flat demand (10 calls of 300 s per half hour)."""
    return scenario_from_dict({
        "name": "gap", "horizon": {"days": 1, "interval_minutes": 30},
        "channels": channels or {"phone": PHONE}, "groups": groups,
        "staffing": {"shifts": shifts}})


def team(shrinkage: float = 0.0, **extra: Any) -> dict[str, Any]:
    return {"skills": ["phone"], "hourly_cost": 30, "shrinkage": shrinkage, **extra}


def test_agents_on_shift_are_counted_per_interval_without_breaks() -> None:
    shifts = [{"group": "team", "days": "all", "start": "08:00", "length": "8h", "count": 3,
               "breaks": [{"after": "4h", "duration": "30min"}]},
              {"group": "team", "days": "all", "start": "10:15", "length": "1h", "count": 2}]
    on = scheduled_agents(one_day({"team": team()}, shifts))["team"]
    expected = np.zeros(48)
    expected[16:32] = 3  # 08:00 to 16:00
    expected[24] = 0  # 12:00 to 12:30: all three on their break
    expected[20] += 1  # 10:00-10:30: two agents for half of it
    expected[21] += 2
    expected[22] += 1  # 11:00-11:30: the same
    assert on == pytest.approx(expected)


def test_a_shift_past_midnight_covers_the_start_of_the_horizon_too() -> None:
    shifts = [{"group": "team", "days": "all", "start": "22:00", "length": "4h", "count": 2}]
    on = scheduled_agents(one_day({"team": team()}, shifts))["team"]
    assert on[[0, 1, 2, 3, 44, 45, 46, 47]] == pytest.approx(np.full(8, 2.0))
    assert on[4:44] == pytest.approx(np.zeros(40))


def test_one_group_requires_the_erlang_agents_grossed_up_by_shrinkage() -> None:
    shifts = [{"group": "team", "days": "all", "start": "00:00", "length": "24h", "count": 9}]
    scenario = one_day({"team": team(shrinkage=0.2)}, shifts)
    gap = staffing_gap.staffing_gap(scenario)
    erlang = channel_requirements(scenario).required["phone"]
    assert gap["live"].to_numpy() == pytest.approx(erlang / 0.8)
    assert gap["deferred"].sum() == 0
    assert gap["gap"].to_numpy() == pytest.approx(9 - erlang / 0.8)


def test_a_shared_channel_is_split_by_the_capacity_each_group_has_scheduled() -> None:
    shifts = [{"group": "day", "days": "all", "start": "00:00", "length": "24h", "count": 6},
              {"group": "back", "days": "all", "start": "00:00", "length": "24h", "count": 2}]
    scenario = one_day({"day": team(), "back": team(shrinkage=0.5)}, shifts)
    gap = staffing_gap.staffing_gap(scenario).set_index(["group", "interval"])
    erlang = channel_requirements(scenario).required["phone"]
    # capacity on queue: 6 against 2 * 0.5 = 1, so six sevenths fall to "day"
    day, back = gap.loc["day", "live"].to_numpy(), gap.loc["back", "live"].to_numpy()
    assert day == pytest.approx(erlang * 6 / 7)
    assert back * 0.5 == pytest.approx(erlang / 7)  # on queue, half of those on shift


def test_a_channel_nobody_is_scheduled_for_is_split_equally() -> None:
    scenario = one_day({"day": team(), "back": team()}, [])
    gap = staffing_gap.staffing_gap(scenario).set_index(["group", "interval"])
    erlang = channel_requirements(scenario).required["phone"]
    assert gap.loc["day", "live"].to_numpy() == pytest.approx(erlang / 2)
    assert (gap["gap"] < 0).all()


def test_channels_the_optimizer_leaves_out_still_count() -> None:
    shifts = [{"group": "team", "days": "all", "start": "00:00", "length": "24h", "count": 9}]
    scenario = one_day({"team": team()}, shifts)
    optimizer = scenario.optimizer.model_copy(update={"channels": ("phone",)})
    chat = {**PHONE, "concurrency": {"max": 2}}
    both = one_day({"team": {**team(), "skills": ["phone", "chat"]}}, shifts,
                   {"phone": PHONE, "chat": chat})
    only_phone = both.model_copy(update={"optimizer": optimizer})
    assert staffing_gap.staffing_gap(only_phone)["live"].to_numpy() == pytest.approx(
        staffing_gap.staffing_gap(both)["live"].to_numpy())


def frame(gaps: list[float], required: float = 4.0) -> pd.DataFrame:
    """One group over one day of half-hour intervals with these gaps."""
    count = len(gaps)
    return pd.DataFrame({
        "group": "team", "interval": range(count), "day": 0, "hour": 0, "weekday": "Mon",
        "time": [f"00:{30 * (i % 2):02d}" for i in range(count)], "live": required,
        "deferred": 0.0, "required": required, "scheduled": [required + g for g in gaps],
        "gap": gaps})


def test_the_day_summary_counts_hours_short_and_over() -> None:
    scenario = one_day({"team": team()}, [])
    days = gap_by_day(frame([-2.0, -0.01, 0.5, 1.0, 3.0, -0.5]), scenario)
    row = days.iloc[0]
    assert row["short_hours"] == 1.0  # two half hours short; 0.01 agent is rounding
    assert row["over_hours"] == 1.0  # two half hours with a whole agent or more to spare
    assert row["most_short"] == 2.0 and row["most_short_at"] == "00:00"
    assert row["required_hours"] == pytest.approx(6 * 4 * 0.5)
    [line] = short_lines(days, scenario)
    assert line == ("team: 1 h short over 1 day(s), 1 h of them for live channels; at most "
                    "2.0 agents short (Mon 00:00)")


def test_no_line_for_a_group_never_short() -> None:
    scenario = one_day({"team": team()}, [])
    assert short_lines(gap_by_day(frame([0.0, 2.0]), scenario), scenario) == []


def test_the_bundled_scenario_removing_weekend_social_cover_is_short_at_the_weekend() -> None:
    scenario = load_scenario(bundled_scenarios()["small_multichannel"])
    without = scenario.variant("no_weekend_social")
    days = gap_by_day(staffing_gap.staffing_gap(without), without).set_index(
        ["group", "weekday"])
    for day in ("Sat", "Sun"):
        assert days.loc[("social_team", day), "scheduled_hours"] == 0
        assert days.loc[("social_team", day), "short_hours"] == pytest.approx(24.0, abs=3.0)
    with_cover = gap_by_day(staffing_gap.staffing_gap(scenario), scenario).set_index(
        ["group", "weekday"])
    assert with_cover.loc[("social_team", "Sat"), "scheduled_hours"] > 0
