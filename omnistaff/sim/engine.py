"""The discrete-event model: SimPy keeps the clock; routing is a plain function over queues
and agent buckets, called when a contact arrives and when an agent gains capacity.

A contact worked at a fixed rate is itself the SimPy event of its completion (scheduled, no
Timeout); work slowed by f(n)/n has one completion event per agent, for the first of its
contacts to finish. Abandonment and expiry are checked lazily against each contact's
deadline when it reaches the head of its queue, so a contact costs about two events.
"""

from __future__ import annotations

import math
from heapq import heappush

import numpy as np
import simpy

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.records import (
    ABANDONED,
    BALKED,
    BLOCKED,
    EXPIRED,
    Escalation,
)
from omnistaff.sim.scheduling import NORMAL
from omnistaff.sim.state import Agent, ChannelState, Contact, GroupState, build_state
from omnistaff.sim.teams import ANSWERED_CODE, Rerated, Teams

INF = math.inf


class Model(Teams):
    """One run's state and behaviour; SimPy processes in `processes` drive it."""

    def __init__(self, scenario: Scenario, env: simpy.Environment) -> None:
        self.scenario = scenario
        self.env = env
        # the event queue and id counter `env.schedule` uses, for the one call per contact
        # made here (see `start`)
        self.queue, self.eid = env._queue, env._eid
        self.finished = [self.finish]  # every fixed-rate contact's callbacks (never mutated)
        self.rated_callbacks = [self._finished_rated]  # every `Rerated`'s, likewise
        self.team_callbacks = [self.finished_team]  # a chat team's (`teams`), likewise
        self.alone_callbacks = [self.finished_alone]  # a contact it took alone, likewise
        self.channels, self.groups = build_state(scenario)
        self.group_index = {g.name: g.index for g in self.groups}
        self.balking = [scenario.channels[c.name].balking for c in self.channels]
        self.capacity = [scenario.channels[c.name].queue_capacity for c in self.channels]
        # one record per contact: the fields of `records.ContactRecord`, in order, in a row
        # of one flat list (costing splits paid time by its work). Changes in load are
        # logged per group.
        self.records: list[float] = []
        self.filed: list[np.ndarray] = []  # earlier records, as arrays (`file_records`)
        self.escalations: list[Escalation] = []
        self.spawn: list = []  # per channel: callable(arrival) -> Contact, set by processes
        #: Whether the standing rule's steps run as written here: no subclass changes them
        #: and no hook wraps `release` (`staff_pool`), so `arrive` and `finish` may inline
        #: them. Cleared by whoever hooks in.
        self.standing = type(self) is Model

    # -- contacts arriving -------------------------------------------------------------
    def arrive(self, contact: Contact, balk_draw: float) -> None:
        """Route a contact that needs an agent, or queue it (or it balks, or is blocked)."""
        channel = contact.channel
        if channel.single is not None and self.standing:
            # one pool, one contact at a time at a fixed rate: its longest free agent takes
            # it, `start` inline (stale entries dropped on the way)
            bucket, proficiency = channel.single
            while bucket:
                token, agent = bucket.popleft()
                if token == agent.token:
                    now = self.env._now
                    agent.token = token + 1
                    agent.exclusive = True
                    agent.held += 1
                    contact.agent = agent
                    contact.work = work = contact.work / proficiency + channel.acw
                    self.records.extend((channel.code, contact.arrival, ANSWERED_CODE, now,
                                         agent.group.code, contact.priority, work))
                    contact.callbacks = self.finished
                    heappush(self.queue, (now + work, NORMAL, next(self.eid), contact))
                    return
            self.wait_or_leave(contact, balk_draw)
            return
        if channel.team is not None and self.standing:
            self.arrive_team(contact, balk_draw)
            return
        # `find_agent`, inline on the hot path
        agent: Agent | None = None
        level_found, limit, proficiency, found = -1, 0, 0.0, None
        for level, bucket, pool_limit, pool_proficiency in channel.pools:
            if agent is not None and level != level_found:  # the first level with anyone
                break  # decides
            while bucket:  # drop stale entries: agents whose token moved on
                token, candidate = bucket[0]
                if token == candidate.token:
                    if agent is None or candidate.since < agent.since:
                        agent, level_found, limit, proficiency, found = (
                            candidate, level, pool_limit, pool_proficiency, bucket)
                    break
                bucket.popleft()
        if agent is not None:
            # the agent's entry heads its bucket and goes stale as it takes the contact:
            # dropped now rather than by the next contact's look
            found.popleft()  # type: ignore[union-attr]
            now = self.env._now
            if limit == 1 and self.standing and not channel.nonlinear:
                # `start` inline for a contact held alone at a fixed rate: the agent held
                # nothing (limit 1 is only bucket 0), so nothing is re-rated or placed
                agent.token += 1
                agent.exclusive = True
                agent.held += 1
                contact.agent = agent
                contact.work = work = contact.work / proficiency + channel.acw
                self.records.extend((channel.code, contact.arrival, ANSWERED_CODE, now,
                                     agent.group.code, contact.priority, work))
                contact.callbacks = self.finished
                heappush(self.queue, (now + work, NORMAL, next(self.eid), contact))
                return
            self.start(agent, contact, limit, proficiency, now)
            if agent.contacts:  # n changed: the contacts slowed by f(n)/n are re-rated
                self.rerate(agent, now)
            if not agent.exclusive:  # room for more: back in a bucket
                self.place(agent, now)
            return
        self.wait_or_leave(contact, balk_draw)

    def wait_or_leave(self, contact: Contact, balk_draw: float) -> None:
        """No agent is free: the contact balks, is blocked by a full queue, or waits."""
        channel = contact.channel
        if balk_draw < self.balking[channel.index]:
            self.leave(contact, BALKED, contact.arrival)
            return
        capacity = self.capacity[channel.index]
        if capacity is not None and self.queue_full(channel, capacity):
            self.leave(contact, BLOCKED, contact.arrival)
            return
        channel.queue_of[contact.priority].append(contact)

    def find_agent(self, channel: ChannelState) -> tuple[Agent | None, int, float]:
        """The agent with the most preferred skill, fewest held, longest at that level, with
        its route's limit and proficiency, if any agent is free."""
        best: Agent | None = None
        best_level, best_limit, best_proficiency = -1, 0, 0.0
        for level, bucket, limit, proficiency in channel.pools:  # the first level with
            if best is not None and level != best_level:  # anyone decides
                break
            while bucket:  # drop stale entries: agents whose token moved on
                token, agent = bucket[0]
                if token == agent.token:
                    if best is None or agent.since < best.since:
                        best, best_level, best_limit, best_proficiency = (
                            agent, level, limit, proficiency)
                    break
                bucket.popleft()
        return best, best_limit, best_proficiency

    # -- agents taking and finishing work ----------------------------------------------
    def start(self, agent: Agent, contact: Contact, limit: int, proficiency: float,
              now: float) -> None:
        """Agent takes contact: it leaves its bucket; the work's completion is scheduled
        (for work slowed by f(n)/n, by the caller's `rerate` once the agent's n is final)."""
        channel = contact.channel
        group = agent.group
        agent.token += 1
        if limit == 1:  # held alone: not logged, its record tells (see `alone_rates`)
            agent.exclusive = True
        else:
            (group.load.took_first if agent.held == 0 else group.load.took_more).append(now)
        agent.held += 1
        contact.agent = agent
        contact.work = work = contact.work / proficiency + channel.acw
        self.records.extend((channel.code, contact.arrival, ANSWERED_CODE, now, group.code,
                             contact.priority, work))  # self.leave, inline on the hot path
        if channel.nonlinear:
            contact.since = now
            contact.rate = 1.0
            agent.contacts.append(contact)
        else:  # the contact is the event of its completion: `env.schedule`, inline
            contact.callbacks = self.finished
            heappush(self.queue, (now + work, NORMAL, next(self.eid), contact))

    def rerate(self, agent: Agent, now: float) -> None:
        """Contacts held progress at f(n)/n; when n changes, bring their work up to date and
        schedule the first of them to finish (one event per agent: earlier ones are void)."""
        n = agent.held
        contacts = agent.contacts
        first, soonest = contacts[0], INF
        for contact in contacts:
            work = contact.work - (now - contact.since) * contact.rate
            if work < 0.0:  # `max(work, 0.0)`, without the call
                work = 0.0
            contact.work = work
            contact.since = now
            contact.rate = rate = contact.channel.curve_rates[n]
            left = work / rate
            if left < soonest:
                first, soonest = contact, left
        agent.rated += 1
        # `env.timeout(soonest)`, without a Timeout: the same time, priority and order
        heappush(self.queue, (now + soonest, NORMAL, next(self.eid),
                              Rerated(first, agent.rated, self.rated_callbacks)))

    def _finished_rated(self, event: Rerated) -> None:
        contact = event.contact
        if contact.agent.rated == event.rated:
            contact.agent.contacts.remove(contact)
            self.finish(contact)

    def finish(self, contact: Contact) -> None:
        """A contact's work is done: escalate it if it continues, free the agent's slot."""
        agent = contact.agent
        now = self.env._now
        agent.held -= 1
        if agent.exclusive:  # it was held alone: not logged
            agent.exclusive = False
        else:
            load = agent.group.load
            (load.freed_last if agent.held == 0 else load.freed_other).append(now)
        if contact.escalate >= 0:
            self.escalations.append(Escalation(contact.channel.index, contact.arrival, now))
            self.spawn[contact.channel.index](contact.escalate)
        if self.standing and agent.accepting:
            self.take_next(agent, now)
        else:
            self.release(agent, now)

    def take_next(self, agent: Agent, now: float) -> None:
        """`release` of an accepting agent under the standing rule, with `pull` and `place`
        inline (the step after most contacts): the same choices, fewer calls."""
        group = agent.group
        if group.team is not None:
            self.take_next_team(agent, now)
            return
        agent.token += 1
        if group.solo is not None:  # one channel, one at a time: its head, `start` inline
            channel, proficiency = group.solo
            for queue in channel.queues:
                while queue:
                    contact = queue.popleft()
                    if contact.deadline <= now:  # past its patience or expiry: gone
                        self.leave(contact, ABANDONED if channel.live else EXPIRED,
                                   contact.deadline)
                        continue
                    agent.token += 1
                    agent.exclusive = True
                    agent.held += 1  # to 1: its group's cap
                    contact.agent = agent
                    contact.work = work = contact.work / proficiency + channel.acw
                    self.records.extend((channel.code, contact.arrival, ANSWERED_CODE, now,
                                         group.code, contact.priority, work))
                    contact.callbacks = self.finished
                    heappush(self.queue, (now + work, NORMAL, next(self.eid), contact))
                    return
            # nothing waits: `place`. `since` orders free agents across pools, which a
            # channel with one pool never does: left as it was there, the old time is not
            # freed (in a big center it is long out of cache)
            if channel.single is None:
                agent.since = now
            group.buckets[0].append((agent.token, agent))
            return
        best_channel, best_limit, best_proficiency, best_rank = group.skills[0]  # (each read
        # only once `best` is set)
        while not agent.exclusive:  # `pull`: fill the free slots
            held = agent.held
            best: Contact | None = None
            for channel, limit, proficiency, rank in group.skills:
                if held >= limit:
                    continue
                for queue in channel.queues:
                    if queue:
                        break
                else:  # nothing waits there
                    continue
                contact = self.head(channel, now)
                if contact is None:
                    continue
                if best is None or (channel.order_class, contact.priority, contact.order,
                                    rank) < (best_channel.order_class, best.priority,
                                             best.order, best_rank):
                    best, best_channel, best_limit, best_proficiency, best_rank = (
                        contact, channel, limit, proficiency, rank)
            if best is None:
                break
            best_channel.queue_of[best.priority].popleft()
            self.start(agent, best, best_limit, best_proficiency, now)
        if agent.contacts:  # n changed: the contacts slowed by f(n)/n are re-rated, once
            self.rerate(agent, now)
        if not agent.exclusive and agent.held < group.cap:  # `place`
            agent.since = now
            group.buckets[agent.held].append((agent.token, agent))

    def release(self, agent: Agent, now: float) -> None:
        """An agent gained capacity: take waiting work, else wait in a bucket (or, going
        off the queue, say so once it holds nothing)."""
        if agent.accepting:
            agent.token += 1
            self.pull(agent, now)
            if agent.contacts:  # n changed: the contacts slowed by f(n)/n are re-rated, once
                self.rerate(agent, now)
            self.place(agent, now)
            return
        if agent.contacts:
            self.rerate(agent, now)
        if agent.held == 0 and agent.freed is not None:
            agent.freed.succeed()
            agent.freed = None

    def pull(self, agent: Agent, now: float) -> None:
        """Fill the agent's free slots: live first, then priority, then oldest or due."""
        while not agent.exclusive:
            best: tuple[ChannelState, Contact, int, float] | None = None
            best_key: tuple[int, int, float, int] | None = None
            for channel, limit, proficiency, rank in agent.group.skills:
                if agent.held >= limit or not any(channel.queues):  # nothing waits there
                    continue
                contact = self.head(channel, now)
                if contact is None:
                    continue
                key = (channel.order_class, contact.priority, contact.order, rank)
                if best_key is None or key < best_key:
                    best, best_key = (channel, contact, limit, proficiency), key
            if best is None:
                return
            channel, contact, limit, proficiency = best
            channel.queue_of[contact.priority].popleft()
            self.start(agent, contact, limit, proficiency, now)

    def head(self, channel: ChannelState, now: float) -> Contact | None:
        """The next contact to serve on a channel, dropping those past their deadline."""
        for queue in channel.queues:
            while queue:
                contact = queue[0]
                if contact.deadline > now:
                    return contact
                queue.popleft()
                self.leave(contact, ABANDONED if channel.live else EXPIRED, contact.deadline)
        return None

    def place(self, agent: Agent, now: float) -> None:
        """Put an accepting agent with free capacity into the bucket for what it holds."""
        group: GroupState = agent.group
        if agent.accepting and not agent.exclusive and agent.held < group.cap:
            agent.since = now
            group.buckets[agent.held].append((agent.token, agent))

    # -- shifts --------------------------------------------------------------------------
    def log_in(self, group: GroupState) -> Agent:
        agent = Agent(group)
        if not self.standing:
            self.set_staffed(agent, True)
            return agent
        # `set_staffed(agent, True)` inline, once an agent-shift: the agent is new
        now = self.env._now
        agent.staffed = agent.accepting = True
        group.load.logged_in.append(now)
        agent.token = 1
        self.take_next(agent, now)
        return agent

    def set_staffed(self, agent: Agent, staffed: bool) -> None:
        """Agent goes on (True) or off (False) the queue: logging in/out, pauses."""
        now = self.env._now
        agent.staffed = staffed
        load = agent.group.load
        (load.logged_in if staffed else load.logged_out).append(now)
        agent.accepting = staffed
        agent.token += 1
        if staffed:  # it holds nothing: back from a pause, or logging in
            if self.standing:
                self.take_next(agent, now)
            else:
                self.release(agent, now)

    def stop_accepting(self, agent: Agent) -> simpy.Event | None:
        """Take no new work; an event that fires when the contacts in hand are done."""
        agent.accepting = False
        agent.token += 1
        if agent.held == 0:
            return None
        agent.freed = self.env.event()
        return agent.freed
