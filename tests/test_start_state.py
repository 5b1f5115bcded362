"""A starting state for a re-plan from now: a deferred backlog drains oldest first at the
rate the agents work (hand-computed), waiting callers abandon at a fresh draw of their
memoryless patience, nothing fresh arrives before `at`, and bad states are named."""

from __future__ import annotations

import math
from typing import Any

import pytest
from conftest import HALF_HOURS, deferred, live, scenario, seed_for
from scipy import stats

from omnistaff.scenarios import ScenarioError
from omnistaff.sim import simulate

Z = float(stats.norm.ppf(0.9995))


def test_deferred_backlog_drains_oldest_first_by_hand() -> None:
    """300 emails waiting (200 aged 1 h, 100 aged 5 h), fixed 60 s each, 5 agents, nothing
    arriving: 5 start every minute from 00:00, so by 00:30 (inclusive) 31 x 5 = 155 have
    been taken (backlog 145) and by 01:00 all 300 (backlog 0); the 100 oldest go first;
    the work is 300 x 60 s; none counts as offered in the horizon."""
    email = deferred(aht=60, per_interval=0.0, dist="fixed", expiry=86400)
    scen = scenario({"email": email}, staffing={"per_interval": {"g": [5] * HALF_HOURS}},
                    start_state={"waiting": {"email": [{"count": 200, "age": "1h"},
                                                       {"count": 100, "age": "5h"}]}})
    result = simulate(scen, 1, contacts=True)
    backlog = result.channel_intervals["backlog_end"].to_numpy()
    assert backlog[0] == 145 and backlog[1] == 0
    assert result.work_seconds is not None
    assert float(result.work_seconds.loc["email", "g"]) == pytest.approx(300 * 60)
    assert result.channels.loc["email", "offered"] == 0
    c = result.contacts
    assert c is not None
    oldest = c[c["arrival"] == -5 * 3600]
    assert len(oldest) == 100 and oldest["left_queue"].max() == pytest.approx(19 * 60)


def test_waiting_callers_abandon_at_a_fresh_patience_draw() -> None:
    """1,000 callers aged 5 min, nobody staffed, exponential patience of mean 120 s: each
    abandons 120 s after now on average (memoryless), within the 99.9% normal interval."""
    phone = live(per_interval=0.0, patience=120)
    scen = scenario({"phone": phone}, staffing={"per_interval": {"g": [0] * HALF_HOURS}},
                    start_state={"waiting": {"phone": [{"count": 1000, "age": "5min"}]}})
    c = simulate(scen, seed_for("start patience"), contacts=True).contacts
    assert c is not None
    assert (c["outcome"] == "abandoned").all() and len(c) == 1000
    residual = c["left_queue"]  # now is 0: the time each one left
    assert abs(residual.mean() - 120) <= Z * 120 / math.sqrt(1000)
    assert (c["arrival"] == -300).all()


def test_nothing_fresh_arrives_before_now() -> None:
    """Now is 14:00: no fresh call arrives on day 0 before it; the 3 waiting calls arrived
    2 min before it (13:58, reported in the 13:30 interval like any contact) and are
    answered at 14:00 by the agents on duty."""
    phone = live(per_interval=20, patience=300)
    scen = scenario({"phone": phone}, start_state={
        "at": "14:00", "waiting": {"phone": [{"count": 3, "age": "2min"}]}})
    result = simulate(scen, seed_for("start at"), contacts=True)
    offered = result.channel_intervals.set_index("time")["offered"]
    assert offered[:"13:00"].sum() == 0 and offered["13:30"] == 3
    assert offered["14:00":].sum() > 0
    c = result.contacts
    assert c is not None
    waiting = c[c["arrival"] == 14 * 3600 - 120]
    assert len(waiting) == 3 and (waiting["left_queue"] == 14 * 3600).all()


def test_without_a_start_state_nothing_changes() -> None:
    base = scenario({"phone": live(per_interval=30, patience=120)})
    empty = scenario({"phone": live(per_interval=30, patience=120)},
                     start_state={"waiting": {}})
    assert simulate(base, 2).channels.equals(simulate(empty, 2).channels)


@pytest.mark.parametrize(("extra", "message"), [
    ({"start_state": {"waiting": {"fax": [{"count": 1, "age": 60}]}}}, "no channel 'fax'"),
    ({"start_state": {"waiting": {"email": [{"count": 1, "age": "2d"}]}}}, "past the "
     "channel's expiry"),
    ({"start_state": {"waiting": {"email": [{"count": 1, "age": 60}]}},
      "horizon": {"warmup": 3600}}, "set horizon.warmup to 0"),
])
def test_bad_start_states_are_named(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario({"email": deferred(expiry=86400)}, **extra)
    assert message in str(caught.value)
