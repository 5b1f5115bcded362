"""The optimizer's three scale cases (issue "The optimizer's answer can be trusted"):

- `small_multichannel` over 28 days;
- 8 channels served by 6 groups with overlapping skills;
- a large center: about 50,000 phone contacts a week, plus email and social, about 150 agents.

Used by `benchmarks/optimize_trust.py --scale`.
"""

from __future__ import annotations

from typing import Any

from omnistaff.scenarios import (
    Scenario,
    bundled_scenarios,
    load_scenario,
    scenario_from_dict,
    with_overrides,
)

FULL_TIME = {"name": "full_time", "start_step": "1h", "lengths": ["8h"],
             "breaks": [{"duration": "30min", "earliest": "3h", "latest": "5h", "step": "1h"}]}


def four_weeks() -> Scenario:
    base = load_scenario(bundled_scenarios()["small_multichannel"])
    return with_overrides(base, {"horizon.days": 28})


def _live(volume: float, aht: float, hours: tuple[str, str], concurrency: int = 1
          ) -> dict[str, Any]:
    channel: dict[str, Any] = {
        "mode": "live",
        "arrivals": {"weekly_volume": volume, "weekly": "weekdays", "intraday": "business_hours",
                     "hours": {"open": hours[0], "close": hours[1], "days": "weekdays"}},
        "handle_time": {"mean": aht, "cv": 1.0},
        "patience": {"dist": "exponential", "mean": 300},
        "sla": {"target": 0.8, "threshold": "20s" if concurrency == 1 else "60s"}}
    if concurrency > 1:
        channel["concurrency"] = {"max": concurrency}
    return channel


def _deferred(volume: float, aht: float, threshold: str, shape: str) -> dict[str, Any]:
    return {"mode": "deferred",
            "arrivals": {"weekly_volume": volume, "intraday": shape},
            "handle_time": {"mean": aht, "cv": 1.0}, "expiry": "72h",
            "sla": {"target": 0.8 if threshold == "1h" else 0.9, "threshold": threshold}}


def eight_by_six() -> Scenario:
    channels = {
        "phone_sales": _live(3000, 240, ("08:00", "20:00")),
        "phone_service": _live(4000, 300, ("07:00", "21:00")),
        "chat_sales": _live(1500, 400, ("08:00", "20:00"), 3),
        "chat_service": _live(2000, 420, ("08:00", "20:00"), 3),
        "email": _deferred(2500, 360, "24h", "business_hours"),
        "web_form": _deferred(800, 300, "24h", "business_hours"),
        "social_posts": _deferred(900, 200, "1h", "evening"),
        "social_dms": _deferred(600, 240, "1h", "evening"),
    }
    groups = {
        "sales": ["phone_sales", "chat_sales"],
        "service": ["phone_service", "chat_service"],
        "blended": ["phone_service", "phone_sales", "email"],
        "digital": ["chat_service", "chat_sales", "web_form"],
        "back_office": ["email", "web_form"],
        "social": ["social_posts", "social_dms", "email"],
    }
    return scenario_from_dict({
        "name": "8 channels x 6 groups", "horizon": {"days": 7, "interval_minutes": 30,
                                                      "replications": 3, "seed": 8},
        "channels": channels,
        "groups": {g: {"skills": skills, "hourly_cost": 28 + 2 * k, "shrinkage": 0.15}
                   for k, (g, skills) in enumerate(groups.items())},
        "optimizer": {"templates": [FULL_TIME]},
    })


def large_center() -> Scenario:
    return scenario_from_dict({
        "name": "large center", "horizon": {"days": 7, "interval_minutes": 30,
                                            "replications": 3, "seed": 50},
        "channels": {
            "phone": _live(50000, 240, ("07:00", "22:00")),
            "email": _deferred(6000, 360, "24h", "business_hours"),
            "social": _deferred(2000, 240, "1h", "evening"),
        },
        "groups": {"phone_team": {"skills": ["phone"], "hourly_cost": 28, "shrinkage": 0.15},
                   "back_office": {"skills": ["email", "social"], "hourly_cost": 30,
                                   "shrinkage": 0.15}},
        "optimizer": {"templates": [FULL_TIME]},
    })


SCALE_CASES = {"small_multichannel 28 days": four_weeks, "8 channels x 6 groups": eight_by_six,
               "large center": large_center}
