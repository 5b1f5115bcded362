"""Occupancy pacing: a group with a `max_occupancy` takes deferred work only while its
occupancy in the interval stays within the cap less `routing.pacing_margin` (3 points by
default).

Why the router and not only the plan: deferred work waits in a backlog, and the standing rule
hands it to any free skilled agent, so while a backlog lasts its agents are busy whatever the
schedule. More agents only shorten that stretch (the morning's backlog from the evening
before is worked at 100% by any number of them), so no schedule holds an interval's
occupancy to a cap on its own. Pacing is the rule a planner's cap means for deferred work:
the agents leave that share of their time free, and the backlog waits (within its window)
instead. Live work is never held back: the requirements size live channels for the cap, and
the optimizer's judging raises staff where simulation still shows a group over it
(`optimize/occupancy.py`).

The cap counts *load*: each contact held counts 1 / the limit of its route, so an agent
holding one of two chats is half occupied, one on a call or an email wholly (for a group
whose routes all have limit 1 this is the usual occupancy, busy over staffed time), and it
counts agents while they may take work: an agent finishing a contact past its shift's end
or before a break is out of both the load and the agents (overtime, not the interval's
occupancy). It is the measure the requirements plan with (offered load over agents, in
reference agents at full concurrency), so plan and simulation count alike.

Why a margin under the cap: the optimizer judges an interval within its cap only when the
upper confidence bound of its load over replications is (`optimize/occupancy.py`); paced to
the cap itself, a group working a backlog sits at the cap and live bursts take it over, so
its bound seldom clears (thirty blended agents: 31 of 48 half-hours still unclear after 40
replications, none with a margin of 3 points; docs/routing.md).

The rule: at time s in interval [a, b), a free agent of the group may take a deferred contact
when the interval's load so far, plus the load now and the new contact's weight held to b,
is within the paced level (the cap less the margin) of the staffed time so far plus the
staffed agents now held to b. It assumes work in hand lasts to the interval's end, and keeps
room for live work to come back to its level (the larger of its mean load in the last
interval and in this one so far, where that is above the live load now), so it errs on the
side of the cap: live work arriving never waits for the cap, so deferred work must leave it
room. Where the rule refuses, a wake-up is set for the moment it would next allow (or the
next interval), when idle agents look again.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import simpy

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.state import Agent, ChannelState, GroupState

#: Slack on the rule's comparison, in agent-seconds.
SLACK = 1e-6


class Pacing:
    """Per capped group: its load and staffed agents now, their integrals over the current
    interval (for the rule) and over each interval of the horizon (for the KPI)."""

    def __init__(self, scenario: Scenario, groups: list[GroupState], env: simpy.Environment,
                 wake: Callable[[GroupState], None]) -> None:
        self.env = env
        self.wake_group = wake
        self.interval = float(scenario.horizon.interval_seconds)
        self.intervals = scenario.horizon.intervals
        caps = [scenario.groups[g.name].max_occupancy for g in groups]
        margin = scenario.routing.pacing_margin
        #: the level deferred work is paced to: the cap less the scenario's pacing margin
        self.pace = [max(c - margin, 0.0) if c is not None else math.inf for c in caps]
        self.capped = [c is not None for c in caps]
        self.any = any(self.capped)
        n = len(groups)
        self.load = [0.0] * n  # contacts held, each 1 / its route's limit
        self.live = [0.0] * n  # the part of `load` that is live contacts
        self.live_now = [0.0] * n  # live load-seconds so far in interval `index`
        self.live_before = [0.0] * n  # live load-seconds in the interval before it
        self.staffed = [0] * n  # agents on the queue, taking work
        #: those agents of capped groups: their load and its live part
        self.counted: dict[Agent, list[float]] = {}
        self.mark = [-math.inf] * n  # when the levels last changed
        self.index = [-(2 ** 62)] * n  # interval of the integrals below
        self.load_now = [0.0] * n  # load-seconds so far in interval `index`
        self.staffed_now = [0.0] * n
        #: per group and finished interval of the horizon: load- and staffed agent-seconds
        self.load_seconds = [[0.0] * self.intervals for _ in range(n)]
        self.staffed_seconds = [[0.0] * self.intervals for _ in range(n)]
        self.waking = [math.inf] * n  # the pending wake-up's time

    def paces(self, group: GroupState, channel: ChannelState) -> bool:
        """Whether the rule applies: a capped group and a deferred channel."""
        return self.capped[group.index] and not channel.live

    def allows(self, group: GroupState, limit: int, now: float) -> bool:
        """Whether an agent of the group may take a deferred contact (route limit `limit`)
        now; if not, a wake-up is set for when it may."""
        g = group.index
        self._advance(g, now)
        k = math.floor(now / self.interval)
        so_far_load, so_far_staffed = (self.load_now[g], self.staffed_now[g]) \
            if self.index[g] == k else (0.0, 0.0)
        left = (k + 1) * self.interval - now
        elapsed = now - k * self.interval
        live_so_far = self.live_now[g] if self.index[g] == k else 0.0
        before = self.live_before[g] if self.index[g] == k else self.live_now[g] \
            if self.index[g] == k - 1 else 0.0
        expected = max(before / self.interval,
                       live_so_far / elapsed if elapsed > 0 else 0.0)
        room = max(expected - self.live[g], 0.0)
        excess = so_far_load + (self.load[g] + room + 1.0 / limit) * left - self.pace[g] * (
            so_far_staffed + self.staffed[g] * left)
        if excess <= SLACK:
            return True
        # The left side falls by 1 / limit a second while the levels hold: it may open
        # within the interval, else at the next one.
        opens = min(now + excess * limit, (k + 1) * self.interval)
        self._wake_at(group, max(opens, now + SLACK))
        return False

    def took(self, agent: Agent, channel: ChannelState, limit: int, now: float) -> None:
        self._change(agent, channel, 1.0 / limit, now)

    def freed(self, agent: Agent, channel: ChannelState, limit: int, now: float) -> None:
        self._change(agent, channel, -1.0 / limit, now)

    def _change(self, agent: Agent, channel: ChannelState, weight: float, now: float) -> None:
        held = self.counted.get(agent)
        if held is None:
            return
        g = agent.group.index
        self._advance(g, now)
        held[0] += weight
        self.load[g] = max(self.load[g] + weight, 0.0)
        if channel.live:
            held[1] += weight
            self.live[g] = max(self.live[g] + weight, 0.0)

    def joined(self, agent: Agent, now: float) -> None:
        """The agent goes on the queue (it holds nothing then)."""
        g = agent.group.index
        if self.capped[g] and agent not in self.counted:
            self._advance(g, now)
            self.counted[agent] = [0.0, 0.0]
            self.staffed[g] += 1

    def left(self, agent: Agent, now: float) -> None:
        """The agent takes no more work (off the queue, or finishing before a break or past
        its shift's end): it and its load leave the counts."""
        held = self.counted.pop(agent, None)
        if held is None:
            return
        g = agent.group.index
        self._advance(g, now)
        self.staffed[g] -= 1
        self.load[g] = max(self.load[g] - held[0], 0.0)
        self.live[g] = max(self.live[g] - held[1], 0.0)

    def load_occupancy(self, end: float) -> np.ndarray:
        """Per group and interval (row-major, as the group-interval frame): load-seconds over
        staffed seconds, NaN where unstaffed or uncapped; levels integrated up to `end`."""
        for g in range(len(self.load)):
            if self.capped[g]:
                self._advance(g, end)
                self._close(g)
        load, staffed = np.array(self.load_seconds), np.array(self.staffed_seconds)
        out = np.full(load.shape, np.nan)
        np.divide(load, staffed, out=out, where=staffed > 1e-9)
        out[[not c for c in self.capped]] = np.nan
        return out.ravel()

    def _advance(self, g: int, now: float) -> None:
        """Integrate the group's levels from its mark to `now`: within the current interval,
        or closing it and each whole interval passed (levels held) on the way."""
        mark = self.mark[g]
        if now <= mark:
            return
        size = self.interval
        if mark == -math.inf:
            self.mark[g], self.index[g] = now, math.floor(now / size)
            return
        load, live, staffed = self.load[g], self.live[g], self.staffed[g]
        k = self.index[g]
        end = (k + 1) * size
        if now <= end:  # the common case: the same interval
            span = now - mark
            self.load_now[g] += load * span
            self.live_now[g] += live * span
            self.staffed_now[g] += staffed * span
            self.mark[g] = now
            return
        span = end - mark
        self.load_now[g] += load * span
        self.live_now[g] += live * span
        self.staffed_now[g] += staffed * span
        self._close(g)
        last = math.floor(now / size)
        for whole in range(k + 1, last):  # intervals without a change of level
            self.index[g] = whole
            self.load_now[g], self.live_now[g] = load * size, live * size
            self.staffed_now[g] = staffed * size
            self._close(g)
        self.index[g] = last
        span = now - last * size
        self.load_now[g], self.live_now[g] = load * span, live * span
        self.staffed_now[g] = staffed * span
        self.mark[g] = now

    def _close(self, g: int) -> None:
        """File the current interval's integrals and start the next one from zero."""
        k = self.index[g]
        if 0 <= k < self.intervals:
            self.load_seconds[g][k] += self.load_now[g]
            self.staffed_seconds[g][k] += self.staffed_now[g]
        self.live_before[g] = self.live_now[g]
        self.index[g] = k + 1
        self.load_now[g] = self.live_now[g] = self.staffed_now[g] = 0.0

    def _wake_at(self, group: GroupState, when: float) -> None:
        g = group.index
        if self.waking[g] <= when:
            return
        self.waking[g] = when
        event = self.env.timeout(when - self.env.now)
        event.callbacks.append(lambda _: self._woke(group, when))

    def _woke(self, group: GroupState, when: float) -> None:
        if self.waking[group.index] != when:
            return  # an earlier wake-up replaced this one
        self.waking[group.index] = math.inf
        self.wake_group(group)
