"""The engine's working state: contacts, agents, and per-channel and per-group structures.

Plain slotted classes rather than SimPy resources: routing is a function over these, called
on arrival and on release, which keeps the event count near two per contact.
"""

from __future__ import annotations

from array import array
from collections import deque
from typing import Any

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.scheduling import SelfScheduled

DEFAULT_PRIORITY = 10
MAX_HELD = 16  # above any concurrency limit
CROWDED = 256  # see `Team.drop_stale`
NO_CONTACTS = ()  # the contacts slowed by f(n)/n of an agent whose group holds none


class Contact(SelfScheduled):
    """A contact in the system: its timing, remaining work and where it goes next.

    A contact is also the SimPy event of its work being done: when an agent takes it at a
    fixed rate, the engine schedules the contact itself to be processed at its completion
    (see `scheduling`), which spares a Timeout per contact.
    """

    __slots__ = ("agent", "arrival", "callbacks", "channel", "deadline", "escalate", "order",
                 "priority", "rate", "rated", "ready", "since", "work")

    def __init__(self, channel: ChannelState, arrival: float, work: float, patience: float,
                 priority: int, escalate: int) -> None:
        self.channel = channel
        self.arrival = arrival
        self.deadline = arrival + patience
        self.order = arrival + channel.order_offset
        self.priority = priority
        self.work = work
        self.escalate = escalate
        self.agent: Agent | None = None
        # `since` (when `work` was last brought up to date) and `rate` (work done per second)
        # are set when an agent takes the contact; `rated` (the agent's re-rating its own
        # completion event holds) when a chat team's agent takes it alone (`teams`);
        # `ready` (when it may overflow to later groups) by a routing policy that uses it
        # (`policies`).


class Agent:
    """One agent-shift: how many contacts it holds and whether it takes more."""

    __slots__ = ("accepting", "contacts", "exclusive", "freed", "group", "held", "rated",
                 "since", "staffed", "token")

    def __init__(self, group: GroupState) -> None:
        self.group = group
        self.held = 0
        self.exclusive = False
        self.accepting = False
        self.staffed = False
        self.token = 0
        self.since = 0.0
        # held contacts slowed by f(n)/n; in a group that holds none (a phone team), one empty
        # tuple for all its agents, never added to: a big center's agents take less memory
        self.contacts: list[Contact] = [] if group.rated else NO_CONTACTS  # type: ignore[assignment]
        self.rated = 0  # counts re-ratings: a scheduled completion from an older one is void
        self.freed: Any = None  # a SimPy event while waiting to go on a break or log out


class ChannelState:
    """A channel's queues (one per priority, FIFO) and the groups that may serve it."""

    __slots__ = ("acw", "code", "curve_rates", "index", "live", "name", "nonlinear",
                 "order_class", "order_offset", "pools", "queue_of", "queues", "routes",
                 "single", "team", "threshold")

    def __init__(self, index: int, name: str, scenario: Scenario) -> None:
        spec = scenario.channels[name]
        self.index = index
        self.code = float(index)  # as the records hold it (see `teams.ANSWERED_CODE`)
        self.name = name
        self.live = spec.mode == "live"
        self.threshold = spec.sla.threshold
        self.acw = spec.after_contact_work
        use_due = not self.live or not scenario.routing.live_first
        self.order_offset = spec.sla.threshold if use_due else 0.0
        # a free agent serves class 0 first: live channels when live_first, else every channel
        self.order_class = 1 if use_due and scenario.routing.live_first else 0
        levels = sorted({c.priority for c in spec.priority_classes} | {DEFAULT_PRIORITY})
        self.queues: list[deque[Contact]] = [deque() for _ in levels]
        self.queue_of = dict(zip(levels, self.queues, strict=True))  # by priority
        curve = extend_curve(spec.concurrency.curve())
        self.curve_rates = [0.0] + [f / n for n, f in enumerate(curve, start=1)]
        self.nonlinear = any(abs(r - 1) > 1e-12 for r in self.curve_rates[1:])
        self.routes: list[Route] = []  # the groups that serve it, most preferred first
        self.pools: list[Pool] = []  # where free agents wait, in the order a contact looks
        #: (bucket, proficiency) of the one pool, when one group serves the channel one
        #: contact at a time at a fixed rate: an arrival takes its head's agent, if free.
        self.single: tuple[deque[tuple[int, Agent]], float] | None = None
        #: The chat team (`GroupState.team`) that serves the channel alone, if one does.
        self.team: Team | None = None

    def waiting(self) -> int:
        return sum(len(q) for q in self.queues)


class GroupState:
    """A group's skills and its agents able to take more, bucketed by contacts held.

    Bucket h holds (token, agent) entries in the order agents reached h: the head is the one
    longest at that level. An entry is stale once the agent's token has moved on.
    """

    __slots__ = ("buckets", "cap", "code", "index", "load", "name", "rated", "skills", "solo",
                 "team")

    def __init__(self, index: int, name: str) -> None:
        self.index = index
        self.code = float(index)  # as the records hold it
        self.name = name
        self.skills: list[Skill] = []
        self.cap = 1
        self.rated = True  # whether it serves a channel slowed by f(n)/n (`build_state`)
        self.buckets: list[deque[tuple[int, Agent]]] = []
        self.load = LoadLog()
        #: (channel, proficiency) when the group serves one channel, one contact at a time at
        #: a fixed rate (a phone team): its agents' next contact is that channel's head.
        self.solo: tuple[ChannelState, float] | None = None
        #: Set when the group serves one channel, several contacts at once slowed by f(n)/n.
        self.team: Team | None = None


class Team:
    """A chat team: a group serving one channel, several contacts at once slowed by f(n)/n.
    What the team's steps (`teams`) read, gathered in one place."""

    __slots__ = ("acw", "alone_rate", "buckets", "channel_code", "code", "crowded",
                 "freed_last", "freed_other", "holding_one", "idle", "proficiency", "queues",
                 "took_first", "took_more")

    def __init__(self, group: GroupState, channel: ChannelState, proficiency: float) -> None:
        self.proficiency = proficiency
        self.acw = channel.acw
        self.alone_rate = channel.curve_rates[1]  # f(1) / 1
        self.code, self.channel_code = group.code, channel.code
        self.queues = channel.queues
        self.buckets = group.buckets
        self.idle, self.holding_one = group.buckets[0], group.buckets[1]  # its cap is above 1
        load = group.load
        self.took_first, self.took_more = load.took_first, load.took_more
        self.freed_last, self.freed_other = load.freed_last, load.freed_other
        self.crowded = CROWDED  # entries in `holding_one` that call for `drop_stale`

    def drop_stale(self) -> None:
        """Drop the stale entries of the buckets of agents holding some. An agent holding one
        goes back to the idle bucket when it is done, and its entry in `holding_one` stays,
        stale, until that bucket is looked at: only when nobody is idle. Dropped here
        instead, the entries left in the same order (the same choices), the bucket stays
        about the size of the team and its entries are freed while in cache. Called when the
        bucket has doubled since: a constant cost an entry."""
        for bucket in self.buckets[1:]:
            fresh = [entry for entry in bucket if entry[0] == entry[1].token]
            bucket.clear()
            bucket.extend(fresh)
        self.crowded = 2 * len(self.holding_one) + CROWDED


class LoadLog:
    """When a group's agents changed load: one column of times per kind of change.

    Staffed agents change at log-ins and log-outs, busy ones when an agent takes its first
    contact or frees its last, contacts held at every take and free. A contact held alone
    (limit 1) is left out: its record gives its start and end (`Model.alone_rates`). A
    column of times per kind keeps the log cheap to write (no record per change) and to
    read: an `array.array` of doubles is a numpy array without conversion, and holds no
    float objects.
    """

    __slots__ = ("freed_last", "freed_other", "logged_in", "logged_out", "took_first",
                 "took_more")

    def __init__(self) -> None:
        self.logged_in = array("d")
        self.logged_out = array("d")
        self.took_first = array("d")  # the agent held nothing before
        self.took_more = array("d")
        self.freed_last = array("d")  # the agent holds nothing now
        self.freed_other = array("d")

    def kinds(self) -> tuple[array[float], ...]:
        """The columns in the order of `LOAD_CHANGES`."""
        return (self.logged_in, self.logged_out, self.took_first, self.took_more,
                self.freed_last, self.freed_other)


#: (staffed, busy, held) change for each kind of `LoadLog` change, in `kinds()` order.
LOAD_CHANGES = ((1, 0, 0), (-1, 0, 0), (0, 1, 1), (0, 0, 1), (0, -1, -1), (0, 0, -1))


# Routing tuples. Plain tuples, read by unpacking into these names (`for level, bucket,
# limit, proficiency in channel.pools`): on the routing hot path that is quicker than a
# NamedTuple's attributes or a tuple's indices.
#: A group serving a channel: (rank of the skill in the group's preference order, group,
#: contacts of the channel an agent may hold, proficiency).
Route = tuple[int, GroupState, int, float]
#: A channel a group serves: (channel, limit, proficiency, rank), as in `Route`.
Skill = tuple[ChannelState, int, float, int]
#: A place free agents wait for a channel's contacts: (level, bucket, limit, proficiency),
#: where level = rank * MAX_HELD + held orders pools by preference, then by contacts held,
#: and bucket is the route's group's bucket for agents holding `held`.
Pool = tuple[int, deque[tuple[int, Agent]], int, float]


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
        group.rated = any(channel.nonlinear for channel, _, _, _ in group.skills)
        group.buckets = [deque() for _ in range(group.cap)]
        if len(group.skills) == 1 and group.cap == 1 and not group.skills[0][0].nonlinear:
            group.solo = (group.skills[0][0], group.skills[0][2])
        if len(group.skills) == 1 and group.cap > 1 and group.skills[0][0].nonlinear:
            group.team = Team(group, group.skills[0][0], group.skills[0][2])
    for channel in channels:
        channel.routes.sort(key=lambda route: route[0])  # by rank
        pools = [(rank * MAX_HELD + held, group.buckets[held], limit, proficiency)
                 for rank, group, limit, proficiency in channel.routes for held in range(limit)]
        channel.pools = sorted(pools, key=lambda pool: pool[0])  # by level; stable: routes
        if len(channel.pools) == 1 and channel.pools[0][2] == 1 and not channel.nonlinear:
            channel.single = (channel.pools[0][1], channel.pools[0][3])
        if len(channel.routes) == 1 and channel.routes[0][1].team is not None:
            channel.team = channel.routes[0][1].team
    return channels, groups
