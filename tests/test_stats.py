"""`omnistaff.sim.stats` against the tests' own, independent formulas for the t intervals
(mean, paired difference, Welch), at several levels, and against coverage by simulation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from omnistaff.sim.stats import (
    ci_suffix,
    mean_ci,
    mean_half_width,
    paired_differences,
    t_half_widths,
    welch_half_width,
    welch_half_widths,
)

LEVELS = (0.9, 0.95, 0.999)


def own_mean_half_width(x: np.ndarray, level: float) -> float:
    """t quantile x s / sqrt(n), written out here."""
    n = len(x)
    s = math.sqrt(sum((v - sum(x) / n) ** 2 for v in x) / (n - 1))
    return float(scipy_stats.t.ppf((1 + level) / 2, n - 1)) * s / math.sqrt(n)


def own_welch_half_width(a: np.ndarray, b: np.ndarray, level: float) -> float:
    """Welch-Satterthwaite degrees of freedom, written out here."""
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    return float(scipy_stats.t.ppf((1 + level) / 2, df)) * math.sqrt(va + vb)


@pytest.mark.parametrize("level", LEVELS)
def test_mean_interval_matches_the_formula(level: float) -> None:
    x = np.random.default_rng(3).normal(10, 2, 7)
    assert mean_half_width(x, level) == pytest.approx(own_mean_half_width(x, level))
    assert mean_half_width(np.append(x, np.nan), level) == pytest.approx(
        own_mean_half_width(x, level))
    assert math.isnan(mean_half_width(x[:1], level))


@pytest.mark.parametrize("level", LEVELS)
def test_paired_and_welch_intervals_match_the_formulas(level: float) -> None:
    rng = np.random.default_rng(4)
    base = rng.normal(0, 3, (2, 6))
    values = base + rng.normal(1, 0.5, (2, 6))
    values[1, 2] = np.nan  # a replication missing on one side drops the pair
    mean, half = paired_differences(values, base, level)
    kept = [np.arange(6), np.array([0, 1, 3, 4, 5])]
    for row, keep in enumerate(kept):
        d = values[row, keep] - base[row, keep]
        assert mean[row] == pytest.approx(d.mean())
        assert half[row] == pytest.approx(own_mean_half_width(d, level))
        welch = own_welch_half_width(values[row, keep], base[row, keep], level)
        assert welch_half_widths(values, base, level)[row] == pytest.approx(welch)
        assert welch_half_width(values[row, keep], base[row, keep], level) == pytest.approx(
            welch)


def test_identical_runs_differ_by_exactly_zero() -> None:
    base = np.array([[1.0, 2.0, 4.0]])
    mean, half = paired_differences(base, base)
    assert (mean[0], half[0]) == (0.0, 0.0)


def test_mean_ci_names_its_columns_by_level() -> None:
    frame = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 4, "x": [1.0, 2, 3, 5, 2, 2, 2, 2]})
    table = mean_ci(frame, ["g"], ["x"], level=0.9)
    assert list(table.columns) == ["x", "x_ci90"] and ci_suffix() == "_ci95"
    assert table.loc["a", "x_ci90"] == pytest.approx(
        own_mean_half_width(np.array([1.0, 2, 3, 5]), 0.9))
    assert table.loc["b", "x_ci90"] == 0.0


@pytest.mark.parametrize("level", [0.8, 0.95])
def test_mean_interval_covers_the_true_mean_at_its_level(level: float) -> None:
    """Over 4,000 samples of 5, the share of intervals holding the mean is within the
    99.9% binomial interval of the level."""
    samples = np.random.default_rng(5).exponential(1.0, (4000, 5)) ** 0.5
    truth = math.sqrt(math.pi) / 2  # mean of the square root of an Exp(1)
    half = t_half_widths(samples.std(axis=1, ddof=1), 5, level)
    assert half[0] == pytest.approx(mean_half_width(samples[0], level))
    covered = np.abs(samples.mean(axis=1) - truth) <= half
    spread = 3.29 * math.sqrt(level * (1 - level) / len(samples))
    assert abs(np.mean(covered) - level) <= spread + 0.02  # + skew of n = 5
