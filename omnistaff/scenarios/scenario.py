"""The scenario: horizon, channels, agent groups, staffing, routing and named variants."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from omnistaff.scenarios.base import Frozen
from omnistaff.scenarios.busyness import Busyness
from omnistaff.scenarios.channel import Channel, Hours
from omnistaff.scenarios.checks import reference_problems
from omnistaff.scenarios.contracts import Contract, contract_problems
from omnistaff.scenarios.limits import (
    MAX_CHANNELS,
    MAX_DESCRIPTION,
    MAX_GROUPS,
    MAX_LIST,
    MAX_REPLICATIONS,
    MAX_SEED,
    MAX_TITLE,
    MAX_VARIANTS,
)
from omnistaff.scenarios.pay import PayRules
from omnistaff.scenarios.routing import RoutingPolicy
from omnistaff.scenarios.start_state import StartState
from omnistaff.scenarios.templates import OptimizerSettings
from omnistaff.scenarios.units import WEEKDAYS, Seconds, Weekday
from omnistaff.scenarios.workforce import AgentGroup, Staffing


class Horizon(Frozen):
    """The simulated stretch of time and how it is cut and repeated."""

    start_weekday: Weekday = Field(default="mon", description="Weekday of day 0.")
    days: int = Field(default=7, ge=1, le=28, description="Days simulated (1 to 28).")
    interval_minutes: Literal[15, 30] = Field(default=30, description="Reporting interval.")
    warmup: Seconds = Field(
        default=0, le=7 * 86400, description="Simulated time before day 0, not reported; "
        "it replays the end of the horizon, as if the horizon repeats."
    )
    replications: int = Field(default=5, ge=1, le=MAX_REPLICATIONS, description="Independent "
                              "runs (at most 1,000: confidence intervals stop narrowing "
                              "long before).")
    seed: int = Field(default=1, ge=0, le=MAX_SEED, description="Seed of the first "
                      "replication (a 63-bit integer).")

    @property
    def seconds(self) -> float:
        return self.days * 86400.0

    @property
    def interval_seconds(self) -> float:
        return self.interval_minutes * 60.0

    @property
    def intervals_per_day(self) -> int:
        return 1440 // self.interval_minutes

    @property
    def intervals(self) -> int:
        return self.days * self.intervals_per_day

    # -- the calendar: every weekday, day or interval label is computed here ---------------
    def weekday(self, day: int) -> Weekday:
        """The weekday ('mon'..'sun') of a day index. A day outside the horizon (in the
        warm-up, before day 0) is a day of the horizon repeated, as the warm-up replays the
        horizon's end: day -1 is the last day."""
        first = WEEKDAYS.index(self.start_weekday)
        return WEEKDAYS[(first + day % self.days) % 7]  # type: ignore[return-value]

    def weekdays(self) -> tuple[Weekday, ...]:
        """The weekday of each day of the horizon, day 0 first."""
        return tuple(self.weekday(day) for day in range(self.days))

    def days_on(self, weekday: str) -> list[int]:
        """The horizon's days that fall on a weekday."""
        return [day for day, name in enumerate(self.weekdays()) if name == weekday]

    def day_label(self, day: int) -> str:
        """'Mon'; on a horizon longer than a week, 'Mon (day 7)' (days count from 0, as in
        every frame's `day` column)."""
        name = self.weekday(day).title()
        return name if self.days <= 7 else f"{name} (day {day})"

    def clock(self, interval: int) -> str:
        """'08:30': the time of day an interval (of the horizon, counted from 0) starts."""
        minutes = (interval % self.intervals_per_day) * self.interval_minutes
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    def interval_label(self, interval: int) -> str:
        """'Mon 08:30'; on a horizon longer than a week, 'Mon 08:30 (day 7)'."""
        day = interval // self.intervals_per_day
        text = f"{self.weekday(day).title()} {self.clock(interval)}"
        return text if self.days <= 7 else f"{text} (day {day})"


class Routing(RoutingPolicy):
    """How contacts reach agents: the standing rule, and the policies that change it."""

    live_first: bool = Field(
        default=True, description="A free agent takes live contacts before deferred ones; "
        "within that, higher priority, then the oldest (deferred: the earliest due)."
    )


class Reporting(Frozen):
    """How KPIs are defined."""

    service_level: Literal["count_abandons", "ignore_abandons", "ignore_short_abandons"] = (
        Field(
            default="count_abandons",
            description="`count_abandons`: answered within T / (answered + abandoned); "
            "`ignore_abandons`: answered within T / answered; `ignore_short_abandons`: "
            "answered within T / (offered - abandoned within T). Expired deferred work and "
            "work still waiting past T at the end count as abandoned.",
        )
    )
    open_hours: tuple[Hours, ...] = Field(
        default=(), max_length=MAX_LIST,
        description="Opening hours per weekday, e.g. [{days: weekdays, open: '08:00', close: "
        "'20:00'}, {days: [sat], open: '09:00', close: '13:00'}]: the per-run summaries "
        "(service level, waits and counts of contacts arriving while open; occupancy, "
        "staffed and busy hours) cover these hours only, not the whole 24-hour day. Times "
        "on interval boundaries; none (the default): the whole day. Per-interval frames and "
        "paid hours are unchanged.")
    drain: Seconds = Field(
        default=0, le=86400, description="With open_hours: also count this long after each "
        "closing (rounded up to whole intervals) in occupancy, staffed and busy hours, for "
        "the agents finishing the contacts that arrived before closing; 0 (default): open "
        "hours only.")


class Scenario(Frozen):
    """A complete, validated description of a contact center to simulate or optimize."""

    name: str = Field(max_length=MAX_TITLE, description="Short title (at most 200 "
                      "characters: it heads tables).")
    description: str = Field(default="", max_length=MAX_DESCRIPTION,
                             description="What the scenario is about.")
    currency: str = Field(default="USD", max_length=12, description="Currency of all costs.")
    horizon: Horizon = Field(default_factory=Horizon)
    channels: dict[str, Channel] = Field(min_length=1, max_length=MAX_CHANNELS,
                                         description="Channels by name (at most 50).")
    groups: dict[str, AgentGroup] = Field(min_length=1, max_length=MAX_GROUPS,
                                          description="Agent groups by name (at most 200).")
    staffing: Staffing = Field(default_factory=Staffing)
    busyness: dict[str, Busyness] = Field(
        default_factory=dict, max_length=MAX_CHANNELS,
        description="Day-level busyness factors by name, each shared by several channels: "
        "one random multiplier per day (mean 1) applied to all of them, so a busy day is "
        "busy on every channel, e.g. {all: {cv: 0.1, channels: [phone, chat]}}.",
    )
    start_state: StartState | None = Field(
        default=None, description="Contacts already waiting and deferred backlog at the "
        "start, by channel and age, for a re-plan from now (none: the run starts empty).")
    routing: Routing = Field(default_factory=Routing)
    reporting: Reporting = Field(default_factory=Reporting)
    optimizer: OptimizerSettings = Field(
        default_factory=OptimizerSettings,
        description="Shift templates, limits and solver settings for `omnistaff optimize`.",
    )
    contracts: dict[str, Contract] = Field(
        default_factory=dict, max_length=50,
        description="Employment contracts by name (at most 50), e.g. {full_time: {}} for the "
        "default five days of seven with two days off together and 11 h rest. With contracts, "
        "`omnistaff optimize` plans the groups they name in people on weekly tours and writes "
        "a named roster (roster.csv); without, loose agent-shifts as before.",
    )
    pay: PayRules = Field(default_factory=PayRules, description="Premiums on the hourly cost: "
                          "weekend, night, public holiday, overtime, extra skills.")
    variants: dict[str, dict[str, Any]] = Field(
        default_factory=dict, max_length=MAX_VARIANTS,
        description="Named overrides by dotted path, e.g. {no_weekend: "
        "{'staffing.shifts.2.count': 0, 'channels.social.sla.target': 0.9}}; at most 100 "
        "variants of at most 500 overrides, each name a plain one (it names output files).",
    )

    @model_validator(mode="after")
    def _references_resolve(self) -> Scenario:
        problems = reference_problems(self) + contract_problems(
            self.contracts, list(self.groups), [t.name for t in self.optimizer.templates],
            self.horizon.days)
        if problems:
            raise ValueError("\n".join(f"{path}: {msg}" for path, msg in problems))
        return self

    def variant(self, name: str) -> Scenario:
        """The scenario with the named variant's overrides applied."""
        from omnistaff.scenarios.variants import apply_variant

        return apply_variant(self, name)

    def channel_names(self) -> list[str]:
        return list(self.channels)

    def group_names(self) -> list[str]:
        return list(self.groups)
