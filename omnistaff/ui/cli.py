"""The `omnistaff` command line: thin wrappers that turn arguments into library calls.

Each command imports what it uses when it runs: `omnistaff --help`, `validate` and `erlang`
start without pandas, Pyomo or the simulation (`benchmarks/startup.py` times them).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer

from omnistaff.scenarios.limits import MAX_SEED
from omnistaff.ui import (
    cli_app,  # noqa: F401  (registers ui)
    cli_fit,  # noqa: F401  (registers fit, forecast)
    cli_optimize,  # noqa: F401  (registers optimize)
    cli_study,  # noqa: F401  (registers compare, sweep)
)
from omnistaff.ui.cli_common import (
    DEFAULT_WORKERS,
    DaskOpt,
    ReplicationsOpt,
    ScenarioArg,
    VariantOpt,
    WorkersOpt,
    announce_size,
    app,
    check_dask,
    check_out,
    console,
    default_out,
    executor_errors,
    fail,
    progress_bar,
    resolve_scenario,
)
from omnistaff.ui.cli_fit import ContactLogOpt


@app.command()
def schema(
    markdown: Annotated[bool, typer.Option(help="Print the scenario-format reference "
                                           "(docs/scenario-format.md) instead.")] = False,
) -> None:
    """Print the scenario JSON Schema."""
    from omnistaff.scenarios.reference import scenario_format_markdown
    from omnistaff.scenarios.scenario import Scenario as ScenarioModel

    if markdown:
        typer.echo(scenario_format_markdown(), nl=False)
        return
    typer.echo(json.dumps(ScenarioModel.model_json_schema(), indent=2))


@app.command()
def library() -> None:
    """List the bundled scenarios."""
    from omnistaff.scenarios import bundled_scenarios
    from omnistaff.scenarios import load_scenario as load_file

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
    replications: ReplicationsOpt = None,
    seed: Annotated[int | None, typer.Option(min=0, max=MAX_SEED, help="Seed (default: the "
                                             "scenario's).")] = None,
    variant: VariantOpt = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (default: "
                                             "omnistaff-out/<scenario>).")] = None,
    workers: WorkersOpt = DEFAULT_WORKERS,
    dask: DaskOpt = None,
    contact_log: ContactLogOpt = None,
) -> None:
    """Simulate a scenario and print per-channel KPIs with 95% confidence intervals."""
    from omnistaff.sim.experiment import run_replications
    from omnistaff.ui.outputs import write_simulation
    from omnistaff.ui.policy_view import long_from_wide, policy_table
    from omnistaff.ui.tables import channel_table, contacts_table, group_table, text_table

    scenario = resolve_scenario(source, variant)
    check_dask(dask)
    folder = check_out(out or default_out(source, variant))
    count = replications or scenario.horizon.replications
    announce_size(scenario, count)
    with progress_bar() as bar, executor_errors(dask):
        task = bar.add_task("simulating", total=count)
        runs = run_replications(scenario, count, seed, workers, dask,
                                progress=lambda done, _: bar.update(task, completed=done))
    title = f"{scenario.name}: {count} replication(s), seed {runs.seed}"
    console.print(channel_table(runs.channel_table(), scenario, title))
    console.print(contacts_table(runs.channel_table(), "Where the contacts went (mean per "
                                 "replication; escalated ones were handled, then continued)"))
    console.print(group_table(runs.group_table(), "Agent groups"))
    for scope, table, what in (("channel", runs.channel_table(), "call-backs, redials, "
                                "interruptions"), ("group", runs.group_table(),
                                                   "occupancy against the cap")):
        policies = policy_table(long_from_wide(table, scope), scenario, scope)
        if not policies.empty:
            console.print(text_table(policies, f"Routing policies: {what} (mean ± 95% CI)"))
    write_simulation(runs, folder)
    console.print(f"Outputs written to [bold]{folder}[/bold] (summary.json, CSV frames).")
    if contact_log:
        from omnistaff.ui.fit_run import write_contact_log

        write_contact_log(scenario, count, runs.seed, contact_log)


@app.command()
def erlang(
    rate: Annotated[float, typer.Option(min=0, max=1e7, help="Arrivals per hour.")],
    aht: Annotated[float, typer.Option(min=0.001, max=1e7, help="Mean handle time, seconds.")],
    agents: Annotated[int | None, typer.Option(min=1, max=100_000, help="Agents on the "
                                               "queue.")] = None,
    patience: Annotated[float | None, typer.Option(min=0.001, max=1e7, help="Mean patience, "
                                                   "seconds (Erlang A); none: Erlang C.")] = None,
    threshold: Annotated[float, typer.Option(min=0, max=1e7, help="SLA threshold T, "
                                             "seconds.")] = 20,
    target: Annotated[float | None, typer.Option(min=0, max=1, help="With no --agents: the "
                                                 "least agents meeting this service level.")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (no NaN or "
                                          "infinity: null where a figure has no value).")]
    = False,
) -> None:
    """Erlang C / Erlang A: P(wait), service level, ASA, abandonment, occupancy."""
    from omnistaff.sim.erlang import agents_for_target, queue_metrics

    for name, value in (("--rate", rate), ("--aht", aht), ("--patience", patience),
                        ("--threshold", threshold), ("--target", target)):
        if value is not None and not math.isfinite(value):
            fail(f"{name}: give a finite number, not {value}")
    per_second = rate / 3600
    if agents is None:
        if target is None:
            fail("give --agents N, or --target SL to find the least agents meeting it")
        try:
            agents = agents_for_target(per_second, aht, threshold, target, patience,
                                       max_agents=100_000)
        except ValueError:
            fail(f"--target: no staffing of up to 100,000 agents reaches a service level of "
                 f"{target:g}; lower the target or raise the threshold")
    metrics = queue_metrics(per_second, aht, agents, threshold, patience).to_dict()
    load = per_second * aht
    unstable = patience is None and agents <= load
    if as_json:
        shown = {k: (v if math.isfinite(v) else None) for k, v in metrics.items()}
        extra = {"agents": agents} if target is not None else {}
        typer.echo(json.dumps({**shown, **extra}, allow_nan=False))
        return
    model = "Erlang A (M/M/c+M)" if patience else "Erlang C (M/M/c)"
    console.print(f"{model}: {rate:g}/h, AHT {aht:g} s, load {load:.2f} Erlangs, "
                  f"{agents} agents")
    if unstable:
        console.print(f"  [red]unstable:[/red] {agents} agents cannot keep up with a load of "
                      f"{load:.2f} Erlangs; the queue grows without end (use more than "
                      f"{math.floor(load)} agents, or give --patience)")
    console.print(f"  P(wait)        {metrics['p_wait']:.4f}")
    console.print(f"  service level  {metrics['service_level']:.4f} (answered within "
                  f"{threshold:g} s)")
    console.print(f"  ASA            {metrics['asa_seconds']:.2f} s")
    console.print(f"  abandon rate   {metrics['abandon_rate']:.4f}")
    console.print(f"  occupancy      {metrics['occupancy']:.4f}")


def main() -> None:
    """The console entry point."""
    app()
