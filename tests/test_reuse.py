"""Short replications stay exact: what replications share is computed once per scenario,
results aggregate from numbers without per-replication frames, and pool batches cover every
task once, in order. Each path is checked against the one it replaces."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from conftest import live, scenario

from omnistaff.scenarios import Scenario
from omnistaff.sim.experiment import Replications, batches, run_replications
from omnistaff.sim.kpis import group_quantile
from omnistaff.sim.result import SimResult
from omnistaff.sim.reuse import KEPT, per_scenario
from omnistaff.sim.run import simulate


@pytest.fixture(scope="module")
def small() -> Scenario:
    return scenario({"phone": live(per_interval=20.0)}, horizon={"replications": 3, "seed": 5})


def test_group_quantile_is_pandas_value_for_value() -> None:
    rng = np.random.default_rng(2)
    for trial in range(200):
        size = int(rng.integers(1, 30))
        values = rng.exponential(20.0, int(rng.integers(0, 300)))
        if trial % 2:
            values = np.round(values)  # ties
        groups = rng.integers(0, size, values.size)
        expected = pd.Series(values).groupby(groups).quantile(0.9).reindex(range(size))
        assert np.array_equal(group_quantile(values, groups, size, 0.9), expected.to_numpy(),
                              equal_nan=True)


def test_per_scenario_computes_once_per_scenario_object(small: Scenario) -> None:
    calls: list[int] = []

    @per_scenario
    def channels(s: Scenario, extra: int) -> int:
        calls.append(extra)
        return len(s.channels) + extra

    assert channels(small, 1) == channels(small, 1) == 2 and calls == [1]
    other = small.model_copy()
    assert channels(other, 1) == 2 and calls == [1, 1]  # an equal copy is another object
    for extra in range(KEPT + 1):  # the oldest entries are let go
        channels(small, 10 + extra)
    channels(other, 1)
    assert calls[-1] == 1 and len(calls) == 2 + (KEPT + 1) + 1  # computed again


def test_stacked_numbers_equal_the_concatenated_frames(small: Scenario) -> None:
    runs = run_replications(small)
    from_frames = Replications(small, runs.seed, [
        SimResult(r.scenario_name, r.seed, r.replication, r.channel_intervals,
                  r.group_intervals, r.channels, r.groups, None, r.work_seconds)
        for r in runs.results])
    for table in ("channel_table", "group_table", "channel_intervals", "group_intervals"):
        pd.testing.assert_frame_equal(getattr(runs, table)(), getattr(from_frames, table)(),
                                      check_exact=True)


def test_a_result_pickles_without_its_frames_and_rebuilds_them_equal(small: Scenario) -> None:
    result = simulate(small, 5, 1, contacts=True)
    frames = (result.channels, result.groups, result.channel_intervals,
              result.group_intervals, result.contacts, result.work_seconds)
    copy = pickle.loads(pickle.dumps(result))
    assert all(frame is None for frame in copy._frames.values())
    rebuilt = (copy.channels, copy.groups, copy.channel_intervals, copy.group_intervals,
               copy.contacts, copy.work_seconds)
    for built, again in zip(frames, rebuilt, strict=True):
        pd.testing.assert_frame_equal(built, again, check_exact=True)


@pytest.mark.parametrize(("count", "workers"), [(1, 2), (7, 2), (16, 2), (24, 3), (100, 4)])
def test_batches_cover_every_task_once_in_order(count: int, workers: int) -> None:
    plan = batches(count, workers)
    assert [i for batch in plan for i in batch] == list(range(count))
    assert len(plan) <= max(1, workers * 4) and min(len(b) for b in plan) >= 1
