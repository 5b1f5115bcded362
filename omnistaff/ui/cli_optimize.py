"""The `omnistaff optimize` command: a thin wrapper over the simulation-optimization loop."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from omnistaff.ui.cli_common import (
    DEFAULT_WORKERS,
    ScenarioArg,
    VariantOpt,
    WorkersOpt,
    app,
    check_out,
    console,
    default_out,
    fail,
    resolve_scenario,
)

if TYPE_CHECKING:  # imported when the command runs (see `cli`)
    from omnistaff.optimize import Iteration
    from omnistaff.scenarios.templates import OptimizerSettings


@app.command("optimize")
def optimize_command(
    source: ScenarioArg,
    variant: VariantOpt = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (default: "
                                             "omnistaff-out/<scenario>-optimized).")] = None,
    max_iterations: Annotated[int | None, typer.Option(min=1, max=50, help="Most "
                                                       "solve-and-simulate rounds.")] = None,
    solver: Annotated[str | None, typer.Option(help="A Pyomo solver name (default "
                                               "appsi_highs).")] = None,
    time_limit: Annotated[float | None, typer.Option(
        min=1, max=86400, help="Safety net in seconds per solve (the deterministic stop is "
        "optimizer.max_nodes); a solve it stops says so.")] = None,
    workers: WorkersOpt = DEFAULT_WORKERS,
) -> None:
    """The cheapest shift schedule found meeting every channel's SLA in simulation."""
    from omnistaff.optimize import (
        ScheduleInfeasible,
        lowering_trials,
        optimize,
        round_replications,
    )
    from omnistaff.optimize.shifts import shift_options
    from omnistaff.scenarios.templates import known_solver
    from omnistaff.ui.outputs import write_optimization
    from omnistaff.ui.tables import amount

    scenario = resolve_scenario(source, variant)
    if solver is not None:
        try:
            known_solver(solver)
        except ValueError as exc:
            fail(f"--solver: {exc}")
    folder = check_out(out or default_out(source, variant, "optimized"))

    def report(iteration: Iteration) -> None:
        met = ", ".join(f"{c} {100 * sl:.1f}% (lower bound {100 * iteration.lower_bound[c]:.1f}%"
                        f"{'' if iteration.met[c] else ', missed'})"
                        for c, sl in iteration.service_level.items())
        trial = iteration.phase == "lower"
        verdict = f"; {iteration.verdict()}" if trial else ""
        verdict = iteration.cap_notes() + iteration.same_note() + verdict
        console.print(f"{'lowering trial, round' if trial else 'round'} {iteration.number}: "
                      f"cost {amount(iteration.cost, 'money', iteration.currency)}, "
                      f"{iteration.agent_shifts} agent-shifts, {iteration.solve.headline()}; "
                      f"{met}; {iteration.replications} replications{verdict}")

    settings, trials = scenario.optimizer, lowering_trials(scenario)
    unclear = "a day or a capped interval" if any(
        g.max_occupancy is not None for g in scenario.groups.values()) else "a day"
    console.print(f"Optimizing {len(shift_options(scenario)):,} shift options over "
                  f"{scenario.horizon.intervals:,} intervals; each round simulates "
                  f"{round_replications(scenario)} replications (up to "
                  f"{max(settings.max_replications, round_replications(scenario))} where "
                  f"{unclear} is unclear), at most {max_iterations or settings.max_iterations}"
                  f" round(s)"
                  f"{_after_rounds(settings, trials, bool(scenario.contracts))}.")
    try:
        result = optimize(scenario, max_iterations=max_iterations, solver=solver,
                          time_limit=time_limit, workers=workers, progress=report,
                          notes=lambda line: console.print(f"[dim]{line}[/dim]"))
    except ScheduleInfeasible as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(str(exc))
    write_optimization(result, folder)
    style = "bold" if result.converged and result.proven else "bold red"
    console.print(f"[{style}]{result.headline()}[/{style}]")
    if result.lowering() is not None:
        console.print(result.lowering())
    if result.trim is not None:
        console.print(result.trim.describe(result.final.currency))
    console.print(f"Schedule, coverage, iterations, optimized scenario and summary written to "
                  f"[bold]{folder}[/bold]; run it with `omnistaff simulate "
                  f"{folder / 'optimized-scenario.yaml'}`.")


def _after_rounds(settings: OptimizerSettings, trials: int, people: bool = False) -> str:
    """What follows the rounds once every SLA holds: up to `trials` lowering trials
    (`lowering_trials`) and the trim (of `people` on contracts), if on."""
    steps = [f"up to {trials} lowering trial(s)"] if trials else []
    steps += ["the trim of people" if people else "the trim"] if settings.trim else []
    return ", then " + " and ".join(steps) if steps else ""

