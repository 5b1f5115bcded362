"""Preemption: a live contact that finds no free agent interrupts deferred work.

A mixin of `policies.PolicyModel`: the interrupted contact goes back to the head of its queue
with its remaining work (preemptive resume) and keeps its record (its first response). With
preemption on, deferred work held alone is logged in the group's load log rather than
reconstructed from its record, as it may end early.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from omnistaff.sim.engine import Model
from omnistaff.sim.scheduling import NORMAL
from omnistaff.sim.state import Agent, ChannelState, Contact

if TYPE_CHECKING:
    from omnistaff.sim.policies import ChannelPolicy


class Interrupted(Contact):
    """Deferred work taken back from an agent by a live contact: the same contact (already
    answered and recorded) with its remaining work, waiting at the head of its queue.

    A new object, because the interrupted one is still on SimPy's queue as the (now void)
    event of its completion.
    """

    __slots__ = ()

    @classmethod
    def of(cls, contact: Contact) -> Interrupted:
        copy = cls.__new__(cls)
        for name in ("arrival", "channel", "escalate", "order", "priority", "work"):
            setattr(copy, name, getattr(contact, name))
        copy.deadline = math.inf  # answered already: it never expires
        copy.ready = -math.inf  # any skilled agent may resume it
        copy.agent = None
        return copy



class Preemption(Model):
    """Interrupting deferred work for live work; on only where `routing.preemption` is."""

    preemption: bool
    holding: dict[Agent, list[Contact]]
    interruptions: list[tuple[int, float]]
    members: list[dict[Agent, None]]
    idle: list[int]

    def interrupt_for(self, channel: ChannelState,
                      policy: ChannelPolicy) -> tuple[Agent | None, int, float]:
        """An agent of the channel's arrival groups holding only deferred work, that work
        put back at the head of its queues; with the route's limit and proficiency."""
        seen: set[int] = set()
        for _, _, limit, proficiency, group, _ in policy.arrival_pools:
            if group.index in seen:
                continue
            seen.add(group.index)
            for agent in self.members[group.index]:
                held = self.holding.get(agent)
                if agent.accepting and held and not any(c.channel.live for c in held):
                    self.interrupt(agent, channel)
                    return agent, limit, proficiency
        return None, 0, 0.0

    def interrupt(self, agent: Agent, by: ChannelState) -> None:
        now = self.env.now
        load = agent.group.load
        for contact in reversed(self.holding.pop(agent)):
            if contact.channel.nonlinear:
                contact.work = max(contact.work - (now - contact.since) * contact.rate, 0.0)
                agent.contacts.remove(contact)
            else:
                contact.work = max(contact.work - (now - contact.since), 0.0)
                contact.callbacks = []  # its scheduled completion is void
            agent.held -= 1
            (load.freed_last if agent.held == 0 else load.freed_other).append(now)
            contact.channel.queue_of[contact.priority].appendleft(Interrupted.of(contact))
            self.interruptions.append((contact.channel.index, now))
        agent.exclusive = False
        agent.rated += 1  # a completion scheduled by an earlier re-rating is void
        agent.token += 1
        self.idle[agent.group.index] += 1  # holds nothing now, until it takes the live one

    def start(self, agent: Agent, contact: Contact, limit: int, proficiency: float,
              now: float) -> None:
        super().start(agent, contact, limit, proficiency, now)
        if self.preemption:
            self._hold(agent, contact, limit, now)

    def resume(self, agent: Agent, contact: Contact, limit: int, now: float) -> None:
        """`start` for interrupted work: its record stands, its remaining work is kept."""
        if agent.held == 0:
            self.idle[agent.group.index] -= 1
        agent.token += 1
        if limit == 1:
            agent.exclusive = True
        else:
            (agent.group.load.took_first if agent.held == 0
             else agent.group.load.took_more).append(now)
        agent.held += 1
        contact.agent = agent
        if contact.channel.nonlinear:
            contact.since, contact.rate = now, 1.0
            agent.contacts.append(contact)
        else:
            contact.callbacks = [self.finish]
            self.env.schedule(contact, NORMAL, contact.work)
        self._hold(agent, contact, limit, now)

    def _hold(self, agent: Agent, contact: Contact, limit: int, now: float) -> None:
        """With preemption: note what the agent holds and since when; deferred work held
        alone goes in the load log, as it may end early (see `alone_rates`)."""
        self.holding.setdefault(agent, []).append(contact)
        if not contact.channel.nonlinear:
            contact.since = now
        if limit == 1 and not contact.channel.live:
            agent.group.load.took_first.append(now)

    def finish(self, contact: Contact) -> None:
        if self.preemption:
            agent = contact.agent
            self.holding[agent].remove(contact)
            if agent.exclusive and not contact.channel.live:
                agent.group.load.freed_last.append(self.env.now)
        super().finish(contact)

    def alone_rates(self) -> Any:
        rates = super().alone_rates()
        if self.preemption:  # deferred work held alone is logged: it may be interrupted
            for channel in self.channels:
                if not channel.live:
                    rates[channel.index, :] = 0.0
        return rates

    def close(self) -> None:
        """Interrupted work still queued at the end was answered: its record stands."""
        for channel in self.channels:
            for queue in channel.queues:
                kept = [c for c in queue if type(c) is not Interrupted]
                if len(kept) != len(queue):
                    queue.clear()
                    queue.extend(kept)
        super().close()

