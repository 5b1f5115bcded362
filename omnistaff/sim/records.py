"""What the engine records about each contact: the columns, the outcomes, and the numpy view
the KPIs read.

The engine writes one record per contact as seven plain numbers onto a flat list, in the
order of `ContactRecord`'s fields (a flat list of numbers gives the garbage collector nothing
to count or traverse, and a tuple literal is four times quicker to write than a NamedTuple);
`ContactRecords` reads them back by the same names. `tests/test_records.py` holds the
writer to this order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

# Outcomes of a contact, one per contact record.
ANSWERED, ABANDONED, EXPIRED, DEFLECTED, BALKED, BLOCKED, TRIAGED, WAITING, CALLED_BACK = (
    range(9))
#: `called_back`: a live contact that accepted a call-back and left the queue on arrival (the
#: call-back itself is a contact of the callback channel; see `scenarios.routing.Callback`).
OUTCOMES = ("answered", "abandoned", "expired", "deflected", "balked", "blocked",
            "triaged_out", "waiting", "called_back")
#: Outcomes of contacts that joined a queue (and so count in its backlog until they leave).
QUEUED = (ANSWERED, ABANDONED, EXPIRED, WAITING)


class ContactRecord(NamedTuple):
    """One contact's record, field by field in the order the engine writes them."""

    channel: int  # index in the scenario's channels
    arrival: float  # seconds from day 0, 00:00 (negative in the warm-up)
    outcome: int  # one of OUTCOMES, by index
    left_queue: float  # when it was answered or left (inf: still waiting at the end)
    group: int  # index of the group that answered it, else -1
    priority: int
    work: float  # agent-seconds of an answered contact, after proficiency, with wrap-up


class Escalation(NamedTuple):
    """A contact passed on to another channel (few enough to be a NamedTuple each)."""

    channel: int  # the channel it was handled on
    arrival: float  # when it arrived there
    escalated: float  # when it was passed on


RECORD_WIDTH = len(ContactRecord._fields)
#: Column positions, for reading an (n, RECORD_WIDTH) array of records.
CHANNEL, ARRIVAL, OUTCOME, LEFT_QUEUE, GROUP, PRIORITY, WORK = range(RECORD_WIDTH)
RECORD = np.dtype([(name, np.int64 if kind is int else np.float64)
                   for name, kind in zip(ContactRecord._fields,
                                         (int, float, int, float, int, int, float), strict=True)])


@dataclass(frozen=True)
class ContactRecords:
    """The engine's contact records as numpy columns, in arrival order (ties as recorded),
    and the work-seconds answered in the observation window, channels x groups."""

    channel: np.ndarray
    arrival: np.ndarray
    outcome: np.ndarray
    left_queue: np.ndarray
    group: np.ndarray
    priority: np.ndarray
    work: np.ndarray
    work_seconds: np.ndarray

    @classmethod
    def from_records(cls, records: np.ndarray, channels: int, groups: int) -> ContactRecords:
        """From the engine's flat records, `RECORD_WIDTH` numbers per contact."""
        data = records.reshape(-1, RECORD_WIDTH)
        work = _work_seconds(data, channels, groups)
        data = data[np.argsort(data[:, ARRIVAL], kind="stable")]
        columns = {name: data[:, i].astype(RECORD[name]) for i, name in enumerate(RECORD.names)}
        return cls(**columns, work_seconds=work)

    @property
    def wait(self) -> np.ndarray:
        return self.left_queue - self.arrival


def _work_seconds(data: np.ndarray, channels: int, groups: int) -> np.ndarray:
    """Work-seconds of contacts answered from time 0 on, by channel and group, summed in
    the order the engine recorded them."""
    taken = (data[:, OUTCOME] == ANSWERED) & (data[:, LEFT_QUEUE] >= 0)
    cell = (data[taken, CHANNEL].astype(np.int64) * groups
            + data[taken, GROUP].astype(np.int64))
    sums = np.bincount(cell, weights=data[taken, WORK], minlength=channels * groups)
    return sums.reshape(channels, groups)
