"""A run's per-contact records as a contact log in the documented format that
`omnistaff fit` reads: channel, arrived_at, answered_at, abandoned_at, handle_seconds, group.

Only contacts arriving in the observation window (day 0 on) are written; those deflected or
triaged out never reached an agent's queue, so an ACD would not log them and neither does
this. Abandoned, expired, balked and blocked contacts have `abandoned_at` (the time they
left); answered ones `answered_at` and `handle_seconds` (the agent-seconds worked, after
proficiency, with wrap-up) and `group`; contacts still waiting at the end have neither.
Timestamps are ISO 8601 local times to the millisecond, day 0 at 00:00 being `start`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from omnistaff.sim.result import SimResult

LOG_COLUMNS = ("channel", "arrived_at", "answered_at", "abandoned_at", "handle_seconds",
               "group")
_LEFT = ("abandoned", "expired", "balked", "blocked")


def contact_log(result: SimResult, start: pd.Timestamp) -> pd.DataFrame:
    """The contact log of one replication run with `contacts=True`."""
    if result.contacts is None:
        raise ValueError("the run kept no contacts; simulate with contacts=True")
    frame = result.contacts
    frame = frame[(frame["arrival"] >= 0) & ~frame["outcome"].isin(["deflected",
                                                                     "triaged_out"])]
    answered = (frame["outcome"] == "answered").to_numpy()
    left = frame["outcome"].isin(_LEFT).to_numpy()
    leave = frame["left_queue"].to_numpy()
    return pd.DataFrame({
        "channel": frame["channel"].astype(str).to_numpy(),
        "arrived_at": _stamps(start, frame["arrival"].to_numpy()),
        "answered_at": _stamps(start, np.where(answered, leave, np.nan)),
        "abandoned_at": _stamps(start, np.where(left, leave, np.nan)),
        "handle_seconds": np.where(answered, frame["work"].to_numpy().round(3), np.nan),
        "group": np.where(answered, frame["group"].astype(str).to_numpy(), ""),
    })


def _stamps(start: pd.Timestamp, seconds: np.ndarray) -> pd.Series:
    times = start + pd.to_timedelta(np.round(seconds, 3), unit="s")
    return pd.Series(times).dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3].fillna("")


def log_start(weekday: str, first: str = "2026-01-05") -> pd.Timestamp:
    """The first date on or after `first` (a Monday) that falls on `weekday` ('mon'..)."""
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    base = pd.Timestamp(first)
    return base + pd.Timedelta(days=(days.index(weekday) - base.day_of_week) % 7)
