"""Simulation-optimization, in rounds: requirements, the cheapest schedule, simulation; wherever
a channel misses its SLA in a period its requirement rises where the misses are (a live
channel gets more agents, a deferred channel's work there is due sooner), and the next round
keeps this round's schedule and adds the cheapest agents the raise needs: no round takes
away what met an SLA or pays for a reshuffle. Once every SLA holds, the trim takes away what
simulation shows the SLAs can spare. Every step is deterministic: the same scenario and seed
give the same schedule on any machine at any load. The records of a run are in `outcome.py`."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from omnistaff.optimize.data import ScheduleData, schedule_data
from omnistaff.optimize.diagnose import infeasibility_reasons
from omnistaff.optimize.errors import ScheduleInfeasible
from omnistaff.optimize.evaluate import Evaluation, Judging, evaluate
from omnistaff.optimize.frames import coverage_frame, schedule_frame
from omnistaff.optimize.lowering import brackets, per_interval, room_of
from omnistaff.optimize.model import build_model
from omnistaff.optimize.occupancy import over_cap, raise_over_cap, unclear_cap
from omnistaff.optimize.outcome import Iteration, OptimizationResult, Phase
from omnistaff.optimize.parts import center_parts
from omnistaff.optimize.requirements import Requirements, channel_requirements
from omnistaff.optimize.roster_out import tour_staffing
from omnistaff.optimize.schedule import (
    agent_shifts,
    paid_cost,
    paid_hours,
    schedule_shifts,
    shifts_of,
)
from omnistaff.optimize.schedule import with_schedule as staffed_by
from omnistaff.optimize.solve import Agents, SolveReport, SolveSettings, load_schedule, solve
from omnistaff.optimize.tour_trim import trim_people
from omnistaff.optimize.tours import people_of
from omnistaff.optimize.trim import TrimReport, trim
from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.variants import with_overrides

Progress = Callable[[Iteration], None]
#: Called with a line about each step of long work inside a round or the trim.
Notes = Callable[[str], None]

#: Called by the trim before each simulation: the schedule, and whether on fresh replications.
TrimNote = Callable[[Agents, bool], None]
#: The trim's schedule is checked on replications of this seed offset: fresh random numbers.
FRESH_SEED = 1_000_003

#: A lowering trial's MIP searches to this share of the gap asked.
TRIAL_GAP_SHARE = 0.1

#: Most times a round raises again, from the last round's evaluation, a raise its schedule
#: already covered (a deferred channel's work made due sooner where the backlog had room),
#: before it settles for that schedule.
RAISE_REPEATS = 8

#: Replications per round's first batch unless the scenario sets them.
ROUND_REPLICATIONS = 10


def round_replications(scenario: Scenario) -> int:
    """Replications in each round's first batch: the optimizer's setting, or the horizon's, at
    least ROUND_REPLICATIONS."""
    return scenario.optimizer.replications or max(ROUND_REPLICATIONS,
                                                  scenario.horizon.replications)


@dataclass(frozen=True)
class Plan:
    """How the loop runs: rounds, the solve settings, the judging rule, workers, the trim's
    most simulations (0: no trim) and the most lowering trials (0: none)."""

    rounds: int
    solve: SolveSettings
    judging: Judging
    workers: int = 1
    trim_evaluations: int = 0
    lowerings: int = 0


def lowering_trials(scenario: Scenario) -> int:
    """The most lowering trials the loop runs once every SLA holds: `optimizer.lowerings` for
    a plan of agent-shifts that schedules a live channel, else none (a trial sizes live
    channels lower; a plan of people on contracts goes to the trim of people instead)."""
    settings = scenario.optimizer
    live = [c for c in settings.channels or scenario.channels
            if scenario.channels[c].mode == "live"]
    return settings.lowerings if live and not scenario.contracts else 0


def plan_of(scenario: Scenario, *, max_iterations: int | None = None,
            solver: str | None = None, time_limit: float | None = None,
            mip_gap: float | None = None, replications: int | None = None,
            workers: int = 1) -> Plan:
    """The plan from the scenario's `optimizer` settings, with the arguments given instead."""
    settings = scenario.optimizer
    first = replications or round_replications(scenario)
    return Plan(
        rounds=max_iterations or settings.max_iterations,
        solve=SolveSettings(solver=solver or settings.solver, mip_gap=mip_gap or settings.mip_gap,
                            max_nodes=settings.max_nodes, widenings=settings.widenings,
                            strategy=settings.strategy,
                            time_limit=time_limit or settings.time_limit),
        judging=Judging(confidence=settings.confidence, replications=first,
                        max_replications=max(first, settings.max_replications),
                        period=settings.sla_period),
        workers=workers,
        trim_evaluations=settings.trim_evaluations if settings.trim else 0,
        lowerings=lowering_trials(scenario),
    )


def optimize(scenario: Scenario, *, max_iterations: int | None = None, solver: str | None = None,
             time_limit: float | None = None, mip_gap: float | None = None,
             replications: int | None = None, workers: int = 1,
             progress: Progress | None = None, notes: Notes | None = None
             ) -> OptimizationResult:
    """The cheapest schedule found that meets every channel's SLA in simulation, trimmed.

    Arguments left as None come from the scenario's `optimizer` settings; `workers` simulate
    replications in parallel; `progress` is called with each round as it completes, `notes`
    with a line per simulation of the trim. Raises ScheduleInfeasible, in words, when no
    schedule fits the limits.
    """
    plan = plan_of(scenario, max_iterations=max_iterations, solver=solver,
                   time_limit=time_limit, mip_gap=mip_gap, replications=replications,
                   workers=workers)
    return run_plan(scenario, plan, progress, notes)


def run_plan(scenario: Scenario, plan: Plan, progress: Progress | None = None,
             notes: Notes | None = None) -> OptimizationResult:
    """The rounds of `plan`, then the trim."""
    began = time.perf_counter()
    requirements: Requirements | None = channel_requirements(scenario)
    iterations: list[Iteration] = []
    last: _Round | None = None
    while requirements is not None:
        if notes is not None:  # a round's solve can take minutes before it reports
            notes(f"round {len(iterations) + 1}: solving the schedule model, then simulating it")
        done = _round(scenario, requirements, plan, len(iterations) + 1, last)
        iterations.append(done.iteration)
        if progress is not None:
            progress(done.iteration)
        requirements, last = done.next_requirements, done
    if done.evaluation.all_met and plan.lowerings > 0 and \
            done.model.schedule_data.tours is None:
        done = _lowered(scenario, done, plan, iterations, progress)
    model, evaluation, report = done.model, done.evaluation, None
    tours, agents = model.schedule_data.tours is not None, done.agents
    if evaluation.all_met and plan.trim_evaluations > 0:
        model, evaluation, report, agents = (_trimmed_people if tours else _trimmed)(
            scenario, done, plan, _trim_notes(scenario, done, plan, notes))
    shifts, roster = tour_staffing(scenario, model.schedule_data, agents) if tours \
        else (schedule_shifts(model), [])
    staffed = staffed_by(scenario, shifts)
    coverage = _coverage(coverage_frame(model), evaluation)
    return OptimizationResult(staffed, schedule_frame(model), coverage, tuple(iterations),
                              evaluation, evaluation.all_met, time.perf_counter() - began,
                              report, tuple(roster))


@dataclass(frozen=True)
class _Round:
    """One round's solved model, its schedule, evaluation, record, and the requirements for
    the next round (None after the last)."""

    model: pyo.ConcreteModel
    agents: Agents
    kept: list[int]
    evaluation: Evaluation
    iteration: Iteration
    next_requirements: Requirements | None
    requirements: Requirements


def _round(scenario: Scenario, requirements: Requirements, plan: Plan, number: int,
           last: _Round | None, start: _Round | None = None,
           phase: Phase = "raise", held: frozenset[str] = frozenset(),
           seen: tuple[_Round, ...] = ()) -> _Round:
    """Schedule (from the `last` round's schedule with what the raise needs, or searching
    from `start`'s schedule, its agents of the `held` groups held as they are), simulate
    (unless the schedule is `start`'s, `last`'s or one `seen` before: the same schedule on the
    same replications has the same evaluation), judge; and in a raise round that is not the
    last, raise what was missed. Where the raise changed nothing (the last schedule already
    covered it), it is raised again from the same evaluation, up to RAISE_REPEATS times,
    before anything is simulated."""
    clock = time.perf_counter()
    kept = list(schedule_data(scenario, requirements).kept)
    model, report = _scheduled(scenario, requirements, plan, last, start, held)
    repeats = 0
    while phase == "raise" and last is not None and _agents(model) == last.agents and \
            repeats < RAISE_REPEATS:
        raised, stronger = _raise(scenario, requirements, last.evaluation,
                                  model.schedule_data)
        if not raised:
            break
        requirements, repeats = stronger, repeats + 1
        model, report = _scheduled(scenario, requirements, plan, last, start, held)
    scheduled = time.perf_counter() - clock
    data: ScheduleData = model.schedule_data
    agents = _agents(model)
    staffed = staffed_by(scenario, tour_staffing(scenario, data, agents)[0]
                         if data.tours is not None else schedule_shifts(model))
    clock = time.perf_counter()
    same = next((r for r in (start, last, *seen) if r is not None and r.agents == agents),
                None)
    evaluation = same.evaluation if same is not None else \
        evaluate(staffed, plan.judging, plan.workers)
    seconds = {"solve": scheduled, "simulate": time.perf_counter() - clock}
    raised = {}
    following = None
    if not evaluation.all_met and number < plan.rounds and phase == "raise":
        raised, following = _raise(scenario, requirements, evaluation, data)
        following = following if raised else None  # nothing to raise: another round repeats
    iteration = replace(_iteration(number, staffed, report, evaluation, raised, seconds),
                        phase=phase, raise_repeats=repeats,
                        same_as=same.iteration.number if same is not None and same is not start
                        else None)
    return _Round(model, agents, kept, evaluation, iteration, following, requirements)


def _scheduled(scenario: Scenario, requirements: Requirements, plan: Plan,
               last: _Round | None, start: _Round | None, held: frozenset[str]
               ) -> tuple[pyo.ConcreteModel, SolveReport]:
    """The round's model solved: from the `last` round's schedule as floors, or searching from
    `start`'s schedule with its `held` groups held as they are."""
    data = schedule_data(scenario, requirements)
    if last is not None:
        data = _from(data, last.agents)
    if start is not None and held:
        data = _held(data, start.agents, held)
    model = build_model(data)
    if start is None:
        report = solve(model, plan.solve)
    else:
        # A trial lowers a few days' needs: a saving well inside the gap asked of the whole
        # schedule, so its MIP searches to a tenth of that gap (and is judged by the gap asked).
        tight = replace(plan.solve, mip_gap=plan.solve.mip_gap * TRIAL_GAP_SHARE)
        report = replace(solve(model, tight, start.agents), mip_gap=plan.solve.mip_gap)
    if report.infeasible or not report.feasible:
        _no_schedule(data, report, plan.solve)
    return model, report


def _lowered(scenario: Scenario, done: _Round, plan: Plan, iterations: list[Iteration],
             progress: Progress | None) -> _Round:
    """The cheapest schedule meeting every SLA among `done` and up to `plan.lowerings`
    trials sized for lower service levels on the periods met (`lowering.py`), each searched
    from the best schedule so far, so it never costs more. Each trial is recorded in
    `iterations`; the best so far is the one kept."""
    live = [c for c in done.requirements.required if c in done.evaluation.channels.index]
    per_day = scenario.horizon.intervals_per_day
    periods = scenario.horizon.days if plan.judging.period == "day" else 1
    bracket = brackets({c: scenario.channels[c].sla.target for c in live}, periods,
                       room_of(done.evaluation, live, periods))
    # Only groups serving nothing but the channels sized lower may change; the others keep
    # their agents. What the rounds added for a deferred channel is held in their floors, not
    # in its requirements, so a group that also serves one would lose it (and a reshuffle of
    # equally cheap deferred schedules would be judged afresh and might miss).
    data: ScheduleData = done.model.schedule_data
    held = frozenset(g for g, c in data.skills if c not in live)
    best, tried = done, []
    fresh: dict[Agents, Evaluation] = {}  # a schedule tried before is not simulated again
    for _ in range(plan.lowerings):
        sizing = bracket.trial()
        if sizing is None:
            break
        requirements = done.requirements.resized(scenario, per_interval(
            sizing, scenario.horizon.intervals, per_day))
        trial = _round(scenario, requirements, plan, len(iterations) + 1, None, best, "lower",
                       held, tuple(tried))
        tried.append(trial)
        cheaper = trial.evaluation.all_met and trial.iteration.cost < best.iteration.cost
        if cheaper and trial.agents not in fresh:
            fresh[trial.agents] = _afresh(scenario, trial, plan)
        afresh = fresh[trial.agents] if cheaper else None
        missed_afresh = afresh is not None and not afresh.all_met
        trial = replace(trial, iteration=replace(trial.iteration, kept=cheaper and not
                                                 missed_afresh, missed_afresh=missed_afresh))
        iterations.append(trial.iteration)
        if progress is not None:
            progress(trial.iteration)
        # A period the fresh replications find short moves its failing end up too, so the
        # next trial does not size it the same way again.
        bracket = bracket.judged(sizing, trial.evaluation, *([afresh] if afresh else []))
        best = trial if trial.iteration.kept else best
    return best


def _from(data: ScheduleData, previous: Agents) -> ScheduleData:
    """The round's model data with every option's agents at least the previous round's: the
    round adds the cheapest agents the raised requirements need, and takes none away (the
    trim does that once every SLA holds), so what met its SLA stays met."""
    previous = previous[:len(data.options)]  # people on tours follow the agent-shifts
    kept = data.kept or [0] * len(previous)
    return replace(data, kept=[max(a, k) for a, k in zip(previous, kept, strict=True)])


def _afresh(scenario: Scenario, done: _Round, plan: Plan) -> Evaluation:
    """A round's schedule judged on fresh replications (`_fresh`): a trial chosen on one set
    of replications fits its noise, as the trim's removals do, so it is kept only where it
    meets every SLA on these too."""
    fresh, rule = _fresh(scenario, done, plan)
    shifts = shifts_of(done.model.schedule_data, done.agents)
    return evaluate(staffed_by(fresh, shifts), rule, plan.workers)


def _fresh(scenario: Scenario, done: _Round, plan: Plan) -> tuple[Scenario, Judging]:
    """The fresh replications a lowering trial and the trims judge on: another seed, and as
    many replications as the judging may run (`max_replications`, at least the round's): a
    low-volume channel's day can have rare bad replications (a social backlog that builds),
    which two samples of 10 both missed where 40 showed them (the specialists' social on
    Wednesday in `omni_vs_single`)."""
    fresh = with_overrides(scenario, {"horizon.seed": scenario.horizon.seed + FRESH_SEED})
    replications = max(done.evaluation.replications, plan.judging.max_replications)
    return fresh, plan.judging.fixed(replications)


def _held(data: ScheduleData, agents: Agents, groups: frozenset[str]) -> ScheduleData:
    """The model data with the options of `groups` held at `agents` (floor and ceiling)."""
    kept = data.kept or [0] * len(data.options)
    inside = [o.group in groups for o in data.options]
    return replace(data, kept=[max(k, a) if i else k for k, a, i in zip(kept, agents, inside,
                                                                         strict=False)],
                   most=[a if i else None for a, i in zip(agents, inside, strict=False)])


def _no_schedule(data: ScheduleData, report: SolveReport, settings: SolveSettings) -> None:
    if report.infeasible:
        raise ScheduleInfeasible(infeasibility_reasons(data, settings.solver,
                                                       settings.time_limit))
    if report.timed_out:
        raise ScheduleInfeasible([
            f"the safety net (optimizer.time_limit, {settings.time_limit:,.0f} s) stopped the "
            "solver before it found a schedule, so the machine's speed decided: raise "
            "optimizer.time_limit, or run on a less busy machine"])
    raise ScheduleInfeasible([
        f"the solver found no schedule within {settings.max_nodes:,} nodes per MIP "
        f"({report.status}); raise optimizer.max_nodes"])


def _agents(model: pyo.ConcreteModel) -> Agents:
    """Agents per option, then (with tours) people per rota variable."""
    agents = tuple(round(model.agents[s].value or 0) for s in model.OPTIONS)
    return agents + people_of(model, model.schedule_data.tours)


def _trim_notes(scenario: Scenario, done: _Round, plan: Plan, notes: Notes | None
                ) -> TrimNote:
    """What the trim says before each simulation: how many so far, the most it may run, and
    the cost of the schedule it tries."""
    data: ScheduleData = done.model.schedule_data
    count = 0

    def note(agents: Agents, fresh: bool = False) -> None:
        nonlocal count
        count += 1
        if notes is not None:
            cost = data.cost_of(agents)
            where = "on fresh replications" if fresh else "trying"
            notes(f"trim: simulation {count} of at most {plan.trim_evaluations}, {where} a "
                  f"schedule at {scenario.currency} {cost:,.0f}")
    return note


def _trimmed_people(scenario: Scenario, done: _Round, plan: Plan, note: TrimNote
                    ) -> tuple[pyo.ConcreteModel, Evaluation, TrimReport, Agents]:
    """The last round's plan in people trimmed, person by person (`tour_trim.py`)."""
    data: ScheduleData = done.model.schedule_data
    rule = plan.judging.fixed(done.evaluation.replications)
    fresh, fresh_rule = _fresh(scenario, done, plan)

    def judge(agents: Agents, on: Scenario = scenario, by: Judging = rule) -> Evaluation:
        note(agents, on is not scenario)
        return evaluate(staffed_by(on, tour_staffing(on, data, agents)[0]), by, plan.workers)

    floor = done.kept or [0] * len(data.options)
    agents, evaluation, report = trim_people(data, done.agents, done.evaluation, judge,
                                             plan.trim_evaluations, floor,
                                             lambda agents: judge(agents, fresh, fresh_rule))
    if report.removed == 0:
        return done.model, evaluation, report, done.agents
    model = build_model(replace(data, kept=done.kept), elastic=True)
    load_schedule(model, agents, plan.solve.solver, plan.solve.time_limit)
    return model, evaluation, report, agents


def _trimmed(scenario: Scenario, done: _Round, plan: Plan, note: TrimNote
             ) -> tuple[pyo.ConcreteModel, Evaluation, TrimReport, Agents]:
    """The last round's schedule trimmed, judged on the replications that judged it and on
    fresh ones (`_fresh`)."""
    data: ScheduleData = done.model.schedule_data
    rule = plan.judging.fixed(done.evaluation.replications)
    fresh, fresh_rule = _fresh(scenario, done, plan)

    def judge(agents: Agents, on: Scenario = scenario, by: Judging = rule) -> Evaluation:
        note(agents, on is not scenario)
        return evaluate(staffed_by(on, shifts_of(data, agents)), by, plan.workers)

    def verify(agents: Agents) -> Evaluation:
        return judge(agents, fresh, fresh_rule)

    parts = center_parts(
        [(g, s.channel) for g, group in scenario.groups.items() for s in group.skills],
        [(c, e.to) for c, channel in scenario.channels.items() for e in channel.escalation])
    agents, evaluation, report = trim(data, done.agents, done.evaluation, judge,
                                      plan.trim_evaluations, done.kept, verify, parts)
    if report.removed == 0:
        return done.model, evaluation, report, agents
    # The trimmed schedule may fall short of the model's requirements, which simulation
    # showed to have room: its coverage is read from the elastic model.
    model = build_model(replace(data, kept=done.kept), elastic=True)
    load_schedule(model, agents, plan.solve.solver, plan.solve.time_limit)
    return model, evaluation, report, agents


def _raise(scenario: Scenario, requirements: Requirements, evaluation: Evaluation,
           data: ScheduleData) -> tuple[dict[str, int], Requirements]:
    """Raise the requirement of the intervals to raise in every missed period, among those a
    raise can help: of a live channel, those it is open (contacts escalated to it after hours
    do not call for night shifts); of a deferred one, those some shift can reach within the
    response window. Lower the late share of a deferred channel by its shortfall. Raise where
    a capped group's interval is not held (`occupancy.raise_over_cap`; unclear ones only
    when judged on the most replications). The number of intervals raised per channel
    changed."""
    per_day = scenario.horizon.intervals_per_day
    present = data.presence()
    raised = {}
    for c in evaluation.channels.index:
        before = requirements
        if c in requirements.late_share and not evaluation.channels.loc[c, "met"]:
            requirements = requirements.less_late(c, evaluation.shortfall(c))
        raisable = requirements.open[c] if c in requirements.required else ~data.unreachable(
            c, present) if c in data.window else None
        intervals = evaluation.to_raise(c, per_day, raisable)
        if intervals.size and c in requirements.required:
            requirements = requirements.raised(c, intervals, _more_agents(
                requirements, evaluation, c, intervals))
        elif intervals.size:
            requirements = requirements.tightened(c, intervals)
        if requirements is not before:
            raised[c] = int(intervals.size)
    settled = evaluation.replications >= evaluation.judging.max_replications
    return raise_over_cap(scenario, requirements, evaluation.caps, raised, settled)


def _more_agents(requirements: Requirements, evaluation: Evaluation, channel: str,
                 intervals: np.ndarray) -> np.ndarray:
    """At least one reference agent more, or the requirement times the shortfall in service
    level, whichever is more."""
    rows = evaluation.intervals[evaluation.intervals["channel"] == channel].set_index("interval")
    shortfall = (rows["target"] - rows["service_level"]).reindex(intervals).fillna(0).to_numpy()
    current = requirements.required[channel][intervals]
    return np.maximum(1.0, np.round(current * np.clip(shortfall, 0, 1)))


def _iteration(number: int, staffed: Scenario, report: SolveReport, evaluation: Evaluation,
               raised: dict[str, int], seconds: dict[str, float]) -> Iteration:
    channels = evaluation.channels
    return Iteration(
        number=number, cost=paid_cost(staffed), currency=staffed.currency,
        paid_hours=paid_hours(staffed), agent_shifts=agent_shifts(staffed), solve=report,
        service_level=channels["service_level"].fillna(1.0).to_dict(),
        half_width=channels["service_level_ci95"].to_dict(),
        lower_bound=channels["lower_bound"].to_dict(),
        target=channels["target"].to_dict(), met=channels["met"].astype(bool).to_dict(),
        attainment=evaluation.attainment, replications=evaluation.replications,
        raised=raised, seconds=seconds, over_cap=over_cap(evaluation.caps),
        unclear_cap=unclear_cap(evaluation.caps),
    )


def _coverage(coverage: pd.DataFrame, evaluation: Evaluation) -> pd.DataFrame:
    """Coverage per channel and interval with the simulated service level beside it."""
    simulated = evaluation.intervals[["channel", "interval", "service_level",
                                      "service_level_ci95"]]
    merged = coverage.merge(simulated, on=["channel", "interval"], how="left")
    return merged.rename(columns={"service_level": "simulated_sla",
                                  "service_level_ci95": "simulated_sla_ci95"})
