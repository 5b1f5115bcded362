"""Lowering: once every SLA holds, the loop tries schedules whose live intervals are sized for a
lower service level on the days that met theirs, and keeps a schedule only when simulation
shows every SLA still met and it costs less.

Sizing every interval for the SLA's target is safe but dear when the SLA is judged per day:
the shifts' shape and whole agents leave most intervals above target, so the day runs well
above it. Per live channel and period (a day, or the horizon), the sizing target is bracketed
between a value known to pass (at first the SLA's target) and one taken to fail (at first
`LOWEST_SHARE` of it, or twice the room its lower bound had over the target below it, so the
first trial asks a period to give up about that room), and each trial sizes every unsettled
period at the middle of its bracket: a period met moves its passing end down, one missed
moves its failing end up. A bracket narrower than `SETTLED` is done. Periods are judged
together in one simulation, so a trial's schedule is kept only when every period of every
channel is met; for the next trial to have that chance, a period that missed sits it out at
its passing end (unless nothing else is left to try), and probes again the trial after.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from omnistaff.optimize.evaluate import Evaluation

#: The lowest sizing target tried, as a share of the SLA's target.
LOWEST_SHARE = 0.5
#: A bracket narrower than this (in service level) is settled.
SETTLED = 0.02


@dataclass(frozen=True)
class Brackets:
    """Per live channel, per period: the sizing target known to pass and the one taken to
    fail."""

    passing: dict[str, np.ndarray]
    failing: dict[str, np.ndarray]
    resting: dict[str, np.ndarray] | None = None

    def trial(self) -> dict[str, np.ndarray] | None:
        """Per channel and period, the sizing to try: the middle of each unsettled bracket
        whose period is not sitting out, the passing end elsewhere; None when every bracket is
        settled."""
        open_ = {c: self.passing[c] - self.failing[c] > SETTLED for c in self.passing}
        if not any(o.any() for o in open_.values()):
            return None
        probe = {c: open_[c] & ~(self.resting or {}).get(c, np.zeros_like(open_[c]))
                 for c in open_}
        if not any(p.any() for p in probe.values()):
            probe = open_  # sitting out would leave nothing to try
        return {c: np.where(probe[c], (self.passing[c] + self.failing[c]) / 2, self.passing[c])
                for c in self.passing}

    def judged(self, tried: dict[str, np.ndarray], *evaluations: Evaluation) -> Brackets:
        """The brackets after a trial sized for `tried`: each period tried below its passing
        end moves that end down where it was met (in every evaluation given: the judging
        replications' and, where they were run, the fresh ones'), its failing end up where it
        was not (and then sits the next trial out)."""
        passing, failing, resting = dict(self.passing), dict(self.failing), {}
        verdicts = [e.periods.set_index(["channel", "period"])["verdict"] for e in evaluations]
        for c, sizing in tried.items():
            moved = sizing < self.passing[c] - 1e-12
            met = np.array([all(v.get((c, p), "met") == "met" for v in verdicts)
                            for p in range(len(sizing))])
            passing[c] = np.where(moved & met, sizing, self.passing[c])
            failing[c] = np.where(moved & ~met, sizing, self.failing[c])
            resting[c] = moved & ~met
        return Brackets(passing, failing, resting)


def brackets(targets: dict[str, float], periods: int,
             room: dict[str, np.ndarray] | None = None) -> Brackets:
    """Each channel's brackets at the start: from its SLA target down to `LOWEST_SHARE` of
    it, in every period; or, given each period's `room` (how far its lower bound cleared the
    target), down to twice that below the target, so the first trial sizes the period for
    about the service level it can lose (a period with no room is settled at once)."""
    failing = {c: np.full(periods, t * LOWEST_SHARE) for c, t in targets.items()}
    if room is not None:
        failing = {c: np.maximum(f, targets[c] - 2 * np.maximum(room.get(c, 0.0), 0.0))
                   for c, f in failing.items()}
    return Brackets({c: np.full(periods, t) for c, t in targets.items()}, failing)


def room_of(evaluation: Evaluation, channels: list[str], periods: int
            ) -> dict[str, np.ndarray]:
    """Per channel and period, how far the lower bound of its service level cleared the
    target (zero where it did not, or where the period had no contacts)."""
    rows = evaluation.periods.set_index(["channel", "period"])
    room = {}
    for c in channels:
        values = np.zeros(periods)
        for p in range(periods):
            if (c, p) in rows.index:
                row = rows.loc[(c, p)]
                values[p] = float(np.nan_to_num(row["lower_bound"] - row["target"]))
        room[c] = np.maximum(values, 0.0)
    return room


def per_interval(sizing: dict[str, np.ndarray], intervals: int, intervals_per_day: int
                 ) -> dict[str, np.ndarray]:
    """Per-period sizing targets spread over the horizon's intervals (one period: the
    horizon)."""
    spread = {}
    for c, values in sizing.items():
        period = np.arange(intervals) // intervals_per_day if len(values) > 1 else np.zeros(
            intervals, dtype=int)
        spread[c] = values[np.minimum(period, len(values) - 1)]
    return spread
