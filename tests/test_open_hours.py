"""Opening hours that bound the observation window: summaries cover the open hours only
(occupancy held to Erlang C's load over them, against half of it over the whole day), the
drain after closing counts when asked, and bad hours are named."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from conftest import HALF_HOURS, estimate, live, replicate, scenario, seed_for

from omnistaff.scenarios import ScenarioError, with_overrides
from omnistaff.sim import simulate

OPEN = [{"days": "all", "open": "08:00", "close": "20:00"}]
SLACK = 0.005  # the empty start at 08:00 and the tail after 20:00: a few handle times in 12 h


def open_channel(agents: int, load: float, aht: float, **extra: Any) -> dict[str, Any]:
    """Arrivals at load x agents from 08:00 to 20:00 only (24 intervals of 48)."""
    rate = load * agents / aht * 1800
    return live(aht=aht, per_interval=[0.0] * 16 + [rate] * 24 + [0.0] * 8, **extra)


def test_occupancy_over_open_hours_is_the_load() -> None:
    """10 agents on all day, Poisson arrivals at load 0.6 from 08:00 to 20:00 (aht 60 s):
    over the open hours occupancy is the offered load per agent (M/M/c, no abandonment),
    within the 99.9% t interval over 6 replications plus a slack for the day's edges; over
    the whole day it is about half that, 12 of 24 hours being idle."""
    agents, load = 10, 0.6
    base = scenario({"phone": open_channel(agents, load, 60.0)},
                    staffing={"per_interval": {"g": [agents] * HALF_HOURS}})
    bounded = with_overrides(base, {"reporting.open_hours": OPEN})
    whole = replicate(base, 6, seed_for("open hours"))
    open_only = replicate(bounded, 6, seed_for("open hours"))
    got = estimate([r.groups.loc["g", "occupancy"] for r in open_only])
    assert got.agrees(load, SLACK), got.describe(load)
    day = estimate([r.groups.loc["g", "occupancy"] for r in whole])
    assert day.agrees(load / 2, SLACK), day.describe(load / 2)
    assert all(r.groups.loc["g", "staffed_hours"] == pytest.approx(agents * 12)
               for r in open_only)
    assert all(r.groups.loc["g", "paid_hours"] == pytest.approx(agents * 24)
               for r in open_only)  # paid hours are paid, open or not


def test_service_level_counts_contacts_arriving_while_open() -> None:
    """A 24/7 channel staffed 08:00-20:00: the night's callers wait for the morning and
    abandon, so the whole day's service level is poor; over the open hours it is the
    within-T over SLA base of the open intervals, exactly."""
    staffing = {"per_interval": {"g": [0] * 16 + [8] * 24 + [0] * 8}}
    base = scenario({"phone": live(aht=180, per_interval=30, patience=120)},
                    staffing=staffing)
    bounded = with_overrides(base, {"reporting.open_hours": OPEN})
    day, open_only = simulate(base, 3), simulate(bounded, 3)
    frame = open_only.channel_intervals
    inside = frame[(frame["interval"] >= 16) & (frame["interval"] < 40)]
    assert open_only.channels.loc["phone", "service_level"] == pytest.approx(
        inside["answered_within_sla"].sum() / inside["sla_base"].sum())
    assert open_only.channels.loc["phone", "offered"] == inside["offered"].sum()
    assert (open_only.channels.loc["phone", "service_level"]
            > day.channels.loc["phone", "service_level"] + 0.2)
    assert open_only.channel_intervals.equals(day.channel_intervals)  # frames unchanged


def test_drain_after_closing_counts_when_asked() -> None:
    """A drain of 20 minutes rounds up to the 20:00-20:30 interval: staffed hours are
    12.5 h per agent instead of 12, exactly (no shrinkage)."""
    base = scenario({"phone": open_channel(4, 0.5, 60.0)},
                    staffing={"per_interval": {"g": [4] * HALF_HOURS}},
                    reporting={"open_hours": OPEN, "drain": "20min"})
    assert simulate(base, 1).groups.loc["g", "staffed_hours"] == pytest.approx(4 * 12.5)


def test_weekday_hours_differ_by_day() -> None:
    """Monday 08:00-20:00, Tuesday 09:00-13:00 on a two-day horizon: 12 + 4 hours."""
    hours = [{"days": ["mon"], "open": "08:00", "close": "20:00"},
             {"days": ["tue"], "open": "09:00", "close": "13:00"}]
    base = scenario({"phone": live(per_interval=0.0)}, days=2,
                    staffing={"per_interval": {"g": [1] * HALF_HOURS}},
                    reporting={"open_hours": hours})
    assert simulate(base, 1).groups.loc["g", "staffed_hours"] == pytest.approx(16)
    assert np.isclose(simulate(base, 1).groups.loc["g", "paid_hours"], 48)


@pytest.mark.parametrize(("hours", "message"), [
    ([{"days": "all", "open": "08:10", "close": "20:00"}], "not on a 30-minute interval"),
    ([{"days": "all", "open": "08:00", "close": "20:00"},
      {"days": ["mon"], "open": "19:00", "close": "21:00"}], "overlaps entry 0 on mon"),
])
def test_bad_hours_are_named(hours: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario({"phone": live()}, reporting={"open_hours": hours})
    assert message in str(caught.value) and "reporting.open_hours" in str(caught.value)
