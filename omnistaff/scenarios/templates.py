"""The optimizer's settings: the shift templates it may schedule, its limits and its solver."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, field_validator, model_validator

from omnistaff.scenarios.base import Frozen
from omnistaff.scenarios.limits import MAX_AGENTS, MAX_LIST, MAX_MONEY, MAX_NAME
from omnistaff.scenarios.units import WEEKDAYS, ClockTime, Days, Seconds

HOUR = 3600.0
#: Pyomo solvers a scenario may name: a fixed list of names, never a path or a command, so
#: nothing from a scenario is ever run.
KNOWN_SOLVERS: tuple[str, ...] = (
    "appsi_highs", "highs", "appsi_cbc", "cbc", "glpk", "appsi_gurobi", "gurobi",
    "appsi_cplex", "cplex", "cplex_direct", "cplex_persistent", "scip", "mosek",
    "mosek_direct",
)
#: Most placements of a template's breaks (each is one explicit break template).
MAX_BREAK_PLACEMENTS = 10_000


def known_solver(name: str) -> str:
    """`name` if it is a known Pyomo solver name; a clear ValueError otherwise."""
    if name not in KNOWN_SOLVERS:
        shown = name if len(name) <= 40 else f"{name[:40]}..."
        raise ValueError(f"unknown solver '{shown}'; use one of {', '.join(KNOWN_SOLVERS)} "
                         "(a solver's name, never a path)")
    return name


class BreakWindow(Frozen):
    """A break the optimizer places anywhere within a window of the shift."""

    duration: Seconds = Field(gt=0, description="Length of the break, e.g. 30min.")
    paid: bool = Field(default=False, description="Whether the break is paid.")
    earliest: Seconds = Field(
        description="Earliest start of the break, as an offset from the shift start, e.g. 3h."
    )
    latest: Seconds = Field(
        description="Latest start of the break, as an offset from the shift start, e.g. 5h; "
        "equal to `earliest` for a break at a fixed time."
    )
    step: Seconds = Field(
        default=1800, ge=300, description="Spacing of the allowed break starts in the window, "
        "e.g. 30min (each start is one explicit break template); at least 5 min."
    )

    @model_validator(mode="after")
    def _window_is_ordered(self) -> BreakWindow:
        if self.latest < self.earliest:
            raise ValueError(
                f"latest {self.latest / HOUR:g} h is before earliest {self.earliest / HOUR:g} h; "
                "swap them or set latest equal to earliest for a fixed break"
            )
        return self

    def offsets(self) -> tuple[float, ...]:
        """Every allowed break start, as an offset from the shift start."""
        count = int((self.latest - self.earliest) // self.step) + 1
        return tuple(self.earliest + k * self.step for k in range(count))


class ShiftTemplate(Frozen):
    """A family of shifts the optimizer may schedule: start window, lengths, breaks, days."""

    name: str = Field(max_length=MAX_NAME,
                      description="Short name, shown in the schedule (e.g. full_time).")
    groups: tuple[str, ...] = Field(max_length=200,
        default=(), description="Agent groups that may work these shifts; empty = every group."
    )
    days: Days = Field(default=WEEKDAYS, description="Weekdays the shifts may be worked.")
    earliest_start: ClockTime = Field(default="00:00", description="Earliest start, HH:MM.")
    latest_start: ClockTime = Field(
        default="23:30", description="Latest start, HH:MM; before `earliest_start` for a window "
        "that crosses midnight (e.g. 22:00 to 02:00)."
    )
    start_step: Seconds = Field(
        default=1800, ge=300, description="Spacing of the allowed starts, e.g. 15min or 30min."
    )
    lengths: tuple[Seconds, ...] = Field(
        default=(8 * HOUR,), min_length=1, max_length=MAX_LIST, description="Shift lengths "
        "from login to logout, breaks included, e.g. [4h, 6h, 8h, 10h]."
    )
    breaks: tuple[BreakWindow, ...] = Field(
        default=(), max_length=6, description="Breaks in every shift of this template, in "
        "order, each placed within its window; at most 10,000 placements of them all."
    )

    @model_validator(mode="after")
    def _breaks_fit(self) -> ShiftTemplate:
        placements = math.prod(len(window.offsets()) for window in self.breaks)
        if placements > MAX_BREAK_PLACEMENTS:
            raise ValueError(f"the break windows allow {placements:,} placements (at most "
                             f"{MAX_BREAK_PLACEMENTS:,}); narrow the windows or widen their step")
        for length in self.lengths:
            if not 0 < length <= 24 * HOUR:
                raise ValueError(f"length {length / HOUR:g} h is not between 0 and 24 h")
            end = 0.0
            for i, window in enumerate(self.breaks):
                end = max(end, window.earliest) + window.duration
                if end > length:
                    raise ValueError(
                        f"break {i} cannot end within the {length / HOUR:g} h shift (it ends "
                        f"{end / HOUR:g} h after the start at the earliest); move its window "
                        "earlier, shorten it or drop this length"
                    )
        return self


def _default_templates() -> tuple[ShiftTemplate, ...]:
    """Eight-hour shifts starting every 30 minutes, a 30-minute unpaid break 3 to 5 h in."""
    meal = BreakWindow(duration=1800, earliest=3 * HOUR, latest=5 * HOUR)
    return (ShiftTemplate(name="full_time", breaks=(meal,)),)


class OptimizerSettings(Frozen):
    """How `omnistaff optimize` builds schedules: shift templates, limits, solver, loop."""

    templates: tuple[ShiftTemplate, ...] = Field(
        default_factory=_default_templates, min_length=1, max_length=50,
        description="Shift templates to choose from. Default: 8 h shifts starting every 30 "
        "minutes on any day, with a 30-minute unpaid break starting 3 to 5 h in.",
    )
    channels: tuple[str, ...] = Field(
        default=(), max_length=50, description="Channels the optimizer schedules for and judges in "
        "simulation; empty = every channel. Others are left to the kept staffing (see "
        "`keep_staffing`), e.g. [social_posts, social_dms] to plan social coverage alone."
    )
    sla_period: Literal["horizon", "day"] = Field(
        default="day", description="Whether a schedule must meet each channel's SLA on every "
        "day of the horizon (`day`, the default: Tuesday cannot be paid for by Monday) or "
        "over the whole horizon (`horizon`), judged in simulation."
    )
    confidence: float = Field(
        default=0.95, ge=0.5, le=0.999, description="A channel meets its SLA in a period when "
        "the one-sided lower confidence bound of its simulated service level, at this level, "
        "clears the target (and the upper bound of its abandonment stays under the ceiling)."
    )
    keep_staffing: bool = Field(
        default=False, description="Keep the scenario's `staffing.shifts` as they are and "
        "schedule only on top of them, e.g. a weekend team added to a fixed weekday roster; "
        "the optimized scenario holds both. Off: the schedule replaces the staffing."
    )
    min_agents: int = Field(
        default=1, ge=0, le=MAX_AGENTS, description="Least agents on shift (not on break) "
        "able to serve each live channel in every interval it is open."
    )
    part_time_under: Seconds = Field(
        default=8 * HOUR, gt=0, description="Shifts shorter than this count as part-time."
    )
    max_part_time_share: float | None = Field(
        default=None, ge=0, le=1, description="Most part-time agent-shifts as a share of all "
        "agent-shifts (none: no limit)."
    )
    budget: float | None = Field(
        default=None, gt=0, le=MAX_MONEY, description="Most paid cost over the horizon "
        "(none: no limit)."
    )
    shift_tiebreak: float = Field(
        default=0.01, ge=0, le=1000, description="Cost added per agent-shift in the "
        "objective only: among equally cheap schedules, the one with fewer shifts."
    )
    max_iterations: int = Field(
        default=5, ge=1, le=50, description="Most solve-and-simulate rounds."
    )
    replications: int | None = Field(
        default=None, ge=2, le=100, description="Replications in each round's first batch "
        "(none: the horizon's replications, at least 10). Where a period's verdict is unclear "
        "(the target lies between its bounds), as many again are simulated, up to "
        "`max_replications`; a period still unclear then counts as missed."
    )
    max_replications: int = Field(
        default=40, ge=2, le=400, description="Most replications a round simulates to make "
        "its verdicts clear."
    )
    lowerings: int = Field(
        default=4, ge=0, le=20, description="Once every SLA holds, most trials that size the "
        "live channels' intervals for a lower service level on the periods met (bisection "
        "between the target and half of it, per channel and period); a trial's schedule is "
        "kept only if it costs less and simulation shows every SLA still met. 0: none. A plan "
        "of people on contracts has none: its rounds are followed by the trim of people."
    )
    trim: bool = Field(
        default=True, description="Once every SLA holds, take agent-shifts away, dearest "
        "first, while every SLA still holds in simulation: on the same replications and on "
        "`max_replications` fresh ones (another seed); a day the schedule already misses on "
        "the fresh ones keeps its shifts (docs/optimizer.md)."
    )
    trim_evaluations: int = Field(
        default=200, ge=1, le=2000, description="Most simulations the trim may run (each "
        "judges one or, per-day, several removals at once); the result says whether every "
        "agent-shift was tried."
    )
    solver: str = Field(
        default="appsi_highs", description="Pyomo solver name (appsi_highs is HiGHS, installed "
        "with omnistaff; cbc, glpk, gurobi ... if installed): one of a fixed list of known "
        "names, never a path, so that a scenario cannot make omnistaff run a program."
    )
    mip_gap: float = Field(
        default=0.01, gt=0, le=0.5, description="Relative gap to the proven lower bound at "
        "which a solve stops, e.g. 0.01 for 1%; the gap reached is reported."
    )
    max_nodes: int = Field(
        default=1000, ge=1, le=10_000_000, description="Branch-and-bound nodes each MIP may "
        "explore: the deterministic stop (the same schedule on any machine at any load)."
    )
    widenings: int = Field(
        default=3, ge=0, le=50, description="Times a solve may widen its MIP to more shift "
        "options (the next by reduced cost) while the gap is wider than `mip_gap`."
    )
    strategy: Literal["restricted", "direct"] = Field(
        default="restricted", description="`restricted`: the LP relaxation, then MIPs over "
        "the shift options it uses, widened by reduced cost; `direct`: one MIP over every "
        "option (to compare)."
    )
    time_limit: Seconds = Field(
        default=1800, gt=0, le=86400, description="Safety net per solve, e.g. 1800s or 30min, "
        "at most a day: a solve stopped by it says so, as its schedule then depends on the "
        "machine's speed."
    )

    @field_validator("solver")
    @classmethod
    def _solver_is_known(cls, name: str) -> str:
        return known_solver(name)

    @model_validator(mode="after")
    def _template_names_unique(self) -> OptimizerSettings:
        names = [t.name for t in self.templates]
        if len(set(names)) != len(names):
            raise ValueError(f"template names {names} repeat; give each template its own name")
        return self
