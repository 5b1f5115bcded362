"""Runs already made, compared without running them again: every run's KPIs per replication
against the first run's (the base). Two runs with the same seed, replications, horizon and
channels drew the same random numbers replication by replication (streams are named per
channel and quantity), so their differences are paired; otherwise the runs are independent
samples and the difference's interval is Welch's. Both come from `omnistaff.sim.stats`.
Plain frames in, a table shaped like `Comparison.kpi_table` out (the compare tables and the
verdict lines read it), with the method of each difference and why a run was not paired.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from omnistaff.scenarios import Scenario
from omnistaff.sim.stats import mean_table, paired_differences, welch_half_width

ROW = ["scope", "name", "kpi"]
PAIRED, WELCH = "paired", "Welch"


@dataclass(frozen=True)
class PastRun:
    """One run of a scenario: its name in the comparison, the scenario, the seed and count
    of its replications, and its KPIs per replication (long: replication, scope, name, kpi,
    value)."""

    name: str
    scenario: Scenario
    seed: int
    replications: int
    kpis: pd.DataFrame


def pairing_problems(base: PastRun, other: PastRun) -> list[str]:
    """What keeps two runs' replications from being paired (empty: they are paired)."""
    problems = []
    if other.seed != base.seed:
        problems.append(f"seed {other.seed} against {base.seed}")
    if other.replications != base.replications:
        problems.append(f"{other.replications} replications against {base.replications}")
    if _horizon(other.scenario) != _horizon(base.scenario):
        problems.append("another horizon")
    if list(other.scenario.channels) != list(base.scenario.channels):
        problems.append("other channels")
    return problems


def _horizon(scenario: Scenario) -> dict:
    """The horizon apart from its default seed and replications (each run sets its own)."""
    return scenario.horizon.model_dump(exclude={"seed", "replications"})


@dataclass(frozen=True)
class RunComparison:
    """Past runs side by side: `table` has, per run, scope, name and KPI, the mean and 95%
    half-width over its replications and the difference from the base with its 95%
    half-width and `method` (paired or Welch); `unpaired`, per run compared by Welch, why."""

    scenarios: dict[str, Scenario]
    table: pd.DataFrame
    unpaired: dict[str, list[str]] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return next(iter(self.scenarios))

    def kpi_table(self) -> pd.DataFrame:
        return self.table


def compare_runs(runs: list[PastRun]) -> RunComparison:
    """Every run against the first, KPI by KPI; runs need distinct names."""
    if len(runs) < 2 or len({r.name for r in runs}) < len(runs):
        raise ValueError("compare two or more runs, each under its own name")
    base = runs[0]
    wide = {r.name: _wide(r.kpis) for r in runs}
    index = base.kpis.drop_duplicates(ROW).set_index(ROW).index
    for r in runs[1:]:
        index = index.append(wide[r.name].index.difference(index, sort=False))
    tables, unpaired = [], {}
    for r in runs:
        this = wide[r.name].reindex(index)
        stats = mean_table(r.kpis.groupby(ROW, sort=False)["value"]).reindex(index)
        if r is base:
            diff = pd.DataFrame({"diff": math.nan, "diff_ci95": math.nan, "method": ""},
                                index=index)
        else:
            why = pairing_problems(base, r)
            if why:
                unpaired[r.name] = why
            diff = _differences(this, wide[base.name].reindex(index), paired=not why)
        tables.append(pd.concat([stats, diff], axis=1).assign(variant=r.name))
    table = pd.concat(tables).reset_index()
    columns = ["variant", *ROW, "mean", "ci95", "diff", "diff_ci95", "method"]
    return RunComparison({r.name: r.scenario for r in runs}, table[columns], unpaired)


def _wide(kpis: pd.DataFrame) -> pd.DataFrame:
    """KPIs down, replications across."""
    return kpis.pivot_table(index=ROW, columns="replication", values="value", sort=False,
                            dropna=False)


def _differences(this: pd.DataFrame, base: pd.DataFrame, paired: bool) -> pd.DataFrame:
    """Per KPI: mean difference from the base and its 95% half-width, replication r against
    replication r when paired, else as two independent samples (Welch)."""
    if paired:
        diff, half = paired_differences(this.to_numpy(), base[this.columns].to_numpy())
        return pd.DataFrame({"diff": diff, "diff_ci95": half, "method": PAIRED},
                            index=this.index)
    rows = [(np.nanmean(a) - np.nanmean(b) if _known(a) and _known(b) else math.nan,
             welch_half_width(a[~np.isnan(a)], b[~np.isnan(b)]))
            for a, b in zip(this.to_numpy(float), base.to_numpy(float), strict=True)]
    return pd.DataFrame(rows, columns=["diff", "diff_ci95"], index=this.index).assign(
        method=WELCH)


def _known(values: np.ndarray) -> bool:
    return bool((~np.isnan(values)).any())


def method_note(comparison: RunComparison) -> str:
    """How the differences were taken, in a sentence."""
    runs = list(comparison.scenarios)[1:]
    if not comparison.unpaired:
        return (f"Paired by replication: every run has the base's seed, replications, "
                f"horizon and channels, so replication r of each drew the same random "
                f"numbers as replication r of {comparison.base}.")
    said = "; ".join(f"{name}: {', '.join(why)}" for name, why in comparison.unpaired.items())
    paired = [r for r in runs if r not in comparison.unpaired]
    also = f" Paired by replication: {', '.join(paired)}." if paired else ""
    return (f"Welch's interval (independent samples) where a run cannot be paired with "
            f"{comparison.base} ({said}).{also}")
