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
from omnistaff.sim.state import Agent, ChannelState, Contact, Team

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
    alone_callbacks: list  # every contact a chat team's agent took alone: [`finished_alone`]

    if TYPE_CHECKING:
        def rerate(self, agent: Agent, now: float) -> None: ...
        def wait_or_leave(self, contact: Contact, balk_draw: float) -> None: ...
        def finish(self, contact: Contact) -> None: ...

    def arrive_team(self, contact: Contact, balk_draw: float) -> None:
        """The head of the first bucket with anyone (fewest held) takes the contact. Held
        alone (an agent holding nothing took it), its work up to date: `start`, `rerate` of
        one contact (the contact the event of its completion, void once `rated` moves on)
        and `place`, inline."""
        team: Team = contact.channel.team  # type: ignore[assignment]
        idle = team.idle
        while idle:
            token, agent = idle.popleft()
            if token != agent.token:  # stale: its agent's token moved on
                continue
            now = self.env._now
            agent.token = token = token + 1
            team.took_first.append(now)
            agent.held = 1
            contact.agent = agent
            contact.work = work = contact.work / team.proficiency + team.acw
            self.records.extend((team.channel_code, contact.arrival, ANSWERED_CODE, now,
                                 team.code, contact.priority, work))
            if work < 0.0:
                contact.work = work = 0.0
            contact.since = now
            contact.rate = rate = team.alone_rate
            agent.contacts.append(contact)
            agent.rated = contact.rated = agent.rated + 1
            contact.callbacks = self.alone_callbacks
            heappush(self.queue, (now + work / rate, NORMAL, next(self.eid), contact))
            agent.since = now
            holding_one = team.holding_one
            holding_one.append((token, agent))
            if len(holding_one) > team.crowded:
                team.drop_stale()
            return
        for bucket in team.buckets[1:]:  # agents holding some already
            while bucket:
                token, agent = bucket.popleft()
                if token == agent.token:
                    now = self.env._now
                    self.start_team(agent, contact, now)
                    self.rerate(agent, now)
                    if agent.held < len(team.buckets):  # `place`
                        agent.since = now
                        team.buckets[agent.held].append((agent.token, agent))
                    return
        self.wait_or_leave(contact, balk_draw)

    def start_team(self, agent: Agent, contact: Contact, now: float) -> None:
        """`start` for a chat team's agent: logged, and held until the caller re-rates."""
        team: Team = agent.group.team  # type: ignore[assignment]
        agent.token += 1
        held = agent.held
        (team.took_first if held == 0 else team.took_more).append(now)
        agent.held = held + 1
        contact.agent = agent
        contact.work = work = contact.work / team.proficiency + team.acw
        self.records.extend((team.channel_code, contact.arrival, ANSWERED_CODE, now, team.code,
                             contact.priority, work))
        contact.since = now
        contact.rate = 1.0
        agent.contacts.append(contact)

    def finished_team(self, event: Rerated) -> None:
        """`_finished_rated` for a chat team's agent: done, unless void."""
        contact = event.contact
        if contact.agent.rated == event.rated:  # type: ignore[union-attr]
            self.team_done(contact)

    def finished_alone(self, contact: Contact) -> None:
        """Likewise for a contact that was its own completion event (taken alone)."""
        if contact.agent.rated == contact.rated:  # type: ignore[union-attr]
            self.team_done(contact)

    def team_done(self, contact: Contact) -> None:
        """`finish` and `take_next` for a chat team's agent."""
        agent: Agent = contact.agent  # type: ignore[assignment]
        agent.contacts.remove(contact)
        if not self.standing or not agent.accepting or contact.escalate >= 0:
            self.finish(contact)
            return
        now = self.env._now
        team: Team = agent.group.team  # type: ignore[assignment]
        agent.held = held = agent.held - 1
        (team.freed_last if held == 0 else team.freed_other).append(now)
        for queue in team.queues:
            if queue:
                self.take_next_team(agent, now)
                return
        # nothing waits: `take_next_team` without a look at the queues
        agent.token = token = agent.token + 1
        if agent.contacts:  # n changed: the contacts slowed by f(n)/n are re-rated
            self.rerate(agent, now)
        agent.since = now  # it has room: it just freed a slot
        team.buckets[held].append((token, agent))

    def take_next_team(self, agent: Agent, now: float) -> None:
        """`take_next` for a chat team's agent: its channel's heads while it has room, then
        one re-rating and back in a bucket."""
        agent.token += 1
        group = agent.group
        channel = group.skills[0][0]
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
