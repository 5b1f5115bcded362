"""The heavy runs behind the pages, cached on plain data (a scenario's JSON, replications
and a seed): running the same scenario again in any session returns at once. Results are
plain frames, so they pickle into the cache and into the session's run history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from omnistaff.optimize import optimize as run_loop
from omnistaff.optimize import staffing_gap
from omnistaff.optimize.roster_out import headcount_frame, roster_frame
from omnistaff.scenarios import Scenario
from omnistaff.sim.compare import BASE, Comparison, compare_scenarios, run_kpis
from omnistaff.sim.experiment import Replications, run_tasks
from omnistaff.sim.result import SimResult
from omnistaff.sim.run import simulate as simulate_one
from omnistaff.ui import daily
from omnistaff.ui.app.optimize_progress import OptimizeProgress, iteration_line
from omnistaff.ui.app.state import Run
from omnistaff.ui.past_runs import PastRun

Progress = Callable[..., None]
CACHE_ENTRIES = 64


@dataclass(frozen=True)
class Simulation:
    """Replications of one scenario: KPI tables with 95% CIs and per-interval frames."""

    replications: int
    seed: int
    channels: pd.DataFrame
    groups: pd.DataFrame
    channel_intervals: pd.DataFrame
    group_intervals: pd.DataFrame
    #: Long KPI table with costs (variant, scope, name, kpi, mean, ci95), as compare makes.
    kpis: pd.DataFrame
    #: Per channel and day: service level, its one-sided 95% bounds and verdict, backlog and
    #: response-time percentiles (`daily.by_day`).
    days: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Per channel, day and hour: service level and contacts judged (`daily.hour_grid`).
    hours: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Each replication's KPIs (long: variant, replication, scope, name, kpi, value): what
    #: past runs are compared on without running them again (`ui.past_runs`).
    replication_kpis: pd.DataFrame = field(default_factory=pd.DataFrame)


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def simulate(scenario_json: str, replications: int, seed: int,
             _progress: Progress | None = None) -> Simulation:
    """Run replications 0..n-1 of the scenario from `seed`."""
    scenario = Scenario.model_validate_json(scenario_json)
    tasks = [(scenario, seed, r) for r in range(replications)]
    runs = Replications(scenario, seed, run_tasks(_with_contacts, tasks, progress=_progress))
    per_run = [run_kpis(r, scenario).assign(variant=BASE, replication=r.replication)
               for r in runs.results]
    per_replication = pd.concat(per_run, ignore_index=True)
    comparison = Comparison({BASE: scenario}, runs.seed, replications, per_replication,
                            pd.DataFrame())
    intervals = runs.channel_intervals()
    days = daily.by_day(daily.day_verdicts(runs),
                        daily.day_percentiles([daily.day_waits(r.contacts, scenario)
                                               for r in runs.results]),
                        daily.day_backlog(intervals, scenario))
    return Simulation(replications, runs.seed, runs.channel_table(), runs.group_table(),
                      intervals, runs.group_intervals(), comparison.kpi_table(), days,
                      daily.hour_grid(intervals), per_replication)


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def staffing(scenario_json: str) -> pd.DataFrame:
    """Required against scheduled staffing per group and interval (`staffing_gap`)."""
    return staffing_gap.staffing_gap(Scenario.model_validate_json(scenario_json))


def simulation_run(run: Run) -> PastRun:
    """A simulation run of the session as a past run to compare ('#2 no_weekend_social')."""
    sim: Simulation = run.result
    return PastRun(f"#{run.id} {run.params.get('variant', 'base')}",
                   Scenario.model_validate_json(run.scenario_json), sim.seed,
                   sim.replications, sim.replication_kpis)


def _with_contacts(task: tuple[Scenario, int, int]) -> SimResult:
    """One replication, keeping its contacts (the per-day response-time percentiles)."""
    scenario, seed, replication = task
    return simulate_one(scenario, seed, replication, contacts=True)


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def compare(variant_jsons: dict[str, str], replications: int, seed: int,
            _progress: Progress | None = None) -> Comparison:
    """Run variants (the first is the base) with common random numbers: paired results."""
    scenarios = {name: Scenario.model_validate_json(text) for name, text in
                 variant_jsons.items()}
    return compare_scenarios(scenarios, replications, seed, progress=_progress)


@dataclass(frozen=True)
class Optimization:
    """A simulation-optimization run: the schedule, its coverage, each iteration, and the
    scenario with the schedule as its staffing."""

    scenario_json: str
    schedule: pd.DataFrame
    coverage: pd.DataFrame
    iterations: pd.DataFrame
    notes: tuple[str, ...]
    cost: float
    converged: bool
    headline: str = ""
    proven: bool = True
    #: With contracts: roster.csv's rows (one per person per working day) and headcount.csv's
    #: (people, FTE, paid hours and cost per group and contract); empty without.
    roster: pd.DataFrame = field(default_factory=pd.DataFrame)
    headcount: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The final schedule's verdict per channel and day (`evaluate.period_verdicts`).
    days: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(frozen=True)
class OptimizedComparison:
    """Variants each optimized to the same SLAs first, then compared paired: the comparison
    of the optimized scenarios, and each optimization's headline and outcome."""

    comparison: Comparison
    headlines: dict[str, str]
    met: dict[str, bool]
    proven: dict[str, bool]


@st.cache_data(show_spinner=False, max_entries=16)
def compare_optimized(variant_jsons: dict[str, str], replications: int, seed: int,
                      _progress: Progress | None = None) -> OptimizedComparison:
    """Optimize each variant (its own optimizer settings, as `compare --optimize` does), then
    compare the optimized variants paired. Progress counts variants optimized, then runs."""
    optimized: dict[str, Scenario] = {}
    headlines, met, proven = {}, {}, {}
    total = len(variant_jsons)
    for done, (name, text) in enumerate(variant_jsons.items()):
        scenario = Scenario.model_validate_json(text)

        def note(line: str, name: str = name, done: int = done) -> None:
            if _progress:
                _progress(done, total, f"optimizing {name}: {line}")

        result = run_loop(scenario, progress=lambda i, note=note: note(i.describe()),
                          notes=note)
        optimized[name] = result.scenario
        headlines[name], met[name], proven[name] = (result.headline(), result.converged,
                                                    result.proven)
        note("done")
    if _progress:
        _progress(total, total, "comparing the optimized variants")
    comparison = compare_scenarios(optimized, replications, seed)
    return OptimizedComparison(comparison, headlines, met, proven)


@st.cache_data(show_spinner=False, max_entries=16)
def optimize(scenario_json: str, _progress: Progress | None = None) -> Optimization:
    """Run the optimizer's solve-and-simulate loop on the scenario (its optimizer settings
    and seed included), reporting each iteration."""
    scenario = Scenario.model_validate_json(scenario_json)
    watch = OptimizeProgress(scenario, _progress)
    result = run_loop(scenario, progress=watch.iteration, notes=watch.note)
    roster, heads = pd.DataFrame(), pd.DataFrame()
    if result.roster:
        roster = roster_frame(result.scenario, list(result.roster))
        heads = headcount_frame(result.scenario, list(result.roster))
    return Optimization(
        result.scenario.model_dump_json(), result.schedule, result.coverage,
        pd.DataFrame([i.row() for i in result.iterations]),
        (*(iteration_line(i) for i in result.iterations),
         *((result.lowering(),) if result.lowering() else ()),
         *((result.trim.describe(scenario.currency),) if result.trim else ())),
        result.cost, result.converged, result.headline(), result.proven, roster, heads,
        _judged_days(result.evaluation.periods, result.scenario))


def _judged_days(periods: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The final evaluation's verdict per channel and period, as the planner's day table
    reads it (a period is a day, or 0 for the whole horizon)."""
    days = periods.rename(columns={"period": "day"})
    return days.assign(weekday=[scenario.horizon.day_label(int(d)) for d in days["day"]])
