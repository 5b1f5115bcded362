"""Agent-shifts as callback chains (`sim/shifts.py`) against what they replaced: a SimPy
process per agent-shift on the one event queue. The same seed must give the same frames,
byte for byte, with breaks, off-queue blocks, absences, pauses that wait for the contact in
hand and overtime."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
import simpy

import omnistaff.sim.run as run
from omnistaff.scenarios import bundled_scenarios, load_scenario
from omnistaff.sim.engine import Model
from omnistaff.sim.roster import AgentShift


def work_shift(env: simpy.Environment, model: Model, shift: AgentShift,
               worked: list) -> Generator[simpy.Event, Any, None]:
    """The process an agent-shift was before `ShiftWork` (as of commit d434408)."""
    if shift.login > env.now:
        yield env.timeout(shift.login - env.now)
    agent = model.log_in(model.groups[model.group_index[shift.group]])
    began = env.now
    for start, duration in shift.pauses:
        if start >= shift.logout:
            break
        if start < began:
            start, duration = began, start + duration - began
            if duration <= 0:
                continue
        if start > env.now:
            yield env.timeout(start - env.now)
        freed = model.stop_accepting(agent)
        if freed is not None:
            yield freed
        model.set_staffed(agent, False)
        yield env.timeout(duration)
        model.set_staffed(agent, True)
    if shift.logout > env.now:
        yield env.timeout(shift.logout - env.now)
    freed = model.stop_accepting(agent)
    if freed is not None:
        yield freed
    model.set_staffed(agent, False)
    worked.append((shift.group, shift.login, shift.logout, env.now, shift.paid_seconds))


def as_processes(env: simpy.Environment, model: Model, roster: list[AgentShift],
                 worked: list) -> list:
    for shift in roster:
        if not shift.absent:
            env.process(work_shift(env, model, shift, worked))
    return []  # no calendar: every wait is on the queue


def frames_csv(result: Any) -> str:
    frames = (result.channels, result.groups, result.channel_intervals,
              result.group_intervals, result.contacts)
    return "".join(frame.to_csv() for frame in frames)


@pytest.mark.parametrize("name", ["small_multichannel", "weekend_social", "omni_vs_single"])
def test_callback_chains_give_what_processes_gave(name: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario(bundled_scenarios()[name])  # breaks, shrinkage, absences
    chained = run.simulate(scenario, 3, contacts=True)
    monkeypatch.setattr(run, "start_shifts", as_processes)
    processes = run.simulate(scenario, 3, contacts=True)
    assert frames_csv(chained) == frames_csv(processes)
    assert len(chained.contacts) > 1000
