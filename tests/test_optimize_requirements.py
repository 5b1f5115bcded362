"""Channel requirements: Erlang staffing per interval for live channels (concurrency included),
work with deadlines for deferred ones, and the raises of the simulation-optimization loop."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from omnistaff.optimize.requirements import (
    allowed_backlog,
    channel_requirements,
    deadline_window,
    occupancy_cap,
)
from omnistaff.optimize.workload import channel_loads
from omnistaff.scenarios import Scenario, scenario_from_dict
from omnistaff.sim.erlang import agents_for_target


def one_day(channels: dict[str, Any], minutes: int = 30, **extra: Any) -> Scenario:
    """A one-day scenario with one group skilled for every channel."""
    return scenario_from_dict({
        "name": "requirements", "horizon": {"days": 1, "interval_minutes": minutes},
        "channels": channels,
        "groups": {"team": {"skills": list(channels), "hourly_cost": 30}}, **extra,
    })


def phone(volume: float = 480, **extra: Any) -> dict[str, Any]:
    return {"mode": "live", "arrivals": {"weekly_volume": volume * 7},
            "handle_time": {"mean": 300, "cv": 1}, "sla": {"target": 0.8, "threshold": "20s"},
            **extra}


def email(threshold: str = "24h", volume: float = 480, **extra: Any) -> dict[str, Any]:
    return {"mode": "deferred", "arrivals": {"weekly_volume": volume * 7},
            "handle_time": {"mean": 300, "cv": 1},
            "sla": {"target": 0.9, "threshold": threshold}} | extra


def test_live_requirement_is_erlang_c_per_interval() -> None:
    # 480 calls a day, flat: 10 per half hour, 300 s each.
    required = channel_requirements(one_day({"phone": phone()})).required["phone"]
    expected = agents_for_target(10 / 1800, 300, 20, 0.8)
    assert required == pytest.approx(np.full(48, expected))


def test_patience_makes_it_erlang_a() -> None:
    patient = phone(patience={"dist": "exponential", "mean": 120})
    required = channel_requirements(one_day({"phone": patient})).required["phone"]
    assert required[0] == agents_for_target(10 / 1800, 300, 20, 0.8, patience=120)


def test_a_chat_agent_serves_more_than_one_but_fewer_than_k_times_a_phone_agent() -> None:
    volume = 4800
    single = channel_requirements(one_day({"chat": phone(volume)})).required["chat"][0]
    chat = phone(volume, concurrency={"max": 3})
    triple = channel_requirements(one_day({"chat": chat})).required["chat"][0]
    linear = phone(volume, concurrency={"max": 3, "efficiency": "linear"})
    ideal = channel_requirements(one_day({"chat": linear})).required["chat"][0]
    assert single / 3 < triple < single
    assert ideal < triple


def test_deflection_and_triage_shrink_what_reaches_the_queue() -> None:
    plain = channel_loads(one_day({"phone": phone()}))["phone"].contacts.sum()
    deflected = phone(deflection={"share": 0.25})
    triaged = email(triage={"actionable_share": 0.5, "by": "automated"})
    loads = channel_loads(one_day({"phone": deflected, "email": triaged}))
    assert loads["phone"].contacts.sum() == pytest.approx(0.75 * plain)
    assert loads["email"].contacts.sum() == pytest.approx(0.5 * plain)


def test_escalations_add_volume_to_the_channel_they_continue_on() -> None:
    social = email("1h", escalation=[{"to": "phone", "share": 0.2}])
    loads = channel_loads(one_day({"phone": phone(), "social": social}))
    alone = channel_loads(one_day({"phone": phone()}))["phone"].contacts.sum()
    assert loads["phone"].contacts.sum() == pytest.approx(alone + 0.2 * 480)


def test_deferred_work_is_due_at_the_end_of_its_window() -> None:
    assert deadline_window(one_day({"e": email("24h")}).channels["e"], 1800, 48) == 47
    assert deadline_window(one_day({"e": email("1h")}).channels["e"], 900, 96) == 3
    assert deadline_window(one_day({"e": email("10min")}).channels["e"], 900, 96) == 0
    assert deadline_window(one_day({"e": email("72h")}).channels["e"], 1800, 48) == 47


def test_allowed_backlog_is_the_newest_work_still_in_its_window() -> None:
    work = np.array([1.0, 2.0, 3.0, 4.0])
    assert allowed_backlog(work, np.full(4, 0)).tolist() == [0, 0, 0, 0]
    assert allowed_backlog(work, np.full(4, 1)).tolist() == [1, 2, 3, 4]
    assert allowed_backlog(work, np.full(4, 2)).tolist() == [5, 3, 5, 7]
    # Interval 1's work is due at once: at the end of interval 2 only interval 2's may wait.
    assert allowed_backlog(work, np.array([2, 0, 2, 2])).tolist() == [5, 0, 3, 7]


def test_deferred_channels_become_work_not_agents() -> None:
    requirements = channel_requirements(one_day({"phone": phone(), "email": email()}))
    assert requirements.live == ["phone"] and requirements.deferred == ["email"]
    # 480 emails x 300 s over a day, in agent-intervals of 30 minutes.
    assert requirements.work["email"].sum() == pytest.approx(480 * 300 / 1800)
    naive = channel_requirements(one_day({"email": email()}), deferred_as_backlog=False)
    assert naive.live == ["email"] and naive.required["email"].min() >= 1


def test_a_short_window_needs_someone_there_when_no_work_may_be_late() -> None:
    always = {"social": email("1h", sla={"target": 1.0, "threshold": "1h"}), "email": email()}
    requirements = channel_requirements(one_day(always))
    assert requirements.open["social"].all()
    assert "email" not in requirements.open
    assert requirements.late_share["social"] == pytest.approx([0.0])
    assert requirements.late_share["email"] == pytest.approx([0.1])


def test_a_target_below_one_lets_its_share_of_work_be_late() -> None:
    requirements = channel_requirements(one_day({"social": email("1h")}))
    assert "social" not in requirements.open
    assert requirements.late_share["social"] == pytest.approx([0.1])
    lowered = requirements.less_late("social", 0.04)
    assert lowered.late_share["social"] == pytest.approx([0.06])
    assert lowered.less_late("social", 0.5).late_share["social"] == pytest.approx([0.0])
    assert requirements.late_share["social"] == pytest.approx([0.1])


def test_raising_and_tightening_return_new_requirements() -> None:
    requirements = channel_requirements(one_day({"phone": phone(), "email": email()}))
    raised = requirements.raised("phone", np.array([3, 4]), np.array([1.0, 2.0]))
    assert raised.required["phone"][[3, 4]] - requirements.required["phone"][[3, 4]] == (
        pytest.approx([1, 2]))
    assert requirements.required["phone"][3] == requirements.erlang["phone"][3]
    tight = requirements.tightened("email", np.array([0]))
    assert tight.window["email"][0] == 35 and tight.window["email"][1] == 47
    for _ in range(20):
        tight = tight.tightened("email", np.array([0]))
    assert tight.window["email"][0] == 0
    assert tight.work["email"][0] > requirements.work["email"][0]


# ------------------------------------------------------------------ caps and returns


def test_occupancy_cap_raises_live_agents_to_the_load_over_the_cap() -> None:
    # 100 calls a half hour of 300 s: 16.7 Erlangs; Erlang C runs about 20 agents at 83%.
    capped = scenario_from_dict({
        "name": "cap", "horizon": {"days": 1}, "channels": {"phone": phone(4800)},
        "groups": {"team": {"skills": ["phone"], "max_occupancy": 0.7}}})
    erlang = agents_for_target(100 / 1800, 300, 20, 0.8)
    assert erlang < math.ceil(100 * 300 / 1800 / 0.7)
    required = channel_requirements(capped).required["phone"]
    assert required == pytest.approx(np.full(48, math.ceil(100 * 300 / 1800 / 0.7)))
    loose = channel_requirements(one_day({"phone": phone(4800)})).required["phone"]
    assert loose == pytest.approx(np.full(48, erlang))


def test_an_uncapped_group_leaves_the_channel_uncapped() -> None:
    scen = scenario_from_dict({
        "name": "caps", "horizon": {"days": 1},
        "channels": {"phone": phone(), "email": email()},
        "groups": {"a": {"skills": ["phone", "email"], "max_occupancy": 0.8},
                   "b": {"skills": ["phone"], "max_occupancy": 0.9},
                   "c": {"skills": ["email"]}}})
    assert occupancy_cap(scen, "phone") == 0.9
    assert occupancy_cap(scen, "email") is None


def test_redials_raise_and_callbacks_lower_the_live_requirement() -> None:
    impatient = phone(2400, patience={"dist": "exponential", "mean": 60})
    plain = channel_requirements(one_day({"phone": impatient})).required["phone"][0]
    redialing = {**impatient, "redial": {"share": 0.8, "delay": "2min"}}
    assert channel_requirements(one_day({"phone": redialing})).required["phone"][0] >= plain
    offered = {**impatient, "callback": {"to": "cb", "offer_above": 0, "accept_share": 0.9}}
    reqs = channel_requirements(one_day({"phone": offered, "cb": email("2h", 0)}))
    assert reqs.required["phone"][0] < plain
    assert reqs.work["cb"][0] > 0  # the accepted call-backs, as deferred work


def test_resized_intervals_are_sized_for_the_lower_level_with_the_raises_kept() -> None:
    scenario = one_day({"phone": phone(4800)})
    base = channel_requirements(scenario)
    raised = base.raised("phone", np.array([3]), np.array([2.0]))
    sizing = np.full(48, 0.8)
    sizing[24:] = 0.6
    lower = raised.resized(scenario, {"phone": sizing})
    rate = 100 / 1800
    assert lower.required["phone"][0] == agents_for_target(rate, 300, 20, 0.8)
    assert lower.required["phone"][30] == agents_for_target(rate, 300, 20, 0.6)
    assert lower.required["phone"][30] < lower.required["phone"][0]
    assert lower.required["phone"][3] == lower.required["phone"][0] + 2  # the raise stays
    same = raised.resized(scenario, {"phone": np.full(48, 0.8)})
    assert np.array_equal(same.required["phone"], raised.required["phone"])
