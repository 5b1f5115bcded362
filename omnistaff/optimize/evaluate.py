"""A schedule judged in simulation: service level per channel over the horizon and per interval,
with 95% confidence half-widths over replications, and the intervals that clearly miss."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.experiment import Replications, run_replications


@dataclass(frozen=True)
class Evaluation:
    """Simulated attainment of a scheduled scenario.

    `channels`: per channel, service level and abandon rate (means and `_ci95` half-widths),
    their targets and whether both are met. `intervals`: per channel and interval, the mean
    service level over the replications with contacts in it, its half-width, how many
    replications had contacts, and whether it misses the target by more than its half-width.
    `groups`: per group, paid, staffed and busy hours and occupancy (means). `days`: per channel
    (rows) and day (columns), the mean service level over replications; with an SLA period of
    a day, `met` asks every day with contacts to meet the target too.
    """

    channels: pd.DataFrame
    intervals: pd.DataFrame
    groups: pd.DataFrame
    days: pd.DataFrame
    period: str = "horizon"

    @property
    def all_met(self) -> bool:
        return bool(self.channels["met"].all())

    @property
    def attainment(self) -> float:
        """Share of channel-intervals with contacts whose service level meets the target."""
        judged = self.intervals.dropna(subset=["service_level"])
        if judged.empty:
            return 1.0
        return float((judged["service_level"] >= judged["target"] - 1e-9).mean())

    def shortfall(self, channel: str) -> np.ndarray:
        """Per day, how far the channel's service level falls short of its target: over the
        horizon (the same every day), or each day's own with an SLA period of a day."""
        target = float(self.channels.loc[channel, "target"])
        if self.period == "day":
            return (target - self.days.loc[channel]).fillna(0.0).to_numpy()
        level = float(np.nan_to_num(self.channels.loc[channel, "service_level"], nan=1.0))
        return np.full(self.days.shape[1], target - level)

    def to_raise(self, channel: str) -> np.ndarray:
        """Intervals whose requirement should rise: clear misses; where a channel misses over
        the horizon without any clear miss, every interval below its service-level target or
        above its most abandonment."""
        rows = self.intervals[self.intervals["channel"] == channel]
        clear = rows.loc[rows["miss"], "interval"].to_numpy()
        if clear.size or bool(self.channels.loc[channel, "met"]):
            return clear
        below = rows["service_level"] < rows["target"]
        ceiling = self.channels.loc[channel, "max_abandon_rate"]
        if pd.notna(ceiling):
            below |= rows["abandon_rate"] > ceiling
        return rows.loc[below, "interval"].to_numpy()


def evaluate(scenario: Scenario, replications: int, workers: int = 1) -> Evaluation:
    """Simulate a scheduled scenario and judge every channel the optimizer schedules for
    (`optimizer.channels`; all when empty) and its intervals against its SLA."""
    runs = run_replications(scenario, replications, workers=workers)
    judged = list(scenario.optimizer.channels or scenario.channels)
    channels = channel_attainment(runs, scenario).loc[judged]
    intervals = interval_attainment(runs, scenario)
    intervals = intervals[intervals["channel"].isin(judged)].reset_index(drop=True)
    days = day_attainment(runs, scenario).loc[judged]
    period = scenario.optimizer.sla_period
    if period == "day":
        missed = days.lt(channels["target"] - 1e-9, axis=0).any(axis=1)
        channels["met"] &= ~missed
    return Evaluation(channels, intervals, group_hours(runs), days, period)


def day_attainment(runs: Replications, scenario: Scenario) -> pd.DataFrame:
    """Per channel (rows) and day of the horizon (columns): the mean over replications of the
    day's service level (NaN for a day without contacts)."""
    per_day = scenario.horizon.intervals_per_day
    frame = stacked_intervals(runs)
    frame["day"] = frame["interval"] // per_day
    sums = frame.groupby(["channel", "day", "replication"])[["answered_within_sla",
                                                             "sla_base"]].sum()
    level = sums["answered_within_sla"] / sums["sla_base"].where(sums["sla_base"] > 0)
    table = level.groupby(["channel", "day"]).mean().unstack("day")
    return table.reindex(index=list(scenario.channels), columns=range(scenario.horizon.days))


def stacked_intervals(runs: Replications) -> pd.DataFrame:
    """Every replication's channel-interval counts the SLA is judged on, one below another."""
    columns = ["channel", "interval", "answered_within_sla", "sla_base", "abandon_rate"]
    return pd.concat([r.channel_intervals[columns].assign(replication=r.replication)
                      for r in runs.results], ignore_index=True)


def channel_attainment(runs: Replications, scenario: Scenario) -> pd.DataFrame:
    """Per channel: service level and abandon rate with half-widths, targets, and `met`."""
    table = runs.channel_table()
    frame = table[["service_level", "service_level_ci95", "abandon_rate",
                   "abandon_rate_ci95"]].copy()
    frame["target"] = [scenario.channels[c].sla.target for c in frame.index]
    frame["max_abandon_rate"] = [scenario.channels[c].sla.max_abandon_rate for c in frame.index]
    ceiling = frame["max_abandon_rate"].fillna(1.0).astype(float)
    level = frame["service_level"].fillna(1.0)
    frame["met"] = (level >= frame["target"] - 1e-9) & (frame["abandon_rate"].fillna(0) <= ceiling)
    return frame


def interval_attainment(runs: Replications, scenario: Scenario) -> pd.DataFrame:
    """Per channel and interval: mean service level over replications with contacts, its 95%
    half-width, the number of such replications, the target, `miss`, and the mean abandon
    rate."""
    frame = stacked_intervals(runs)
    frame["level"] = frame["answered_within_sla"] / frame["sla_base"].where(frame["sla_base"] > 0)
    grouped = frame.groupby(["channel", "interval"], sort=False)
    table = grouped["level"].agg(["mean", "std", "count"]).reset_index()
    table.columns = ["channel", "interval", "service_level", "sd", "replications"]
    table["abandon_rate"] = grouped["abandon_rate"].mean().to_numpy()
    quantile = stats.t.ppf(0.975, np.maximum(table["replications"] - 1, 1))
    table["service_level_ci95"] = np.where(
        table["replications"] >= 2,
        quantile * table["sd"].fillna(0) / np.sqrt(table["replications"].clip(lower=1)), np.nan)
    table["target"] = table["channel"].map({c: ch.sla.target for c, ch in
                                            scenario.channels.items()})
    table["miss"] = (table["replications"] >= 2) & (
        table["service_level"] < table["target"] - table["service_level_ci95"] - 1e-9)
    return table.drop(columns="sd")


def group_hours(runs: Replications) -> pd.DataFrame:
    """Per group: mean paid, staffed and busy hours and occupancy over replications."""
    table = runs.group_table()
    return table[["paid_hours", "staffed_hours", "busy_hours", "occupancy"]]
