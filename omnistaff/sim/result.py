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
    exclusive_work,
    group_intervals,
    paid_seconds,
)
from omnistaff.sim.policy_kpis import add_channel_policies, add_group_caps
from omnistaff.sim.records import ANSWERED, ContactRecords
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
    records = ContactRecords.from_records(model.record_array(), len(scenario.channels),
                                          len(scenario.groups))
    by_interval = channel_intervals(records, model.escalations, scenario)
    by_group = group_intervals([group.load for group in model.groups],
                               exclusive_work(records, model.alone_rates()), scenario)
    paid = paid_seconds(roster, worked, scenario)
    return SimResult(
        scenario_name=scenario.name,
        seed=seed,
        replication=replication,
        channel_intervals=by_interval,
        group_intervals=by_group,
        channels=add_channel_policies(channel_summary(by_interval, records, scenario),
                                      by_interval, model, scenario),
        groups=add_group_caps(group_summary(by_group, paid), by_group, scenario),
        contacts=contact_frame(records, scenario) if keep_contacts else None,
        work_seconds=pd.DataFrame(records.work_seconds, index=pd.Index(
            list(scenario.channels), name="channel"), columns=list(scenario.groups)),
    )


def channel_summary(by_interval: pd.DataFrame, records: ContactRecords,
                    scenario: Scenario) -> pd.DataFrame:
    """One row per channel: totals over the horizon and the KPIs derived from them."""
    names = list(scenario.channels)
    sums = {c: _per_row(by_interval[c], len(names)).sum(axis=1) for c in CHANNEL_COUNTS}
    frame = pd.DataFrame({"handled" if c == "answered" else c: sums[c].astype(float)
                          for c in CHANNEL_COUNTS}, index=pd.Index(names, name="channel"))
    frame["service_level"] = _ratio(sums["answered_within_sla"], sums["sla_base"])
    lost = sums["abandoned"] + sums["balked"] + sums["expired"]
    entered = sums["offered"] - sums["deflected"] - sums["triaged_out"]
    frame["abandon_rate"] = _ratio(lost, entered)
    answered = (records.arrival >= 0) & (records.outcome == ANSWERED)
    waits = pd.Series(records.wait[answered]).groupby(records.channel[answered])
    channels = range(len(names))
    frame["asa_seconds"] = waits.mean().reindex(channels).to_numpy()
    frame["response_mean_seconds"] = frame["asa_seconds"]
    frame["response_p90_seconds"] = waits.quantile(0.9).reindex(channels).to_numpy()
    frame["backlog_end"] = _per_row(by_interval["backlog_end"], len(names))[:, -1].astype(float)
    return frame


def group_summary(by_group: pd.DataFrame, paid: dict[str, float]) -> pd.DataFrame:
    """One row per group: hours staffed, busy and paid; occupancy; mean concurrency."""
    names = list(paid)  # the scenario's groups, in order, as in by_group
    staffed, busy, held = (_per_row(by_group[c], len(names)).sum(axis=1)
                           for c in ("staffed_seconds", "busy_seconds", "held_seconds"))
    return pd.DataFrame({
        "staffed_hours": staffed / 3600,
        "busy_hours": busy / 3600,
        "paid_hours": np.array([paid[name] for name in names]) / 3600,
        "occupancy": _ratio(busy, staffed),
        "mean_concurrency": _ratio(held, busy),
    }, index=pd.Index(names, name="group"))


def _per_row(column: pd.Series, rows: int) -> np.ndarray:
    """A per interval x channel (group) column as a channels (groups) x intervals array."""
    return column.to_numpy().reshape(rows, -1)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    den = den.astype(float)
    return num.astype(float) / np.where(den > 0, den, np.nan)
