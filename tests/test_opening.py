"""Contacts escalated to a channel while it is closed wait for its next opening: the delay
computed by hand, and in simulation no escalated call reaches the phone queue out of hours."""

from __future__ import annotations

import pytest

from omnistaff.scenarios import scenario_from_dict
from omnistaff.scenarios.channel import Hours
from omnistaff.sim import simulate
from omnistaff.sim.opening import opening_delay

HOUR = 3600.0
WEEKDAYS_8_TO_20 = Hours(open="08:00", close="20:00", days=("mon", "tue", "wed", "thu", "fri"))


@pytest.mark.parametrize(("now", "wait"), [
    (0.0, 8 * HOUR),                   # Monday 00:00: opens at 08:00
    (9 * HOUR, 0.0),                   # Monday 09:00: open
    (21 * HOUR, 11 * HOUR),            # Monday 21:00: Tuesday 08:00
    (4 * 24 * HOUR + 21 * HOUR, 59 * HOUR),  # Friday 21:00: Monday 08:00
    (-HOUR, 9 * HOUR),                 # Sunday 23:00 (in the warm-up): Monday 08:00
])
def test_the_wait_until_the_next_opening(now: float, wait: float) -> None:
    assert opening_delay(WEEKDAYS_8_TO_20, "mon", now) == pytest.approx(wait)


def test_a_channel_without_hours_is_always_open() -> None:
    assert opening_delay(None, "mon", 3 * HOUR) == 0.0


def test_escalated_calls_reach_the_phone_queue_only_while_it_is_open() -> None:
    scenario = scenario_from_dict({
        "name": "escalations at night", "horizon": {"days": 2, "replications": 1, "seed": 3},
        "channels": {
            "social": {"mode": "deferred", "arrivals": {"weekly_volume": 3000,
                                                        "intraday": "flat"},
                       "handle_time": {"mean": 60, "cv": 1},
                       "sla": {"target": 0.8, "threshold": "1h"},
                       "escalation": [{"to": "phone", "share": 0.5,
                                       "delay": {"dist": "exponential", "mean": "10min"}}]},
            "phone": {"mode": "live", "arrivals": {"weekly_volume": 0, "hours": {
                "open": "08:00", "close": "20:00", "days": "all"}},
                      "handle_time": {"mean": 120, "cv": 1},
                      "sla": {"target": 0.8, "threshold": "20s"}}},
        "groups": {"team": {"skills": ["social", "phone"], "hourly_cost": 30}},
        "staffing": {"shifts": [{"group": "team", "days": "all", "start": "00:00",
                                 "length": "24h", "count": 5}]},
    })
    calls = simulate(scenario, contacts=True).contacts
    calls = calls[calls["channel"] == "phone"]
    assert len(calls) > 100
    hour = (calls["arrival"] % (24 * HOUR)) / HOUR
    assert ((hour >= 8 - 1e-9) & (hour < 20)).all()
    assert (hour < 8.25).sum() > 10  # the night's escalations arrive at the opening
