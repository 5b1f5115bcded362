"""Gates on routing: whether a group may take a channel's contact right now.

Two policies close a gate: a reservation (a group keeps agents idle for one channel, so it
takes other channels' contacts only while more of its agents than that hold nothing) and a
queue threshold (a backup group takes a channel's contacts only while more than m wait).
"""

from __future__ import annotations

import math

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.state import Agent, ChannelState, GroupState


class Gates:
    """Reservations and queue thresholds of a scenario, checked against the live state."""

    def __init__(self, scenario: Scenario, channels: list[ChannelState],
                 groups: list[GroupState], members: list[dict[Agent, None]],
                 idle: list[int]) -> None:
        self.members = members
        self.idle_agents = idle  # per group, kept by `PolicyModel`
        channel_index = {c.name: c.index for c in channels}
        group_index = {g.name: g.index for g in groups}
        #: per channel: {group: m}, the group takes it only while more than m wait
        self.thresholds: list[dict[int, int]] = [{} for _ in channels]
        #: per group: (channel, agents, share) it keeps idle for
        self.reserved: list[list[tuple[int, int | None, float | None]]] = [[] for _ in groups]
        for name, spec in scenario.routing.channels.items():
            c = channel_index[name]
            for group, m in spec.queue_threshold.items():
                self.thresholds[c][group_index[group]] = m
            for r in spec.reserve:
                self.reserved[group_index[r.group]].append((c, r.agents, r.share))
        self.reserving = any(self.reserved)

    def any_for(self, channel: ChannelState) -> bool:
        """Whether a queue threshold gates some group on this channel."""
        return bool(self.thresholds[channel.index])

    def by_queue(self, group: GroupState, channel: ChannelState) -> bool:
        """Whether the group takes this channel's contacts by a queue threshold."""
        return group.index in self.thresholds[channel.index]

    def allows(self, group: GroupState, channel: ChannelState, idle: bool,
               arriving: bool) -> bool:
        """Whether an agent of `group` (idle: holding nothing) may take a contact of
        `channel` now (`arriving`: the contact is arriving, not yet counted as waiting)."""
        m = self.thresholds[channel.index].get(group.index)
        if m is not None and channel.waiting() + arriving <= m:
            return False
        kept = self.reserved[group.index]
        if kept:
            need = sum(self._size(group, agents, share) for c, agents, share in kept
                       if c != channel.index)
            if need and self.idle(group) - idle < need:
                return False
        return True

    def idle(self, group: GroupState) -> int:
        """Agents of the group on the queue holding nothing."""
        return self.idle_agents[group.index]

    def _size(self, group: GroupState, agents: int | None, share: float | None) -> int:
        if agents is not None:
            return agents
        return math.ceil((share or 0.0) * len(self.members[group.index]) - 1e-9)
