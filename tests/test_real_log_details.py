"""Every model detail for real logs at once (periods, shared busyness, first_free staffing,
opening hours with a drain, a start state): the run conserves contacts in every interval,
and the same seed gives the same frames on one worker or two."""

from __future__ import annotations

import pandas as pd
from conftest import deferred, live, scenario

from omnistaff.scenarios import Scenario
from omnistaff.sim import simulate
from omnistaff.sim.experiment import run_replications
from omnistaff.sim.records import OUTCOMES

PERIOD = {"start": "12:00", "end": "14:00", "handle_time": {"dist": "exponential", "mean": 400},
          "patience": {"dist": "exponential", "mean": 60}}


def everything() -> Scenario:
    staffing = {"per_interval": {"g": [0] * 14 + [6, 8, 10, 9] * 6 + [5] * 10},
                "per_interval_drop": "first_free"}
    return scenario(
        {"phone": live(aht=240, per_interval=[0.0] * 16 + [40.0] * 24 + [0.0] * 8,
                       patience=180, periods=[PERIOD], arrivals={"day_cv": 0.1}),
         "email": deferred(aht=300, per_interval=4, expiry=86400)},
        staffing=staffing, days=2,
        busyness={"day": {"cv": 0.2, "channels": ["phone", "email"]}},
        reporting={"open_hours": [{"days": "all", "open": "08:00", "close": "20:00"}],
                   "drain": "30min"},
        start_state={"at": "07:00", "waiting": {"email": [{"count": 40, "age": "10h"}]}})


def test_every_contact_is_accounted_for_in_every_interval() -> None:
    frame = simulate(everything(), 5).channel_intervals
    outcomes = frame[list(OUTCOMES)].sum(axis=1)
    assert (frame["offered"] == outcomes).all()
    assert frame["offered"].sum() > 0


def test_same_seed_same_frames_on_one_worker_or_two() -> None:
    scen = everything()
    serial = run_replications(scen, 2, seed=9, workers=1)
    parallel = run_replications(scen, 2, seed=9, workers=2)
    pd.testing.assert_frame_equal(serial.channel_table(), parallel.channel_table())
    pd.testing.assert_frame_equal(serial.group_table(), parallel.group_table())
    pd.testing.assert_frame_equal(serial.channel_intervals(), parallel.channel_intervals())
