"""Concurrency limits that change by interval (`concurrency.by_period`): the limit now per
channel, kept by one process that steps it at the intervals where it changes.

A lower limit stops agents taking more of the channel's contacts until they hold fewer than
it; contacts already held are finished. A higher limit lets agents with room take waiting
contacts at once. The warm-up replays the horizon's end, as arrivals do.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

import simpy

from omnistaff.scenarios.concurrency_periods import limits_by_interval
from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.state import MAX_HELD

if TYPE_CHECKING:
    from omnistaff.sim.policies import PolicyModel


def interval_limits(scenario: Scenario) -> list[list[int]] | None:
    """Per channel, its limit in each interval of the horizon (None: no channel sets
    periods)."""
    if not any(c.concurrency.by_period for c in scenario.channels.values()):
        return None
    return [limits_by_interval(c.concurrency.by_period, c.concurrency.max, scenario.horizon)
            for c in scenario.channels.values()]


class ConcurrencyLimits:
    """`now[channel]`: the most contacts an agent may hold when it takes one of the channel's
    (MAX_HELD, no limit beyond the routes', where the channel sets no periods)."""

    def __init__(self, model: PolicyModel, scenario: Scenario) -> None:
        self.model = model
        limits = interval_limits(scenario)
        self.now = [MAX_HELD] * len(scenario.channels)
        if limits is None:
            return
        self.scheduled = [i for i, c in enumerate(scenario.channels.values())
                          if c.concurrency.by_period]
        self.limits = limits
        horizon = scenario.horizon
        self.step, self.count = horizon.interval_seconds, horizon.intervals
        first = int(-horizon.warmup // self.step)
        for i in self.scheduled:
            self.now[i] = limits[i][first % self.count]
        self.changes = self._changes(first, int(-(-horizon.seconds // self.step)))
        model.env.process(self.keep())

    def _changes(self, first: int, last: int) -> list[tuple[float, list[tuple[int, int]]]]:
        """(time, [(channel, new limit)]) at each interval boundary where a limit changes."""
        out = []
        for k in range(first + 1, last):
            changed = [(i, self.limits[i][k % self.count]) for i in self.scheduled
                       if self.limits[i][k % self.count] != self.limits[i][(k - 1) % self.count]]
            if changed:
                out.append((k * self.step, changed))
        return out

    def keep(self) -> Generator[simpy.Event, None, None]:
        """Step each limit when its interval comes; where one rises, agents with room pull."""
        env, model = self.model.env, self.model
        for when, changed in self.changes:
            yield env.timeout(when - env.now)
            rose = False
            for i, limit in changed:
                rose |= limit > self.now[i]
                self.now[i] = limit
            if rose:
                groups = {group.index for i, _ in changed for _, group, _, _ in
                          model.channels[i].routes}
                for g in sorted(groups):
                    for agent in list(model.members[g]):
                        if agent.accepting and not agent.exclusive:
                            model.release(agent, env.now)
