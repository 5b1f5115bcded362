"""Distributions of durations (handle time, patience, delays): checked when built,
with their analytic mean and variance, sampled with a caller's numpy Generator."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BeforeValidator, Field, model_validator

from omnistaff.scenarios.base import Frozen
from omnistaff.scenarios.limits import MAX_SAMPLES
from omnistaff.scenarios.units import Seconds, parse_duration


class Lognormal(Frozen):
    """Lognormal by mean and coefficient of variation: the usual shape of handle times."""

    dist: Literal["lognormal"] = "lognormal"
    mean: Seconds = Field(gt=0, description="Mean in seconds (or a duration string).")
    cv: float = Field(gt=0, le=10, description="Coefficient of variation (sd / mean).")

    @property
    def variance(self) -> float:
        return (self.cv * self.mean) ** 2

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        sigma2 = math.log1p(self.cv**2)
        mu = math.log(self.mean) - sigma2 / 2
        return rng.lognormal(mu, math.sqrt(sigma2), n)


class Exponential(Frozen):
    """Exponential by mean: the memoryless case queueing theory assumes."""

    dist: Literal["exponential"] = "exponential"
    mean: Seconds = Field(gt=0, description="Mean in seconds (or a duration string).")

    @property
    def variance(self) -> float:
        return self.mean**2

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.exponential(self.mean, n)


class Fixed(Frozen):
    """The same value every time."""

    dist: Literal["fixed"] = "fixed"
    value: Seconds = Field(description="The value in seconds (or a duration string).")

    @property
    def mean(self) -> float:
        return self.value

    @property
    def variance(self) -> float:
        return 0.0

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value, dtype=float)


class Gamma(Frozen):
    """Gamma by mean and coefficient of variation."""

    dist: Literal["gamma"] = "gamma"
    mean: Seconds = Field(gt=0, description="Mean in seconds (or a duration string).")
    cv: float = Field(gt=0, le=10, description="Coefficient of variation (sd / mean).")

    @property
    def variance(self) -> float:
        return (self.cv * self.mean) ** 2

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        shape = 1 / self.cv**2
        return rng.gamma(shape, self.mean / shape, n)


class Empirical(Frozen):
    """Resampled (with replacement) from observed values, e.g. a handle-time log."""

    dist: Literal["empirical"] = "empirical"
    samples: tuple[Seconds, ...] = Field(
        min_length=1, max_length=MAX_SAMPLES, description="Observed values, seconds (at "
        "most 100,000: more than enough to resample a shape).")

    @model_validator(mode="after")
    def _positive_mean(self) -> Empirical:
        if not any(v > 0 for v in self.samples):
            raise ValueError("samples are all zero; give at least one positive observation")
        return self

    @property
    def mean(self) -> float:
        return float(np.mean(self.samples))

    @property
    def variance(self) -> float:
        return float(np.var(self.samples))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(np.asarray(self.samples, dtype=float), size=n, replace=True)


def _shorthand(value: Any) -> Any:
    """A bare number or duration means `fixed`; a mapping without `dist` means lognormal."""
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        return {"dist": "fixed", "value": parse_duration(value)}
    if isinstance(value, dict) and "dist" not in value:
        return {"dist": "lognormal", **value}
    return value


Distribution = Annotated[
    Lognormal | Exponential | Fixed | Gamma | Empirical,
    Field(discriminator="dist"),
    BeforeValidator(
        _shorthand,
        json_schema_input_type=Lognormal | Exponential | Fixed | Gamma | Empirical | float | str,
    ),
]
