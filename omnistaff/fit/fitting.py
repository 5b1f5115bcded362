"""From a read log to every fit a scenario needs: per channel arrivals, handle time,
patience (live) or expiry (deferred); the agent groups and staffing the log shows; the
cross-channel link of busy days."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from omnistaff.fit.arrivals import ArrivalFit, SharedDays, binned_counts, fit_arrivals, shared_days
from omnistaff.fit.handle import HandleFit, fit_handle_times
from omnistaff.fit.mapping import LogError
from omnistaff.fit.patience import PatienceFit, fit_patience
from omnistaff.fit.readers import ContactLog, IntervalReport, plain_name
from omnistaff.scenarios.distributions import Lognormal


@dataclass(frozen=True)
class ChannelFit:
    """Everything fitted for one channel."""

    name: str
    mode: str  # live or deferred
    arrivals: ArrivalFit
    handle: HandleFit
    patience: PatienceFit | None
    expiry: float | None  # deferred: seconds after which unanswered work expired
    answered: int
    abandoned: int


@dataclass(frozen=True)
class LogFit:
    """A whole log's fits, ready to be written as a scenario."""

    source: str
    kind: str  # contacts or intervals
    interval_minutes: int
    channels: dict[str, ChannelFit]
    shared: SharedDays | None
    #: group -> channels it answered, most answered first.
    groups: dict[str, list[str]]
    #: group -> 7 x intervals mean agents staffed (Monday first), when the log has it.
    staffing: dict[str, np.ndarray] | None
    notes: tuple[str, ...] = field(default=())

    @property
    def last_day(self) -> pd.Timestamp:
        return max(c.arrivals.observed.index.max() for c in self.channels.values())


def fit_contact_log(log: ContactLog, interval_minutes: int = 30,
                    deferred: tuple[str, ...] = ()) -> LogFit:
    """Fit a contact-level log."""
    _check_interval(interval_minutes)
    deferred = _check_deferred(deferred, log.channels)
    frame = log.frame
    end = frame[["arrived_at", "answered_at", "abandoned_at"]].max().max()
    days = (frame["arrived_at"].min(), frame["arrived_at"].max())
    fits = {}
    for name, rows in frame.groupby("channel", sort=True):
        observed = binned_counts(rows["arrived_at"], None, interval_minutes, days)
        arrivals = fit_arrivals(str(name), observed, interval_minutes)
        answered = rows["answered_at"].notna()
        abandoned = rows["abandoned_at"].notna()
        handle = _handle(str(name), rows.loc[answered, "handle_seconds"].to_numpy())
        waits_a = _seconds(rows.loc[abandoned, "abandoned_at"] - rows.loc[abandoned,
                                                                          "arrived_at"])
        mode = "deferred" if name in deferred else "live"
        patience = expiry = None
        if mode == "live":
            open_rows = ~answered & ~abandoned
            censored = np.concatenate([
                _seconds(rows.loc[answered, "answered_at"] - rows.loc[answered, "arrived_at"]),
                _seconds(end - rows.loc[open_rows, "arrived_at"])])
            patience = fit_patience(str(name), waits_a, censored)
        elif waits_a.size:
            expiry = float(np.median(waits_a))
        fits[str(name)] = ChannelFit(str(name), mode, arrivals, handle, patience, expiry,
                                     int(answered.sum()), int(abandoned.sum()))
    groups = _groups_from_log(frame, list(fits))
    return LogFit(log.source, "contacts", interval_minutes, fits,
                  shared_days([f.arrivals for f in fits.values()]), groups, None, log.notes)


def fit_interval_report(report: IntervalReport, deferred: tuple[str, ...] = ()) -> LogFit:
    """Fit an interval-level report (offered, answered, abandoned, AHT, agents)."""
    deferred = _check_deferred(deferred, report.channels)
    frame = report.frame
    minutes = report.interval_minutes
    fits = {}
    staffing: dict[str, np.ndarray] = {}
    days = (frame["interval_start"].min(), frame["interval_start"].max())
    for name, rows in frame.groupby("channel", sort=True):
        name = str(name)
        rows = _split_hours(rows, frame, minutes)
        observed = binned_counts(rows["interval_start"], rows["offered"], minutes, days)
        arrivals = fit_arrivals(name, observed, minutes)
        handle = _handle_from_means(name, rows)
        mode = "deferred" if name in deferred else "live"
        patience = _patience_from_means(name, rows) if mode == "live" else None
        fits[name] = ChannelFit(name, mode, arrivals, handle, patience, None,
                                int(rows.get("answered", pd.Series(0)).sum()),
                                int(rows.get("abandoned", pd.Series(0)).sum()))
        if "agents" in rows:
            staffed = binned_counts(rows["interval_start"], rows["agents"], minutes, days)
            staffing[f"{name}_agents"] = _weekday_means(staffed)
    groups = {f"{name}_agents": [name] for name in fits}
    return LogFit(report.source, "intervals", minutes, fits,
                  shared_days([f.arrivals for f in fits.values()]), groups,
                  staffing or None, report.notes)


def _check_interval(minutes: int) -> None:
    if minutes not in (15, 30):
        raise LogError(f"--interval {minutes}: give 15 or 30 (minutes per reporting interval)")


def _check_deferred(deferred: tuple[str, ...], channels: list[str]) -> tuple[str, ...]:
    """The deferred channels, by their names in the fitted scenario."""
    deferred = tuple(plain_name(name) for name in deferred)
    for name in deferred:
        if name not in channels:
            raise LogError(f"deferred: '{name[:64]}' is not a channel of the log (its "
                           f"channels: {', '.join(channels)}); check the spelling")
    return deferred


def _seconds(deltas: pd.Series) -> np.ndarray:
    return (deltas / pd.Timedelta(seconds=1)).to_numpy(dtype=float)


def _handle(name: str, seconds: np.ndarray) -> HandleFit:
    try:
        return fit_handle_times(name, seconds)
    except ValueError as exc:
        raise LogError(str(exc)) from None


def _groups_from_log(frame: pd.DataFrame, channels: list[str]) -> dict[str, list[str]]:
    """Groups from the `group` column (each with the channels it answered, most first);
    without one, one group `agents` with every channel."""
    if "group" not in frame or frame["group"].isna().all():
        return {"agents": channels}
    answered = frame[frame["answered_at"].notna() & frame["group"].notna()]
    counts = answered.groupby(["group", "channel"]).size().sort_values(ascending=False)
    groups: dict[str, list[str]] = {}
    for (group, channel), _ in counts.items():
        groups.setdefault(str(group), []).append(str(channel))
    unanswered = [c for c in channels if not any(c in g for g in groups.values())]
    if unanswered:
        groups.setdefault("agents", []).extend(unanswered)
    return groups


def _weekday_means(grid: pd.DataFrame) -> np.ndarray:
    weekday = grid.index.day_of_week
    return np.stack([grid.to_numpy()[weekday == w].mean(axis=0) if (weekday == w).any()
                     else np.zeros(grid.shape[1]) for w in range(7)])


def _split_hours(rows: pd.DataFrame, frame: pd.DataFrame, minutes: int) -> pd.DataFrame:
    """Hourly rows of a report split into two half hours (counts halved, means kept)."""
    starts = frame["interval_start"]
    step = np.gcd.reduce((starts.dt.hour * 60 + starts.dt.minute).to_numpy().astype(int))
    if step != 60 or minutes != 30:
        return rows
    halves = []
    for offset in (0, 30):
        half = rows.copy()
        half["interval_start"] = half["interval_start"] + pd.Timedelta(minutes=offset)
        for column in ("offered", "answered", "abandoned"):
            if column in half:
                half[column] = half[column] / 2
        halves.append(half)
    return pd.concat(halves, ignore_index=True)


def _handle_from_means(name: str, rows: pd.DataFrame) -> HandleFit:
    """Handle time from per-interval AHT: the mean weighted by answered; the variance by the
    method of moments (an interval's AHT over n contacts has variance sigma^2 / n); lognormal."""
    if "aht_seconds" not in rows or "answered" not in rows:
        raise LogError(f"channel '{name}': the report needs columns 'answered' and "
                       "'aht_seconds' to fit handle times; add them or map yours with --column")
    used = rows[(rows["answered"] > 0) & rows["aht_seconds"].notna()]
    if used.empty or used["aht_seconds"].max() <= 0:
        raise LogError(f"channel '{name}': no interval has answered contacts with an AHT")
    n, aht = used["answered"].to_numpy(), used["aht_seconds"].to_numpy()
    mean = float((n * aht).sum() / n.sum())
    dof = max(len(used) - 1, 1)
    variance = float((n * (aht - mean) ** 2).sum() / dof)
    cv = math.sqrt(variance) / mean if variance > 0 else 0.5
    low, high = (math.sqrt(variance * dof / stats.chi2.ppf(q, dof)) / mean
                 for q in (0.975, 0.025))
    half = 1.96 * math.sqrt(variance / n.sum())
    table = pd.DataFrame({"family": ["lognormal"], "log_likelihood": [np.nan],
                          "aic": [np.nan], "ks_distance": [np.nan]})
    return HandleFit(name, int(n.sum()), mean, half, cv, (low, high), table,
                     Lognormal(mean=mean, cv=min(max(cv, 0.05), 10.0)), np.array([]))


def _patience_from_means(name: str, rows: pd.DataFrame) -> PatienceFit | None:
    """Exponential patience from counts and mean waits: the time waited by all who queued
    over the number who abandoned (the MLE, as for a contact log); no curve."""
    if "mean_wait_seconds" not in rows or "abandoned" not in rows:
        return None
    queued = rows.get("answered", 0) + rows["abandoned"]
    exposure = float((rows["mean_wait_seconds"].fillna(0) * queued).sum())
    d = float(rows["abandoned"].sum())
    if d <= 0 or exposure <= 0:
        return None
    low, high = (2 * exposure / stats.chi2.ppf(q, 2 * d) for q in (0.975, 0.025))
    curve = pd.DataFrame(columns=["seconds", "survival", "low", "high", "exponential"])
    return PatienceFit(name, int(d), int(queued.sum() - d), exposure / d, float(low),
                       float(high), curve)
