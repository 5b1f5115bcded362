"""A small center with known parameters, simulated and exported as a contact log: the
ground truth the fit tests recover."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
from conftest import seed_for

from omnistaff.scenarios.loader import scenario_from_dict
from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.contact_log import contact_log, log_start
from omnistaff.sim.run import simulate

TRUTH = {"phone": {"weekly": 2500.0, "day_cv": 0.15, "aht": 200.0, "cv": 1.0,
                   "patience": 180.0},
         "email": {"weekly": 700.0, "day_cv": 0.10, "aht": 300.0, "cv": 0.8}}
BLOCKS = 3  # 28-day replications, one after another: 12 weeks of log


def known_scenario() -> Scenario:
    phone, email = TRUTH["phone"], TRUTH["email"]
    return scenario_from_dict({
        "name": "round trip",
        "horizon": {"days": 28, "interval_minutes": 30, "seed": seed_for("fit round trip")},
        "channels": {
            "phone": {"mode": "live",
                      "arrivals": {"weekly_volume": phone["weekly"],
                                   "weekly": [1.2, 1.0, 1.0, 1.0, 0.9, 0.5, 0.0],
                                   "intraday": "business_hours", "day_cv": phone["day_cv"]},
                      "handle_time": {"mean": phone["aht"], "cv": phone["cv"]},
                      "patience": {"dist": "exponential", "mean": phone["patience"]},
                      "sla": {"target": 0.8, "threshold": 20}},
            "email": {"mode": "deferred",
                      "arrivals": {"weekly_volume": email["weekly"], "intraday":
                                   "business_hours", "day_cv": email["day_cv"]},
                      "handle_time": {"mean": email["aht"], "cv": email["cv"]},
                      "expiry": "72h", "sla": {"target": 0.9, "threshold": "24h"}}},
        "groups": {"phone_team": {"skills": ["phone"]}, "email_team": {"skills": ["email"]}},
        "staffing": {"per_interval": {"phone_team": [3] * 48, "email_team": [1] * 48}},
    })


def write_known_log(folder: Path) -> Path:
    """The known scenario's contact log over BLOCKS x 28 days, as CSV."""
    scenario = known_scenario()
    start = log_start("mon")
    logs = [contact_log(simulate(scenario, replication=r, contacts=True),
                        start + pd.Timedelta(days=28 * r)) for r in range(BLOCKS)]
    path = folder / "contacts.csv"
    pd.concat(logs, ignore_index=True).to_csv(path, index=False)
    return path


@functools.cache
def shared_known_log(folder: Path) -> Path:
    """The known scenario's log, written once per test process (`folder`: the session's
    base temporary folder), for every test module that reads it."""
    target = folder / "known-log"
    target.mkdir(exist_ok=True)
    return write_known_log(target)
