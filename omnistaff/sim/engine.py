"""The discrete-event model: SimPy keeps the clock; routing is a plain function over queues
and agent buckets, called when a contact arrives and when an agent gains capacity.

Completions are timeout callbacks; abandonment and expiry are checked lazily against each
contact's deadline when it reaches the head of its queue, so a contact costs about two events.
"""

from __future__ import annotations

import simpy

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.state import (
    ABANDONED,
    ANSWERED,
    BALKED,
    BLOCKED,
    EXPIRED,
    WAITING,
    Agent,
    ChannelState,
    Contact,
    GroupState,
    build_state,
)


class Model:
    """One run's state and behaviour; SimPy processes in `processes` drive it."""

    def __init__(self, scenario: Scenario, env: simpy.Environment) -> None:
        self.scenario = scenario
        self.env = env
        self.channels, self.groups = build_state(scenario)
        self.group_index = {g.name: g.index for g in self.groups}
        self.balking = [scenario.channels[c.name].balking for c in self.channels]
        self.capacity = [scenario.channels[c.name].queue_capacity for c in self.channels]
        # (channel, arrival, outcome, time left the queue, group, priority)
        self.records: list[tuple[int, float, int, float, int, int]] = []
        # (time, group, change in staffed, change in busy, change in held)
        self.load_log: list[tuple[float, int, int, int, int]] = []
        # (channel, source arrival, time escalated)
        self.escalations: list[tuple[int, float, float]] = []
        self.spawn: list = []  # per channel: callable(arrival) -> Contact, set by processes
        # handled work-seconds (after proficiency, with wrap-up) by [channel][group], for
        # contacts taken in the observation window: costing splits paid time by them
        self.work_seconds = [[0.0] * len(self.groups) for _ in self.channels]

    # -- contacts arriving -------------------------------------------------------------
    def arrive(self, contact: Contact, balk_draw: float) -> None:
        """Route a contact that needs an agent, or queue it (or it balks, or is blocked)."""
        channel = contact.channel
        found = self.find_agent(channel)
        if found is not None:
            agent, limit, proficiency = found
            self.start(agent, contact, limit, proficiency)
            self.place(agent)
            return
        if balk_draw < self.balking[channel.index]:
            self.leave(contact, BALKED, contact.arrival)
            return
        capacity = self.capacity[channel.index]
        if capacity is not None and self.queue_full(channel, capacity):
            self.leave(contact, BLOCKED, contact.arrival)
            return
        channel.queues[channel.priorities.index(contact.priority)].append(contact)

    def find_agent(self, channel: ChannelState) -> tuple[Agent, int, float] | None:
        """The agent with the most preferred skill, fewest held, longest at that level."""
        best: tuple[Agent, int, float] | None = None
        best_key: tuple[int, int, float] | None = None
        for rank, group, limit, proficiency in channel.routes:
            if best_key is not None and rank > best_key[0]:
                break
            for held in range(limit):
                bucket = group.buckets[held]
                while bucket and bucket[0][0] != bucket[0][1].token:
                    bucket.popleft()
                if bucket:
                    agent = bucket[0][1]
                    key = (rank, held, agent.since)
                    if best_key is None or key < best_key:
                        best, best_key = (agent, limit, proficiency), key
                    break
        return best

    def queue_full(self, channel: ChannelState, capacity: int) -> bool:
        if channel.waiting() < capacity:
            return False
        self.purge(channel)
        return channel.waiting() >= capacity

    def purge(self, channel: ChannelState) -> None:
        """Drop every queued contact whose deadline has passed, recording why it left."""
        now = self.env.now
        for i, queue in enumerate(channel.queues):
            kept = [c for c in queue if c.deadline > now]
            for gone in (c for c in queue if c.deadline <= now):
                self.leave(gone, ABANDONED if channel.live else EXPIRED, gone.deadline)
            channel.queues[i].clear()
            channel.queues[i].extend(kept)

    def leave(self, contact: Contact, outcome: int, when: float, group: int = -1) -> None:
        self.records.append((contact.channel.index, contact.arrival, outcome, when, group,
                             contact.priority))

    # -- agents taking and finishing work ----------------------------------------------
    def start(self, agent: Agent, contact: Contact, limit: int, proficiency: float) -> None:
        """Agent takes contact: it leaves its bucket; the work's completion is scheduled."""
        now = self.env.now
        channel = contact.channel
        agent.token += 1
        if agent.held == 0:
            self.load_log.append((now, agent.group.index, 0, 1, 1))
        else:
            self.load_log.append((now, agent.group.index, 0, 0, 1))
        agent.held += 1
        if limit == 1:
            agent.exclusive = True
        contact.agent = agent
        self.leave(contact, ANSWERED, now, agent.group.index)
        contact.work = contact.work / proficiency + channel.acw
        if now >= 0:
            self.work_seconds[channel.index][agent.group.index] += contact.work
        contact.since = now
        if channel.nonlinear:
            agent.contacts.append(contact)
        else:
            self.env.timeout(contact.work, contact).callbacks.append(self._finished)
        if agent.contacts:  # n changed: the contacts slowed by f(n)/n are re-rated
            self.rerate(agent)

    def rerate(self, agent: Agent) -> None:
        """Contacts held progress at f(n)/n; when n changes, reschedule their completions."""
        now = self.env.now
        n = agent.held
        for contact in agent.contacts:
            contact.work = max(contact.work - (now - contact.since) * contact.rate, 0.0)
            contact.since = now
            contact.rate = contact.channel.curve_rates[n]
            contact.version += 1
            event = self.env.timeout(contact.work / contact.rate, (contact, contact.version))
            event.callbacks.append(self._finished_rated)

    def _finished(self, event: simpy.Event) -> None:
        self.finish(event.value)

    def _finished_rated(self, event: simpy.Event) -> None:
        contact, version = event.value
        if contact.version == version:
            contact.agent.contacts.remove(contact)
            self.finish(contact)

    def finish(self, contact: Contact) -> None:
        """A contact's work is done: escalate it if it continues, free the agent's slot."""
        agent = contact.agent
        now = self.env.now
        agent.held -= 1
        agent.exclusive = False
        busy = -1 if agent.held == 0 else 0
        self.load_log.append((now, agent.group.index, 0, busy, -1))
        if contact.escalate >= 0:
            self.escalations.append((contact.channel.index, contact.arrival, now))
            self.spawn[contact.channel.index](contact.escalate)
        if agent.contacts:
            self.rerate(agent)
        self.release(agent)

    def release(self, agent: Agent) -> None:
        """An agent gained capacity: take waiting work, else wait in a bucket."""
        if not agent.accepting:
            if agent.held == 0 and agent.freed is not None:
                agent.freed.succeed()
                agent.freed = None
            return
        agent.token += 1
        self.pull(agent)
        self.place(agent)

    def pull(self, agent: Agent) -> None:
        """Fill the agent's free slots: live first, then priority, then oldest or due."""
        while not agent.exclusive:
            best: tuple[ChannelState, Contact, int, float] | None = None
            best_key: tuple[int, int, float, int] | None = None
            for channel, limit, proficiency, rank in agent.group.skills:
                if agent.held >= limit:
                    continue
                contact = self.head(channel)
                if contact is None:
                    continue
                key = (0 if channel.live or not self.live_first else 1, contact.priority,
                       contact.order, rank)
                if best_key is None or key < best_key:
                    best, best_key = (channel, contact, limit, proficiency), key
            if best is None:
                return
            channel, contact, limit, proficiency = best
            channel.queues[channel.priorities.index(contact.priority)].popleft()
            self.start(agent, contact, limit, proficiency)

    @property
    def live_first(self) -> bool:
        return self.scenario.routing.live_first

    def head(self, channel: ChannelState) -> Contact | None:
        """The next contact to serve on a channel, dropping those past their deadline."""
        now = self.env.now
        outcome = ABANDONED if channel.live else EXPIRED
        for queue in channel.queues:
            while queue:
                contact = queue[0]
                if contact.deadline > now:
                    return contact
                queue.popleft()
                self.leave(contact, outcome, contact.deadline)
        return None

    def place(self, agent: Agent) -> None:
        """Put an accepting agent with free capacity into the bucket for what it holds."""
        group: GroupState = agent.group
        if agent.accepting and not agent.exclusive and agent.held < group.cap:
            agent.since = self.env.now
            group.buckets[agent.held].append((agent.token, agent))

    # -- shifts --------------------------------------------------------------------------
    def log_in(self, group: GroupState) -> Agent:
        agent = Agent(group)
        self.set_staffed(agent, True)
        return agent

    def set_staffed(self, agent: Agent, staffed: bool) -> None:
        """Agent goes on (True) or off (False) the queue: logging in/out, pauses."""
        agent.staffed = staffed
        self.load_log.append((self.env.now, agent.group.index, 1 if staffed else -1, 0, 0))
        agent.accepting = staffed
        agent.token += 1
        if staffed:
            self.release(agent)

    def stop_accepting(self, agent: Agent) -> simpy.Event | None:
        """Take no new work; an event that fires when the contacts in hand are done."""
        agent.accepting = False
        agent.token += 1
        if agent.held == 0:
            return None
        agent.freed = self.env.event()
        return agent.freed

    def close(self) -> None:
        """At the end: contacts still queued have abandoned, expired or are still waiting."""
        end = self.env.now
        for channel in self.channels:
            for queue in channel.queues:
                for contact in queue:
                    if contact.deadline <= end:
                        self.leave(contact, ABANDONED if channel.live else EXPIRED,
                                   contact.deadline)
                    else:
                        self.leave(contact, WAITING, float("inf"))
                queue.clear()
