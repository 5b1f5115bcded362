"""The standing rule's steps for a chat team: one group serving one channel whose agents hold
several contacts at once, each slowed by f(n)/n (`ChannelState.team`, `GroupState.team`).

The same choices as `Model.arrive`, `Model.take_next` and `Model.finish`, with `start`,
`place` and `rerate` (for a contact held alone) inline: with one route there is one bucket
per level, so a contact takes the head of the first bucket with anyone, and a free agent
takes its channel's head. A base of `engine.Model`, apart so that the routing steps read on
their own; every step here falls back to `Model`'s when the standing rule is off.
"""

from __future__ import annotations

from heapq import heappush
from typing import TYPE_CHECKING, Any

from omnistaff.sim.ledger import Ledger
from omnistaff.sim.records import ABANDONED, ANSWERED, EXPIRED
from omnistaff.sim.scheduling import NORMAL, SelfScheduled
from omnistaff.sim.state import Agent, ChannelState, Contact

#: The outcome as the records hold it: a record is numbers filed as float64 (`Ledger`),
#: which a list of floats converts to quicker than one of mixed ints and floats.
ANSWERED_CODE = float(ANSWERED)


class Rerated(SelfScheduled):
    """The completion one re-rating of an agent's contacts schedules for the first of them
    to finish: void if the agent was re-rated again since (`rated` moved on)."""

    __slots__ = ("callbacks", "contact", "rated")

    def __init__(self, contact: Contact, rated: int, callbacks: list) -> None:
        self.contact = contact
        self.rated = rated
        self.callbacks = callbacks


class Teams(Ledger):
    """The chat team's steps (see `Model`, which sets the attributes)."""

    standing: bool
    queue: list
    eid: Any
    team_callbacks: list  # every chat team's `Rerated`'s: [`finished_team`]

    if TYPE_CHECKING:
        def rerate(self, agent: Agent, now: float) -> None: ...
        def wait_or_leave(self, contact: Contact, balk_draw: float) -> None: ...
        def finish(self, contact: Contact) -> None: ...

    def arrive_team(self, contact: Contact, balk_draw: float) -> None:
        """The head of the first bucket with anyone (fewest held) takes the contact."""
        channel = contact.channel
        for bucket in channel.team:  # type: ignore[union-attr]
            while bucket:
                token, agent = bucket.popleft()
                if token == agent.token:  # else stale: its agent's token moved on
                    self.take_team(agent, contact, self.env._now)
                    return
        self.wait_or_leave(contact, balk_draw)

    def take_team(self, agent: Agent, contact: Contact, now: float) -> None:
        """`start`, then `rerate` (inline for a contact held alone) and `place`."""
        self.start_team(agent, contact, now)
        held = agent.held
        if held == 1:  # alone, its work up to date: `rerate` of one contact
            if contact.work < 0.0:
                contact.work = 0.0
            contact.rate = rate = contact.channel.curve_rates[1]
            agent.rated += 1
            heappush(self.queue, (now + contact.work / rate, NORMAL, next(self.eid),
                                  Rerated(contact, agent.rated, self.team_callbacks)))
        else:
            self.rerate(agent, now)
        group = agent.group
        if held < group.cap:  # `place`: never exclusive (its limit is above 1)
            agent.since = now
            group.buckets[held].append((agent.token, agent))

    def start_team(self, agent: Agent, contact: Contact, now: float) -> None:
        """`start` for a chat team's agent: logged, and held until the caller re-rates."""
        group = agent.group
        channel = contact.channel
        agent.token += 1
        held = agent.held
        (group.load.took_first if held == 0 else group.load.took_more).append(now)
        agent.held = held + 1
        contact.agent = agent
        contact.work = work = contact.work / group.team[1] + channel.acw  # type: ignore[index]
        self.records.extend((channel.code, contact.arrival, ANSWERED_CODE, now, group.code,
                             contact.priority, work))
        contact.since = now
        contact.rate = 1.0
        agent.contacts.append(contact)

    def finished_team(self, event: Rerated) -> None:
        """`_finished_rated`, `finish` and `take_next` for a chat team's agent."""
        contact = event.contact
        agent: Agent = contact.agent  # type: ignore[assignment]
        if agent.rated != event.rated:
            return  # void: the agent was re-rated since
        agent.contacts.remove(contact)
        if not self.standing or not agent.accepting or contact.escalate >= 0:
            self.finish(contact)
            return
        now = self.env._now
        agent.held -= 1
        group = agent.group
        (group.load.freed_last if agent.held == 0 else group.load.freed_other).append(now)
        self.take_next_team(agent, now)

    def take_next_team(self, agent: Agent, now: float) -> None:
        """`take_next` for a chat team's agent: its channel's heads while it has room, then
        one re-rating and back in a bucket."""
        agent.token += 1
        group = agent.group
        channel = group.team[0]  # type: ignore[index]
        while agent.held < group.cap:
            contact = self.team_head(channel, now)
            if contact is None:
                break
            channel.queue_of[contact.priority].popleft()
            self.start_team(agent, contact, now)
        if agent.contacts:  # n changed: the contacts slowed by f(n)/n are re-rated
            self.rerate(agent, now)
        if agent.held < group.cap:
            agent.since = now
            group.buckets[agent.held].append((agent.token, agent))

    def team_head(self, channel: ChannelState, now: float) -> Contact | None:
        """`Model.head`: the next contact to serve, dropping those past their deadline."""
        for queue in channel.queues:
            while queue:
                contact = queue[0]
                if contact.deadline > now:
                    return contact
                queue.popleft()
                self.leave(contact, ABANDONED if channel.live else EXPIRED, contact.deadline)
        return None
