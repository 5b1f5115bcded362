"""The `omnistaff` command line: thin wrappers that turn arguments into library calls."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from omnistaff.scenarios import bundled_scenarios
from omnistaff.scenarios import load_scenario as load_file
from omnistaff.scenarios.reference import scenario_format_markdown
from omnistaff.scenarios.scenario import Scenario as ScenarioModel
from omnistaff.sim.erlang import agents_for_target, queue_metrics
from omnistaff.sim.experiment import run_replications
from omnistaff.ui import (
    cli_app,  # noqa: F401  (registers ui)
    cli_optimize,  # noqa: F401  (registers optimize)
    cli_study,  # noqa: F401  (registers compare, sweep)
)
from omnistaff.ui.cli_common import (
    ScenarioArg,
    VariantOpt,
    app,
    console,
    default_out,
    fail,
    progress_bar,
    resolve_scenario,
)
from omnistaff.ui.outputs import write_simulation
from omnistaff.ui.tables import channel_table, group_table


@app.command()
def schema(
    markdown: Annotated[bool, typer.Option(help="Print the scenario-format reference "
                                           "(docs/scenario-format.md) instead.")] = False,
) -> None:
    """Print the scenario JSON Schema."""
    if markdown:
        typer.echo(scenario_format_markdown(), nl=False)
        return
    typer.echo(json.dumps(ScenarioModel.model_json_schema(), indent=2))


@app.command()
def library() -> None:
    """List the bundled scenarios."""
    for name, path in bundled_scenarios().items():
        scenario = load_file(path)
        console.print(f"[bold]{name}[/bold]: {scenario.description or scenario.name}")


@app.command()
def validate(source: ScenarioArg) -> None:
    """Check a scenario: OK, or every problem with its field path and the fix."""
    scenario = resolve_scenario(source)
    variants = f" and {len(scenario.variants)} variant(s)" if scenario.variants else ""
    console.print(f"[green]OK[/green] {scenario.name}: {len(scenario.channels)} channel(s), "
                  f"{len(scenario.groups)} group(s){variants}")


@app.command()
def simulate(
    source: ScenarioArg,
    replications: Annotated[int | None, typer.Option(min=1, help="Replications "
                                                     "(default: the scenario's).")] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Seed (default: the scenario's).")] = None,
    variant: VariantOpt = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (default: "
                                             "omnistaff-out/<scenario>).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Local worker processes.")] = min(
        2, os.cpu_count() or 1),
    dask: Annotated[str | None, typer.Option(help="Run on a Dask cluster at this "
                                             "address.")] = None,
) -> None:
    """Simulate a scenario and print per-channel KPIs with 95% confidence intervals."""
    scenario = resolve_scenario(source, variant)
    count = replications or scenario.horizon.replications
    with progress_bar() as bar:
        task = bar.add_task("simulating", total=count)
        runs = run_replications(scenario, count, seed, workers, dask,
                                progress=lambda done, _: bar.update(task, completed=done))
    title = f"{scenario.name}: {count} replication(s), seed {runs.seed}"
    console.print(channel_table(runs.channel_table(), scenario, title))
    console.print(group_table(runs.group_table(), "Agent groups"))
    folder = out or default_out(source, variant)
    write_simulation(runs, folder)
    console.print(f"Outputs written to [bold]{folder}[/bold] (summary.json, CSV frames).")


@app.command()
def erlang(
    rate: Annotated[float, typer.Option(min=0, help="Arrivals per hour.")],
    aht: Annotated[float, typer.Option(min=0.001, help="Mean handle time, seconds.")],
    agents: Annotated[int | None, typer.Option(min=1, help="Agents on the queue.")] = None,
    patience: Annotated[float | None, typer.Option(min=0.001, help="Mean patience, seconds "
                                                   "(Erlang A); none: Erlang C.")] = None,
    threshold: Annotated[float, typer.Option(min=0, help="SLA threshold T, seconds.")] = 20,
    target: Annotated[float | None, typer.Option(min=0, max=1, help="With no --agents: the "
                                                 "least agents meeting this service level.")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Erlang C / Erlang A: P(wait), service level, ASA, abandonment, occupancy."""
    per_second = rate / 3600
    if agents is None:
        if target is None:
            fail("give --agents N, or --target SL to find the least agents meeting it")
        try:
            agents = agents_for_target(per_second, aht, threshold, target, patience)
        except ValueError as exc:
            fail(str(exc))
    metrics = queue_metrics(per_second, aht, agents, threshold, patience).to_dict()
    if as_json:
        typer.echo(json.dumps({**metrics, "agents": agents} if target else metrics))
        return
    model = "Erlang A (M/M/c+M)" if patience else "Erlang C (M/M/c)"
    load = per_second * aht
    console.print(f"{model}: {rate:g}/h, AHT {aht:g} s, load {load:.2f} Erlangs, "
                  f"{agents} agents")
    console.print(f"  P(wait)        {metrics['p_wait']:.4f}")
    console.print(f"  service level  {metrics['service_level']:.4f} (answered within "
                  f"{threshold:g} s)")
    console.print(f"  ASA            {metrics['asa_seconds']:.2f} s")
    console.print(f"  abandon rate   {metrics['abandon_rate']:.4f}")
    console.print(f"  occupancy      {metrics['occupancy']:.4f}")


def main() -> None:
    """The console entry point."""
    app()
