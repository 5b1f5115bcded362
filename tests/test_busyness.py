"""A day-level busyness factor shared by several channels: its channels' day levels move
together, its spread is its CV, a channel's own `day_cv` adds independent noise on top, and
the scenario names only channels that exist, each in one factor."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from conftest import DAY, HALF_HOURS, deferred, live, scenario, seed_for
from scipy import stats

from omnistaff.scenarios import ScenarioError, scenario_from_dict
from omnistaff.sim import simulate
from omnistaff.sim.processes import arrival_plan
from omnistaff.sim.streams import Streams

VOLUME = 20_000.0  # contacts a day on each channel: Poisson noise ~0.7% of a day's total
DAYS = 28


def day_totals(busyness: dict[str, Any], own_cv: float = 0.0,
               seed: object = "busy") -> dict[str, np.ndarray]:
    """Arrivals per day on channels a and b and on c, which is in no factor, as the engine
    plans them (`arrival_plan`: the draws `simulate` replays)."""
    channel = deferred(per_interval=VOLUME / HALF_HOURS, arrivals={"day_cv": own_cv})
    scen = scenario({"a": channel, "b": channel, "c": channel},
                    staffing={"per_interval": {"g": [0] * HALF_HOURS}}, days=DAYS,
                    busyness=busyness)
    plan = arrival_plan(scen, Streams(seed_for(seed, own_cv)))
    return {name: np.bincount((np.asarray(times) // DAY).astype(int), minlength=DAYS).astype(
        float) for name, (times, _) in zip(scen.channels, plan, strict=True)}


def variance_agrees(values: np.ndarray, variance: float) -> bool:
    """Sample variance within the 99.9% chi-square interval of a normal sample's."""
    df = len(values) - 1
    low, high = stats.chi2.ppf([0.0005, 0.9995], df) / df
    return low <= values.var(ddof=1) / variance <= high


def test_channels_of_one_factor_share_their_day_level() -> None:
    """With a shared CV of 0.3 and no own noise, a/VOLUME - b/VOLUME is Poisson noise only:
    variance E[B^2] (2 / VOLUME), far below the 2 x 0.09 independent levels would give; each
    channel's day totals have variance VOLUME + (0.3 VOLUME)^2; c, outside the factor,
    stays Poisson."""
    cv = 0.3
    totals = day_totals({"busy": {"cv": cv, "channels": ["a", "b"]}})
    a, b, c = totals["a"], totals["b"], totals["c"]
    assert variance_agrees(a / VOLUME - b / VOLUME, (1 + cv**2) * 2 / VOLUME)
    assert variance_agrees(a, VOLUME + (cv * VOLUME) ** 2)
    assert variance_agrees(b, VOLUME + (cv * VOLUME) ** 2)
    assert variance_agrees(c, VOLUME)
    assert np.corrcoef(a, b)[0, 1] > 0.99


def test_own_day_cv_is_independent_noise_on_top() -> None:
    """Shared CV 0.2 times own CV 0.2: each channel's day level has CV^2 =
    (1 + 0.04)(1 + 0.04) - 1, and a - b keeps the own noise of both: variance
    E[B^2] (2 own^2 + 2 / VOLUME)."""
    shared, own = 0.2, 0.2
    totals = day_totals({"busy": {"cv": shared, "channels": ["a", "b"]}}, own_cv=own)
    total_cv2 = (1 + shared**2) * (1 + own**2) - 1
    assert variance_agrees(totals["a"], VOLUME + total_cv2 * VOLUME**2)
    difference = totals["a"] / VOLUME - totals["b"] / VOLUME
    assert variance_agrees(difference, (1 + shared**2) * (2 * own**2 + 2 / VOLUME))


def test_without_a_factor_nothing_changes() -> None:
    """An empty `busyness` (the default) and a factor of CV 0 draw the same arrivals."""
    plain = day_totals({}, seed="same")
    flat = day_totals({"flat": {"cv": 0.0, "channels": ["a", "b", "c"]}}, seed="same")
    for name in ("a", "b", "c"):
        assert np.array_equal(plain[name], flat[name])


@pytest.mark.parametrize(("busyness", "message"), [
    ({"x": {"cv": 0.1, "channels": ["phone", "fax"]}}, "no channel 'fax'"),
    ({"x": {"cv": 0.1, "channels": ["phone"]}, "y": {"cv": 0.1, "channels": ["phone"]}},
     "already in busyness factor 'x'"),
    ({"x": {"cv": 1.5, "channels": ["phone"]}}, "busyness.x.cv"),
])
def test_bad_factors_are_named(busyness: dict[str, Any], message: str) -> None:
    data = {"name": "t", "channels": {"phone": deferred()}, "groups": {"g": {"skills":
            ["phone"]}}, "busyness": busyness}
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(data)
    assert message in str(caught.value)


def test_a_simulated_busy_day_is_busy_on_both_channels() -> None:
    """End to end through `simulate`: two small live channels in one factor of CV 0.5 over a
    week; their daily offered counts move together (correlation of the day levels near 1,
    Poisson noise of ~400 a day against a day level spread of 0.5 x 400)."""
    channel = live(per_interval=400 / HALF_HOURS, patience=60)
    scen = scenario({"a": channel, "b": channel}, days=7,
                    busyness={"busy": {"cv": 0.5, "channels": ["a", "b"]}})
    frame = simulate(scen, seed_for("busy week")).channel_intervals
    days = frame.groupby(["channel", "day"], observed=True)["offered"].sum()
    assert np.corrcoef(days["a"], days["b"])[0, 1] > 0.8
