"""A channel: how its contacts arrive, how long they take, how long customers wait,
how many an agent may hold at once, and the service level it is held to."""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from omnistaff.scenarios.base import Frozen
from omnistaff.scenarios.concurrency_periods import ConcurrencyPeriod
from omnistaff.scenarios.distributions import Distribution, Fixed
from omnistaff.scenarios.limits import (
    MAX_INTERVAL_COUNT,
    MAX_LIST,
    MAX_NAME,
    MAX_RATE,
    MAX_SURGE,
    MAX_SURGES,
    MAX_TITLE,
    MAX_WEEKLY_VOLUME,
)
from omnistaff.scenarios.periods import Period, overlap_problem
from omnistaff.scenarios.profiles import INTRADAY_SHAPES, WEEKLY_SHAPES
from omnistaff.scenarios.routing import Callback, Redial
from omnistaff.scenarios.units import (
    WEEKDAYS,
    ClockTime,
    Days,
    Seconds,
    Weekday,
    clock_seconds,
)

Share = Annotated[float, Field(ge=0, le=1)]
Weight = Annotated[float, Field(ge=0, le=1e9)]
#: Total throughput of an agent holding n contacts, relative to one (n = 1..5): an industry
#: rule of thumb for chat. Each held contact progresses at f(n) / n.
DEFAULT_EFFICIENCY: tuple[float, ...] = (1.0, 1.7, 2.5, 2.9, 3.5)
MAX_PERIODS = 96


class Hours(Frozen):
    """Hours of operation: a channel's (no contacts arrive outside them) or, under
    `reporting.open_hours`, the center's (the window the summaries cover)."""

    open: ClockTime = Field(description="Opening time, HH:MM.")
    close: ClockTime = Field(description="Closing time, HH:MM; 00:00 means midnight (end).")
    days: Days = Field(default=("mon", "tue", "wed", "thu", "fri"), description="Open days.")

    @model_validator(mode="after")
    def _open_before_close(self) -> Hours:
        if self.close != "00:00" and clock_seconds(self.close) <= clock_seconds(self.open):
            raise ValueError(
                f"close {self.close} is not after open {self.open}; use a later close "
                "(00:00 for midnight)"
            )
        return self


class Surge(Frozen):
    """A multiplier on a channel's arrival rate over a window, e.g. an outage on social."""

    day: Weekday | Annotated[int, Field(ge=0, le=27)] = Field(
        description="A weekday (every such day of the horizon) or a day index from 0; it "
        "must fall within the horizon."
    )
    start: ClockTime = Field(description="Start, HH:MM.")
    duration: Seconds = Field(gt=0, description="How long it lasts, e.g. 3h.")
    multiplier: float = Field(gt=0, le=MAX_SURGE, description="Arrival rate multiplier, "
                              "e.g. 5 (at most 100: beyond any outage or campaign).")


class Arrivals(Frozen):
    """Expected volume and its shape over the day and the week; Poisson within an interval."""

    weekly_volume: float = Field(
        default=0, ge=0, le=MAX_WEEKLY_VOLUME, description="Expected contacts over 7 days, "
        "shaped by `weekly` and `intraday` (ignored when `counts` is given); at most "
        "2,000,000, about 3 a second around the clock, beyond any one channel of a real center."
    )
    weekly: Literal["flat", "weekdays"] | tuple[Weight, ...] = Field(
        default="flat",
        description="Day-of-week weights Mon..Sun: 7 numbers, or `flat` (equal), or "
        "`weekdays` (Mon-Fri from a bank's 2003 call log: Mon 1.12, Tue 1.00, Wed 0.95, "
        "Thu 0.95, Fri 0.98; no weekend).",
    )
    intraday: Annotated[str, Field(max_length=MAX_NAME)] | tuple[Weight, ...] = Field(
        default="flat",
        description="Shape over the day: a built-in name (`flat`, `business_hours`, "
        "`extended_hours`, `evening`) or weights for equal slices of the day (24 hourly, "
        "48 half-hourly, 96 quarter-hourly ...), or in YAML `{csv: file}` with columns "
        "start,share.",
    )
    counts: tuple[Annotated[float, Field(ge=0, le=MAX_INTERVAL_COUNT)], ...] | None = Field(
        default=None, max_length=28 * 96,
        description="Expected contacts per interval over the whole horizon (or per interval "
        "of one day, repeated), e.g. a forecast; in YAML a list or `{csv: file}` with a "
        "column `count` (a file beside the scenario). Overrides weekly_volume and the shapes. "
        "At most 100,000 in one interval, beyond any real center. File options: `column` "
        "(the values, default `count`), `start` (the column of interval start times, "
        "default `start`: HH:MM for one day, or a date and time whose first date is day 0; "
        "missing intervals are 0; without the column, the rows in order) and `where` "
        "(keep rows whose columns hold these values, e.g. {channel: phone}); two rows for "
        "one interval are refused as ambiguous.",
    )
    hours: Hours | None = Field(default=None, description="Hours of operation; none = 24/7.")
    day_cv: float = Field(
        default=0, ge=0, le=1, description="CV of a random day-level volume multiplier "
        "(mean 1, gamma): forecast error. About 0.09 in a bank's call log."
    )
    surges: tuple[Surge, ...] = Field(default=(), max_length=MAX_SURGES,
                                      description="Arrival surges (at most 100).")

    @model_validator(mode="after")
    def _weekly_has_seven(self) -> Arrivals:
        if isinstance(self.weekly, tuple) and len(self.weekly) != 7:
            raise ValueError(
                f"weekly has {len(self.weekly)} weights; give 7, Monday to Sunday"
            )
        if isinstance(self.weekly, tuple) and sum(self.weekly) <= 0:
            raise ValueError("weekly weights are all zero; give at least one positive weight")
        if isinstance(self.intraday, str) and self.intraday not in INTRADAY_SHAPES:
            raise ValueError(
                f"unknown intraday shape '{self.intraday}'; use one of "
                f"{', '.join(INTRADAY_SHAPES)}, a list of weights or {{csv: file}}"
            )
        if isinstance(self.intraday, tuple):
            if not self.intraday or len(self.intraday) > 1440 or 1440 % len(self.intraday):
                raise ValueError(
                    f"{len(self.intraday)} intraday weights do not split the day evenly; give "
                    "24 (hourly), 48 (half-hourly) or 96 (quarter-hourly)"
                )
            if sum(self.intraday) <= 0:
                raise ValueError("intraday weights are all zero; give a positive weight")
        if self.weekly_volume > 0 and self.counts is None and not self._any_open_day():
            raise ValueError(
                "no day is both open (hours.days) and weighted (weekly): the volume could not "
                "arrive; open a weighted day or change the weekly weights"
            )
        return self

    def _any_open_day(self) -> bool:
        weights = WEEKLY_SHAPES[self.weekly] if isinstance(self.weekly, str) else self.weekly
        days = self.hours.days if self.hours is not None else WEEKDAYS
        return any(weights[WEEKDAYS.index(day)] > 0 for day in days)


class Concurrency(Frozen):
    """How many contacts of this channel one agent may hold, and how work slows as more are."""

    max: int = Field(default=1, ge=1, le=10, description="Most held at once (phone 1).")
    efficiency: Literal["default", "linear"] | tuple[
        Annotated[float, Field(gt=0, le=10)], ...] = (
        Field(
            default="default",
            description="f(n), an agent's total throughput holding n relative to one, for "
            "n = 1..max; each held contact progresses at f(n)/n. `default` is 1, 1.7, 2.5, "
            "2.9, 3.5 (continued at +0.5); `linear` is f(n) = n (no slowdown).",
        )
    )

    by_period: tuple[ConcurrencyPeriod, ...] = Field(
        default=(), max_length=96,
        description="Fewer contacts at once in some periods of the day: each period's `max` "
        "caps every group's limit on this channel then (outside them: `max`). Periods are on "
        "the interval grid and may not overlap; the engine, the optimizer's requirements and "
        "the results (`concurrency_limit` per interval) all use the limit per interval.")

    @model_validator(mode="after")
    def _curve_is_sound(self) -> Concurrency:
        curve = self.curve()
        if len(curve) < self.max:
            raise ValueError(
                f"efficiency gives {len(curve)} values but max is {self.max}; give one per n"
            )
        if abs(curve[0] - 1) > 1e-9:
            raise ValueError("efficiency must start at 1 (one contact held is the reference)")
        for n, (lo, hi) in enumerate(itertools.pairwise(curve), start=2):
            if hi < lo or hi > n + 1e-9:
                raise ValueError(
                    f"efficiency at n={n} is {hi}: it must not fall and must not exceed n"
                )
        overlap = overlap_problem(self.by_period)  # type: ignore[arg-type]
        if overlap:
            raise ValueError(f"by_period: {overlap}")
        return self

    def curve(self) -> tuple[float, ...]:
        """f(1..max)."""
        if self.efficiency == "linear":
            return tuple(float(n) for n in range(1, self.max + 1))
        if self.efficiency == "default":
            extra = tuple(DEFAULT_EFFICIENCY[-1] + 0.5 * k for k in range(1, 6))
            return (DEFAULT_EFFICIENCY + extra)[: self.max]
        return tuple(self.efficiency)


class PriorityClass(Frozen):
    """A share of contacts served ahead of others (VIPs, high-influence authors)."""

    name: str = Field(max_length=MAX_NAME, description="Name of the class, e.g. vip.")
    share: Share = Field(description="Share of the channel's contacts in this class.")
    priority: int = Field(
        default=0, ge=0, le=9, description="0 is served first; the rest of the contacts "
        "form a class of priority 10."
    )


class Deflection(Frozen):
    """Contacts resolved by self-service or a bot before they reach the queue."""

    share: Share = Field(description="Share resolved without an agent.")
    cost_per_contact: float = Field(default=0, ge=0, le=MAX_RATE,
                                    description="Bot cost per deflected one.")


class Triage(Frozen):
    """Sorting social mentions: only the actionable share needs a response."""

    actionable_share: float = Field(gt=0, le=1, description="Share that needs a response.")
    seconds: Seconds = Field(default=0, description="Triage time per mention.")
    by: Literal["agents", "automated"] = Field(
        default="agents",
        description="`agents`: every mention is queued and costs `seconds` of agent time, "
        "the actionable ones their handle time on top; `automated`: the non-actionable are "
        "dropped before the queue.",
    )
    cost_per_item: float = Field(default=0, ge=0, le=MAX_RATE,
                                 description="Automated triage cost each.")


class Escalation(Frozen):
    """After handling, a share continues on another channel after a delay."""

    to: str = Field(max_length=MAX_NAME,
                    description="Name of the channel the contact continues on.")
    share: Share = Field(description="Share of handled contacts that escalate there.")
    delay: Distribution = Field(
        default=Fixed(value=0), description="Delay from the end of handling (a distribution "
        "or a duration)."
    )


class ServiceLevel(Frozen):
    """The SLA: live, share answered within T; deferred, share first-responded within T."""

    target: float = Field(gt=0, le=1, description="Target share, e.g. 0.8.")
    threshold: Seconds = Field(gt=0, description="T, e.g. 20s for phone, 1h for social.")
    max_abandon_rate: float | None = Field(
        default=None, gt=0, le=1, description="Optional ceiling on abandoned / offered."
    )


class Channel(Frozen):
    """One channel of contact (phone, chat, messaging, email, social posts or DMs)."""

    label: str | None = Field(default=None, max_length=MAX_TITLE, description="Display name.")
    mode: Literal["live", "deferred"] = Field(
        description="`live`: the customer waits (phone, chat, messaging, video); "
        "`deferred`: answered later (email, social posts, DMs, forum, web form)."
    )
    arrivals: Arrivals
    handle_time: Distribution = Field(
        description="Agent work per contact at proficiency 1 (lognormal by mean and cv when "
        "`dist` is omitted)."
    )
    after_contact_work: Seconds = Field(default=0, description="Wrap-up after each contact.")
    patience: Distribution | None = Field(
        default=None, description="Live only: how long a customer waits before abandoning "
        "(none: never abandons)."
    )
    expiry: Seconds | None = Field(
        default=None, gt=0, description="Deferred only: unanswered after this long counts as "
        "expired (ignored)."
    )
    balking: Share = Field(
        default=0, lt=1, description="Live only: share who leave at once when they would wait."
    )
    queue_capacity: int | None = Field(
        default=None, ge=0, le=1_000_000, description="Live only: most waiting; beyond it, "
        "a busy signal."
    )
    periods: tuple[Period, ...] = Field(
        default=(), max_length=MAX_PERIODS, description="Handle time and patience by period "
        "of the day (by hour or interval): a contact arriving in a period's window gets its "
        "distributions, elsewhere the channel's own; escalated contacts by the time they "
        "arrive on this channel. At most 96 periods (one per quarter-hour).")
    concurrency: Concurrency = Field(default_factory=Concurrency)
    priority_classes: tuple[PriorityClass, ...] = Field(default=(), max_length=MAX_LIST)
    deflection: Deflection | None = None
    triage: Triage | None = None
    escalation: tuple[Escalation, ...] = Field(default=(), max_length=MAX_LIST)
    callback: Callback | None = Field(default=None, description="Live only: virtual hold, "
                                      "a call-back offered when the expected wait is long.")
    redial: Redial | None = Field(default=None, description="Live only: a share of those "
                                  "who abandon call again after a delay.")
    sla: ServiceLevel

    @field_validator("handle_time")
    @classmethod
    def _some_work(cls, value: Distribution) -> Distribution:
        if value.mean <= 0:
            raise ValueError("the mean is 0; give agents some work per contact (at least a "
                             "second)")
        return value

    @field_validator("patience")
    @classmethod
    def _some_patience(cls, value: Distribution | None) -> Distribution | None:
        if value is not None and value.mean <= 0:
            raise ValueError("the mean is 0: every customer would leave at once and no "
                             "staffing could answer one; give a positive patience, or remove "
                             "it for customers who never abandon")
        return value

    @model_validator(mode="after")
    def _mode_fits(self) -> Channel:
        if self.mode == "deferred":
            for name in ("patience", "queue_capacity"):
                if getattr(self, name) is not None:
                    raise ValueError(
                        f"{name} applies to live channels only; remove it or set mode: live "
                        "(deferred work uses expiry)"
                    )
            if self.balking:
                raise ValueError("balking applies to live channels only; remove it")
            if any(p.patience is not None for p in self.periods):
                raise ValueError("periods set patience, which applies to live channels "
                                 "only; remove it (deferred work uses expiry)")
            for name in ("callback", "redial"):
                if getattr(self, name) is not None:
                    raise ValueError(f"{name} applies to live channels only; remove it")
        elif self.expiry is not None:
            raise ValueError(
                "expiry applies to deferred channels only; use patience for live channels"
            )
        if sum(c.share for c in self.priority_classes) > 1 + 1e-9:
            raise ValueError("priority_classes shares add up to more than 1; lower them")
        if sum(e.share for e in self.escalation) > 1 + 1e-9:
            raise ValueError("escalation shares add up to more than 1; lower them")
        overlap = overlap_problem(self.periods)
        if overlap:
            raise ValueError(overlap)
        return self
