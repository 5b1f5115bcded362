"""Named random streams: one SeedSequence per run, one child stream per channel and quantity.

A stream's seed depends only on the run's seed, the replication and the stream's name, so two
variants of a scenario draw the same arrivals and handle times (common random numbers), and
adding a channel does not disturb the others.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import numpy as np


class Streams:
    """A factory of independent, reproducible generators named by (owner, quantity)."""

    def __init__(self, seed: int, replication: int = 0) -> None:
        self.seed = seed
        self.replication = replication

    def rng(self, owner: str, quantity: str) -> np.random.Generator:
        """The generator for one quantity (e.g. 'arrivals') of one owner (e.g. a channel)."""
        key = (self.replication, _code(owner), _code(quantity))
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=key))


def _code(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


class Draws:
    """Values from a distribution handed out one at a time, drawn in blocks for speed."""

    def __init__(
        self,
        sample: Callable[[np.random.Generator, int], np.ndarray],
        rng: np.random.Generator,
        block: int = 256,
    ) -> None:
        self._sample = sample
        self._rng = rng
        self._block = block
        self._values: list[float] = []

    def next(self) -> float:
        if not self._values:
            self._values = self._sample(self._rng, self._block).tolist()[::-1]
        return self._values.pop()
