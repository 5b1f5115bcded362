"""What a run of the optimizer leaves: each round (or lowering trial) as an `Iteration`, and the
whole run as an `OptimizationResult`, with the headline a planner reads first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from omnistaff.optimize.evaluate import Evaluation
from omnistaff.optimize.occupancy import over_cap, unclear_cap
from omnistaff.optimize.roster_out import RosterShift
from omnistaff.optimize.schedule import agent_shifts, paid_hours
from omnistaff.optimize.solve import SolveReport
from omnistaff.optimize.trim import TrimReport
from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.workforce import Staffing

#: A round that raises what simulation showed missed, or a trial sized lower (`lowering.py`).
Phase = Literal["raise", "lower"]


@dataclass(frozen=True)
class Iteration:
    """One round: the schedule's cost and shifts, how the solve went, simulated service level
    per channel over the horizon (mean, 95% half-width) and its lowest period lower bound,
    whether each channel met its SLA in every period, `attainment` (the share of judged
    periods met), replications simulated, the intervals raised for the next round, and per
    capped group the intervals clearly over its occupancy cap (`over_cap`) and those not
    clearly within it nor over it (`unclear_cap`; both only groups with some)."""

    number: int
    cost: float
    currency: str
    paid_hours: dict[str, float]
    agent_shifts: int
    solve: SolveReport
    service_level: dict[str, float]
    half_width: dict[str, float]
    lower_bound: dict[str, float]
    target: dict[str, float]
    met: dict[str, bool]
    attainment: float
    replications: int
    raised: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    phase: Phase = "raise"
    kept: bool = True
    #: A lowering trial that met every SLA and cost less, refused on fresh replications.
    missed_afresh: bool = False
    over_cap: dict[str, int] = field(default_factory=dict)
    #: The round whose schedule this round's solve returned unchanged (the raise was already
    #: covered, or a lowering trial came back to an earlier trial's schedule): its evaluation
    #: stands, nothing was simulated again.
    same_as: int | None = None
    #: How many times the raise was raised again, from the last round's evaluation, because
    #: the last schedule already covered it.
    raise_repeats: int = 0
    unclear_cap: dict[str, int] = field(default_factory=dict)

    @property
    def all_met(self) -> bool:
        """Every SLA met, and every capped interval clearly within its cap."""
        return all(self.met.values()) and not self.over_cap and not self.unclear_cap

    def describe(self) -> str:
        """One line for a progress display."""
        levels = ", ".join(
            f"{c} {self.service_level[c]:.1%}{'' if self.met[c] else ' (miss)'}"
            for c in self.service_level)
        raised = sum(self.raised.values())
        tail = self.cap_notes() + self.same_note()
        tail += f"; {raised} intervals raised" if raised else ""
        if self.phase == "lower":
            again = "" if self.same_as is None else \
                f"; the same schedule as round {self.same_as}, so its simulations stand"
            tail = f"{self.cap_notes()}{again}; {self.verdict()}"
        name = "round" if self.phase == "raise" else "lowering trial, round"
        return (f"{name} {self.number}: cost {self.cost:,.0f} {self.currency}, "
                f"{self.agent_shifts} agent-shifts, {self.solve.headline()}; "
                f"SLA {levels} ({self.replications} replications){tail}")

    def cap_notes(self) -> str:
        """A note for each capped group clearly over its cap, or not clearly within it, and
        in how many intervals."""
        return cap_notes(self.over_cap, self.unclear_cap, "; ")

    def same_note(self) -> str:
        """Of a round whose raise the last schedule already covered: how often it was raised
        again, and, where the schedule still did not change, that the last round's simulation
        stands."""
        again = (f"; the last schedule already covered the raise, raised again "
                 f"{self.raise_repeats} time{'s' if self.raise_repeats > 1 else ''}"
                 if self.raise_repeats else "")
        if self.same_as is None:
            return again
        return (f"{again}; the same schedule as round {self.same_as} (its staffing already "
                "covered the raise), so that round's simulation stands")

    def verdict(self) -> str:
        """Of a lowering trial: whether it was kept, and if not, why."""
        if self.kept:
            return "kept: cheaper, every SLA met"
        return "not kept: " + ("an SLA missed" if not self.all_met else
                               "an SLA missed on fresh replications" if self.missed_afresh
                               else "no cheaper")

    def row(self) -> dict[str, object]:
        """The iteration as one flat row (for iterations.csv)."""
        row: dict[str, object] = {
            "iteration": self.number, "phase": self.phase, "kept": self.kept,
            "missed_afresh": self.missed_afresh,
            "cost": self.cost, "agent_shifts": self.agent_shifts,
            "paid_hours": sum(self.paid_hours.values()), "attainment": self.attainment,
            "solver_status": self.solve.status, "gap": self.solve.gap,
            "bound": self.solve.bound, "proven": self.solve.proven,
            "timed_out": self.solve.timed_out,
            "solve_seconds": self.solve.seconds,
            "solve_cpu_seconds": self.solve.cpu_seconds, "replications": self.replications,
            "simulate_seconds": self.seconds.get("simulate"), "all_met": self.all_met,
            "same_as": self.same_as, "raise_repeats": self.raise_repeats,
        }
        for c in self.service_level:
            row[f"sla_{c}"] = self.service_level[c]
            row[f"sla_{c}_ci95"] = self.half_width[c]
            row[f"sla_{c}_lower_bound"] = self.lower_bound[c]
            row[f"raised_{c}"] = self.raised.get(c, 0)
        for g, n in self.over_cap.items():
            row[f"over_cap_{g}"] = n
        for g, n in self.unclear_cap.items():
            row[f"unclear_cap_{g}"] = n
        return row


def cap_notes(over: dict[str, int], unclear: dict[str, int], lead: str) -> str:
    """Per capped group with intervals clearly over its cap, or not clearly within it, how
    many, each note after `lead`."""
    notes = [f"{g} is over its occupancy cap in {n} intervals" for g, n in over.items()]
    notes += [f"{g} is not clearly within its occupancy cap in {n} intervals"
              for g, n in unclear.items()]
    return "".join(lead + note for note in notes)


@dataclass(frozen=True)
class OptimizationResult:
    """The optimized scenario (its staffing is the schedule), the schedule and its coverage
    with simulated service level, every round, the trim, the final evaluation, whether every
    SLA holds, and the time taken."""

    scenario: Scenario
    schedule: pd.DataFrame
    coverage: pd.DataFrame
    iterations: tuple[Iteration, ...]
    evaluation: Evaluation
    converged: bool
    seconds: float
    trim: TrimReport | None = None
    roster: tuple[RosterShift, ...] = ()

    @property
    def final(self) -> Iteration:
        """The round whose schedule the result holds (before the trim): the last one kept."""
        return next(i for i in reversed(self.iterations) if i.kept)

    @property
    def cost(self) -> float:
        """Paid cost of the schedule over the horizon (after the trim)."""
        return self.trim.cost_after if self.trim is not None else self.final.cost

    @property
    def agent_shifts(self) -> int:
        """Agent-shifts of the schedule over the horizon (after the trim)."""
        return agent_shifts(self.scenario)

    @property
    def paid_hours(self) -> dict[str, float]:
        """Scheduled paid hours per group of the schedule (after the trim)."""
        return paid_hours(self.scenario)

    @property
    def trials(self) -> tuple[Iteration, ...]:
        """The lowering trials (`lowering.py`), in order."""
        return tuple(i for i in self.iterations if i.phase == "lower")

    def lowering(self) -> str | None:
        """What the lowering trials did, in one line (None when there were none)."""
        if not self.trials:
            return None
        rounds = [i for i in self.iterations if i.phase == "raise"]
        kept = sum(i.kept for i in self.trials)
        money = self.final.currency
        change = (f"{money} {rounds[-1].cost:,.0f} to {self.final.cost:,.0f}" if kept else
                  "none cheaper with every SLA met")
        return (f"lowering: {len(self.trials)} trials sized for lower service levels on the "
                f"days met, {kept} kept ({change})")

    @property
    def staffing(self) -> Staffing:
        """The schedule as scenario staffing."""
        return self.scenario.staffing

    @property
    def proven(self) -> bool:
        """Whether the last round's schedule was within the gap asked of its bound."""
        return self.final.solve.proven

    def headline(self) -> str:
        """The outcome in one line: an unproven gap or a missed SLA first, never hidden."""
        judging = self.evaluation.judging
        rule = (f"{judging.confidence:.0%} lower bound, "
                f"{'every day' if judging.period == 'day' else 'over the horizon'}")
        money = f"{self.final.currency} {self.cost:,.0f}"
        solve = self.final.solve
        caps = self.evaluation.caps
        over, unclear = over_cap(caps), unclear_cap(caps)
        if not self.converged and not self.evaluation.channels["met"].all():
            missed = ", ".join(c for c, ok in self.evaluation.channels["met"].items() if not ok)
            head = f"Not every SLA met in simulation ({rule}): {missed} missed"
        elif over or unclear:
            head = f"Every SLA met in simulation ({rule}), but " + cap_notes(
                over, unclear, ", ")[2:]
        else:
            head = f"Every SLA met in simulation ({rule})"
            if len(self.evaluation.caps):
                head += " within every occupancy cap"
        gap = solve.headline()
        fresh = self.trim.missed_afresh if self.trim is not None and self.converged else ()
        afresh = (f"; fresh replications (another seed) did not clearly confirm "
                  f"{', '.join(fresh)}" if fresh else "")
        if not solve.proven:
            return f"{gap[0].upper()}{gap[1:]}. {head}, at {money}{afresh}."
        return f"{head}, at {money}; last round {gap}{afresh}."
