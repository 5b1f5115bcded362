"""Figures pooled over channels (and groups), one row per replication, and the two ways of
estimating a ratio KPI over replications: the mean of per-replication ratios and the ratio
of means (numerator and denominator each averaged first), so figures can be compared with
simulators that report either.

A ratio KPI is a numerator over a denominator that both vary by replication (service level:
answered within T over the SLA base). The mean of per-replication ratios weights every
replication alike; the ratio of means weights each by its denominator, as if the
replications were one long run. Its half-width comes from the delta method: the t interval
of the mean of x_r - R y_r, divided by the mean of y.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omnistaff.sim.stats import LEVEL, mean_half_width, t_half_widths

if TYPE_CHECKING:
    from omnistaff.sim.result import SimResult

TOTAL = "total"
#: Counts summed over channels in the pooled total.
POOLED_COUNTS = ("offered", "handled", "abandoned", "expired", "deflected", "balked",
                 "blocked", "triaged_out", "waiting", "escalated", "answered_within_sla",
                 "sla_base", "backlog_end")
Parts = Callable[[pd.DataFrame], tuple[pd.Series, pd.Series]]


def _left_queue(f: pd.DataFrame) -> pd.Series:
    return f["handled"] + f["abandoned"] + f["expired"]


#: Each channel ratio KPI as (numerator, denominator) of a channels frame's columns.
CHANNEL_RATIOS: dict[str, Parts] = {
    "service_level": lambda f: (f["answered_within_sla"], f["sla_base"]),
    "abandon_rate": lambda f: (f["abandoned"] + f["balked"] + f["expired"],
                               f["offered"] - f["deflected"] - f["triaged_out"]),
    "asa_seconds": lambda f: (f["asa_seconds"].fillna(0) * f["handled"], f["handled"]),
    "mean_wait_seconds": lambda f: (f["mean_wait_seconds"].fillna(0) * _left_queue(f),
                                    _left_queue(f)),
}
#: Each group ratio KPI as (numerator, denominator) of a groups frame's columns.
GROUP_RATIOS: dict[str, Parts] = {
    "occupancy": lambda f: (f["busy_hours"], f["staffed_hours"]),
    "mean_concurrency": lambda f: (f["mean_concurrency"].fillna(0) * f["busy_hours"],
                                   f["busy_hours"]),
}


def pooled_channels(channels: pd.DataFrame, p90: float = math.nan) -> pd.Series:
    """One replication's channels pooled: counts summed, each ratio KPI over the summed
    numerator and denominator (service level over every channel's SLA base, mean waits
    over every contact), and `p90` (the 90th percentile of every answered contact's wait,
    which only the records know)."""
    total = channels[list(POOLED_COUNTS)].sum().astype(float)
    for kpi, parts in CHANNEL_RATIOS.items():
        num, den = parts(channels)
        total[kpi] = _ratio(num.sum(), den.sum())
    total["response_mean_seconds"] = total["asa_seconds"]
    total["response_p90_seconds"] = p90
    return total


def pooled_groups(groups: pd.DataFrame) -> pd.Series:
    """One replication's groups pooled: hours summed, occupancy over every staffed hour."""
    total = groups[["staffed_hours", "busy_hours", "paid_hours"]].sum().astype(float)
    for kpi, parts in GROUP_RATIOS.items():
        num, den = parts(groups)
        total[kpi] = _ratio(num.sum(), den.sum())
    return total


def with_totals(result: SimResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A replication's channels and groups frames, each with a `total` row."""
    channels = result.channels.copy()
    channels.loc[TOTAL] = result.total
    groups = result.groups.copy()
    groups.loc[TOTAL] = pooled_groups(result.groups)
    return channels, groups


def replication_table(results: Sequence[SimResult]) -> pd.DataFrame:
    """One row per replication, scope (channel or group) and name (`total` pooled): every
    KPI of that replication, as `replications.csv` holds them."""
    frames = []
    for result in results:
        for scope, frame in zip(("channel", "group"), with_totals(result), strict=True):
            rows = frame.rename_axis("name").reset_index()
            rows.insert(0, "scope", scope)
            rows.insert(0, "replication", result.replication)
            frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def ratio_table(results: Sequence[SimResult], level: float = LEVEL) -> pd.DataFrame:
    """Per scope, name (`total` pooled) and ratio KPI: the mean of per-replication ratios
    and the ratio of means, each with its half-width at `level`."""
    frames = [with_totals(r) for r in results]
    rows = []
    for position, (scope, ratios) in enumerate((("channel", CHANNEL_RATIOS),
                                                ("group", GROUP_RATIOS))):
        for name in frames[0][position].index:
            for kpi, parts in ratios.items():
                num, den = zip(*(_parts(f[position], name, parts) for f in frames),
                               strict=True)
                ratio_mean, ratio_half = ratio_of_means(np.array(num), np.array(den), level)
                values = np.array([f[position].loc[name, kpi] for f in frames], dtype=float)
                rows.append({"scope": scope, "name": str(name), "kpi": kpi,
                             "replications": len(frames),
                             "mean_of_ratios": _nanmean(values),
                             "mean_of_ratios_ci95": mean_half_width(values, level),
                             "ratio_of_means": ratio_mean,
                             "ratio_of_means_ci95": ratio_half})
    return pd.DataFrame(rows)


def ratio_of_means(num: np.ndarray, den: np.ndarray,
                   level: float = LEVEL) -> tuple[float, float]:
    """sum(num) / sum(den) and its delta-method half-width: the t half-width of the mean
    of num_r - R den_r over the mean of den (NaN with fewer than two replications)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    if den.sum() <= 0:
        return math.nan, math.nan
    ratio = num.sum() / den.sum()
    if num.size < 2:
        return float(ratio), math.nan
    residual = num - ratio * den
    half = t_half_widths(residual.std(ddof=1), residual.size, level) / den.mean()
    return float(ratio), float(half)


def _parts(frame: pd.DataFrame, name: str, parts: Parts) -> tuple[float, float]:
    num, den = parts(frame.loc[[name]])
    return float(num.iloc[0]), float(den.iloc[0])


def _nanmean(values: np.ndarray) -> float:
    known = values[~np.isnan(values)]
    return float(known.mean()) if known.size else math.nan


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else math.nan
