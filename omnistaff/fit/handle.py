"""Handle times from answered contacts: lognormal, gamma or exponential by maximum
likelihood, one chosen by AIC, or the empirical distribution when even the best family
misses the data.

The criterion: the family with the lowest AIC (2k - 2 log L), unless its Kolmogorov-Smirnov
distance from the data exceeds `EMPIRICAL_KS` (its CDF is more than 5 percentage points off
somewhere), in which case the observed values are resampled (`dist: empirical`, 1,000
quantiles). The mean's 95% interval is the sample's; the CV's is the chosen family's
(delta method on the MLE), or the sample CV's by a seeded bootstrap for empirical.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from omnistaff.scenarios.distributions import Empirical, Exponential, Gamma, Lognormal

EMPIRICAL_KS = 0.05
EMPIRICAL_POINTS = 1000
#: Most values used for the likelihood and KS fits (a seeded, uniform subsample beyond it).
MAX_FIT_VALUES = 200_000
Fitted = Lognormal | Gamma | Exponential | Empirical


@dataclass(frozen=True)
class HandleFit:
    """One channel's handle-time fit: the candidates compared and the one chosen."""

    channel: str
    count: int
    mean: float
    mean_ci95: float
    cv: float
    cv_ci: tuple[float, float]
    candidates: pd.DataFrame  # family, log_likelihood, aic, ks_distance
    chosen: Fitted
    values: np.ndarray  # the values fitted (a subsample beyond MAX_FIT_VALUES)

    @property
    def family(self) -> str:
        return self.chosen.dist


def fit_handle_times(channel: str, seconds: np.ndarray) -> HandleFit:
    """Fit handle times (seconds, > 0) of one channel."""
    values = np.asarray(seconds, dtype=float)
    values = values[np.isfinite(values) & (values > 0)]
    if values.size < 10:
        raise ValueError(f"channel '{channel}' has {values.size} answered contact(s) with a "
                         "handle time; give at least 10 to fit a distribution")
    if values.size > MAX_FIT_VALUES:
        values = np.random.default_rng(0).choice(values, MAX_FIT_VALUES, replace=False)
    fits = {"lognormal": _lognormal(values), "gamma": _gamma(values),
            "exponential": _exponential(values)}
    table = pd.DataFrame([{"family": name, "log_likelihood": f[1], "aic": f[2],
                           "ks_distance": f[3]} for name, f in fits.items()])
    best = str(table.loc[table["aic"].idxmin(), "family"])
    mean = float(values.mean())
    half = 1.959964 * float(values.std(ddof=1)) / math.sqrt(values.size)
    if float(table.loc[table["family"] == best, "ks_distance"].iloc[0]) > EMPIRICAL_KS:
        quantiles = np.quantile(values, (np.arange(EMPIRICAL_POINTS) + 0.5) / EMPIRICAL_POINTS)
        chosen: Fitted = Empirical(samples=tuple(float(round(q, 3)) for q in quantiles))
        cv, cv_ci = _bootstrap_cv(values)
    else:
        chosen = fits[best][0]
        cv, cv_ci = fits[best][4]
    return HandleFit(channel, int(values.size), mean, half, cv, cv_ci, table, chosen, values)


def _lognormal(x: np.ndarray) -> tuple[Fitted, float, float, float, tuple]:
    logs = np.log(x)
    mu, sigma = float(logs.mean()), float(logs.std(ddof=0))
    loglik = float(stats.lognorm.logpdf(x, sigma, scale=math.exp(mu)).sum())
    cv = math.sqrt(math.expm1(sigma**2))
    # delta method: Var(sigma^2 hat) = 2 sigma^4 / n; dCV/d(sigma^2) = e^(sigma^2) / (2 CV)
    se = math.exp(sigma**2) / (2 * cv) * sigma**2 * math.sqrt(2 / x.size)
    dist = Lognormal(mean=math.exp(mu + sigma**2 / 2), cv=min(cv, 10.0))
    ks = float(stats.kstest(x, "lognorm", args=(sigma, 0, math.exp(mu))).statistic)
    return dist, loglik, 4 - 2 * loglik, ks, (cv, (cv - 1.96 * se, cv + 1.96 * se))


def _gamma(x: np.ndarray) -> tuple[Fitted, float, float, float, tuple]:
    shape, _, scale = stats.gamma.fit(x, floc=0)
    loglik = float(stats.gamma.logpdf(x, shape, scale=scale).sum())
    cv = 1 / math.sqrt(shape)
    # Fisher information of the shape with the mean profiled out: n (psi'(k) - 1/k)
    var_k = 1 / (x.size * (float(special.polygamma(1, shape)) - 1 / shape))
    se = 0.5 * shape**-1.5 * math.sqrt(max(var_k, 0.0))
    dist = Gamma(mean=shape * scale, cv=min(cv, 10.0))
    ks = float(stats.kstest(x, "gamma", args=(shape, 0, scale)).statistic)
    return dist, loglik, 4 - 2 * loglik, ks, (cv, (cv - 1.96 * se, cv + 1.96 * se))


def _exponential(x: np.ndarray) -> tuple[Fitted, float, float, float, tuple]:
    mean = float(x.mean())
    loglik = float(-x.size * math.log(mean) - x.sum() / mean)
    ks = float(stats.kstest(x, "expon", args=(0, mean)).statistic)
    return Exponential(mean=mean), loglik, 2 - 2 * loglik, ks, (1.0, (1.0, 1.0))


def _bootstrap_cv(x: np.ndarray, rounds: int = 200) -> tuple[float, tuple[float, float]]:
    rng = np.random.default_rng(0)
    sample = x if x.size <= 20_000 else rng.choice(x, 20_000, replace=False)
    draws = rng.choice(sample, (rounds, sample.size), replace=True)
    cvs = draws.std(axis=1, ddof=1) / draws.mean(axis=1)
    cv = float(x.std(ddof=1) / x.mean())
    low, high = np.quantile(cvs, [0.025, 0.975])
    return cv, (float(low), float(high))
