"""`simulate(scenario, seed)`: one replication in a fresh SimPy environment."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import simpy

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.engine import Model
from omnistaff.sim.policies import model_for
from omnistaff.sim.processes import (
    ArrivalStream,
    Feeder,
    RecordFiling,
    arrival_plan,
)
from omnistaff.sim.result import SimResult, build_result
from omnistaff.sim.roster import AgentShift, draw_roster
from omnistaff.sim.scheduling import run_until
from omnistaff.sim.shifts import Worked, start_shifts
from omnistaff.sim.staff_pool import StaffPool, attach_pools, pooled, staff_pools
from omnistaff.sim.start_state import enqueue_start_state
from omnistaff.sim.streams import Streams


def simulate(
    scenario: Scenario, seed: int | None = None, replication: int = 0, contacts: bool = False
) -> SimResult:
    """Simulate one replication of a scenario.

    The run's randomness is one SeedSequence made from `seed` (default: the scenario's) and
    `replication`; each channel and quantity has a named child stream, so variants of a
    scenario share arrivals and handle times. `contacts=True` keeps the per-contact frame.
    """
    seed = scenario.horizon.seed if seed is None else seed
    with collector_paused():  # the run's state is dropped within: see `collector_paused`
        return _replication(scenario, seed, replication, contacts)


def _replication(scenario: Scenario, seed: int, replication: int,
                 contacts: bool) -> SimResult:
    """The run and its result; the run's state goes with this call's frame."""
    model, roster, worked, pools = _run(scenario, seed, replication)
    if pools:  # pooled agents are paid for their time on
        roster = roster + [s for pool in pools.values() for s in pool.close(model.env.now)]
    return build_result(scenario, seed, replication, model, roster, worked, contacts)


def _run(scenario: Scenario, seed: int,
         replication: int) -> tuple[Model, list[AgentShift], list[Worked], dict[str, StaffPool]]:
    """The replication's events, from the start to the end of the horizon."""
    streams = Streams(seed, replication)
    env = simpy.Environment(initial_time=-scenario.horizon.warmup)
    model = model_for(scenario, env, streams)  # `Model` unless a routing policy is set
    pools = attach_pools(model, scenario) if pooled(scenario) else {}
    if pools:  # the pools hook `release`: the standing rule's inlined steps would skip it
        model.standing = False
    feeder = Feeder(model, scenario, streams)
    arrivals = [ArrivalStream(env, feeder, channel, times, draws)
                for channel, (times, draws) in zip(model.channels,
                                                   arrival_plan(scenario, streams), strict=True)]
    enqueue_start_state(scenario, model, streams)
    roster = draw_roster(scenario, streams)
    worked: list[Worked] = []
    calendar = start_shifts(env, model, roster, worked)
    staff_pools(env, pools, scenario)
    RecordFiling(env, model, scenario.horizon.interval_seconds)
    for stream in arrivals:  # from here on, an arrival due next is taken without the queue
        stream.calendar, stream.running = calendar, True
    run_until(env, scenario.horizon.seconds, calendar)
    model.close()
    _unlink(model, calendar)
    return model, roster, worked, pools


def _unlink(model: Model, calendar: list) -> None:
    """Break the cycles through the agents, so that reference counting frees them with the
    run (`collector_paused`): each wait left on the calendar is a method of its agent-shift,
    and each free agent's entry in its group's bucket leads back to the agent."""
    for _, _, _, work in calendar:
        work.callbacks = None
    calendar.clear()
    for group in model.groups:
        for bucket in group.buckets:
            bucket.clear()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a replication runs (on again after, if it was).

    What a run makes and drops (contacts, queue entries, bucket entries) is freed by
    reference counting as it goes; the few cycles (the model and its bound callbacks) wait
    for the next collection. With the collector on, the allocations of a big center's
    agent-shifts set off collections that visit every live object again and again: about a
    fifth of the CPU of a day with 5,000 agents (`benchmarks/scale.py`), none of it needed.
    The run's state (its agents above all) is dropped before the collector is on again,
    without cycles through the agents (`_unlink`): the collection that follows a long pause
    visits only what is left alive, not every agent-shift.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
