"""Where contacts come from: fresh arrivals drawn ahead in vectorized batches, and escalated
contacts drawn in blocks from their own streams, each quantity from its own named stream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from omnistaff.scenarios.channel import Channel
from omnistaff.sim.state import DEFAULT_PRIORITY
from omnistaff.sim.streams import Streams

INF = float("inf")


class Draw(NamedTuple):
    """The random attributes of one contact."""

    work: float
    patience: float
    priority: int
    deflected: bool
    actionable: bool
    escalate: int
    balk: float


class ContactDraws:
    """Random attributes of a channel's contacts of one kind ('arrivals' or 'escalated')."""

    def __init__(self, name: str, spec: Channel, kind: str, streams: Streams,
                 channel_index: dict[str, int]) -> None:
        self.spec = spec
        self.fresh = kind == "arrivals"
        owner = f"channel:{name}:{kind}"
        self.rng = {q: streams.rng(owner, q) for q in
                    ("handle", "patience", "class", "deflect", "triage", "escalate", "balk")}
        self.targets = [channel_index[e.to] for e in spec.escalation]
        self.cum_escalation = np.cumsum([e.share for e in spec.escalation])
        self.cum_classes = np.cumsum([c.share for c in spec.priority_classes])
        self.class_priority = [c.priority for c in spec.priority_classes] + [DEFAULT_PRIORITY]

    def draw(self, n: int) -> list[Draw]:
        """Attributes for the next n contacts (CRN: each quantity from its own stream)."""
        spec, rng = self.spec, self.rng
        work = spec.handle_time.sample(rng["handle"], n)
        patience = self._patience(n)
        classes = np.searchsorted(self.cum_classes, rng["class"].random(n), side="right")
        priority = np.asarray(self.class_priority)[classes]
        deflected = self._deflected(n)
        actionable = self._actionable(n)
        escalate = self._escalate(n, actionable)
        balk = rng["balk"].random(n)
        return [Draw(*row) for row in zip(work.tolist(), patience.tolist(), priority.tolist(),
                                          deflected.tolist(), actionable.tolist(),
                                          escalate.tolist(), balk.tolist(), strict=True)]

    def _patience(self, n: int) -> np.ndarray:
        if self.spec.patience is not None:
            return self.spec.patience.sample(self.rng["patience"], n)
        return np.full(n, self.spec.expiry if self.spec.expiry is not None else INF)

    def _deflected(self, n: int) -> np.ndarray:
        u = self.rng["deflect"].random(n)
        share = self.spec.deflection.share if self.spec.deflection and self.fresh else 0.0
        return u < share

    def _actionable(self, n: int) -> np.ndarray:
        u = self.rng["triage"].random(n)
        share = self.spec.triage.actionable_share if self.spec.triage and self.fresh else 1.0
        return u < share

    def _escalate(self, n: int, actionable: np.ndarray) -> np.ndarray:
        u = self.rng["escalate"].random(n)
        if not self.targets:
            return np.full(n, -1)
        slot = np.searchsorted(self.cum_escalation, u, side="right")
        chosen = np.where(slot < len(self.targets), np.take([*self.targets, -1], slot), -1)
        return np.where(actionable, chosen, -1)


def blocks(draws: ContactDraws, size: int = 256) -> Iterator[Draw]:
    """An endless supply of draws, made `size` at a time."""
    while True:
        yield from draws.draw(size)
