"""Each duration distribution samples with the analytic mean and variance it states (the
numbers a newcomer reads off the scenario), checked on 400,000 draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from omnistaff.scenarios.distributions import Empirical, Exponential, Fixed, Gamma, Lognormal

DRAWS = 400_000
Z = 3.29  # two-sided 99.9%


@pytest.mark.parametrize("dist", [
    Lognormal(mean=300, cv=0.6), Exponential(mean=120), Gamma(mean=240, cv=0.8),
    Fixed(value=45), Empirical(samples=(10, 20, 20, 90))], ids=lambda d: d.dist)
def test_samples_have_the_stated_mean_and_variance(dist: object) -> None:
    x = dist.sample(np.random.default_rng(7), DRAWS)
    assert abs(x.mean() - dist.mean) <= Z * math.sqrt(dist.variance / DRAWS) + 1e-9
    # the sample variance's standard error, from the sample's own fourth moment
    se = math.sqrt(max(np.mean((x - x.mean()) ** 4) - x.var() ** 2, 0.0) / DRAWS)
    assert abs(x.var(ddof=1) - dist.variance) <= Z * se + 1e-9
