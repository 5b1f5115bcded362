"""Agents per interval as a pool (`staffing.per_interval_drop: first_free`): at each interval
boundary the group's count of agents on the queue is brought to the scenario's. A rise logs
agents in (after cancelling departures still pending); a drop sends idle agents home at once,
longest idle first, and if too few are idle, the next agents to finish a contact take no more
work and leave once they hold nothing. This is ContactCenters' and an ACD report's meaning
of "agents staffed"; the default (`levels`, `roster._runs`) stacks agent-shifts instead.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.engine import Model
from omnistaff.sim.roster import AgentShift, interval_counts
from omnistaff.sim.state import Agent, GroupState


class StaffPool:
    """One group's pooled agents: who is on, how many departures are pending, and each
    agent's spell (login, logout) for paid time."""

    def __init__(self, model: Model, group: GroupState) -> None:
        self.model = model
        self.group = group
        self.on: list[Agent] = []  # logged in and staying, in login order
        self.departures = 0  # agents still to leave, the next to finish a contact
        self.login: dict[Agent, float] = {}
        self.spells: list[tuple[float, float]] = []

    def adjust(self, target: int) -> None:
        """Bring the agents staying to `target`."""
        staying = len(self.on) - self.departures
        if target >= staying:
            cancelled = min(self.departures, target - staying)
            self.departures -= cancelled
            for _ in range(target - staying - cancelled):
                self._log_in()
            return
        surplus = staying - target
        idle = sorted((a for a in self.on if a.held == 0 and a.accepting),
                      key=lambda a: a.since)  # stable: longest idle, then earliest login
        for agent in idle[:surplus]:
            self.on.remove(agent)
            self.model.stop_accepting(agent)
            self._log_out(agent)
        self.departures += surplus - len(idle[:surplus])

    def leave_when_free(self, agent: Agent) -> None:
        """`agent` has just finished a contact while a departure is pending: it takes no more
        work and logs out once it holds nothing."""
        self.departures -= 1
        self.on.remove(agent)
        agent.accepting = False
        agent.token += 1
        agent.freed = self.model.env.event()
        agent.freed.callbacks.append(lambda _: self._log_out(agent))

    def close(self, end: float) -> list[AgentShift]:
        """Each spell as an agent-shift paid for its time on (those still on end at `end`)."""
        spells = self.spells + [(self.login[a], end) for a in self.on]
        spells += [(self.login[a], end) for a in self.login if a.staffed and a not in self.on]
        return [AgentShift(self.group.name, login, logout, logout - login, (), False)
                for login, logout in spells]

    def _log_in(self) -> None:
        agent = self.model.log_in(self.group)
        self.on.append(agent)
        self.login[agent] = self.model.env.now

    def _log_out(self, agent: Agent) -> None:
        self.model.set_staffed(agent, False)
        self.spells.append((self.login[agent], self.model.env.now))


def attach_pools(model: Model, scenario: Scenario) -> dict[str, StaffPool]:
    """One pool per group with per-interval staffing, hooked into `model`: a pooled agent
    finishing a contact while its pool has a departure pending is the one that leaves.

    The hook wraps this model's `release` (the engine calls `self.release` whenever an
    agent gains capacity) rather than subclassing `Model`, so it composes with any model
    class, a routing policy's included, and costs nothing where no pool is set.
    """
    pools = {name: StaffPool(model, model.groups[model.group_index[name]])
             for name in scenario.staffing.per_interval}
    release = model.release

    def pooled_release(agent: Agent, now: float) -> None:
        pool = pools.get(agent.group.name)
        if pool is not None and pool.departures and agent.accepting and agent in pool.login:
            pool.leave_when_free(agent)
        release(agent, now)

    model.release = pooled_release  # type: ignore[method-assign]
    return pools


def pooled(scenario: Scenario) -> bool:
    """Whether the scenario's per-interval staffing is a pool (`first_free`)."""
    staffing = scenario.staffing
    return staffing.per_interval_drop == "first_free" and bool(staffing.per_interval)


def staff_pools(env: simpy.Environment, pools: dict[str, StaffPool],
                scenario: Scenario) -> None:
    """Start one process per pool that adjusts its group's count at every interval start."""
    for name, pool in pools.items():
        counts = scenario.staffing.per_interval[name]
        index, targets = interval_counts(np.asarray(counts), scenario)
        env.process(_keep_count(env, pool, index, targets, scenario.horizon.interval_seconds))


def _keep_count(env: simpy.Environment, pool: StaffPool, index: np.ndarray,
                targets: np.ndarray, size: float) -> Generator[simpy.Event, Any, None]:
    previous = -1
    for k, target in zip(index, targets, strict=True):
        start = float(k) * size
        if start > env.now:
            yield env.timeout(start - env.now)
        if target != previous:
            pool.adjust(int(target))
            previous = target
