"""Replications of a scenario, run serially, on a local process pool or on a Dask cluster,
with identical results for the same seed whatever runs them. `RunSettings` says how many,
from which seed, and where; every study (replications, comparisons, sweeps) takes one."""

from __future__ import annotations

import atexit
import math
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.util import Finalize
from typing import Any

import pandas as pd

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.plain import plain_value
from omnistaff.sim.policy_kpis import POLICY_CHANNEL_KPIS, POLICY_GROUP_KPIS, present
from omnistaff.sim.result import SimResult, stack_numbers
from omnistaff.sim.run import simulate
from omnistaff.sim.stats import mean_ci

Progress = Callable[[int, int], None]
BATCHES_PER_WORKER = 4
#: The KPIs of `Replications.channel_table` and `group_table` (and their summary). Every
#: contact offered is handled, abandoned, expired, deflected, triaged out, balked, blocked or
#: still waiting at the end; escalated ones were handled and continue elsewhere.
SUMMARY_CHANNEL_KPIS = ["offered", "handled", "abandoned", "expired", "deflected",
                        "triaged_out", "balked", "blocked", "waiting", "escalated",
                        "service_level", "asa_seconds", "abandon_rate", "response_mean_seconds",
                        "response_p90_seconds", "backlog_end", "mean_wait_seconds"]
SUMMARY_GROUP_KPIS = ["occupancy", "paid_hours", "staffed_hours", "busy_hours",
                      "mean_concurrency"]


@dataclass(frozen=True)
class RunSettings:
    """How a study's replications run: how many and from which seed (None: the scenario's),
    on how many local worker processes or on the Dask cluster at `dask_address`, and a
    `progress(done, total)` callback."""

    replications: int | None = None
    seed: int | None = None
    workers: int = 1
    dask_address: str | None = None
    progress: Progress | None = None

    def count(self, scenario: Scenario) -> int:
        """Replications to run: these settings', else the scenario's."""
        return self.replications or scenario.horizon.replications

    def first_seed(self, scenario: Scenario) -> int:
        """The seed every replication derives from: these settings', else the scenario's."""
        return scenario.horizon.seed if self.seed is None else self.seed

    def run(self, function: Callable[[Any], Any], tasks: Sequence[Any]) -> list[Any]:
        """`function` over `tasks`, results in task order, reporting progress."""
        return run_tasks(function, tasks, self.workers, self.dask_address, self.progress)

    def stream(self, function: Callable[[Any], Any],
               tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        """(task index, result) pairs as tasks finish (see `iter_tasks`)."""
        return iter_tasks(function, tasks, self.workers, self.dask_address)


def settings_from(settings: RunSettings | None, replications: int | None, seed: int | None,
                  workers: int, dask_address: str | None,
                  progress: Progress | None) -> RunSettings:
    """`settings`, or one made of the separate arguments older callers pass (not both)."""
    separate = RunSettings(replications, seed, workers, dask_address, progress)
    if settings is None:
        return separate
    if separate != RunSettings():
        raise TypeError("pass either settings=RunSettings(...) or replications, seed, "
                        "workers, dask_address and progress, not both")
    return settings


@dataclass(frozen=True)
class Replications:
    """The replications of one scenario, with means and 95% confidence half-widths."""

    scenario: Scenario
    seed: int
    results: list[SimResult]

    def channel_table(self) -> pd.DataFrame:
        """Per channel: each KPI's mean and `_ci95` half-width over replications (with the
        routing policies' KPIs, `policy_kpis.POLICY_CHANNEL_KPIS`, the scenario uses)."""
        return mean_ci(self._stacked("channels"), ["channel"], self.channel_kpis())

    def group_table(self) -> pd.DataFrame:
        """Per group: occupancy, hours and concurrency with their half-widths (and occupancy
        against the cap, where a group sets one)."""
        return mean_ci(self._stacked("groups"), ["group"], self.group_kpis())

    def channel_kpis(self) -> list[str]:
        """The KPIs of `channel_table`: the summary's, then the policies' these runs have."""
        columns = self.results[0].channels.columns if self.results else []
        return SUMMARY_CHANNEL_KPIS + present(columns, POLICY_CHANNEL_KPIS)

    def group_kpis(self) -> list[str]:
        """The KPIs of `group_table`."""
        columns = self.results[0].groups.columns if self.results else []
        return SUMMARY_GROUP_KPIS + present(columns, POLICY_GROUP_KPIS)

    def channel_intervals(self) -> pd.DataFrame:
        """Per interval x channel: every KPI's mean and half-width over replications."""
        frame = self._stacked("channel_intervals")
        keys = ["channel", "interval", "day", "weekday", "time"]
        kpis = [c for c in frame.columns if c not in keys]
        return mean_ci(frame, keys, kpis).reset_index()

    def group_intervals(self) -> pd.DataFrame:
        frame = self._stacked("group_intervals")
        keys = ["group", "interval", "day", "weekday", "time"]
        kpis = [c for c in frame.columns if c not in keys]
        return mean_ci(frame, keys, kpis).reset_index()

    def _stacked(self, frame: str) -> pd.DataFrame:
        """Every replication's `frame` (a `SimResult` attribute), one below another: made at
        once from the replications' numbers, or by concatenating their frames."""
        if self.results and all(r.numbers is not None for r in self.results):
            return stack_numbers([r.numbers for r in self.results], frame)
        frames = [getattr(r, frame) for r in self.results]
        if frame in ("channels", "groups"):
            frames = [f.reset_index() for f in frames]
        return pd.concat(frames, ignore_index=True)

    def summary(self) -> dict[str, Any]:
        """Per channel and per group, each KPI as {"mean": x, "ci95": h} (JSON-ready)."""
        return {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "replications": len(self.results),
            "channels": _nested(self.channel_table(), self.channel_kpis()),
            "groups": _nested(self.group_table(), self.group_kpis()),
        }


def _nested(table: pd.DataFrame, kpis: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        str(name): {k: {"mean": plain_value(row[k]), "ci95": plain_value(row[f"{k}_ci95"])}
                    for k in kpis}
        for name, row in table.iterrows()
    }


def _one(args: tuple[Scenario, int, int]) -> SimResult:
    scenario, seed, replication = args
    return simulate(scenario, seed, replication)


def run_replications(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    dask_address: str | None = None,
    progress: Progress | None = None,
    *,
    settings: RunSettings | None = None,
) -> Replications:
    """Run replications 0..n-1 of a scenario; same seed, same results on any executor."""
    plan = settings_from(settings, replications, seed, workers, dask_address, progress)
    seed = plan.first_seed(scenario)
    tasks = [(scenario, seed, r) for r in range(plan.count(scenario))]
    return Replications(scenario, seed, plan.run(_one, tasks))


def run_tasks(
    function: Callable[[Any], Any],
    tasks: Sequence[Any],
    workers: int = 1,
    dask_address: str | None = None,
    progress: Progress | None = None,
) -> list[Any]:
    """Results of `function` over tasks, in task order, serially, on a pool or on Dask."""
    results: list[Any] = [None] * len(tasks)
    for done, (i, result) in enumerate(iter_tasks(function, tasks, workers, dask_address), 1):
        results[i] = result
        if progress:
            progress(done, len(tasks))
    return results


def iter_tasks(
    function: Callable[[Any], Any],
    tasks: Sequence[Any],
    workers: int = 1,
    dask_address: str | None = None,
) -> Iterator[tuple[int, Any]]:
    """(task index, result) pairs as tasks finish, so callers can stream results to disk.

    Serial for one worker, else a local process pool (tasks in `batches`, reported as each
    batch finishes), or the Dask cluster at `dask_address`. Closing the iterator early (an
    interruption) cancels the tasks not yet started.
    """
    if dask_address:
        yield from _on_dask(function, tasks, dask_address)
    elif workers <= 1 or len(tasks) <= 1:
        for i, task in enumerate(tasks):
            yield i, function(task)
    else:
        yield from _on_pool(function, tasks, workers)


def batches(count: int, workers: int) -> list[range]:
    """Task indices in consecutive batches, `BATCHES_PER_WORKER` a worker (fewer when tasks
    are few): a batch crosses to a worker once, with its scenario pickled once, and runs
    there in a loop, so each replication after the first reuses what the scenario's first
    one made (see `reuse`); a few batches a worker keep the workers evenly loaded."""
    size = max(1, math.ceil(count / (workers * BATCHES_PER_WORKER)))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _run_batch(function: Callable[[Any], Any], tasks: list[Any]) -> list[Any]:
    return [function(task) for task in tasks]


#: Local pools by number of workers, kept for the life of the process: the optimizer's loop
#: simulates hundreds of times, and starting workers (a process each, importing omnistaff) costs
#: about as much CPU as simulating a small scenario's replications.
_POOLS: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    pool = _POOLS.get(workers)
    if pool is None:
        if not _POOLS:
            # At exit, in the main process (atexit) and in a multiprocessing child too (whose
            # exit joins its children and runs no atexit handlers: idle workers would hang it).
            atexit.register(shutdown_pools)
            Finalize(None, shutdown_pools, exitpriority=100)
        pool = _POOLS[workers] = ProcessPoolExecutor(max_workers=workers)
    return pool


def shutdown_pools() -> None:
    """Stop the kept local pools' workers (they are started again when next needed)."""
    while _POOLS:
        _, pool = _POOLS.popitem()
        pool.shutdown(wait=True, cancel_futures=True)


def _on_pool(function: Callable[[Any], Any], tasks: Sequence[Any],
             workers: int) -> Iterator[tuple[int, Any]]:
    plan = batches(len(tasks), workers)
    pool = _pool(workers)
    futures = {}
    try:
        futures = {pool.submit(_run_batch, function, [tasks[i] for i in batch]): batch
                   for batch in plan}
        for future in as_completed(futures):
            yield from zip(futures[future], future.result(), strict=True)
    except BrokenProcessPool:
        _POOLS.pop(workers, None)  # a worker died: the next call starts a fresh pool
        raise
    finally:
        for future in futures:
            future.cancel()  # an interruption: what has not started does not start


def _on_dask(function: Callable[[Any], Any], tasks: Sequence[Any],
             address: str) -> Iterator[tuple[int, Any]]:
    from distributed import Client
    from distributed import as_completed as dask_completed

    with Client(address) as client:
        futures = client.map(function, list(tasks), pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for future in dask_completed(futures):
                yield index[future.key], future.result()
        finally:
            client.cancel(futures)
