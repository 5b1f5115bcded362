"""The estimators on data drawn from known distributions (fixed seeds): the family chosen,
each estimate inside its interval, censoring handled, the day-level CV beyond Poisson."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import seed_for

from omnistaff.fit.arrivals import day_cv, fit_arrivals, shared_days
from omnistaff.fit.handle import EMPIRICAL_KS, fit_handle_times
from omnistaff.fit.patience import fit_patience


def rng(*case: object) -> np.random.Generator:
    return np.random.default_rng(seed_for(*case))


def test_gamma_handle_times_choose_gamma_with_the_true_cv_inside() -> None:
    x = rng("gamma").gamma(1 / 0.7**2, 300 * 0.7**2, 5000)
    fit = fit_handle_times("chat", x)
    assert fit.family == "gamma"
    assert fit.cv_ci[0] <= 0.7 <= fit.cv_ci[1]
    assert abs(fit.mean - 300) <= fit.mean_ci95
    assert fit.candidates.set_index("family").loc["gamma", "aic"] == fit.candidates["aic"].min()


def test_bimodal_handle_times_fall_back_to_empirical() -> None:
    g = rng("bimodal")
    x = np.concatenate([g.normal(60, 5, 3000), g.normal(600, 30, 3000)])
    fit = fit_handle_times("phone", x)
    assert fit.family == "empirical"
    assert fit.candidates["ks_distance"].min() > EMPIRICAL_KS
    assert len(fit.chosen.samples) == 1000
    assert fit.chosen.mean == pytest.approx(x.mean(), rel=0.01)
    assert fit.cv_ci[0] <= x.std() / x.mean() <= fit.cv_ci[1]


def test_too_few_handle_times_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="at least 10"):
        fit_handle_times("phone", np.array([100.0, 0.0, -1.0]))


def test_patience_from_censored_waits_is_unbiased_where_naive_is_not() -> None:
    g = rng("patience")
    patience = g.exponential(300, 20000)
    offered_wait = g.exponential(200, 20000)  # the wait each would need before an answer
    abandoned = patience < offered_wait
    fit = fit_patience("phone", patience[abandoned], offered_wait[~abandoned])
    assert fit is not None and fit.abandoned == abandoned.sum()
    assert fit.mean_low <= 300 <= fit.mean_high
    assert patience[abandoned].mean() < 150  # ignoring the censored waits is far off
    # the Kaplan-Meier curve follows the true survival within its band at 100, 300, 600 s
    for t in (100, 300, 600):
        row = fit.curve.iloc[(fit.curve["seconds"] - t).abs().argmin()]
        truth = math.exp(-row["seconds"] / 300)
        assert row["low"] - 0.01 <= truth <= row["high"] + 0.01


def test_nobody_abandoning_gives_no_patience() -> None:
    assert fit_patience("phone", np.array([]), np.array([5.0, 10.0])) is None


def _days(cv: float, mean: float, weeks: int, g: np.random.Generator,
          shared: np.ndarray | None = None) -> pd.DataFrame:
    days = pd.date_range("2026-01-05", periods=7 * weeks, freq="D")
    shape = np.array([1.2, 1.0, 1.0, 1.0, 0.9, 0.4, 0.0])[days.day_of_week]
    level = shared if shared is not None else g.gamma(1 / cv**2, cv**2, len(days))
    counts = g.poisson(mean * shape * level)
    return pd.DataFrame(counts[:, None] * np.array([[0.5, 0.5]]), index=days)


@pytest.mark.parametrize(("cv", "mean"), [(0.12, 800), (0.05, 3000)])
def test_day_cv_interval_covers_the_truth_95_percent_of_the_time(cv: float, mean: float
                                                                 ) -> None:
    """Over 200 logs of 12 weeks, the 95% interval holds the true CV in 95% of them: within
    3 binomial standard errors (0.015 each), and the estimate is unbiased to 3 of its own."""
    g = rng("day cv", cv)
    fits = [day_cv(_days(cv, mean, 12, g)) for _ in range(200)]
    coverage = np.mean([f.low <= cv <= f.high for f in fits])
    assert 0.95 - 3 * 0.0154 <= coverage <= 0.95 + 3 * 0.0154
    values = np.array([f.value for f in fits])
    assert abs(values.mean() - cv) <= 3 * values.std(ddof=1) / math.sqrt(len(values))


def test_pure_poisson_days_give_a_small_cv() -> None:
    g = rng("poisson days")
    days = pd.date_range("2026-01-05", periods=84, freq="D")
    frame = pd.DataFrame(g.poisson(500, (84, 1)).astype(float), index=days)
    assert day_cv(frame).low == 0.0


def test_shared_busy_days_are_linked_and_independent_ones_are_not() -> None:
    g = rng("shared")
    level = g.gamma(1 / 0.15**2, 0.15**2, 84)
    a = fit_arrivals("a", _days(0, 2000, 12, g, level), 720)
    b = fit_arrivals("b", _days(0, 1000, 12, g, level), 720)
    c = fit_arrivals("c", _days(0.15, 1000, 12, g), 720)
    result = shared_days([a, b, c])
    assert result is not None and result.linked == (("a", "b"),)
    (factor,) = result.factors
    assert factor.channels == ("a", "b") and factor.low <= 0.15 <= factor.high
