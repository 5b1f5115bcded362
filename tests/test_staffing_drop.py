"""Who leaves when a group's per-interval count drops, on small hand-computed cases: the
default `levels` (agents above the new count leave, finishing the contact in hand, while
others may sit idle) and `first_free` (idle agents leave at once; if too few are idle, the
first agents to finish a contact leave).

Every case: one group `g`, 30-minute intervals, 2 agents from 00:00 and 1 from 00:30 (the
rest of the day); no fresh arrivals, only calls waiting at 00:00 (a start state) with fixed
handle times, so every time below is exact. Under `levels` the agent due out at 00:30 logs in
first and so takes the first call (it heads the idle bucket); under `first_free` agent A (the
first to log in) takes the first call.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import HALF_HOURS, live, paired_estimate, scenario, seed_for

from omnistaff.scenarios import ScenarioError
from omnistaff.sim import SimResult, simulate

MINUTE = 60.0


def run(drop: str, calls: dict[str, float], counts: list[int] | None = None) -> SimResult:
    """One call waiting at 00:00 on each channel, with a fixed handle time in minutes."""
    channels = {name: live(aht=minutes * MINUTE, per_interval=0.0, dist="fixed")
                for name, minutes in calls.items()}
    staffing = {"per_interval": {"g": counts or [2] + [1] * (HALF_HOURS - 1)},
                "per_interval_drop": drop}
    state = {"waiting": {name: [{"count": 1, "age": 0}] for name in calls}}
    return simulate(scenario(channels, staffing=staffing, start_state=state), 1,
                    contacts=True)


def staffed(result: SimResult, time: str) -> float:
    return float(result.group_intervals.set_index("time").loc[time, "staffed"])


def paid_minutes(result: SimResult) -> float:
    return float(result.groups.loc["g", "paid_hours"]) * 60


def test_levels_one_long_call_the_leaver_works_over_while_the_other_sits_idle() -> None:
    """A 40-min call. levels: the agent due out at 00:30 takes it, stops taking work at
    00:30 and leaves at 00:40; the other sits idle all day. 00:30-01:00 has 30 + 10
    agent-minutes on (1.333 agents), 10 busy (occupancy 0.25); paid 24 h + 40 min."""
    result = run("levels", {"phone": 40})
    assert staffed(result, "00:30") == pytest.approx(40 / 30)
    interval = result.group_intervals.set_index("time").loc["00:30"]
    assert interval["occupancy"] == pytest.approx(10 / 40)
    assert paid_minutes(result) == pytest.approx(24 * 60 + 40)


def test_first_free_one_long_call_the_idle_agent_leaves_at_once() -> None:
    """The same call. first_free: at 00:30 B is idle and leaves at once; A finishes at
    00:40 and stays. 00:30-01:00 has 30 agent-minutes on (1 agent), 10 busy (occupancy
    1/3); paid 24 h + 30 min."""
    result = run("first_free", {"phone": 40})
    assert staffed(result, "00:30") == pytest.approx(1.0)
    interval = result.group_intervals.set_index("time").loc["00:30"]
    assert interval["occupancy"] == pytest.approx(10 / 30)
    assert paid_minutes(result) == pytest.approx(24 * 60 + 30)
    assert staffed(result, "00:00") == pytest.approx(2.0)


def test_levels_two_calls_the_agent_due_out_leaves_though_the_other_is_free_first() -> None:
    """Calls of 50 and 40 min (the 50 first). levels: the agent due out takes the 50-min
    call and leaves at 00:50; the other is free at 00:40 and stays. 00:30-01:00: 30 + 20
    agent-minutes on (1.667 agents); paid 24 h + 50 min."""
    result = run("levels", {"long": 50, "short": 40})
    assert staffed(result, "00:30") == pytest.approx(50 / 30)
    assert paid_minutes(result) == pytest.approx(24 * 60 + 50)


def test_first_free_two_calls_the_first_to_finish_leaves() -> None:
    """The same calls. first_free: nobody is idle at 00:30, so a departure is pending; B
    finishes the 40-min call first and leaves at 00:40; A keeps the 50-min call and stays.
    00:30-01:00: 30 + 10 agent-minutes on (1.333 agents); paid 24 h + 40 min."""
    result = run("first_free", {"long": 50, "short": 40})
    assert staffed(result, "00:30") == pytest.approx(40 / 30)
    assert paid_minutes(result) == pytest.approx(24 * 60 + 40)
    assert staffed(result, "01:00") == pytest.approx(1.0)


def test_first_free_a_rise_cancels_a_pending_departure() -> None:
    """Counts 2, 1, 2, then 1; calls of 70 and 80 min: both agents are busy from 00:00 to
    past 01:00, so the departure pending at 00:30 is cancelled by the rise at 01:00 and
    nobody new logs in: 2 agents on from 00:00 to 01:30, then one leaves when the 70-min
    call ends (01:10 < 01:30, so the one who finished it is idle and goes at 01:30).
    Paid 24 h + 90 min."""
    counts = [2, 1, 2] + [1] * (HALF_HOURS - 3)
    result = run("first_free", {"a": 70, "b": 80}, counts)
    for time in ("00:00", "00:30", "01:00"):
        assert staffed(result, time) == pytest.approx(2.0)
    assert staffed(result, "01:30") == pytest.approx(1.0)
    assert paid_minutes(result) == pytest.approx(24 * 60 + 90)


def test_with_no_drop_both_policies_agree() -> None:
    """Flat staffing: nobody ever leaves, so the two policies give the same frames."""
    counts = [3] * HALF_HOURS
    a = run("levels", {"phone": 40}, counts)
    b = run("first_free", {"phone": 40}, counts)
    assert a.channels.equals(b.channels)
    assert a.groups.equals(b.groups)


@pytest.mark.parametrize("field", ["shrinkage", "absenteeism"])
def test_first_free_refuses_shrinkage_and_absence(field: str) -> None:
    groups: dict[str, Any] = {"g": {"skills": ["phone"], field: 0.1}}
    with pytest.raises(ScenarioError) as caught:
        scenario({"phone": live()}, groups=groups, staffing={
            "per_interval": {"g": [2] * HALF_HOURS}, "per_interval_drop": "first_free"})
    assert f"groups.g.{field}" in str(caught.value) and "per_interval_drop" in str(
        caught.value)


def test_first_free_pays_less_overtime_than_levels_on_the_same_customers() -> None:
    """Random calls (40 an interval, exponential 8-min handle times) over a day whose count
    swings 12, 6, 12, 6 ...: under `levels` the agents due out work over while others sit
    idle, under `first_free` the idle go first, so paid hours are lower. Paired over 6
    replications with common random numbers (the same customers under both): the 99.9% t
    interval of the difference lies below zero."""
    counts = [12, 6] * (HALF_HOURS // 2)
    channel = live(aht=480, per_interval=40, patience=300)
    paid = {}
    for drop in ("levels", "first_free"):
        scen = scenario({"phone": channel}, staffing={"per_interval": {"g": counts},
                                                      "per_interval_drop": drop})
        paid[drop] = [simulate(scen, seed_for("drop paired"), r).groups.loc["g", "paid_hours"]
                      for r in range(6)]
    diff = paired_estimate(paid["levels"], paid["first_free"])
    assert diff.mean + diff.half_width() < 0, diff.describe(0.0)
