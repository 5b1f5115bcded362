"""Routing policies in the engine: `PolicyModel`, the model a scenario runs when it sets any
routing policy, call-back or redial (`model_for`).

The standing rule stays in `engine.Model`, untouched and as fast as before; this subclass
replaces the two routing decisions (an arriving contact choosing an agent, a free agent
choosing a contact) and adds the events the policies need: an overflow timer per queued
contact, an abandonment timer per queued contact where abandoners redial, and interruption
of deferred work by live work. `scenarios/routing.py` and `docs/routing.md` say what each
policy does.
"""

from __future__ import annotations

import math
from typing import Any

import simpy

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.concurrency_limits import ConcurrencyLimits
from omnistaff.sim.engine import Model
from omnistaff.sim.gates import Gates
from omnistaff.sim.pacing import Pacing
from omnistaff.sim.preemption import Interrupted, Preemption
from omnistaff.sim.records import ABANDONED, BALKED, BLOCKED
from omnistaff.sim.returns import Returns
from omnistaff.sim.state import MAX_HELD, Agent, ChannelState, Contact, GroupState
from omnistaff.sim.streams import Draws, Streams

#: A place free agents wait, with its group and the contacts they hold:
#: (level, bucket, limit, proficiency, group, held).
GatedPool = tuple[int, Any, int, float, GroupState, int]


def uses_policies(scenario: Scenario) -> bool:
    """Whether the scenario needs `PolicyModel`: any routing policy, call-back, redial,
    concurrency limit by period or occupancy cap (which paces deferred work: `pacing.py`)."""
    return (not scenario.routing.is_standing_rule()
            or any(c.callback is not None or c.redial is not None or c.concurrency.by_period
                   for c in scenario.channels.values())
            or any(g.max_occupancy is not None for g in scenario.groups.values()))


def model_for(scenario: Scenario, env: simpy.Environment, streams: Streams) -> Model:
    """The engine's model for a scenario: the standing rule's unless it sets a policy."""
    if uses_policies(scenario):
        return PolicyModel(scenario, env, streams)
    return Model(scenario, env)


class ChannelPolicy:
    """One channel's routing: the pools arrivals look in, and who may overflow to it."""

    __slots__ = ("arrival_pools", "gated", "overflow_delays", "overflow_pools", "secondary",
                 "weight")

    def __init__(self) -> None:
        self.arrival_pools: list[GatedPool] = []
        self.overflow_pools: list[GatedPool] = []
        self.secondary: frozenset[int] = frozenset()  # groups that wait for the overflow
        self.overflow_delays: Draws | None = None
        self.gated = False
        self.weight = 1.0


class PolicyModel(Preemption):
    """`Model` with routing policies, call-backs and redials."""

    def __init__(self, scenario: Scenario, env: simpy.Environment, streams: Streams) -> None:
        super().__init__(scenario, env)
        routing = scenario.routing
        self.lwwt = routing.selection == "longest_weighted_wait"
        self.preemption = routing.preemption
        self.members: list[dict[Agent, None]] = [{} for _ in self.groups]  # staffed, in order
        self.holding: dict[Agent, list[Contact]] = {}  # with preemption: what each holds
        self.interruptions: list[tuple[int, float]] = []  # (channel, time) of each
        self.idle = [0] * len(self.groups)  # per group: agents on the queue holding nothing
        self.gates = Gates(scenario, self.channels, self.groups, self.members, self.idle)
        self.policy = [self._channel_policy(c, scenario, streams) for c in self.channels]
        self.returns = Returns(self, scenario, streams)
        self.limits = ConcurrencyLimits(self, scenario).now  # per channel, now
        self.pacing = Pacing(scenario, self.groups, env, self.woken)
        self.route_limit = {(c.index, group.index): limit for c in self.channels
                            for _, group, limit, _ in c.routes}

    def _channel_policy(self, channel: ChannelState, scenario: Scenario,
                        streams: Streams) -> ChannelPolicy:
        spec = scenario.routing.channels.get(channel.name)
        policy = ChannelPolicy()
        order = spec.groups if spec is not None else ()
        position = {self.group_index[g]: i for i, g in enumerate(order)}
        overflow = spec is not None and spec.overflow_after is not None
        first = spec.first_groups if overflow else math.inf  # type: ignore[union-attr]
        primary, secondary = [], []
        for rank, group, limit, proficiency in channel.routes:
            place = position.get(group.index, len(order) + rank)
            for held in range(limit):
                pool = (place * MAX_HELD + held, group.buckets[held], limit, proficiency,
                        group, held)
                (primary if place < first else secondary).append(pool)
        policy.arrival_pools = sorted(primary, key=lambda pool: pool[0])
        policy.overflow_pools = sorted(secondary, key=lambda pool: pool[0])
        policy.secondary = frozenset(pool[4].index for pool in secondary)
        if spec is not None:
            policy.weight = spec.weight
            if spec.overflow_after is not None:
                policy.overflow_delays = Draws(spec.overflow_after.sample, streams.rng(
                    f"channel:{channel.name}", "overflow"))
        policy.gated = self.gates.any_for(channel)
        return policy

    # -- an arriving contact chooses an agent ---------------------------------------------
    def arrive(self, contact: Contact, balk_draw: float) -> None:
        channel = contact.channel
        policy = self.policy[channel.index]
        agent, limit, proficiency, _ = self.choose(policy.arrival_pools, channel, True)
        if agent is None and self.preemption and channel.live:
            agent, limit, proficiency = self.interrupt_for(channel, policy)
        now = self.env.now
        if agent is not None and policy.gated and self.gates.by_queue(agent.group, channel):
            self.enqueue(contact, policy, now)  # the queue's head goes first: FIFO
            self.release(agent, now)
            return
        if agent is not None:
            self.start(agent, contact, limit, proficiency, now)
            if agent.contacts:
                self.rerate(agent, now)
            if not agent.exclusive:
                self.place(agent, now)
            return
        if self.returns.calls_back(contact):
            return
        if balk_draw < self.balking[channel.index]:
            self.leave(contact, BALKED, contact.arrival)
            return
        capacity = self.capacity[channel.index]
        if capacity is not None and self.queue_full(channel, capacity):
            self.leave(contact, BLOCKED, contact.arrival)
            return
        self.enqueue(contact, policy, now)

    def enqueue(self, contact: Contact, policy: ChannelPolicy, now: float) -> None:
        """Queue a contact; start its overflow and abandonment timers where they apply."""
        contact.channel.queue_of[contact.priority].append(contact)
        if policy.overflow_delays is not None:
            delay = policy.overflow_delays.next()
            contact.ready = now + delay
            if contact.ready < contact.deadline:
                self.env.timeout(delay, contact).callbacks.append(self._overflowed)
        self.returns.queued(contact, now)

    def choose(self, pools: list[GatedPool], channel: ChannelState,
               arriving: bool) -> tuple[Agent | None, int, float, int]:
        """As `Model.find_agent`, over pools whose group's gates let it take the contact."""
        best: Agent | None = None
        best_level, best_limit, best_proficiency, best_held = -1, 0, 0.0, 0
        gated = self.policy[channel.index].gated or self.gates.reserving
        paced = self.pacing.any and not channel.live
        most = self.limits[channel.index]
        for level, bucket, limit, proficiency, group, held in pools:
            if best is not None and level != best_level:
                break
            if held >= most:  # the channel's limit this interval
                continue
            if gated and not self.gates.allows(group, channel, held == 0, arriving):
                continue
            if paced and self.pacing.capped[group.index] and not self.pacing.allows(
                    group, limit, self.env.now):
                continue
            while bucket:
                token, agent = bucket[0]
                if token == agent.token:
                    if best is None or agent.since < best.since:
                        best, best_level, best_limit, best_proficiency, best_held = (
                            agent, level, limit, proficiency, held)
                    break
                bucket.popleft()
        return best, best_limit, best_proficiency, best_held

    def _overflowed(self, event: simpy.Event) -> None:
        """A queued contact's overflow delay has passed: a later group may take it now."""
        contact = event.value
        now = self.env.now
        if contact.agent is not None or contact.deadline <= now:
            return
        channel = contact.channel
        agent, limit, proficiency, _ = self.choose(self.policy[channel.index].overflow_pools,
                                                   channel, False)
        if agent is None:
            return
        channel.queue_of[contact.priority].remove(contact)
        self.start(agent, contact, limit, proficiency, now)
        if agent.contacts:
            self.rerate(agent, now)
        if not agent.exclusive:
            self.place(agent, now)

    # -- a free agent chooses a contact -----------------------------------------------------
    def pull(self, agent: Agent, now: float) -> None:
        group = agent.group
        while not agent.exclusive:
            best: tuple[ChannelState, Contact, int, float] | None = None
            best_key: tuple[float, ...] | None = None
            for channel, limit, proficiency, rank in group.skills:
                if agent.held >= limit or agent.held >= self.limits[channel.index]:
                    continue
                policy = self.policy[channel.index]
                if ((policy.gated or self.gates.reserving)
                        and not self.gates.allows(group, channel, agent.held == 0, False)):
                    continue
                if group.index in policy.secondary:
                    contact = self.ready_head(channel, now)
                else:
                    contact = self.head(channel, now)
                if contact is None:
                    continue
                if self.pacing.any and self.pacing.paces(group, channel) and \
                        not self.pacing.allows(group, limit, now):
                    continue
                if self.lwwt:
                    key: tuple[float, ...] = ((contact.arrival - now) * policy.weight, rank)
                else:
                    key = (channel.order_class, contact.priority, contact.order, rank)
                if best_key is None or key < best_key:
                    best, best_key = (channel, contact, limit, proficiency), key
            if best is None:
                return
            channel, contact, limit, proficiency = best
            queue = channel.queue_of[contact.priority]
            if queue[0] is contact:
                queue.popleft()
            else:
                queue.remove(contact)
            if type(contact) is Interrupted:
                self.resume(agent, contact, limit, now)
            else:
                self.start(agent, contact, limit, proficiency, now)

    def ready_head(self, channel: ChannelState, now: float) -> Contact | None:
        """The first contact in serving order whose overflow delay has passed."""
        if self.head(channel, now) is None:  # drops those past their deadline at the head
            return None
        for queue in channel.queues:
            for contact in queue:
                if contact.ready <= now and contact.deadline > now:
                    return contact
        return None

    # -- shifts and the end ----------------------------------------------------------------
    # -- agents idle per group: counted where `held` or `accepting` changes ----------------
    def start(self, agent: Agent, contact: Contact, limit: int, proficiency: float,
              now: float) -> None:
        if agent.held == 0:
            self.idle[agent.group.index] -= 1
        if self.pacing.any:
            self.pacing.took(agent, contact.channel, limit, now)
        super().start(agent, contact, limit, proficiency, now)

    def finish(self, contact: Contact) -> None:
        agent = contact.agent
        if agent.held == 1 and agent.accepting:
            self.idle[agent.group.index] += 1
        if self.pacing.any:
            self.pacing.freed(agent, contact.channel, self.route_limit[
                contact.channel.index, agent.group.index], self.env.now)
        super().finish(contact)

    def resume(self, agent: Agent, contact: Contact, limit: int, now: float) -> None:
        if self.pacing.any:
            self.pacing.took(agent, contact.channel, limit, now)
        super().resume(agent, contact, limit, now)

    def interrupt(self, agent: Agent, by: ChannelState) -> None:
        if self.pacing.any:
            for contact in self.holding.get(agent, []):
                self.pacing.freed(agent, contact.channel, self.route_limit[
                    contact.channel.index, agent.group.index], self.env.now)
        super().interrupt(agent, by)

    def woken(self, group: GroupState) -> None:
        """Pacing allows deferred work again: the group's free agents, longest idle first,
        look for work."""
        now = self.env.now
        free = sorted((a for a in self.members[group.index]
                       if a.accepting and not a.exclusive and a.held < group.cap),
                      key=lambda a: a.since)
        for agent in free:
            token = agent.token
            self.pull(agent, now)
            if agent.token == token:
                continue  # it took nothing: it keeps its place in its bucket
            if agent.contacts:
                self.rerate(agent, now)
            self.place(agent, now)

    def stop_accepting(self, agent: Agent) -> simpy.Event | None:
        if agent.accepting and agent.held == 0:
            self.idle[agent.group.index] -= 1
        if self.pacing.any:
            self.pacing.left(agent, self.env.now)
        return super().stop_accepting(agent)

    def set_staffed(self, agent: Agent, staffed: bool) -> None:
        members = self.members[agent.group.index]
        if self.pacing.any:
            if staffed:
                self.pacing.joined(agent, self.env.now)
            else:
                self.pacing.left(agent, self.env.now)
        if staffed:
            members[agent] = None
        else:
            members.pop(agent, None)
        if agent.held == 0 and staffed != agent.accepting:
            self.idle[agent.group.index] += 1 if staffed else -1
        super().set_staffed(agent, staffed)

    def leave(self, contact: Contact, outcome: int, when: float, group: int = -1) -> None:
        super().leave(contact, outcome, when, group)
        if outcome == ABANDONED:
            self.returns.abandoned(contact, when)
