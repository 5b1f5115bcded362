"""A re-plan from now: the contacts of the scenario's start state join the queues at its
time, oldest first, each with attributes from its channel's own `start` streams."""

from __future__ import annotations

import math

import numpy as np

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.engine import Model
from omnistaff.sim.sources import ContactDraws
from omnistaff.sim.state import Contact
from omnistaff.sim.streams import Streams


def fresh_from(scenario: Scenario) -> float:
    """When fresh arrivals begin: the start state's time, else the start of the warm-up."""
    state = scenario.start_state
    return state.seconds() if state is not None else -math.inf


def start_contacts(scenario: Scenario, model: Model, streams: Streams) -> list[Contact]:
    """The start state's contacts, oldest first: arrival = now - age; a live customer's
    remaining patience drawn afresh, a deferred contact's expiry counted from its arrival."""
    state = scenario.start_state
    if state is None:
        return []
    now = state.seconds()
    index = {name: i for i, name in enumerate(scenario.channels)}
    contacts = []
    for name, entries in state.waiting.items():
        spec = scenario.channels[name]
        ages = np.sort(np.repeat([e.age for e in entries], [e.count for e in entries]))[::-1]
        draws = ContactDraws(name, spec, "start", streams, index).draw(ages.size)
        channel = model.channels[index[name]]
        live = spec.mode == "live"
        for age, work, patience, priority, escalate in zip(
                ages, draws.work, draws.patience, draws.priority, draws.escalate, strict=True):
            waited = float(age) if live else 0.0  # live: the deadline is now + a fresh draw
            contacts.append(Contact(channel, now - float(age), work, patience + waited,
                                    priority, escalate))
    contacts.sort(key=lambda c: c.arrival)
    return contacts


def enqueue_start_state(scenario: Scenario, model: Model, streams: Streams) -> None:
    """At the start state's time, route its contacts (to a free agent, else the queue: they
    neither balk nor meet a full queue, being in it already)."""
    contacts = start_contacts(scenario, model, streams)
    if not contacts:
        return

    def join(_: object) -> None:
        for contact in contacts:
            agent, _limit, _proficiency = model.find_agent(contact.channel)
            if agent is None:
                contact.channel.queue_of[contact.priority].append(contact)
            else:
                model.arrive(contact, math.inf)

    at = fresh_from(scenario)
    model.env.timeout(at - model.env.now).callbacks.append(join)
