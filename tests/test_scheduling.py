"""The engine's shortcuts through SimPy internals (`omnistaff.sim.scheduling`) against the
SimPy installed: if `Environment.step` stops treating `callbacks` and `_ok` the way the
engine relies on, these fail before any engine result is wrong."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Generator
from pathlib import Path

import pytest
import simpy

from omnistaff.sim.scheduling import NORMAL, SelfScheduled, reusable_event, run_until

PYPROJECT = Path(__file__).parents[1] / "pyproject.toml"


class Job(SelfScheduled):
    __slots__ = ("callbacks", "name")

    def __init__(self, name: str) -> None:
        self.name = name


def test_a_self_scheduled_object_is_processed_at_its_time_as_a_success() -> None:
    env = simpy.Environment()
    seen: list[tuple[float, str]] = []
    first, second = Job("first"), Job("second")
    for job, delay in ((second, 7.5), (first, 2.0)):
        job.callbacks = [lambda event: seen.append((env.now, event.name))]
        env.schedule(job, NORMAL, delay)
    env.run()
    assert seen == [(2.0, "first"), (7.5, "second")]
    assert first.processed and first.ok


def test_step_checks_ok_after_the_callbacks() -> None:
    """The other side of `_ok = True`: an object with a false `_ok` crashes the run, so the
    flag the engine sets is the one SimPy reads."""

    class Failed(Job):
        __slots__ = ()
        _ok = False
        _value = RuntimeError("failed on purpose")

    env = simpy.Environment()
    job = Failed("failed")
    job.callbacks = []
    env.schedule(job, NORMAL, 1.0)
    with pytest.raises(RuntimeError, match="failed on purpose"):
        env.run()


def test_a_reusable_event_looks_succeeded_and_runs_each_time_it_is_scheduled() -> None:
    env = simpy.Environment()
    event = reusable_event(env)
    assert event.triggered and event.ok and event.value is None and not event.processed
    times: list[float] = []

    def again(fired: simpy.Event) -> None:
        times.append(env.now)
        if len(times) < 3:
            fired.callbacks = [again]
            env.schedule(fired, NORMAL, len(times))

    event.callbacks = [again]
    env.schedule(event, NORMAL, 1.0)
    env.run()
    assert times == [1.0, 2.0, 4.0]


def test_simpy_is_pinned_to_the_major_version_these_tests_ran_on() -> None:
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    pin = next(d for d in dependencies if d.startswith("simpy"))
    below = re.search(r"<\s*(\d+)", pin)
    assert below, f"pin simpy below its next major version in pyproject.toml, not '{pin}'"
    assert int(simpy.__version__.split(".")[0]) == int(below.group(1)) - 1


def _busy_model(env: simpy.Environment, seen: list[tuple[float, str]]) -> None:
    """Processes, timeouts at the stop time itself, a process started at it and events
    scheduled from callbacks: what `run_until` must order exactly as `Environment.run`."""

    def worker(name: str, gap: float) -> Generator[simpy.Event, None, None]:
        while True:
            yield env.timeout(gap)
            seen.append((env.now, name))

    env.process(worker("a", 2.5))
    env.process(worker("b", 5.0))  # due at 10.0, the stop time: stays queued
    job = Job("job")
    job.callbacks = [lambda event: seen.append((env.now, event.name))]
    env.schedule(job, NORMAL, 7.0)
    late = env.timeout(10.0)
    late.callbacks.append(lambda _: env.process(worker("late", 1.0)))


def test_run_until_processes_the_events_run_would_in_the_same_order() -> None:
    by_run: list[tuple[float, str]] = []
    by_loop: list[tuple[float, str]] = []
    env = simpy.Environment(initial_time=-1.0)
    _busy_model(env, by_run)
    env.run(until=10.0)
    loop = simpy.Environment(initial_time=-1.0)
    _busy_model(loop, by_loop)
    run_until(loop, 10.0)
    assert by_loop == by_run and len(by_run) > 3
    assert loop.now == env.now == 10.0
    # what is left to run is the same (`run` also leaves its spent stop event, priority -1)
    left = sorted(e[:2] for e in env._queue if e[1] >= 0)
    assert sorted(e[:2] for e in loop._queue) == left and (10.0, 1) in left
    with pytest.raises(ValueError, match="greater than the current"):
        run_until(loop, 10.0)


def test_run_until_raises_a_failed_event_as_step_does() -> None:
    env = simpy.Environment()
    env.timeout(1.0).callbacks.append(lambda _: env.event().fail(KeyError("lost")))
    with pytest.raises(KeyError, match="lost"):
        run_until(env, 5.0)


def _jobs_with_ties(env: simpy.Environment, seen: list[tuple[float, str]],
                    calendar: list | None) -> None:
    """Jobs at tied times, some rescheduling themselves, the odd ones on `calendar` (if
    given, else on the queue): `run_until` must process them in the one queue's order."""
    from heapq import heappush

    def schedule(job: Job, delay: float) -> None:
        entry = (env.now + delay, NORMAL, next(env._eid), job)
        heappush(calendar if calendar is not None and job.name[-1] in "13579" else env._queue,
                 entry)

    def again(job: Job) -> None:
        seen.append((env.now, job.name))
        if env.now < 6.0:
            job.callbacks = [again]
            schedule(job, 2.0 if job.name[-1] in "0123" else 1.0)

    for i in range(10):
        job = Job(f"job{i}")
        job.callbacks = [again]
        schedule(job, float(i % 3))


def test_run_until_merges_a_calendar_in_the_order_of_one_queue() -> None:
    alone: list[tuple[float, str]] = []
    merged: list[tuple[float, str]] = []
    env = simpy.Environment()
    _jobs_with_ties(env, alone, None)
    run_until(env, 8.0)
    two = simpy.Environment()
    calendar: list = []
    _jobs_with_ties(two, merged, calendar)
    run_until(two, 8.0, calendar)
    assert merged == alone and len(alone) > 30
    assert len({t for t, _ in alone}) < len(alone) / 3  # ties decided by order, not time
