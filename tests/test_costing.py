"""Cost per channel: hand-computed allocations, costs that add up, overtime, resolved counts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from omnistaff.scenarios import scenario_from_dict
from omnistaff.sim.costing import (
    DAYS_PER_YEAR,
    FTE_HOURS_PER_WEEK,
    TOTAL,
    channel_costs,
    group_costs,
)
from omnistaff.sim.result import SimResult
from omnistaff.sim.run import simulate

CHANNEL_ROW = {"offered": 0.0, "handled": 0.0, "escalated": 0.0, "deflected": 0.0}


def two_channel_scenario(**chat: Any) -> dict[str, Any]:
    """Phone and chat; group `blend` serves both, `chat_only` only chat."""
    return {
        "name": "costing",
        "horizon": {"days": 7, "replications": 1},
        "channels": {
            "phone": {"mode": "live", "arrivals": {"weekly_volume": 100},
                      "handle_time": {"dist": "fixed", "value": 60},
                      "sla": {"target": 0.8, "threshold": 20}},
            "chat": {"mode": "live", "arrivals": {"weekly_volume": 100},
                     "handle_time": {"dist": "fixed", "value": 60},
                     "sla": {"target": 0.8, "threshold": 20}, **chat},
        },
        "groups": {
            "blend": {"skills": ["phone", "chat"], "hourly_cost": 20,
                      "training_cost_per_skill": 730},
            "chat_only": {"skills": ["chat"], "hourly_cost": 10},
        },
    }


def fake_result(work: list[list[float]], paid: list[float], busy: list[float],
                channels: dict[str, dict[str, float]]) -> SimResult:
    """A SimResult with just the frames costing reads (channels phone, chat)."""
    groups = pd.DataFrame({"paid_hours": paid, "busy_hours": busy},
                          index=pd.Index(["blend", "chat_only"], name="group"))
    counts = pd.DataFrame([{**CHANNEL_ROW, **channels[c]} for c in ("phone", "chat")],
                          index=pd.Index(["phone", "chat"], name="channel"))
    return SimResult("fake", 1, 0, pd.DataFrame(), pd.DataFrame(), counts, groups, None,
                     pd.DataFrame(work, index=["phone", "chat"], columns=["blend", "chat_only"]))


def test_labour_split_by_work_and_idle_pro_rata_by_hand() -> None:
    scenario = scenario_from_dict(two_channel_scenario(
        deflection={"share": 0.2, "cost_per_contact": 0.5}))
    # blend: 10 paid hours at 20 = 200, busy 8 h (idle share 0.2); work 3 h phone : 1 h chat.
    # chat_only: 4 paid hours at 10 = 40, busy 4 h (no idle), all chat.
    result = fake_result(work=[[3 * 3600, 0], [3600, 7200]], paid=[10, 4], busy=[8, 4],
                         channels={"phone": {"handled": 50, "escalated": 10},
                                   "chat": {"handled": 40, "deflected": 10}})
    costs = channel_costs(result, scenario)
    fte = 10 / (FTE_HOURS_PER_WEEK * 7 / 7)
    training = 730 * fte * 7 / DAYS_PER_YEAR  # per skill of blend
    assert costs.loc["phone", "labour_cost"] == pytest.approx(150)
    assert costs.loc["chat", "labour_cost"] == pytest.approx(50 + 40)
    assert costs.loc["phone", "idle_cost"] == pytest.approx(0.2 * 150)
    assert costs.loc["chat", "idle_cost"] == pytest.approx(0.2 * 50)
    assert costs.loc["chat", "bot_cost"] == pytest.approx(10 * 0.5)
    assert costs.loc["phone", "training_cost"] == pytest.approx(training)
    assert costs.loc["chat", "training_cost"] == pytest.approx(training)
    assert costs.loc["phone", "total_cost"] == pytest.approx(150 + training)
    assert costs.loc["phone", "cost_per_handled"] == pytest.approx((150 + training) / 50)
    assert costs.loc["phone", "cost_per_resolved"] == pytest.approx((150 + training) / 40)
    assert costs.loc["chat", "resolved"] == 50  # 40 handled by agents, 10 by the bot
    assert costs.loc[TOTAL, "idle_share"] == pytest.approx(40 / costs.loc[TOTAL, "total_cost"])


def test_group_without_work_splits_its_cost_over_its_skills() -> None:
    scenario = scenario_from_dict(two_channel_scenario())
    result = fake_result(work=[[0, 0], [0, 3600]], paid=[10, 4], busy=[0, 1],
                         channels={"phone": {}, "chat": {"handled": 5}})
    costs = channel_costs(result, scenario)
    assert costs.loc["phone", "labour_cost"] == pytest.approx(100)
    assert costs.loc["chat", "labour_cost"] == pytest.approx(100 + 40)
    assert costs.loc["phone", "idle_share"] == pytest.approx(100 / costs.loc["phone",
                                                                             "total_cost"])
    assert np.isnan(costs.loc["phone", "cost_per_handled"])


def mixed_scenario() -> dict[str, Any]:
    """Four channels, a shared email skill, a bot, automated triage, escalation, training."""
    shift = {"days": "all", "start": "06:00", "length": "10h",
             "breaks": [{"after": "4h", "duration": "30min"}]}
    return {
        "name": "mixed",
        "horizon": {"days": 2, "replications": 1, "seed": 5},
        "channels": {
            "phone": {"mode": "live", "arrivals": {"weekly_volume": 6000},
                      "handle_time": {"mean": 180, "cv": 1.0},
                      "patience": {"dist": "exponential", "mean": 300},
                      "sla": {"target": 0.8, "threshold": 20}},
            "chat": {"mode": "live", "arrivals": {"weekly_volume": 3000},
                     "handle_time": {"mean": 400, "cv": 0.8}, "concurrency": {"max": 3},
                     "deflection": {"share": 0.3, "cost_per_contact": 1.2},
                     "sla": {"target": 0.8, "threshold": 60}},
            "email": {"mode": "deferred", "arrivals": {"weekly_volume": 1500},
                      "handle_time": {"mean": 300, "cv": 0.8},
                      "sla": {"target": 0.9, "threshold": "24h"}},
            "social": {"mode": "deferred", "arrivals": {"weekly_volume": 1500},
                       "handle_time": {"mean": 240, "cv": 1.0},
                       "triage": {"actionable_share": 0.5, "by": "automated",
                                  "cost_per_item": 0.1},
                       "escalation": [{"to": "phone", "share": 0.8}],
                       "sla": {"target": 0.8, "threshold": "1h"}},
        },
        "groups": {
            "phone_team": {"skills": ["phone"], "hourly_cost": 28, "shrinkage": 0.2,
                           "training_cost_per_skill": 1500},
            "digital": {"skills": ["chat", "email"], "hourly_cost": 30, "shrinkage": 0.2,
                        "training_cost_per_skill": 1200},
            "social_team": {"skills": ["social", "email"], "hourly_cost": 32,
                            "training_cost_per_skill": 2000},
        },
        "staffing": {"shifts": [{**shift, "group": "phone_team", "count": 8},
                                {**shift, "group": "digital", "count": 5},
                                {**shift, "group": "social_team", "count": 2}]},
    }


@pytest.fixture(scope="module")
def mixed_run() -> tuple[Any, SimResult]:
    scenario = scenario_from_dict(mixed_scenario())
    return scenario, simulate(scenario, seed=11)


def test_channel_costs_add_up_to_every_group_cost_bot_and_training(mixed_run: tuple) -> None:
    scenario, result = mixed_run
    costs = channel_costs(result, scenario)
    channels = costs.drop(index=TOTAL)
    rates = pd.Series({g: spec.hourly_cost for g, spec in scenario.groups.items()})
    labour = float((result.groups["paid_hours"] * rates).sum())
    bot = 1.2 * result.channels.loc["chat", "deflected"]
    triage = 0.1 * (result.channels.loc["social", "offered"]
                    - result.channels.loc["social", "deflected"])
    training = float(group_costs(result, scenario)["training_cost"].sum())
    assert bot > 0 and triage > 0 and training > 0
    for column in ("labour_cost", "idle_cost", "bot_cost", "training_cost", "total_cost"):
        assert channels[column].sum() == pytest.approx(costs.loc[TOTAL, column], rel=1e-12)
    assert costs.loc[TOTAL, "total_cost"] == pytest.approx(labour + bot + triage + training,
                                                           rel=1e-12)
    assert (channels["labour_cost"] > 0).all()
    assert ((channels["idle_share"] >= 0) & (channels["idle_share"] < 1)).all()


def test_escalated_contacts_are_resolved_once_where_they_finish(mixed_run: tuple) -> None:
    scenario, result = mixed_run
    costs = channel_costs(result, scenario)
    counts = result.channels
    assert counts.loc["social", "escalated"] > 0.7 * counts.loc["social", "handled"]
    assert costs.loc["social", "resolved"] == (counts.loc["social", "handled"]
                                               - counts.loc["social", "escalated"])
    assert costs.loc[TOTAL, "resolved"] == (counts["handled"].sum() - counts["escalated"].sum()
                                            + counts["deflected"].sum())
    assert costs.loc["social", "cost_per_resolved"] > 3 * costs.loc["social", "cost_per_handled"]


def test_overtime_past_shift_end_is_paid() -> None:
    """One agent, a 2 h shift, calls of exactly 1 h always waiting: the call in hand at
    logout runs over, and that time is paid and costed."""
    data = two_channel_scenario()
    data["channels"] = {"phone": {**data["channels"]["phone"],
                                  "arrivals": {"weekly_volume": 7 * 400},
                                  "handle_time": {"dist": "fixed", "value": "61min"}}}
    data["horizon"] = {"days": 1, "replications": 1}
    data["groups"] = {"solo": {"skills": ["phone"], "hourly_cost": 10}}
    data["staffing"] = {"shifts": [{"group": "solo", "days": "all", "start": "08:00",
                                    "length": "2h"}]}
    scenario = scenario_from_dict(data)
    result = simulate(scenario, seed=3)
    paid = result.groups.loc["solo", "paid_hours"]
    assert paid == pytest.approx(2 + 2 / 60)  # 08:00 to 10:02: three 61-minute calls
    assert channel_costs(result, scenario).loc[TOTAL, "labour_cost"] == pytest.approx(10 * paid)
