"""What the engine writes down: a record per contact leaving a queue (or never joining
it), filed as arrays as the run goes, and the contacts left queued at the end. A base of
`engine.Model`, apart so that the routing steps read on their own."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from omnistaff.sim.records import ABANDONED, EXPIRED, WAITING
from omnistaff.sim.state import ChannelState, Contact

if TYPE_CHECKING:
    import simpy

    from omnistaff.sim.state import GroupState


class Ledger:
    """The records of one run's contacts (see `Model`, which sets the attributes)."""

    env: simpy.Environment
    channels: list[ChannelState]
    groups: list[GroupState]
    records: list[float]
    filed: list[np.ndarray]

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

    def file_records(self) -> None:
        """Turn the records made so far into an array: quick while they are fresh in memory
        (minutes later, reading them back costs a cache miss a number), and a quarter of the
        list's size."""
        if self.records:
            self.filed.append(np.fromiter(self.records, np.float64, len(self.records)))
            self.records.clear()

    def record_array(self) -> np.ndarray:
        """Every record so far, flat, `RECORD_WIDTH` numbers a contact, in the order made."""
        self.file_records()
        return np.concatenate(self.filed) if self.filed else np.empty(0)

    def alone_rates(self) -> np.ndarray:
        """Channels x groups: on a route with limit 1, the rate at which a contact held alone
        is worked (else 0). The load log leaves such contacts out (most of the work, and so
        most of the logging): each ends its record's work / rate after it starts."""
        rates = np.zeros((len(self.channels), len(self.groups)))
        for channel in self.channels:
            alone = channel.curve_rates[1] if channel.nonlinear else 1.0
            for _, group, limit, _ in channel.routes:
                if limit == 1:
                    rates[channel.index, group.index] = alone
        return rates

    def leave(self, contact: Contact, outcome: int, when: float, group: int = -1) -> None:
        """Record a contact leaving the queue (or never joining it) with this outcome."""
        self.records.extend((contact.channel.index, contact.arrival, outcome, when, group,
                             contact.priority, 0.0))  # a `ContactRecord`, as a plain tuple

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
                        self.leave(contact, WAITING, math.inf)
                queue.clear()
