"""The horizon's calendar (`Horizon.weekday`, labels) and the frames and rosters built on it."""

from __future__ import annotations

import pytest
from conftest import live, scenario

from omnistaff.optimize.data import interval_labels
from omnistaff.scenarios.scenario import Horizon
from omnistaff.sim import simulate
from omnistaff.sim.roster import planned_shifts


def test_weekdays_run_on_from_the_start_weekday() -> None:
    horizon = Horizon(start_weekday="fri", days=4)
    assert horizon.weekdays() == ("fri", "sat", "sun", "mon")
    assert horizon.days_on("sun") == [2]
    assert [horizon.weekday(d) for d in range(8, 10)] == ["fri", "sat"]  # repeats by 4 days


def test_warmup_days_repeat_the_end_of_the_horizon() -> None:
    """Day -1 is the horizon's last day, as the warm-up replays the horizon's end."""
    horizon = Horizon(start_weekday="sat", days=3, warmup="2d")
    assert [horizon.weekday(d) for d in (-3, -2, -1)] == ["sat", "sun", "mon"]


@pytest.mark.parametrize(("days", "label"), [(7, "Tue 01:30"), (9, "Tue 01:30 (day 1)")])
def test_interval_and_day_labels(days: int, label: str) -> None:
    horizon = Horizon(days=days, interval_minutes=30)
    assert horizon.interval_label(48 + 3) == label
    assert horizon.clock(48 + 3) == "01:30"
    assert horizon.day_label(1) == label.replace(" 01:30", "")


def test_frames_and_the_optimizer_read_the_same_calendar() -> None:
    scen = scenario({"phone": live()}, days=2, horizon={"start_weekday": "sun"})
    frame = simulate(scen, 1).channel_intervals
    assert list(frame.drop_duplicates("day")["weekday"]) == ["sun", "mon"]
    assert interval_labels(scen) == [scen.horizon.interval_label(k)
                                     for k in range(scen.horizon.intervals)]


def test_weekday_shifts_in_the_warmup_follow_the_repeated_horizon() -> None:
    """A Monday-only shift on a Saturday-to-Monday horizon also works day -1 (a Monday,
    the horizon's last day repeated) during a two-day warm-up."""
    shift = {"group": "g", "days": ["mon"], "start": "08:00", "length": "8h", "count": 1}
    scen = scenario({"phone": live()}, staffing={"shifts": [shift]}, days=3,
                    warmup=2 * 86400.0, horizon={"start_weekday": "sat"})
    assert [login // 86400 for _, login, _, _ in planned_shifts(scen)] == [-1, 2]
