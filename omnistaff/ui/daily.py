"""The planner's figures by day: each channel's service level per day with the optimizer's
verdict (its one-sided 95% bounds, `optimize.evaluate.period_verdicts`), backlog and
response-time percentiles per day, service level by day and hour, and the worst hour of the
weekend. Replications in, plain frames out (they pickle into the app's cache); the verdict
lines read them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from omnistaff.optimize.evaluate import Judging, every_channel_judged, period_verdicts
from omnistaff.scenarios import Scenario
from omnistaff.sim.experiment import Replications
from omnistaff.sim.stats import mean_ci
from omnistaff.sim.window import observed

#: Confidence of the one-sided bounds a day's verdict rests on (the optimizer's default).
CONFIDENCE = 0.95
#: Response-time percentiles shown per day.
QUANTILES = {"p50": 0.5, "p90": 0.9}
WEEKEND = ("sat", "sun")
#: An hour needs this many contacts judged by the SLA (mean over replications) to be named
#: the worst: an hour with one post at 3 am says nothing.
MIN_HOUR_CONTACTS = 3.0
VERDICT_WORDS = {"met": "met", "missed": "miss", "unclear": "unclear"}


def day_verdicts(runs: Replications, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Per channel and day: service level (mean over replications of the day's share in
    time), its one-sided lower and upper bounds, the target and the verdict (`met`: the lower
    bound clears the target; `missed`: the upper bound is below it or abandonment is clearly
    over its ceiling; `unclear` otherwise), as the optimizer judges a schedule."""
    scenario = every_channel_judged(runs.scenario)
    judging = Judging(confidence=confidence, period="day")
    table = period_verdicts(runs, scenario, judging).rename(columns={"period": "day"})
    table["weekday"] = [scenario.horizon.day_label(int(d)) for d in table["day"]]
    return table


def day_waits(contacts: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """One replication's response-time percentiles (seconds) per channel and day, over the
    contacts answered that arrived on the day (in the opening hours the summaries cover)."""
    horizon = scenario.horizon
    arrival = contacts["arrival"].to_numpy()
    interval = np.floor(arrival / horizon.interval_seconds).astype(np.int64)
    inside = (arrival >= 0) & (interval < horizon.intervals)
    mask = observed(scenario)
    inside[inside] = mask[interval[inside]]
    answered = contacts[inside & (contacts["outcome"] == "answered").to_numpy()]
    day = (answered["arrival"] // (horizon.intervals_per_day * horizon.interval_seconds))
    grouped = answered.assign(day=day.astype(int)).groupby(["channel", "day"],
                                                           observed=True)["wait"]
    table = pd.DataFrame({name: grouped.quantile(q) for name, q in QUANTILES.items()})
    return table.reset_index()


def day_percentiles(waits: list[pd.DataFrame]) -> pd.DataFrame:
    """Per channel and day: each percentile's mean over replications and its 95%
    half-width (`p90`, `p90_ci95`, ...)."""
    frame = pd.concat(waits, ignore_index=True)
    frame["channel"] = frame["channel"].astype(str)
    return mean_ci(frame, ["channel", "day"], list(QUANTILES)).reset_index()


def day_backlog(intervals: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per channel and day, from the per-interval means over replications: contacts waiting
    at the end of the day (with its 95% half-width) and the highest end-of-interval
    backlog of the day."""
    ordered = intervals.sort_values(["channel", "interval"])
    grouped = ordered.groupby(["channel", "day"], sort=False)
    return pd.DataFrame({
        "backlog_end": grouped["backlog_end"].last(),
        "backlog_end_ci95": grouped["backlog_end_ci95"].last(),
        "backlog_peak": grouped["backlog_end"].max(),
        "offered": grouped["offered"].sum(),
    }).reset_index()


def by_day(verdicts: pd.DataFrame, percentiles: pd.DataFrame, backlog: pd.DataFrame
           ) -> pd.DataFrame:
    """The day tables joined on channel and day."""
    keys = ["channel", "day"]
    return (verdicts.merge(backlog, on=keys, how="outer")
            .merge(percentiles, on=keys, how="left").sort_values(keys).reset_index(drop=True))


def hour_grid(intervals: pd.DataFrame) -> pd.DataFrame:
    """Per channel, day and hour of the day: service level pooled over the hour (contacts in
    time over contacts the SLA judges, from the per-interval means over replications) and the
    mean number of contacts judged."""
    frame = intervals.assign(hour=intervals["time"].str.slice(0, 2).astype(int))
    sums = frame.groupby(["channel", "day", "hour"], sort=False)[
        ["answered_within_sla", "sla_base"]].sum().reset_index()
    base = sums["sla_base"].where(sums["sla_base"] > 0)
    sums["service_level"] = sums["answered_within_sla"] / base
    return sums.drop(columns="answered_within_sla")


def weekend_days(scenario: Scenario) -> list[int]:
    """The horizon's Saturdays and Sundays (every day when it holds none)."""
    days = [d for d, name in enumerate(scenario.horizon.weekdays()) if name in WEEKEND]
    return days or list(range(scenario.horizon.days))


def worst_hours(hours: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per channel, the weekend hour (every day's, on a horizon without a weekend) furthest
    below the channel's target among hours with at least `MIN_HOUR_CONTACTS` contacts
    judged; sorted by shortfall, worst first."""
    rows = hours[hours["day"].isin(weekend_days(scenario))
                 & (hours["sla_base"] >= MIN_HOUR_CONTACTS)].dropna(subset=["service_level"])
    rows = rows.assign(target=rows["channel"].map(
        {c: ch.sla.target for c, ch in scenario.channels.items()}))
    rows = rows.assign(shortfall=rows["target"] - rows["service_level"])
    ordered = rows.sort_values(["shortfall", "sla_base"], ascending=False)
    worst = ordered.groupby("channel", sort=False).head(1)
    return worst.reset_index(drop=True)


def threshold_text(seconds: float) -> str:
    """An SLA threshold as people say it: 20 s, 1 h, 4 h, 30 min, 24 h."""
    if seconds >= 3600 and seconds % 1800 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def verdict_line(row: pd.Series, scenario: Scenario) -> str:
    """'Saturday social: 71% within 1 h, target 80%: miss' (with the bounds when unclear)."""
    channel = scenario.channels[str(row["channel"])]
    day = scenario.horizon.weekday(int(row["day"]))
    name = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
            "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}[day]
    if scenario.horizon.days > 7:
        name = f"{name} (day {int(row['day'])})"
    level = row["service_level"]
    if level is None or math.isnan(level):
        return f"{name} {channel.label or row['channel']}: no contacts"
    text = (f"{name} {channel.label or row['channel']}: {100 * level:.0f}% within "
            f"{threshold_text(channel.sla.threshold)}, target {100 * channel.sla.target:.0f}%: "
            f"{VERDICT_WORDS[str(row['verdict'])]}")
    if row["verdict"] == "unclear":
        text += (f" (95% bounds {100 * max(0.0, row['lower_bound']):.0f}% to "
                 f"{100 * min(1.0, row['upper_bound']):.0f}%)")
    elif row["verdict"] == "missed" and level >= channel.sla.target:
        text += " (abandonment over its ceiling)"
    return text


def verdict_lines(days: pd.DataFrame, scenario: Scenario, everything: bool = False
                  ) -> list[str]:
    """A line per channel and day that misses or is unclear, worst first (every line with
    `everything`)."""
    rows = days if everything else days[days["verdict"] != "met"]
    rows = rows.assign(gap=rows["service_level"] - rows["target"]).sort_values(
        ["gap", "day"]) if not everything else rows
    return [verdict_line(row, scenario) for _, row in rows.iterrows()]


def worst_hour_line(row: pd.Series, scenario: Scenario) -> str:
    """'Worst weekend hour, social: Sat 10:00-11:00, 41% within 1 h (target 80%)'."""
    channel = scenario.channels[str(row["channel"])]
    hour = int(row["hour"])
    return (f"{channel.label or row['channel']}: {scenario.horizon.day_label(int(row['day']))} "
            f"{hour:02d}:00-{(hour + 1) % 24:02d}:00, {100 * row['service_level']:.0f}% within "
            f"{threshold_text(channel.sla.threshold)} (target {100 * channel.sla.target:.0f}%, "
            f"{row['sla_base']:.0f} contacts)")
