"""Handle time and patience by period of the day: contacts arriving in a period get its
distributions (exactly, for fixed handle times; within a sampling interval, for exponential
patience), the others draw exactly what they would without periods, and bad periods are
named."""

from __future__ import annotations

import math
from typing import Any

import pytest
from conftest import HALF_HOURS, deferred, live, scenario, seed_for
from scipy import stats

from omnistaff.scenarios import ScenarioError, with_overrides
from omnistaff.sim import simulate

Z = float(stats.norm.ppf(0.9995))
AFTERNOON = {"start": "12:00", "end": "18:00", "handle_time": {"dist": "fixed", "value": 200}}


def test_fixed_handle_time_by_period_is_exact() -> None:
    """Fixed 100 s outside 12:00-18:00, 200 s inside, ample agents (nobody waits): the
    work answered is 100 x contacts outside + 200 x contacts inside, to the second."""
    channel = live(aht=100, per_interval=20, dist="fixed", periods=[AFTERNOON])
    scen = scenario({"phone": channel}, staffing={"per_interval": {"g": [50] * HALF_HOURS}})
    result = simulate(scen, seed_for("periods fixed"), contacts=True)
    c = result.contacts
    assert c is not None
    taken = c[(c["outcome"] == "answered") & (c["left_queue"] >= 0)]
    clock = taken["arrival"] % 86400
    inside = int(((clock >= 12 * 3600) & (clock < 18 * 3600)).sum())
    outside = len(taken) - inside
    assert inside > 0 and outside > 0
    assert result.work_seconds is not None
    assert float(result.work_seconds.loc["phone", "g"]) == pytest.approx(
        100 * outside + 200 * inside)


def test_patience_by_period_sets_the_mean_wait_of_those_who_abandon() -> None:
    """Nobody staffed: every call abandons at its patience. Exponential patience of mean
    60 s, 600 s from 08:00 to 10:00 on weekdays: the mean wait of each period's callers is
    its mean within the 99.9% normal interval (sd of an exponential = its mean)."""
    period = {"start": "08:00", "end": "10:00", "days": "weekdays",
              "patience": {"dist": "exponential", "mean": 600}}
    channel = live(per_interval=100, patience=60, periods=[period])
    scen = scenario({"phone": channel}, staffing={"per_interval": {"g": [0] * HALF_HOURS}})
    c = simulate(scen, seed_for("periods patience"), contacts=True).contacts
    assert c is not None
    gone = c[(c["arrival"] >= 0) & (c["outcome"] == "abandoned")]
    clock = gone["arrival"] % 86400
    inside = (clock >= 8 * 3600) & (clock < 10 * 3600)
    for waits, mean in ((gone["wait"][inside], 600.0), (gone["wait"][~inside], 60.0)):
        assert abs(waits.mean() - mean) <= Z * mean / math.sqrt(len(waits)), (
            waits.mean(), mean, len(waits))


def test_periods_on_other_days_change_nothing() -> None:
    """A period on Sundays only, simulating a Monday: the same draws as without it."""
    base = scenario({"phone": live(per_interval=30, patience=120)})
    sunday = with_overrides(base, {"channels.phone.periods": [
        {"start": "00:00", "end": "00:00", "days": ["sun"],
         "handle_time": {"dist": "fixed", "value": 1}}]})
    a, b = simulate(base, 4), simulate(sunday, 4)
    assert a.channels.equals(b.channels)


def test_escalated_contacts_take_the_period_of_their_arrival() -> None:
    """Every email escalates at once to phone, whose handle time is a fixed 50 s all day
    long by its period: the phone work is 50 s a contact exactly."""
    period = {"start": "00:00", "end": "00:00", "handle_time": {"dist": "fixed", "value": 50}}
    scen = scenario({"email": deferred(per_interval=10,
                                       escalation=[{"to": "phone", "share": 1.0}]),
                     "phone": live(per_interval=0.0, periods=[period])},
                    staffing={"per_interval": {"g": [30] * HALF_HOURS}})
    result = simulate(scen, seed_for("periods escalation"))
    handled = float(result.channels.loc["phone", "handled"])
    assert handled > 0
    assert result.work_seconds is not None
    # phone contacts answered from time 0 on; each is 50 s of work
    assert float(result.work_seconds.loc["phone", "g"]) == pytest.approx(50 * handled)


@pytest.mark.parametrize(("periods", "message"), [
    ([{"start": "10:00", "end": "09:00", "handle_time": 100}], "not after start"),
    ([{"start": "09:00", "end": "10:00"}], "neither handle_time nor patience"),
    ([{"start": "09:00", "end": "11:00", "handle_time": 100},
      {"start": "10:00", "end": "12:00", "handle_time": 100}], "overlap on"),
])
def test_bad_periods_are_named(periods: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario({"phone": live(periods=periods)})
    assert message in str(caught.value) and "channels.phone" in str(caught.value)


def test_deferred_periods_may_not_set_patience() -> None:
    with pytest.raises(ScenarioError, match="live channels only"):
        scenario({"email": deferred(periods=[{"start": "09:00", "end": "10:00",
                                              "patience": 100}])})
