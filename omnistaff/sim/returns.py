"""Contacts that come back: call-backs (virtual hold) for callers facing a long wait, and
redials of callers who abandoned.

A caller offered a call-back who accepts leaves the live queue on arrival (outcome
`called_back`); the call-back is a new contact of the deferred channel the live channel names
(`callback.to`), arriving at once, with that channel's handle time and SLA: its threshold is
the promised window. Abandoners who redial arrive again on their channel after the delay, as
new contacts with fresh handle time and patience. Each comes from its own named streams, so
the rest of a run draws the same numbers with the policy on or off.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import simpy

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.records import ABANDONED, CALLED_BACK
from omnistaff.sim.sources import ContactDraws, Draw, blocks
from omnistaff.sim.state import Contact
from omnistaff.sim.streams import Draws, Streams

if TYPE_CHECKING:
    from collections.abc import Iterator

    from omnistaff.sim.policies import PolicyModel


def _uniform(rng: np.random.Generator, n: int) -> np.ndarray:
    """n uniform numbers on [0, 1): a `Draws` sampler."""
    return rng.random(n)


class Returns:
    """The call-back and redial behaviour of every channel that has one."""

    def __init__(self, model: PolicyModel, scenario: Scenario, streams: Streams) -> None:
        self.model = model
        index = {name: i for i, name in enumerate(scenario.channels)}
        self.offers: list[tuple[int, float]] = []  # (channel, time) of each call-back offer
        self.redials: list[tuple[int, float]] = []  # (channel, time) of each redial
        # (channel, callback channel, time) of each accepted call-back: the call-back is the
        # callback channel's contact arriving at that time (`policy_kpis.callbacks_in_window`)
        self.accepted: list[tuple[int, int, float]] = []
        count = len(index)
        self.callback: list[tuple[float, float, Draws, Iterator[Draw], int, list[int]] | None] = (
            [None] * count)
        self.redial: list[tuple[float, Draws, Draws, Iterator[Draw]] | None] = [None] * count
        for name, spec in scenario.channels.items():
            i = index[name]
            owner = f"channel:{name}"
            if spec.callback is not None:
                target = spec.callback.to
                serving = [model.group_index[g] for g, group in scenario.groups.items()
                           if any(s.channel == name for s in group.skills)]
                self.callback[i] = (
                    spec.callback.offer_above, spec.callback.accept_share,
                    Draws(_uniform, streams.rng(owner, "callback_accept")),
                    blocks(ContactDraws(target, scenario.channels[target], "callbacks",
                                        streams, index)),
                    index[target], serving)
            if spec.redial is not None:
                self.redial[i] = (
                    spec.redial.share, Draws(_uniform, streams.rng(owner, "redial")),
                    Draws(spec.redial.delay.sample, streams.rng(owner, "redial_delay")),
                    blocks(ContactDraws(name, spec, "redials", streams, index)))
        self.work = [spec.handle_time.mean + spec.after_contact_work
                     for spec in scenario.channels.values()]

    # -- call-backs ---------------------------------------------------------------------
    def calls_back(self, contact: Contact) -> bool:
        """Offer a call-back to a contact that would wait long; whether it accepted."""
        channel = contact.channel
        setting = self.callback[channel.index]
        if setting is None:
            return False
        offer_above, share, accept, draws, target, serving = setting
        staffed = sum(len(self.model.members[g]) for g in serving)
        expected = (channel.waiting() + 1) * self.work[channel.index] / max(staffed, 1)
        if expected <= offer_above:
            return False
        self.offers.append((channel.index, contact.arrival))
        if accept.next() >= share:
            return False
        model = self.model
        model.leave(contact, CALLED_BACK, contact.arrival)
        draw = next(draws)
        self.accepted.append((channel.index, target, model.env.now))
        model.arrive(Contact(model.channels[target], model.env.now, draw.work, draw.patience,
                             draw.priority, draw.escalate), 0.0)
        return True

    # -- redials ------------------------------------------------------------------------
    def queued(self, contact: Contact, now: float) -> None:
        """Where abandoners redial, abandonment is an event at the deadline (not found
        lazily at the queue's head), so the redial follows the abandonment in time."""
        if self.redial[contact.channel.index] is not None and contact.deadline < math.inf:
            self.model.env.timeout(contact.deadline - now, contact).callbacks.append(
                self._abandon)

    def _abandon(self, event: simpy.Event) -> None:
        contact = event.value
        if contact.agent is not None:
            return
        try:
            contact.channel.queue_of[contact.priority].remove(contact)
        except ValueError:  # already left (found at the head, or purged): recorded there
            return
        self.model.leave(contact, ABANDONED, contact.deadline)

    def abandoned(self, contact: Contact, when: float) -> None:
        """A contact abandoned at `when`: a share of them redial after the delay."""
        setting = self.redial[contact.channel.index]
        if setting is None:
            return
        share, redials, delays, _ = setting
        if redials.next() >= share:
            return
        env = self.model.env
        delay = max(when + delays.next() - env.now, 0.0)
        env.timeout(delay, contact.channel.index).callbacks.append(self._redial)

    def _redial(self, event: simpy.Event) -> None:
        i = event.value
        setting = self.redial[i]
        assert setting is not None
        draw = next(setting[3])
        model = self.model
        now = model.env.now
        self.redials.append((i, now))
        model.arrive(Contact(model.channels[i], now, draw.work, draw.patience, draw.priority,
                             draw.escalate), draw.balk)
