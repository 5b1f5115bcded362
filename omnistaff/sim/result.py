"""The outcome of one replication: tidy frames and per-channel and per-group summaries."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.engine import Model
from omnistaff.sim.kpis import (
    channel_intervals,
    contact_frame,
    group_intervals,
    paid_seconds,
)
from omnistaff.sim.roster import AgentShift

CHANNEL_COUNTS = ("offered", "answered", "abandoned", "expired", "deflected", "balked",
                  "blocked", "triaged_out", "waiting", "escalated", "answered_within_sla",
                  "sla_base")


@dataclass(frozen=True)
class SimResult:
    """Frames of one replication. `channels` and `groups` hold one row of KPIs each."""

    scenario_name: str
    seed: int
    replication: int
    channel_intervals: pd.DataFrame
    group_intervals: pd.DataFrame
    channels: pd.DataFrame
    groups: pd.DataFrame
    contacts: pd.DataFrame | None
    #: Handled work-seconds (after proficiency, with wrap-up), channels x groups, for contacts
    #: taken in the observation window: what costing splits each group's paid time by.
    work_seconds: pd.DataFrame | None = None


def build_result(scenario: Scenario, seed: int, replication: int, model: Model,
                 roster: list[AgentShift], worked: list[tuple], keep_contacts: bool) -> SimResult:
    contacts = contact_frame(model.records, scenario)
    by_interval = channel_intervals(contacts, model.escalations, scenario)
    by_group = group_intervals(model.load_log, scenario)
    paid = paid_seconds(roster, worked, scenario)
    return SimResult(
        scenario_name=scenario.name,
        seed=seed,
        replication=replication,
        channel_intervals=by_interval,
        group_intervals=by_group,
        channels=channel_summary(by_interval, contacts, scenario),
        groups=group_summary(by_group, paid),
        contacts=contacts if keep_contacts else None,
        work_seconds=pd.DataFrame(model.work_seconds, index=pd.Index(
            list(scenario.channels), name="channel"), columns=list(scenario.groups)),
    )


def channel_summary(by_interval: pd.DataFrame, contacts: pd.DataFrame,
                    scenario: Scenario) -> pd.DataFrame:
    """One row per channel: totals over the horizon and the KPIs derived from them."""
    sums = by_interval.groupby("channel", sort=False)[list(CHANNEL_COUNTS)].sum()
    sums = sums.reindex(list(scenario.channels))
    frame = sums.rename(columns={"answered": "handled"}).astype(float)
    frame["service_level"] = _ratio(sums["answered_within_sla"], sums["sla_base"])
    lost = sums["abandoned"] + sums["balked"] + sums["expired"]
    entered = sums["offered"] - sums["deflected"] - sums["triaged_out"]
    frame["abandon_rate"] = _ratio(lost, entered)
    answered = contacts[(contacts["arrival"] >= 0) & (contacts["outcome"] == "answered")]
    waits = answered.groupby("channel", observed=False)["wait"]
    frame["asa_seconds"] = waits.mean().reindex(frame.index)
    frame["response_mean_seconds"] = frame["asa_seconds"]
    frame["response_p90_seconds"] = waits.quantile(0.9).reindex(frame.index)
    last = by_interval.groupby("channel", sort=False)["backlog_end"].last()
    frame["backlog_end"] = last.reindex(frame.index).astype(float)
    frame.index.name = "channel"
    return frame


def group_summary(by_group: pd.DataFrame, paid: dict[str, float]) -> pd.DataFrame:
    """One row per group: hours staffed, busy and paid; occupancy; mean concurrency."""
    sums = by_group.groupby("group", sort=False)[
        ["staffed_seconds", "busy_seconds", "held_seconds"]].sum()
    frame = pd.DataFrame(index=sums.index)
    frame["staffed_hours"] = sums["staffed_seconds"] / 3600
    frame["busy_hours"] = sums["busy_seconds"] / 3600
    frame["paid_hours"] = pd.Series(paid).reindex(sums.index) / 3600
    frame["occupancy"] = _ratio(sums["busy_seconds"], sums["staffed_seconds"])
    frame["mean_concurrency"] = _ratio(sums["held_seconds"], sums["busy_seconds"])
    frame.index.name = "group"
    return frame


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    num, den = num.astype(float), den.astype(float)
    return (num / den.where(den > 0, np.nan)).astype(float)
