"""Agent groups (skill sets, costs, shrinkage) and their staffing (shifts or counts)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from omnistaff.scenarios.base import Frozen
from omnistaff.scenarios.limits import (
    MAX_AGENTS,
    MAX_LIST,
    MAX_MONEY,
    MAX_NAME,
    MAX_RATE,
    MAX_SHIFTS,
    MAX_TITLE,
)
from omnistaff.scenarios.units import ClockTime, Days, Seconds, parse_duration


class Skill(Frozen):
    """A channel an agent group may handle, how well, and how many at once."""

    channel: str = Field(max_length=MAX_NAME, description="Name of a channel.")
    proficiency: float = Field(
        default=1.0, gt=0, le=5, description="Speed factor: handle time is divided by it "
        "(0.8 = 25% slower than standard)."
    )
    concurrency: int | None = Field(
        default=None, ge=1, le=10, description="Most held at once on this channel; defaults "
        "to the channel's concurrency max."
    )


def _skill_shorthand(value: Any) -> Any:
    """A bare channel name stands for a skill at proficiency 1."""
    if isinstance(value, list | tuple):
        return [{"channel": v} if isinstance(v, str) else v for v in value]
    return value


class AgentGroup(Frozen):
    """Agents with one skill set, one rate and one set of availability factors."""

    label: str | None = Field(default=None, max_length=MAX_TITLE, description="Display name.")
    skills: Annotated[
        tuple[Skill, ...],
        BeforeValidator(_skill_shorthand, json_schema_input_type=list[Skill | str]),
    ] = Field(min_length=1, max_length=50, description="Skills in preference order (first = "
              "most preferred); a bare channel name is a skill at proficiency 1.")
    hourly_cost: float = Field(default=0, ge=0, le=MAX_RATE, description="Paid cost per "
                               "agent-hour (at most 100,000, beyond any wage).")
    training_cost_per_skill: float = Field(
        default=0, ge=0, le=MAX_MONEY, description="Training cost per agent and skill, "
        "amortized over a year."
    )
    shrinkage: float = Field(
        default=0, ge=0, lt=1, description="Share of logged-in time off the queue (meetings, "
        "coaching, unplanned aux) beyond the breaks in the shifts."
    )
    absenteeism: float = Field(
        default=0, ge=0, lt=1, description="Chance that a scheduled agent-shift is not worked."
    )
    max_occupancy: float | None = Field(
        default=None, gt=0, le=1, description="Most occupancy the group may run at in any "
        "interval, e.g. 0.85, counted as load (each contact held is 1 / its route's limit: "
        "one of two chats is half an agent): requirements keep the agents on queue for the "
        "channels it serves at least the load divided by it (pyworkforce's max_occupancy), "
        "the schedule model holds the group to it, the router takes deferred work only "
        "within it less `routing.pacing_margin`, and the optimizer accepts a schedule only "
        "when every interval's upper confidence bound in simulation is within it; "
        "simulation reports `load_occupancy` against it (docs/routing.md)."
    )
    max_headcount: int | None = Field(
        default=None, ge=0, le=MAX_AGENTS, description="Most agents of this group on shift at "
        "once (a limit for the optimizer); at most 5,000, more than the largest centers seat."
    )

    @model_validator(mode="after")
    def _skills_unique(self) -> AgentGroup:
        names = [s.channel for s in self.skills]
        if len(set(names)) != len(names):
            raise ValueError(f"a channel is listed twice in skills {names}; list each once")
        return self


class Break(Frozen):
    """A break within a shift, taken when the contact in hand ends."""

    after: Seconds = Field(description="Offset from the shift start, e.g. 4h.")
    duration: Seconds = Field(gt=0, description="Length, e.g. 30min.")
    paid: bool = Field(default=False, description="Whether the break is paid.")


class Shift(Frozen):
    """`count` agents of a group working from `start` for `length` on each of `days`."""

    group: str = Field(max_length=MAX_NAME, description="Name of an agent group.")
    days: Days = Field(default=("mon", "tue", "wed", "thu", "fri"))
    start: ClockTime = Field(description="Start, HH:MM (may run past midnight).")
    length: Seconds = Field(ge=60, le=86400, description="Paid length, e.g. 8h; from a "
                            "minute to 24 h.")
    breaks: tuple[Break, ...] = Field(default=(), max_length=MAX_LIST, description="Breaks, "
                                      "in order; they must not overlap and must end within "
                                      "the shift.")
    count: int = Field(default=1, ge=0, le=MAX_AGENTS, description="Agents working this shift "
                       "(at most 5,000: more than the largest contact centers seat).")
    weeks: tuple[Annotated[int, Field(ge=0, le=3)], ...] = Field(
        default=(), max_length=4, description="Weeks of the horizon (0 = days 0 to 6) the shift "
        "is worked, as in a rotation's roster; empty = every week.")
    agent: str | None = Field(default=None, max_length=MAX_NAME, description="The person "
                              "working it, as in a named roster (count 1).")

    def worked_on(self, weekday: str, week: int) -> bool:
        """Whether the shift is worked on a day of this weekday in this week of the horizon."""
        return weekday in self.days and (not self.weeks or week in self.weeks)

    @field_validator("length", mode="wrap")
    @classmethod
    def _length_in_hours(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> float:
        try:
            return handler(value)
        except ValidationError as exc:
            if any(e["type"] == "less_than_equal" for e in exc.errors()):
                raise ValueError(f"{parse_duration(value) / 3600:g} h is longer than a day; "
                                 "split it into shifts of at most 24 h") from None
            raise

    @model_validator(mode="after")
    def _breaks_inside(self) -> Shift:
        end = 0.0
        for i, b in enumerate(self.breaks):
            if b.after < end:
                raise ValueError(
                    f"break {i} at {b.after / 3600:g} h starts before the break before it ends "
                    f"({end / 3600:g} h); list breaks in order, without overlaps")
            end = b.after + b.duration
            if end > self.length:
                raise ValueError(
                    f"a break at {b.after / 3600:g} h for {b.duration / 60:g} min ends after "
                    f"the {self.length / 3600:g} h shift; move it earlier or shorten it"
                )
        return self

    @property
    def paid_seconds(self) -> float:
        """Paid time per agent-shift: the length less unpaid breaks."""
        return self.length - sum(b.duration for b in self.breaks if not b.paid)


class Staffing(Frozen):
    """Who works when: shifts, or agents per interval per group, or both (they add)."""

    shifts: tuple[Shift, ...] = Field(default=(), max_length=MAX_SHIFTS,
                                      description="Shift patterns (at most 5,000).")
    per_interval: dict[str, tuple[Annotated[int, Field(ge=0, le=MAX_AGENTS)], ...]] = Field(
        default_factory=dict, max_length=200,
        description="Agents logged in per interval, per group: one day's intervals "
        "(repeated every day) or the whole horizon's; at most 5,000 in one interval. In YAML "
        "a list or `{csv: file, column: agents, start: start, where: {group: x}}`: the "
        "column of agents (default `agents`), keyed by the interval start times of column "
        "`start` (HH:MM, or a date and time from day 0; missing intervals are 0) or, without "
        "one, the rows in order; `where` keeps the rows of one group or channel.",
    )
    per_interval_drop: Literal["levels", "first_free"] = Field(
        default="levels", description="Who leaves when a group's `per_interval` count drops. "
        "`levels` (default): the count is stacked agent-shifts, agent k working while the "
        "count exceeds k, so the agents above the new count leave, finishing the contact in "
        "hand, even while others sit idle; each is one person's run of intervals, paid for "
        "it, as the optimizer's shifts are, and results stay as before. `first_free`: the "
        "count is agents on the queue (an ACD report's agents staffed, ContactCenters' "
        "semantics): idle agents leave at once, longest idle first, and if too few are idle "
        "the next agents to finish a contact take no more and leave once they hold nothing; "
        "a rise first cancels departures still pending. Under `first_free` the group's "
        "shrinkage and absenteeism must be 0: the counts are agents on the queue already.",
    )
