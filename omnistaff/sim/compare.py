"""Comparing variants of a scenario with common random numbers.

Every variant runs replications 0..n-1 from the same seed. Random streams are named per
channel and quantity, so replication r of every variant sees the same arrivals, handle times
and patience: the difference between two variants in replication r is a paired observation,
and its confidence interval is much narrower than that of two independent samples. Both are
reported, so the gain is visible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.variants import VariantError
from omnistaff.sim.costing import TOTAL, channel_costs, group_costs
from omnistaff.sim.experiment import Progress, RunSettings, settings_from
from omnistaff.sim.plain import plain_value
from omnistaff.sim.policy_kpis import (
    POLICY_CHANNEL_KPIS,
    POLICY_COUNTS,
    POLICY_GROUP_KPIS,
    present,
)
from omnistaff.sim.result import SimResult
from omnistaff.sim.run import simulate
from omnistaff.sim.stats import mean_ci, mean_table, paired_differences, welch_half_widths

BASE = "base"
#: The KPIs of one replication in a comparison or sweep (`run_kpis`).
CHANNEL_KPIS = ["offered", "handled", "resolved", "abandoned", "expired", "service_level",
                "abandon_rate", "asa_seconds", "response_p90_seconds", "backlog_end",
                "total_cost", "labour_cost", "idle_cost", "bot_cost", "training_cost",
                "cost_per_handled", "cost_per_resolved", "idle_share"]
GROUP_KPIS = ["paid_hours", "fte", "occupancy", "mean_concurrency", "labour_cost",
              "training_cost"]
INTERVAL_COLUMNS = ["channel", "interval", "day", "weekday", "time", "offered", "answered",
                    "answered_within_sla", "sla_base", "service_level", "backlog_end",
                    "response_mean_seconds", "response_p90_seconds"]
KEYS = ["variant", "scope", "name", "kpi"]


def run_kpis(result: SimResult, scenario: Scenario) -> pd.DataFrame:
    """One replication's KPIs and costs, long: scope (channel/group), name, kpi, value.

    Channels and groups each get a `total` row: sums of counts and costs, pooled ratios
    (service level over every channel's SLA base, occupancy over every group's staffed time).
    The routing policies' KPIs the scenario uses (`policy_kpis`) follow the standing ones.
    """
    channels = _channel_kpis(result, scenario)
    groups = _group_kpis(result, scenario)
    frames = [_long(channels, "channel", CHANNEL_KPIS + present(channels, POLICY_CHANNEL_KPIS)),
              _long(groups, "group", GROUP_KPIS + present(groups, POLICY_GROUP_KPIS))]
    return pd.concat(frames, ignore_index=True)


def _channel_kpis(result: SimResult, scenario: Scenario) -> pd.DataFrame:
    counts = result.channels.reindex(list(scenario.channels))
    frame = counts.reindex(columns=[k for k in CHANNEL_KPIS if k in counts.columns]).copy()
    sums = counts[["offered", "handled", "abandoned", "expired", "backlog_end"]].sum()
    frame.loc[TOTAL] = sums
    frame.loc[TOTAL, "service_level"] = _ratio(counts["answered_within_sla"].sum(),
                                               counts["sla_base"].sum())
    lost = counts[["abandoned", "balked", "expired"]].sum().sum()
    entered = (counts["offered"] - counts["deflected"] - counts["triaged_out"]).sum()
    frame.loc[TOTAL, "abandon_rate"] = _ratio(lost, entered)
    _policy_totals(frame, counts)
    costs = channel_costs(result, scenario)
    for column in ("resolved", "total_cost", "labour_cost", "idle_cost", "bot_cost",
                   "training_cost", "cost_per_handled", "cost_per_resolved", "idle_share"):
        frame[column] = costs[column]
    return frame


def _policy_totals(frame: pd.DataFrame, counts: pd.DataFrame) -> None:
    """The policies' KPIs per channel, and in the total row: counts summed, the shares
    pooled (accepted over offered, in window over accepted)."""
    for kpi in present(counts, POLICY_CHANNEL_KPIS):
        frame[kpi] = counts[kpi]
        if kpi in POLICY_COUNTS:
            frame.loc[TOTAL, kpi] = counts[kpi].sum()
    for share, part, whole in (("callback_accept_rate", "called_back", "callbacks_offered"),
                               ("callback_window_share", "callbacks_in_window", "called_back")):
        if share in counts:
            frame.loc[TOTAL, share] = _ratio(counts[part].sum(), counts[whole].sum())


def _group_kpis(result: SimResult, scenario: Scenario) -> pd.DataFrame:
    groups = result.groups.reindex(list(scenario.groups))
    costs = group_costs(result, scenario)
    frame = costs[["paid_hours", "fte", "labour_cost", "training_cost"]].copy()
    frame["occupancy"] = groups["occupancy"]
    frame["mean_concurrency"] = groups["mean_concurrency"]
    frame.loc[TOTAL] = frame.sum()
    frame.loc[TOTAL, "occupancy"] = _ratio(groups["busy_hours"].sum(),
                                           groups["staffed_hours"].sum())
    frame.loc[TOTAL, "mean_concurrency"] = math.nan
    for kpi in present(groups, POLICY_GROUP_KPIS):  # a cap and its share: none in total
        frame[kpi] = groups[kpi]
        frame.loc[TOTAL, kpi] = math.nan
    return frame


def _long(frame: pd.DataFrame, scope: str, kpis: list[str]) -> pd.DataFrame:
    wide = frame.reindex(columns=kpis).astype(float)
    wide.index = wide.index.astype(str)
    long = wide.rename_axis("name").reset_index().melt(
        id_vars="name", var_name="kpi", value_name="value")
    long.insert(0, "scope", scope)
    return long


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else math.nan


def variant_scenarios(scenario: Scenario, names: Sequence[str] | None = None) -> dict[str,
                                                                                      Scenario]:
    """Scenarios by variant name: the base first (always, as the reference of every
    difference), then the named variants (every variant when `names` is None).

    Raises VariantError naming an unknown variant and the known ones.
    """
    wanted = list(names) if names else list(scenario.variants)
    unknown = [n for n in wanted if n != BASE and n not in scenario.variants]
    if unknown:
        known = ", ".join([BASE, *scenario.variants])
        raise VariantError(f"no variant named '{unknown[0]}'; choose from {known}")
    ordered = dict.fromkeys([BASE, *wanted])
    return {name: scenario.variant(name) for name in ordered}


@dataclass(frozen=True)
class Comparison:
    """Variants run with common random numbers: per-replication KPIs and interval frames.

    `runs` is long (variant, replication, scope, name, kpi, value); `intervals` holds each
    replication's service level and backlog per channel and interval. The first variant is
    the base every difference is taken against.
    """

    scenarios: dict[str, Scenario]
    seed: int
    replications: int
    runs: pd.DataFrame
    intervals: pd.DataFrame

    @property
    def base(self) -> str:
        return next(iter(self.scenarios))

    def kpi_table(self) -> pd.DataFrame:
        """Per variant, scope, name and KPI: mean and 95% half-width, and the difference
        from the base with its paired and (for reference) unpaired 95% half-widths."""
        table = mean_table(self.runs.groupby(KEYS, sort=False)["value"])
        diffs = [self._differences(v) for v in self.scenarios if v != self.base]
        if diffs:
            table = table.join(pd.concat(diffs))
        else:
            table = table.assign(diff=np.nan, diff_ci95=np.nan, diff_ci95_unpaired=np.nan)
        return table.reset_index()

    def _differences(self, variant: str) -> pd.DataFrame:
        wide = self.runs.pivot_table(index=["scope", "name", "kpi"], columns=["variant",
                                     "replication"], values="value", sort=False, dropna=False)
        this, base = wide[variant].to_numpy(), wide[self.base].to_numpy()
        diff, half = paired_differences(this, base)
        frame = pd.DataFrame({"diff": diff, "diff_ci95": half,
                              "diff_ci95_unpaired": welch_half_widths(this, base)},
                             index=wide.index)
        return pd.concat({variant: frame}, names=["variant"])

    def interval_table(self) -> pd.DataFrame:
        """Per variant, channel and interval: the mean over replications of each column."""
        keys = ["variant", "channel", "interval", "day", "weekday", "time"]
        return self.intervals.groupby(keys, sort=False).mean(numeric_only=True).drop(
            columns="replication").reset_index()

    def daily_table(self) -> pd.DataFrame:
        """Per variant, channel and day: offered, service level (pooled over the day), mean
        response and peak backlog, each as the mean and 95% half-width over replications."""
        frame = self.intervals.assign(
            waited=self.intervals["answered"] * self.intervals["response_mean_seconds"].fillna(0))
        keys = ["variant", "replication", "channel", "day", "weekday"]
        days = frame.groupby(keys, sort=False).agg(
            offered=("offered", "sum"), within=("answered_within_sla", "sum"),
            base=("sla_base", "sum"), answered=("answered", "sum"), waited=("waited", "sum"),
            peak_backlog=("backlog_end", "max")).reset_index()
        days["service_level"] = days["within"] / days["base"].where(days["base"] > 0)
        days["response_mean_seconds"] = days["waited"] / days["answered"].where(
            days["answered"] > 0)
        kpis = ["offered", "service_level", "response_mean_seconds", "peak_backlog"]
        return mean_ci(days, ["variant", "channel", "day", "weekday"], kpis).reset_index()

    def summary(self) -> dict[str, Any]:
        """JSON-ready: per variant, scope and name, each KPI's mean, CI and difference."""
        out: dict[str, Any] = {"base": self.base, "seed": self.seed,
                               "replications": self.replications, "variants": {}}
        for row in self.kpi_table().itertuples(index=False):
            entry = out["variants"].setdefault(row.variant, {}).setdefault(
                row.scope, {}).setdefault(row.name, {})
            entry[row.kpi] = {k: plain_value(getattr(row, k)) for k in
                              ("mean", "ci95", "diff", "diff_ci95", "diff_ci95_unpaired")}
        return out


def _run_variant(task: tuple[str, Scenario, int, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One replication of one variant, reduced to its KPIs and interval frame."""
    name, scenario, seed, replication = task
    result = simulate(scenario, seed, replication)
    kpis = run_kpis(result, scenario)
    kpis.insert(0, "replication", replication)
    kpis.insert(0, "variant", name)
    intervals = result.channel_intervals[INTERVAL_COLUMNS].copy()
    intervals.insert(0, "replication", replication)
    intervals.insert(0, "variant", name)
    return kpis, intervals


def complete_policy_rows(runs: pd.DataFrame) -> pd.DataFrame:
    """Every variant and replication with a row for each policy KPI any of them has: a
    variant without the policy counts zero call-backs, redials or interruptions (so the
    difference from it is the policy's count) and has no rate or cap."""
    policy = runs["kpi"].isin(POLICY_CHANNEL_KPIS + POLICY_GROUP_KPIS)
    if not policy.any():
        return runs
    where = ["scope", "name", "kpi"]
    keys = runs.loc[policy, where].drop_duplicates()
    full = runs[["variant", "replication"]].drop_duplicates().merge(keys, how="cross")
    full = full.merge(runs.loc[policy], on=["variant", "replication", *where], how="left")
    absent = full["value"].isna() & full["kpi"].isin(POLICY_COUNTS)
    full.loc[absent, "value"] = 0.0
    return pd.concat([runs.loc[~policy], full[runs.columns]], ignore_index=True)


def compare_scenarios(
    scenarios: dict[str, Scenario],
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    dask_address: str | None = None,
    progress: Progress | None = None,
    *,
    settings: RunSettings | None = None,
) -> Comparison:
    """Run every scenario (the first is the base) with the same seed and replications (the
    base's unless `settings` say)."""
    plan = settings_from(settings, replications, seed, workers, dask_address, progress)
    base = next(iter(scenarios.values()))
    count, seed = plan.count(base), plan.first_seed(base)
    tasks = [(name, s, seed, r) for name, s in scenarios.items() for r in range(count)]
    results = plan.run(_run_variant, tasks)
    runs = complete_policy_rows(pd.concat([k for k, _ in results], ignore_index=True))
    intervals = pd.concat([i for _, i in results], ignore_index=True)
    return Comparison(dict(scenarios), seed, count, runs, intervals)


def compare_variants(
    scenario: Scenario,
    variants: Sequence[str] | None = None,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    dask_address: str | None = None,
    progress: Progress | None = None,
    *,
    settings: RunSettings | None = None,
) -> Comparison:
    """Compare named variants of a scenario (default: base and every variant)."""
    plan = settings_from(settings, replications, seed, workers, dask_address, progress)
    return compare_scenarios(variant_scenarios(scenario, variants), settings=plan)
