"""Means and 95% confidence half-widths over replications (Student t)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats


def t_half_width(values: np.ndarray, level: float = 0.95) -> float:
    """Half-width of the t confidence interval of the mean (NaN for fewer than 2 values)."""
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    if data.size < 2:
        return math.nan
    quantile = stats.t.ppf(0.5 + level / 2, data.size - 1)
    return float(quantile * data.std(ddof=1) / math.sqrt(data.size))


def mean_ci(frame: pd.DataFrame, by: list[str], columns: list[str]) -> pd.DataFrame:
    """Per group of rows, each column's mean and 95% half-width as `col` and `col_ci95`."""
    grouped = frame.groupby(by, sort=False, observed=True)[columns]
    means, spread, count = grouped.mean(), grouped.std(ddof=1), grouped.count()
    n = count.to_numpy(dtype=float)
    quantile = stats.t.ppf(0.975, np.where(n >= 2, n - 1, np.nan))
    halves = pd.DataFrame(quantile * spread.to_numpy(dtype=float) / np.sqrt(n),
                          index=means.index, columns=[f"{c}_ci95" for c in columns])
    return pd.concat([means, halves], axis=1)[
        [name for c in columns for name in (c, f"{c}_ci95")]
    ]
