"""A schedule judged in simulation, with a margin: a channel meets its SLA in a period (each day
by default, or the whole horizon) when the one-sided lower confidence bound of its service level
over replications clears the target, and its abandonment's upper bound stays under the
ceiling.

The judging rule is sequential. It simulates `replications` replications; while some period is
unclear (its lower bound is below the target but its upper bound is not), or some interval of
a group with an occupancy cap is (`occupancy.py`: its upper bound over the cap, its lower
bound not), and none is clearly missed or over, it simulates that many again, until all are
clear or `max_replications` is reached. An unclear period counts as missed, and an unclear
interval as not within its cap: a schedule passes only on clear evidence.
Replications are numbered 0, 1, 2, ... from the scenario's seed, so two schedules judged alike
share their random numbers (common random numbers).

Intervals are raised only where the evidence is clear after correcting for the number of
intervals tested (Bonferroni over a missed period's intervals); where no interval of a missed
period is clearly short, those below the target are raised, or failing that its worst quarter.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from omnistaff.optimize.occupancy import COLUMNS as CAP_COLUMNS
from omnistaff.optimize.occupancy import cap_verdicts, caps_held
from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.experiment import Replications, run_tasks
from omnistaff.sim.result import SimResult
from omnistaff.sim.run import simulate
from omnistaff.sim.stats import bonferroni, one_sided_half_widths, t_half_widths

Period = Literal["day", "horizon"]
#: Share of a missed period's intervals raised when none is below its target.
WORST_SHARE = 0.25


@dataclass(frozen=True)
class Judging:
    """How a schedule is judged: confidence of the one-sided bounds, the first batch of
    replications (and each batch added), the most replications, and the period each SLA must
    hold over."""

    confidence: float = 0.95
    replications: int = 10
    max_replications: int = 40
    period: Period = "day"

    def fixed(self, replications: int) -> Judging:
        """The same rule with exactly `replications` replications (no batches added)."""
        return replace(self, replications=replications, max_replications=replications)


@dataclass(frozen=True)
class Evaluation:
    """Simulated attainment of a scheduled scenario.

    `channels`: per channel, service level and abandon rate over the horizon (means and
    two-sided 95% `_ci95` half-widths, for display), their targets, the lowest lower bound of
    any period (`lower_bound`) and whether every period is met. `periods`: per channel and
    period (a day number, or 0 for the horizon), the mean service level, its one-sided lower
    and upper bounds, replications with contacts, abandon rate and its upper bound, and the
    verdict (`met`, `missed`, or `unclear` at the cap, which counts as missed). `intervals`:
    per channel and interval, the mean service level, its 95% half-width, replications with
    contacts, the target, and `miss` (clearly short after the Bonferroni correction).
    `groups`: per group, paid, staffed and busy hours and occupancy (means). `days`: per
    channel (rows) and day (columns), the mean service level. `caps`: per group with a
    `max_occupancy` and judged interval, its load occupancy and bounds against the cap and
    its verdict, `held`, `over` or `unclear` (`occupancy.cap_verdicts`).
    """

    channels: pd.DataFrame
    periods: pd.DataFrame
    intervals: pd.DataFrame
    groups: pd.DataFrame
    days: pd.DataFrame
    judging: Judging
    replications: int
    caps: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CAP_COLUMNS))

    @property
    def all_met(self) -> bool:
        """Every SLA met, and every capped interval clearly within its cap."""
        return bool(self.channels["met"].all()) and self.caps_held

    @property
    def caps_held(self) -> bool:
        return caps_held(self.caps)

    @property
    def period(self) -> Period:
        return self.judging.period

    @property
    def attainment(self) -> float:
        """Share of judged periods (channel-days, or channels over the horizon) met."""
        judged = self.periods.dropna(subset=["service_level"])
        return 1.0 if judged.empty else float((judged["verdict"] == "met").mean())

    def missed_periods(self, channel: str) -> pd.DataFrame:
        rows = self.periods[self.periods["channel"] == channel]
        return rows[rows["verdict"] != "met"]

    def shortfall(self, channel: str) -> np.ndarray:
        """Per day, how far the channel's lower bound falls short of its target (over the
        horizon: the same every day)."""
        days = self.days.shape[1]
        rows = self.periods[self.periods["channel"] == channel].set_index("period")
        gap = (rows["target"] - rows["lower_bound"]).clip(lower=0).fillna(0.0)
        if self.period == "day":
            return gap.reindex(range(days), fill_value=0.0).to_numpy()
        return np.full(days, float(gap.max()) if len(gap) else 0.0)

    def to_raise(self, channel: str, intervals_per_day: int,
                 raisable: np.ndarray | None = None) -> np.ndarray:
        """Intervals whose requirement should rise, within the channel's missed periods and
        among those a raise can help (`raisable`, a mask over the horizon's intervals; all
        when None): clear misses; else those below the service-level target (or above the
        abandonment ceiling where that is what missed); else the worst quarter."""
        missed = self.missed_periods(channel)
        if missed.empty:
            return np.array([], dtype=int)
        rows = self.intervals[self.intervals["channel"] == channel].dropna(
            subset=["service_level"])
        if raisable is not None:
            rows = rows[raisable[rows["interval"].to_numpy()]]
        if self.period == "day":
            rows = rows[(rows["interval"] // intervals_per_day).isin(missed["period"])]
        chosen: list[int] = []
        period = rows["interval"] // intervals_per_day if self.period == "day" else 0 * rows[
            "interval"]
        for _, group in rows.groupby(period):
            chosen += _worst(group, self.channels.loc[channel])
        return np.array(sorted(chosen), dtype=int)


def _worst(rows: pd.DataFrame, channel: pd.Series) -> list[int]:
    """A missed period's intervals to raise (see `Evaluation.to_raise`)."""
    clear = rows.loc[rows["miss"], "interval"]
    if len(clear):
        return clear.tolist()
    below = rows["service_level"] < rows["target"]
    if pd.notna(channel["max_abandon_rate"]):
        below |= rows["abandon_rate"] > channel["max_abandon_rate"]
    if below.any():
        return rows.loc[below, "interval"].tolist()
    count = max(1, int(np.ceil(len(rows) * WORST_SHARE)))
    return rows.nsmallest(count, "service_level")["interval"].tolist()


def every_channel_judged(scenario: Scenario) -> Scenario:
    """The scenario judging every channel (the optimizer judges only `optimizer.channels`)."""
    optimizer = scenario.optimizer.model_copy(update={"channels": ()})
    return scenario.model_copy(update={"optimizer": optimizer})


def evaluate(scenario: Scenario, judging: Judging | None = None,
             workers: int = 1) -> Evaluation:
    """Simulate a scheduled scenario by the sequential rule and judge every channel the
    optimizer schedules for (`optimizer.channels`; all when empty)."""
    judging = judging or Judging()
    results = _replicate(scenario, 0, judging.replications, workers)
    while True:
        runs = Replications(scenario, scenario.horizon.seed, results)
        periods = period_verdicts(runs, scenario, judging)
        caps = cap_verdicts(runs, scenario, judging.confidence)
        if not _undecided(periods, caps) or len(results) >= judging.max_replications:
            break
        more = min(judging.replications, judging.max_replications - len(results))
        results = results + _replicate(scenario, len(results), more, workers)
    return _evaluation(runs, scenario, judging, periods, caps)


def _undecided(periods: pd.DataFrame, caps: pd.DataFrame) -> bool:
    """Whether more replications may change the verdict: some SLA period or capped interval
    is unclear and none is clearly missed or over (the schedule fails on that already)."""
    verdicts = set(periods["verdict"]) | set(caps["verdict"])
    return "unclear" in verdicts and not verdicts & {"missed", "over"}


def _replicate(scenario: Scenario, first: int, count: int, workers: int) -> list[SimResult]:
    tasks = [(scenario, scenario.horizon.seed, r) for r in range(first, first + count)]
    return run_tasks(_one, tasks, workers)


def _one(task: tuple[Scenario, int, int]) -> SimResult:
    scenario, seed, replication = task
    return simulate(scenario, seed, replication)


def _judged(scenario: Scenario) -> list[str]:
    return list(scenario.optimizer.channels or scenario.channels)


def _evaluation(runs: Replications, scenario: Scenario, judging: Judging,
                periods: pd.DataFrame, caps: pd.DataFrame) -> Evaluation:
    judged = _judged(scenario)
    channels = channel_attainment(runs, scenario).loc[judged]
    verdicts = periods.groupby("channel")
    channels["lower_bound"] = verdicts["lower_bound"].min().reindex(channels.index)
    channels["met"] = verdicts["verdict"].apply(lambda v: bool((v == "met").all())).reindex(
        channels.index).fillna(True).astype(bool)
    intervals = interval_attainment(runs, scenario, judging)
    days = day_attainment(runs, scenario).loc[judged]
    return Evaluation(channels, periods.reset_index(drop=True), intervals, group_hours(runs),
                      days, judging, len(runs.results), caps)


def period_verdicts(runs: Replications, scenario: Scenario, judging: Judging) -> pd.DataFrame:
    """Per judged channel and period: mean service level over replications with contacts, its
    one-sided bounds at the judging confidence, replications, abandon rate with its upper
    bound, target, ceiling and verdict."""
    frame = stacked_intervals(runs)
    frame = frame[frame["channel"].isin(_judged(scenario))]
    per_day = scenario.horizon.intervals_per_day
    frame["period"] = frame["interval"] // per_day if judging.period == "day" else 0
    sums = frame.groupby(["channel", "period", "replication"])[
        ["answered_within_sla", "sla_base", "lost", "entered"]].sum()
    sums["level"] = sums["answered_within_sla"] / sums["sla_base"].where(sums["sla_base"] > 0)
    sums["abandon"] = sums["lost"] / sums["entered"].where(sums["entered"] > 0)
    grouped = sums.groupby(["channel", "period"])
    table = pd.DataFrame({
        "service_level": grouped["level"].mean(), "sd": grouped["level"].std(),
        "replications": grouped["level"].count(), "abandon_rate": grouped["abandon"].mean(),
        "abandon_sd": grouped["abandon"].std(), "abandon_n": grouped["abandon"].count(),
    }).reset_index()
    table["lower_bound"], table["upper_bound"] = one_sided(
        table["service_level"], table["sd"], table["replications"], judging.confidence)
    _, table["abandon_upper"] = one_sided(table["abandon_rate"], table["abandon_sd"],
                                          table["abandon_n"], judging.confidence)
    table["target"] = table["channel"].map({c: ch.sla.target
                                            for c, ch in scenario.channels.items()})
    table["max_abandon_rate"] = table["channel"].map(
        {c: ch.sla.max_abandon_rate for c, ch in scenario.channels.items()})
    table["verdict"] = _verdicts(table)
    return table.drop(columns=["sd", "abandon_sd", "abandon_n"])


def one_sided(mean: pd.Series, sd: pd.Series, n: pd.Series,
              confidence: float | np.ndarray) -> tuple[pd.Series, pd.Series]:
    """Lower and upper one-sided t bounds of a mean at `confidence` (the mean itself where
    fewer than two replications had contacts)."""
    half = one_sided_half_widths(sd.fillna(0).to_numpy(), n.to_numpy(dtype=float), confidence)
    return mean - half, mean + half


def _verdicts(table: pd.DataFrame) -> pd.Series:
    """`met` where the lower bound clears the target and abandonment's upper bound is within
    its ceiling, `missed` where the upper bound is below the target or the abandonment's
    lower side is clearly over, else `unclear`; periods without contacts are met."""
    tolerance = 1e-9
    target = table["target"] - tolerance
    ceiling = table["max_abandon_rate"].astype(float).fillna(np.inf) + tolerance
    level_met = table["service_level"].isna() | (table["lower_bound"] >= target)
    level_missed = table["upper_bound"] < target
    abandon_met = table["abandon_rate"].isna() | (table["abandon_upper"] <= ceiling)
    abandon_missed = table["abandon_rate"] > ceiling
    verdict = np.where(level_met & abandon_met, "met",
                       np.where(level_missed | abandon_missed, "missed", "unclear"))
    return pd.Series(verdict, index=table.index)


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
    """Every replication's channel-interval counts the SLA is judged on, one below another:
    answered within the threshold, the SLA's base, contacts lost (abandoned, balked, expired)
    and contacts that entered the queue."""
    frames = []
    for r in runs.results:
        ci = r.channel_intervals
        frames.append(pd.DataFrame({
            "channel": ci["channel"], "interval": ci["interval"],
            "answered_within_sla": ci["answered_within_sla"], "sla_base": ci["sla_base"],
            "abandon_rate": ci["abandon_rate"],
            "lost": ci["abandoned"] + ci["balked"] + ci["expired"],
            "entered": ci["offered"] - ci["deflected"] - ci["triaged_out"],
            "replication": r.replication}))
    return pd.concat(frames, ignore_index=True)


def channel_attainment(runs: Replications, scenario: Scenario) -> pd.DataFrame:
    """Per channel: service level and abandon rate over the horizon with 95% half-widths,
    targets, and whether both means are within them."""
    table = runs.channel_table()
    frame = table[["service_level", "service_level_ci95", "abandon_rate",
                   "abandon_rate_ci95"]].copy()
    frame["target"] = [scenario.channels[c].sla.target for c in frame.index]
    frame["max_abandon_rate"] = [scenario.channels[c].sla.max_abandon_rate for c in frame.index]
    ceiling = frame["max_abandon_rate"].fillna(1.0).astype(float)
    level = frame["service_level"].fillna(1.0)
    frame["met"] = (level >= frame["target"] - 1e-9) & (frame["abandon_rate"].fillna(0) <= ceiling)
    return frame


def interval_attainment(runs: Replications, scenario: Scenario,
                        judging: Judging | None = None) -> pd.DataFrame:
    """Per channel and interval: mean service level over replications with contacts, its 95%
    half-width, the number of such replications, the target, the mean abandon rate, and
    `miss`: the one-sided upper bound at the judging confidence, Bonferroni-corrected over the
    judged intervals of the channel's period, is below the target."""
    judging = judging or Judging()
    frame = stacked_intervals(runs)
    frame = frame[frame["channel"].isin(_judged(scenario))]
    frame["level"] = frame["answered_within_sla"] / frame["sla_base"].where(frame["sla_base"] > 0)
    grouped = frame.groupby(["channel", "interval"], sort=False)
    table = grouped["level"].agg(["mean", "std", "count"]).reset_index()
    table.columns = ["channel", "interval", "service_level", "sd", "replications"]
    table["abandon_rate"] = grouped["abandon_rate"].mean().to_numpy()
    table["service_level_ci95"] = t_half_widths(table["sd"].fillna(0), table["replications"])
    table["target"] = table["channel"].map({c: ch.sla.target for c, ch in
                                            scenario.channels.items()})
    per_day = scenario.horizon.intervals_per_day
    table["period"] = table["interval"] // per_day if judging.period == "day" else 0
    tested = table.dropna(subset=["service_level"]).groupby(["channel", "period"])[
        "interval"].transform("count")
    tests = tested.reindex(table.index).fillna(1)
    corrected = bonferroni(judging.confidence, tests.to_numpy())
    _, upper = one_sided(table["service_level"], table["sd"], table["replications"], corrected)
    table["miss"] = (table["replications"] >= 2) & (upper < table["target"] - 1e-9)
    return table.drop(columns=["sd", "period"]).sort_values(
        ["channel", "interval"]).reset_index(drop=True)


def group_hours(runs: Replications) -> pd.DataFrame:
    """Per group: mean paid, staffed and busy hours and occupancy over replications."""
    table = runs.group_table()
    return table[["paid_hours", "staffed_hours", "busy_hours", "occupancy"]]
