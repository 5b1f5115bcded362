"""Cost per channel from one replication: paid labour by group, split across channels by the
work each group did on them, plus bot, automated-triage and training costs.

A pure function of a `SimResult` and its scenario, so it runs per replication and the costs
can be averaged with confidence intervals like any other KPI.

- Labour: each group's paid hours (scheduled paid time plus overtime worked past shift end)
  times its hourly cost. It is split across the group's channels by handled work-seconds
  (handle time after proficiency, plus wrap-up); the idle and shrinkage part of it (paid time
  with no contact in hand: breaks that are paid, off-queue time, waiting for work) is shared
  across the same channels pro rata. A group that handled nothing splits its cost evenly
  over its skills.
- Bot: deflected contacts times the channel's cost per deflection; automated triage: each
  contact triaged times its cost per item.
- Training: cost per agent and skill (a yearly figure) for the group's full-time equivalents
  over the horizon, charged to the skill's channel.

Handled work-seconds are work content, not agent time: a contact held concurrently with
others carries its full handle time. Within a group whose channels differ in concurrency this
leans the split toward the concurrent channel; groups with one channel are exact.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from omnistaff.scenarios.pay import staffing_premiums
from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.result import SimResult

#: Paid hours per week of one full-time equivalent (FTE), for headcount and training.
FTE_HOURS_PER_WEEK = 40.0
DAYS_PER_YEAR = 365.0
TOTAL = "total"
COST_COLUMNS = ["labour_cost", "idle_cost", "bot_cost", "training_cost", "total_cost"]


def group_costs(result: SimResult, scenario: Scenario) -> pd.DataFrame:
    """Per group: paid hours, FTE, labour cost, the idle share of paid time, training cost."""
    groups = result.groups.reindex(list(scenario.groups))
    paid = groups["paid_hours"].fillna(0.0)
    busy = groups["busy_hours"].fillna(0.0)
    frame = pd.DataFrame(index=groups.index)
    frame["paid_hours"] = paid
    frame["fte"] = paid / (FTE_HOURS_PER_WEEK * scenario.horizon.days / 7)
    frame["hourly_cost"] = [scenario.groups[g].hourly_cost for g in groups.index]
    frame["labour_cost"] = paid * frame["hourly_cost"]
    if _has_premiums(scenario):  # pay rules: their premiums on the shifts worked, in labour
        premiums = staffing_premiums(scenario)
        frame["premium_cost"] = [premiums[str(g)] * (1 - scenario.groups[str(g)].absenteeism)
                                 for g in groups.index]
        frame["labour_cost"] += frame["premium_cost"]
    frame["idle_share"] = np.where(paid > 0, 1 - np.minimum(busy / paid.where(paid > 0), 1), 0)
    frame["training_cost"] = [_training(scenario, g, f) for g, f in frame["fte"].items()]
    frame.index.name = "group"
    return frame


def _has_premiums(scenario: Scenario) -> bool:
    return scenario.pay.any_time_premium or bool(scenario.pay.skill_premium)


def _training(scenario: Scenario, group: str, fte: float) -> float:
    """A group's training cost for the horizon: per agent and skill, amortized over a year."""
    spec = scenario.groups[group]
    per_skill = spec.training_cost_per_skill * fte * scenario.horizon.days / DAYS_PER_YEAR
    return per_skill * len(spec.skills)


def work_shares(result: SimResult, scenario: Scenario) -> pd.DataFrame:
    """Channels x groups: each group's share of its handled work-seconds by channel."""
    work = _work_seconds(result, scenario)
    totals = work.sum(axis=0)
    shares = work.div(totals.where(totals > 0), axis=1)
    for group in totals.index[totals <= 0]:
        skills = [s.channel for s in scenario.groups[group].skills]
        shares[group] = [1 / len(skills) if c in skills else 0.0 for c in shares.index]
    return shares


def _work_seconds(result: SimResult, scenario: Scenario) -> pd.DataFrame:
    if result.work_seconds is None:
        raise ValueError("this SimResult has no work_seconds; simulate it again to cost it")
    return result.work_seconds.reindex(index=list(scenario.channels),
                                       columns=list(scenario.groups)).fillna(0.0)


def channel_costs(result: SimResult, scenario: Scenario) -> pd.DataFrame:
    """Per channel and in total: cost by kind, cost per handled and per resolved contact,
    and the share of cost that is idle time. Channel costs add up to the total row.

    Resolved contacts are those handled and not escalated onward, plus those the bot
    resolved: an escalated contact counts once, on the channel where it is resolved.
    """
    groups = group_costs(result, scenario)
    shares = work_shares(result, scenario)
    frame = pd.DataFrame(index=pd.Index(list(scenario.channels), name="channel"))
    frame["labour_cost"] = shares @ groups["labour_cost"]
    if "premium_cost" in groups:
        frame["premium_cost"] = shares @ groups["premium_cost"]
    frame["idle_cost"] = shares @ (groups["labour_cost"] * groups["idle_share"])
    frame["bot_cost"] = _automation_costs(result, scenario)
    frame["training_cost"] = _training_by_channel(groups, scenario)
    frame["total_cost"] = frame[["labour_cost", "bot_cost", "training_cost"]].sum(axis=1)
    counts = result.channels.reindex(frame.index)
    frame["handled"] = counts["handled"]
    frame["resolved"] = counts["handled"] - counts["escalated"] + counts["deflected"]
    frame.loc[TOTAL] = frame.sum(axis=0)
    frame["cost_per_handled"] = _per(frame["total_cost"], frame["handled"])
    frame["cost_per_resolved"] = _per(frame["total_cost"], frame["resolved"])
    frame["idle_share"] = _per(frame["idle_cost"], frame["total_cost"])
    return frame


def _automation_costs(result: SimResult, scenario: Scenario) -> list[float]:
    """Bot cost per deflected contact plus automated-triage cost per item triaged."""
    costs = []
    for name, spec in scenario.channels.items():
        row = result.channels.loc[name]
        cost = 0.0
        if spec.deflection is not None:
            cost += spec.deflection.cost_per_contact * row["deflected"]
        if spec.triage is not None and spec.triage.by == "automated":
            cost += spec.triage.cost_per_item * (row["offered"] - row["deflected"])
        costs.append(float(cost))
    return costs


def _training_by_channel(groups: pd.DataFrame, scenario: Scenario) -> list[float]:
    """Each group's training cost per skill, charged to that skill's channel."""
    charged = dict.fromkeys(scenario.channels, 0.0)
    for name, row in groups.iterrows():
        skills = scenario.groups[str(name)].skills
        for skill in skills:
            charged[skill.channel] += row["training_cost"] / len(skills)
    return list(charged.values())


def _per(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype(float)
