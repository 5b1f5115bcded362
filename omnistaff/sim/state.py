"""The engine's working state: contacts, agents, and per-channel and per-group structures.

Plain slotted classes rather than SimPy resources: routing is a function over these, called
on arrival and on release, which keeps the event count near two per contact.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from omnistaff.scenarios.scenario import Scenario

INF = float("inf")
# Outcomes of a contact, one per contact record.
ANSWERED, ABANDONED, EXPIRED, DEFLECTED, BALKED, BLOCKED, TRIAGED, WAITING = range(8)
OUTCOMES = ("answered", "abandoned", "expired", "deflected", "balked", "blocked",
            "triaged_out", "waiting")
DEFAULT_PRIORITY = 10


class Contact:
    """A contact in the system: its timing, remaining work and where it goes next."""

    __slots__ = ("actionable", "agent", "arrival", "channel", "deadline", "escalate", "order",
                 "priority", "rate", "since", "version", "work")

    def __init__(self, channel: ChannelState, arrival: float, work: float, patience: float,
                 priority: int, escalate: int, actionable: bool) -> None:
        self.channel = channel
        self.arrival = arrival
        self.deadline = arrival + patience
        self.order = arrival + channel.order_offset
        self.priority = priority
        self.work = work
        self.escalate = escalate
        self.actionable = actionable
        self.agent: Agent | None = None
        self.rate = 1.0
        self.since = arrival
        self.version = 0


class Agent:
    """One agent-shift: how many contacts it holds and whether it takes more."""

    __slots__ = ("accepting", "contacts", "exclusive", "freed", "group", "held", "since",
                 "staffed", "token")

    def __init__(self, group: GroupState) -> None:
        self.group = group
        self.held = 0
        self.exclusive = False
        self.accepting = False
        self.staffed = False
        self.token = 0
        self.since = 0.0
        self.contacts: list[Contact] = []
        self.freed: Any = None  # a SimPy event while waiting to go on a break or log out


class ChannelState:
    """A channel's queues (one per priority, FIFO) and the groups that may serve it."""

    __slots__ = ("acw", "curve_rates", "index", "live", "name", "nonlinear", "order_offset",
                 "priorities", "queues", "routes", "threshold")

    def __init__(self, index: int, name: str, scenario: Scenario) -> None:
        spec = scenario.channels[name]
        self.index = index
        self.name = name
        self.live = spec.mode == "live"
        self.threshold = spec.sla.threshold
        self.acw = spec.after_contact_work
        use_due = not self.live or not scenario.routing.live_first
        self.order_offset = spec.sla.threshold if use_due else 0.0
        levels = sorted({c.priority for c in spec.priority_classes} | {DEFAULT_PRIORITY})
        self.priorities = levels
        self.queues: list[deque[Contact]] = [deque() for _ in levels]
        curve = extend_curve(spec.concurrency.curve())
        self.curve_rates = [0.0] + [f / n for n, f in enumerate(curve, start=1)]
        self.nonlinear = any(abs(r - 1) > 1e-12 for r in self.curve_rates[1:])
        self.routes: list[tuple[int, GroupState, int, float]] = []

    def head(self) -> Contact | None:
        """The first waiting contact in priority order (stale ones are left to the caller)."""
        for queue in self.queues:
            if queue:
                return queue[0]
        return None

    def waiting(self) -> int:
        return sum(len(q) for q in self.queues)


class GroupState:
    """A group's skills and its agents able to take more, bucketed by contacts held.

    Bucket h holds (token, agent) entries in the order agents reached h: the head is the one
    longest at that level. An entry is stale once the agent's token has moved on.
    """

    __slots__ = ("buckets", "cap", "index", "name", "skills")

    def __init__(self, index: int, name: str) -> None:
        self.index = index
        self.name = name
        self.skills: list[tuple[ChannelState, int, float, int]] = []
        self.cap = 1
        self.buckets: list[deque[tuple[int, Agent]]] = []


def extend_curve(curve: tuple[float, ...], length: int = 10) -> list[float]:
    """f(n) up to n = length, continuing the last step (an agent may mix channels)."""
    values = list(curve)
    step = values[-1] - values[-2] if len(values) > 1 else 1.0
    while len(values) < length:
        values.append(values[-1] + step)
    return values


def build_state(scenario: Scenario) -> tuple[list[ChannelState], list[GroupState]]:
    """Channel and group structures with their routes (skill preference order)."""
    channels = [ChannelState(i, name, scenario) for i, name in enumerate(scenario.channels)]
    by_name = {c.name: c for c in channels}
    groups = [GroupState(i, name) for i, name in enumerate(scenario.groups)]
    for group in groups:
        spec = scenario.groups[group.name]
        for rank, skill in enumerate(spec.skills):
            channel = by_name[skill.channel]
            limit = skill.concurrency or scenario.channels[skill.channel].concurrency.max
            group.skills.append((channel, limit, skill.proficiency, rank))
            channel.routes.append((rank, group, limit, skill.proficiency))
        group.cap = max(limit for _, limit, _, _ in group.skills)
        group.buckets = [deque() for _ in range(group.cap)]
    for channel in channels:
        channel.routes.sort(key=lambda route: route[0])
    return channels, groups
