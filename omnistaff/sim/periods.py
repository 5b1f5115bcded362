"""Which period of the day each contact arrives in, and the handle time and patience drawn
for it there (each period and quantity from its own named stream, so the contacts outside
every period draw exactly what they would without periods)."""

from __future__ import annotations

import numpy as np

from omnistaff.scenarios.channel import Channel
from omnistaff.scenarios.periods import DAY_SECONDS
from omnistaff.scenarios.scenario import Horizon
from omnistaff.scenarios.units import WEEKDAYS
from omnistaff.sim.streams import Draws, Streams


def period_of(spec: Channel, times: np.ndarray, horizon: Horizon) -> np.ndarray | None:
    """Per arrival time (seconds from day 0; the warm-up's days are days of the horizon
    repeated), the index of the channel's period it falls in, -1 where none; None when the
    channel has no periods."""
    if not spec.periods:
        return None
    times = np.asarray(times, dtype=float)
    day = np.floor_divide(times, DAY_SECONDS).astype(np.int64)
    clock = times - day * DAY_SECONDS
    days, inverse = np.unique(day, return_inverse=True)
    weekday = np.array([WEEKDAYS.index(horizon.weekday(int(d))) for d in days],
                       dtype=np.int64)[inverse]
    index = np.full(times.size, -1, dtype=np.int64)
    for k, period in enumerate(spec.periods):
        start, end = period.window()
        on = np.isin(weekday, [WEEKDAYS.index(d) for d in period.days])
        index[on & (clock >= start) & (clock < end)] = k
    return index


class PeriodStreams:
    """The named streams of a channel's periods: `handle@k` and `patience@k` of period k."""

    def __init__(self, owner: str, spec: Channel, streams: Streams) -> None:
        self.spec = spec
        self.rng = [(streams.rng(owner, f"handle@{k}"), streams.rng(owner, f"patience@{k}"))
                    for k in range(len(spec.periods))]

    def apply(self, work: np.ndarray, patience: np.ndarray,
              period: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`work` and `patience` with each period's contacts drawn from its distributions."""
        work, patience = work.copy(), patience.copy()
        for k, (spec, (handle_rng, patience_rng)) in enumerate(
                zip(self.spec.periods, self.rng, strict=True)):
            inside = period == k
            count = int(inside.sum())
            if spec.handle_time is not None and count:
                work[inside] = spec.handle_time.sample(handle_rng, count)
            if spec.patience is not None and count:
                patience[inside] = spec.patience.sample(patience_rng, count)
        return work, patience


class PeriodDraws:
    """Handle time and patience for contacts arriving one at a time (escalated ones), by the
    period they arrive in, in blocks from the periods' streams."""

    def __init__(self, owner: str, spec: Channel, streams: Streams, horizon: Horizon) -> None:
        self.spec = spec
        self.horizon = horizon
        self.work = [Draws(p.handle_time.sample, streams.rng(owner, f"handle@{k}"))
                     if p.handle_time is not None else None for k, p in enumerate(spec.periods)]
        self.patience = [Draws(p.patience.sample, streams.rng(owner, f"patience@{k}"))
                         if p.patience is not None else None
                         for k, p in enumerate(spec.periods)]

    def at(self, now: float, work: float, patience: float) -> tuple[float, float]:
        """(work, patience) for a contact arriving at `now`."""
        period = period_of(self.spec, np.array([now]), self.horizon)
        k = int(period[0]) if period is not None else -1
        if k < 0:
            return work, patience
        work_draws, patience_draws = self.work[k], self.patience[k]
        return (work_draws.next() if work_draws is not None else work,
                patience_draws.next() if patience_draws is not None else patience)
