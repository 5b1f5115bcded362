"""Where contacts come from: fresh arrivals drawn ahead in vectorized batches, and escalated
contacts drawn in blocks from their own streams, each quantity from its own named stream."""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from omnistaff.scenarios.channel import Channel
from omnistaff.sim.periods import PeriodStreams
from omnistaff.sim.state import DEFAULT_PRIORITY
from omnistaff.sim.streams import Streams


class Draw(NamedTuple):
    """The random attributes of one contact."""

    work: float
    patience: float
    priority: int
    deflected: bool
    actionable: bool
    escalate: int
    balk: float


class DrawColumns(NamedTuple):
    """The random attributes of n contacts, one column per quantity: item i is contact i.

    Columns rather than a record per contact: a plan of 200,000 arrivals is seven copies
    instead of 200,000 tuples (flags are 0 or 1).
    """

    work: array[float]
    patience: array[float]
    priority: array[int]
    deflected: array[int]
    actionable: array[int]
    escalate: array[int]
    balk: array[float]


def column(values: np.ndarray) -> array:
    """A compact column of numbers, indexed like a list.

    An `array.array` holds raw numbers, not objects, so the garbage collector has nothing to
    traverse in it: a week's plan of Python lists made every full collection visit millions of
    items.
    """
    code, dtype = ("d", np.float64) if values.dtype.kind == "f" else ("q", np.int64)
    out = array(code)  # the numbers copied straight in: no bytes object between
    out.frombytes(memoryview(np.ascontiguousarray(values, dtype=dtype)).cast("B"))
    return out


class ContactDraws:
    """Random attributes of a channel's contacts of one kind ('arrivals' or 'escalated')."""

    def __init__(self, name: str, spec: Channel, kind: str, streams: Streams,
                 channel_index: dict[str, int]) -> None:
        self.spec = spec
        self.fresh = kind == "arrivals"
        self.rng = LazyStreams(streams, f"channel:{name}:{kind}")
        self.targets = [channel_index[e.to] for e in spec.escalation]
        self.cum_escalation = np.cumsum([e.share for e in spec.escalation])
        self.cum_classes = np.cumsum([c.share for c in spec.priority_classes])
        self.class_priority = [c.priority for c in spec.priority_classes] + [DEFAULT_PRIORITY]
        self.periods = (PeriodStreams(f"channel:{name}:{kind}", spec, streams)
                        if spec.periods else None)

    def draw(self, n: int, period: np.ndarray | None = None) -> DrawColumns:
        """Attributes for the next n contacts (CRN: each quantity from its own stream).

        A quantity that cannot matter (no priority classes, no deflection, no triage, no
        escalation, no balking) is not drawn: its stream is its own, so the others are the
        same either way. `period` (see `periods.period_of`) says which period of the day
        each contact arrives in: those in a period get its handle time and patience.
        """
        spec, rng = self.spec, self.rng
        work = spec.handle_time.sample(rng["handle"], n)
        patience = self._patience(n)
        if period is not None and self.periods is not None:
            work, patience = self.periods.apply(work, patience, period)
        priority = self._priority(n)
        deflected = self._deflected(n)
        actionable = self._actionable(n)
        escalate = self._escalate(n, actionable)
        balk = rng["balk"].random(n) if spec.balking else np.zeros(n)
        return DrawColumns(*map(column, (work, patience, priority, deflected, actionable,
                                         escalate, balk)))

    def _priority(self, n: int) -> np.ndarray:
        if not self.spec.priority_classes:
            return np.full(n, DEFAULT_PRIORITY)
        classes = np.searchsorted(self.cum_classes, self.rng["class"].random(n), side="right")
        return np.asarray(self.class_priority)[classes]

    def _patience(self, n: int) -> np.ndarray:
        if self.spec.patience is not None:
            return self.spec.patience.sample(self.rng["patience"], n)
        return np.full(n, self.spec.expiry if self.spec.expiry is not None else math.inf)

    def _deflected(self, n: int) -> np.ndarray:
        if not (self.spec.deflection and self.fresh):
            return np.zeros(n, dtype=bool)
        return self.rng["deflect"].random(n) < self.spec.deflection.share

    def _actionable(self, n: int) -> np.ndarray:
        if not (self.spec.triage and self.fresh):
            return np.ones(n, dtype=bool)
        return self.rng["triage"].random(n) < self.spec.triage.actionable_share

    def _escalate(self, n: int, actionable: np.ndarray) -> np.ndarray:
        if not self.targets:
            return np.full(n, -1)
        u = self.rng["escalate"].random(n)
        slot = np.searchsorted(self.cum_escalation, u, side="right")
        chosen = np.where(slot < len(self.targets), np.take([*self.targets, -1], slot), -1)
        return np.where(actionable, chosen, -1)


class LazyStreams:
    """A channel's generators by quantity, each made when first drawn from: making one costs
    more than most draws (a SeedSequence), and a quantity that cannot matter is never drawn.
    A stream's seed depends only on its name, so when it is made changes nothing."""

    def __init__(self, streams: Streams, owner: str) -> None:
        self.streams = streams
        self.owner = owner
        self.made: dict[str, np.random.Generator] = {}

    def __getitem__(self, quantity: str) -> np.random.Generator:
        rng = self.made.get(quantity)
        if rng is None:
            rng = self.made[quantity] = self.streams.rng(self.owner, quantity)
        return rng


def blocks(draws: ContactDraws, size: int = 256) -> Iterator[Draw]:
    """An endless supply of draws, made `size` at a time."""
    while True:
        yield from map(Draw._make, zip(*draws.draw(size), strict=True))
