"""Confidence intervals over replications, at the level the caller asks for (95% unless
said): of a mean, of a paired difference (variants run with common random numbers) and of
an unpaired (Welch) difference. Student t throughout, from scipy.

Every interval in omnistaff is one of these; a half-width is NaN when it cannot be
estimated (fewer than two values), and NaN values are left out.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from pandas.api.typing import SeriesGroupBy
from scipy import stats

LEVEL = 0.95


def ci_suffix(level: float = LEVEL) -> str:
    """The suffix of a half-width column: `_ci95` for 95%, `_ci99.9` for 99.9%."""
    return f"_ci{100 * level:g}"


def t_half_widths(sd: np.ndarray | float, n: np.ndarray | float,
                  level: float = LEVEL) -> np.ndarray:
    """Half-widths of the t intervals of means, from each sample's standard deviation
    (ddof=1) and size."""
    size = np.asarray(n, dtype=float)
    df = np.where(size >= 2, size - 1, np.nan)
    quantile = stats.t.ppf(0.5 + level / 2, df)
    return quantile * np.asarray(sd, dtype=float) / np.sqrt(np.where(size >= 2, size, np.nan))


def one_sided_half_widths(sd: np.ndarray | float, n: np.ndarray | float,
                          confidence: float = LEVEL) -> np.ndarray:
    """How far below (or above) a mean its one-sided t bound at `confidence` lies: the
    two-sided half-width at level 2 x confidence - 1 (zero where fewer than two values)."""
    half = t_half_widths(sd, n, 2 * np.asarray(confidence, dtype=float) - 1)
    return np.nan_to_num(half, nan=0.0)


def bonferroni(confidence: float, tests: np.ndarray | float) -> np.ndarray:
    """The confidence each of `tests` tests is held to so that together they hold at
    `confidence` (Bonferroni: the error shared equally; at least one test)."""
    return 1 - (1 - confidence) / np.maximum(np.asarray(tests, dtype=float), 1.0)


def mean_half_width(values: np.ndarray, level: float = LEVEL) -> float:
    """Half-width of the t interval of the mean of `values`."""
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    if data.size < 2:
        return math.nan
    return float(t_half_widths(data.std(ddof=1), data.size, level))


def mean_ci(frame: pd.DataFrame, by: list[str], columns: list[str],
            level: float = LEVEL) -> pd.DataFrame:
    """Per group of rows, each column's mean and half-width, as `col` and `col_ci95` (the
    suffix follows the level, see `ci_suffix`)."""
    grouped = frame.groupby(by, sort=False, observed=True)[columns]
    means, spread, count = grouped.mean(), grouped.std(ddof=1), grouped.count()
    suffix = ci_suffix(level)
    halves = pd.DataFrame(t_half_widths(spread.to_numpy(dtype=float),
                                        count.to_numpy(dtype=float), level),
                          index=means.index, columns=[f"{c}{suffix}" for c in columns])
    return pd.concat([means, halves], axis=1)[
        [name for c in columns for name in (c, f"{c}{suffix}")]
    ]


def mean_table(series_by: SeriesGroupBy, level: float = LEVEL) -> pd.DataFrame:
    """Per group of a grouped series: `mean` and `ci95` (its half-width) columns."""
    table = series_by.agg(["mean", "std", "count"])
    half = t_half_widths(table["std"].to_numpy(), table["count"].to_numpy(), level)
    return pd.DataFrame({"mean": table["mean"], "ci95": half}, index=table.index)


def paired_differences(values: np.ndarray, base: np.ndarray, level: float = LEVEL,
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Row by row of two (rows x replications) arrays: the mean of the paired differences
    and its half-width (scipy's `ttest_rel`), over the replications where both are known."""
    a, b = _both_known(values, base)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # rows with one replication or none
        result = stats.ttest_rel(a, b, axis=1, nan_policy="omit")
        low, high = result.confidence_interval(level)
        mean = np.nanmean(a - b, axis=1) if a.shape[1] else np.full(len(a), math.nan)
    return mean, (np.asarray(high) - np.asarray(low)) / 2


def welch_half_widths(values: np.ndarray, base: np.ndarray, level: float = LEVEL,
                      ) -> np.ndarray:
    """Row by row: the half-width of mean(values) - mean(base) as if the replications were
    independent (Welch, scipy's `ttest_ind`), over the pairs where both are known: what
    common random numbers gain is the gap between this and `paired_differences`."""
    a, b = _both_known(values, base)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = stats.ttest_ind(a, b, axis=1, equal_var=False,
                                    nan_policy="omit").confidence_interval(level)
    return (np.asarray(high) - np.asarray(low)) / 2


def welch_half_width(a: np.ndarray, b: np.ndarray, level: float = LEVEL) -> float:
    """Half-width of the interval of mean(a) - mean(b) for two independent samples."""
    if np.asarray(a).size < 2 or np.asarray(b).size < 2:
        return math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = stats.ttest_ind(a, b, equal_var=False).confidence_interval(level)
    return float(high - low) / 2


def _both_known(values: np.ndarray, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays, 2-D, with NaN wherever either is NaN."""
    a, b = np.atleast_2d(np.asarray(values, float)), np.atleast_2d(np.asarray(base, float))
    gone = np.isnan(a) | np.isnan(b)
    return np.where(gone, np.nan, a), np.where(gone, np.nan, b)
