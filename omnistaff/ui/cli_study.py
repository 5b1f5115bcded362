"""The `compare` and `sweep` commands: variants side by side, and parameter sweeps with a
cost-versus-service-level frontier, each written as an HTML report with CSV and JSON."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from omnistaff.scenarios.limits import MAX_REPLICATIONS, MAX_SEED
from omnistaff.ui.cli_common import (
    DEFAULT_WORKERS,
    DaskOpt,
    ScenarioArg,
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

if TYPE_CHECKING:  # the commands import what they use when they run (see `cli`)
    import pandas as pd
    from rich.table import Table

    from omnistaff.scenarios import Scenario
    from omnistaff.sim.compare import Comparison
    from omnistaff.sim.sweep import Param, SweepResult

#: `omnistaff.sim.costing.TOTAL` (every channel pooled), not imported: costing brings pandas
TOTAL = "total"

Replications = Annotated[int | None, typer.Option(min=1, max=MAX_REPLICATIONS,
                                                  help="Replications per variant or point "
                                                  "(default: the scenario's).")]
Seed = Annotated[int | None, typer.Option(min=0, max=MAX_SEED, help="Seed (default: the "
                                          "scenario's).")]
Workers = WorkersOpt
Dask = DaskOpt
#: Most points in one sweep: every combination of the values is one simulated scenario.
MAX_SWEEP_POINTS = 1_000
Out = Annotated[Path | None, typer.Option(help="Output folder (default: "
                                          "omnistaff-out/<scenario>-<command>).")]
@app.command()
def compare(
    source: ScenarioArg,
    variants: Annotated[str | None, typer.Option(help="Variants to compare, comma-separated "
                                                 "(default: all); the base always comes "
                                                 "first.")] = None,
    optimize: Annotated[bool, typer.Option("--optimize", help="Optimize each variant's "
                                           "schedule first, then compare.")] = False,
    base: Annotated[str | None, typer.Option(help="The variant every difference is taken "
                                             "against (default: the scenario's base, which "
                                             "is then left out unless --variants names "
                                             "it).")] = None,
    replications: Replications = None,
    seed: Seed = None,
    workers: Workers = DEFAULT_WORKERS,
    dask: Dask = None,
    out: Out = None,
) -> None:
    """Compare variants on the same simulated customers: KPIs, costs and paired differences."""
    from omnistaff.scenarios import VariantError
    from omnistaff.sim.compare import compare_scenarios, variant_scenarios
    from omnistaff.ui.report import write_compare_report

    scenario = resolve_scenario(source)
    names = [n.strip() for n in variants.split(",") if n.strip()] if variants else None
    if base is not None and names is not None and base not in names:
        names = [base, *names]
    try:
        scenarios = variant_scenarios(scenario, names)
    except VariantError as exc:
        fail(f"--variants: {exc}")
    if base is not None:
        scenarios = _based_on(scenarios, base, names)
    check_dask(dask)
    folder = check_out(out or default_out(source, suffix="compare"))
    if optimize:
        scenarios = _optimized(scenarios, folder, workers)
    count = replications or scenario.horizon.replications
    announce_size(scenario, count, len(scenarios))
    with progress_bar() as bar, executor_errors(dask):
        task = bar.add_task("simulating", total=count * len(scenarios))
        comparison = compare_scenarios(scenarios, count, seed, workers, dask,
                                       lambda done, _: bar.update(task, completed=done))
    console.print(_totals_table(comparison, scenario.currency))
    console.print(_service_table(comparison))
    for table in _policy_tables(comparison):
        console.print(table)
    from omnistaff.ui.verdict import verdicts

    for line in verdicts(comparison.kpi_table(), comparison.scenarios, scenario.currency):
        console.print(f"Verdict: {line}.", highlight=False)
    write_compare_report(comparison, folder)
    console.print(f"Report written to [bold]{folder / 'report.html'}[/bold] (with kpis.csv, "
                  "intervals.csv, summary.json and figures/).")


def _based_on(scenarios: dict[str, Scenario], base: str,
              names: list[str] | None) -> dict[str, Scenario]:
    """The scenarios with `base` first; the scenario's own base kept only if named."""
    from omnistaff.sim.compare import BASE

    if base not in scenarios:
        fail(f"--base: '{base}' is not among the variants compared; use one of "
             f"{', '.join(scenarios)}")
    keep = [n for n in scenarios if n != base and (n != BASE or (names and BASE in names))]
    if not keep:
        fail("--base: name at least one other variant in --variants to compare it with")
    return {base: scenarios[base], **{n: scenarios[n] for n in keep}}


def _optimized(scenarios: dict[str, Scenario], folder: Path, workers: int
               ) -> dict[str, Scenario]:
    """Each variant with the optimizer's schedule as its staffing (simulated on `workers`
    local processes); each optimized scenario is written to `folder` and its outcome
    printed."""
    from omnistaff.optimize import ScheduleInfeasible, optimize
    from omnistaff.ui.outputs import optimized_yaml

    optimized = {}
    folder.mkdir(parents=True, exist_ok=True)
    with progress_bar() as bar:
        task = bar.add_task("optimizing", total=len(scenarios))
        for name, scenario in scenarios.items():
            try:
                result = optimize(scenario, workers=workers, notes=lambda line, n=name: (
                    bar.console.print(f"[dim]{n}: {line}[/dim]")),
                    progress=lambda i, n=name: bar.console.print(f"[dim]{n}: {i.describe()}[/dim]",
                                                                 highlight=False))
            except (ScheduleInfeasible, ValueError) as exc:
                fail(f"--optimize: variant '{name}' cannot be optimized: {exc}")
            path = folder / f"optimized-{name}.yaml"
            path.write_text(optimized_yaml(result), encoding="utf-8")
            optimized[name] = result.scenario
            headline = result.headline()
            if not (result.converged and result.proven):
                headline = f"[red]{headline}[/red]"
            rounds = len(result.iterations) - len(result.trials)
            lowering = result.lowering()
            steps = f"{rounds} round(s)" + (f"; {lowering}" if lowering else "")
            trimmed = f" {result.trim.describe(scenario.currency)}." if result.trim else ""
            bar.console.print(f"{name}: {steps}. {headline}{trimmed} Written to {path}")
            bar.advance(task)
    return optimized


def _totals_table(comparison: Comparison, currency: str) -> Table:
    from rich.table import Table

    from omnistaff.ui.report_format import cell

    """Per variant: total cost, cost per resolved contact and overall service level."""
    table = comparison.kpi_table()
    totals = table[(table["scope"] == "channel") & (table["name"] == TOTAL)].set_index(
        ["variant", "kpi"])
    out = Table(title=f"All channels, {comparison.replications} replication(s): mean ± 95% "
                "CI; Δ = paired difference from the base", title_justify="left")
    for name in ("variant", "total cost", "Δ cost", "cost per resolved", "service level",
                 "Δ service level"):
        out.add_column(name, justify="left" if name == "variant" else "right")
    for variant in comparison.scenarios:
        cost, per, level = (totals.loc[(variant, k)] for k in
                            ("total_cost", "cost_per_resolved", "service_level"))
        out.add_row(variant, cell(cost["mean"], cost["ci95"], "money", currency),
                    _delta(cost, "money", currency),
                    cell(per["mean"], per["ci95"], "money", currency),
                    cell(level["mean"], level["ci95"], "share", currency),
                    _delta(level, "share", currency))
    return out


def _delta(row: pd.Series, kind: str, currency: str) -> str:
    from omnistaff.ui.report_format import difference_text

    return difference_text(row["diff"], row["diff_ci95"], kind, currency)


def _service_table(comparison: Comparison) -> Table:
    from rich.table import Table

    from omnistaff.ui.report_format import cell

    """Service level of every channel for every variant."""
    table = comparison.kpi_table()
    levels = table[(table["scope"] == "channel") & (table["kpi"] == "service_level")]
    channels = [c for c in dict.fromkeys(levels["name"]) if c != TOTAL]
    out = Table(title="Service level by channel (mean ± 95% CI)", title_justify="left")
    out.add_column("variant")
    for channel in channels:
        out.add_column(channel, justify="right")
    by = levels.set_index(["variant", "name"])
    for variant in comparison.scenarios:
        out.add_row(variant, *[cell(by.loc[(variant, c), "mean"], by.loc[(variant, c), "ci95"],
                                    "share", "") for c in channels])
    return out


def _policy_tables(comparison: Comparison) -> list[Table]:
    """Call-backs, redials and interruptions by channel, and occupancy against the cap by
    group, for every variant with its paired difference from the base (where any is set)."""
    from omnistaff.ui.policy_view import policy_table
    from omnistaff.ui.tables import text_table

    base = comparison.scenarios[comparison.base]
    kpis, out = comparison.kpi_table(), []
    for scope, what in (("channel", "call-backs, redials, interruptions"),
                        ("group", "occupancy against the cap")):
        frame = policy_table(kpis, base, scope, comparison.base, base.currency, sep="\n")
        if not frame.empty:
            out.append(text_table(frame, f"Routing policies: {what} (mean ± 95% CI; Δ = "
                                  "paired difference from the base)"))
    return out


@app.command()
def sweep(
    source: ScenarioArg,
    param: Annotated[list[str], typer.Option(help="PATH=v1,v2,.. (repeat for more paths); "
                                             "every combination is run, e.g. --param "
                                             "channels.social.sla.threshold=1h,4h.")],
    variant: Annotated[str | None, typer.Option(help="Apply this variant first.")] = None,
    channel: Annotated[str, typer.Option(help="Service level on the frontier: a channel, or "
                                         "'total' for every channel pooled.")] = TOTAL,
    replications: Replications = None,
    seed: Seed = None,
    workers: Workers = DEFAULT_WORKERS,
    dask: Dask = None,
    out: Out = None,
) -> None:
    """Run every combination of parameter values; report the cost-versus-SLA frontier.

    Results stream to disk as they finish: run an interrupted sweep again to resume it.
    """
    from omnistaff.sim.sweep import RUNS_FILE, SweepError, parse_param
    from omnistaff.ui.report import write_sweep_report

    scenario = resolve_scenario(source, variant)
    if channel != TOTAL and channel not in scenario.channels:
        fail(f"--channel: no channel named '{channel}'; use one of "
             f"{', '.join([TOTAL, *scenario.channels])}")
    check_dask(dask)
    folder = check_out(out or default_out(source, variant, "sweep"))
    try:
        params = [parse_param(text) for text in param]
        points = math.prod(len(p.values) for p in params)
        if points > MAX_SWEEP_POINTS:
            fail(f"--param: {points:,} combinations; a sweep runs at most "
                 f"{MAX_SWEEP_POINTS:,}, so give fewer values")
        announce_size(scenario, replications or scenario.horizon.replications, points)
        with executor_errors(dask):
            result = _run_sweep(scenario, params, folder, replications, seed, workers, dask)
    except SweepError as exc:
        fail(str(exc))
    console.print(_frontier_table(result, channel, scenario.currency))
    write_sweep_report(result, scenario, folder, channel)
    console.print(f"Report written to [bold]{folder / 'report.html'}[/bold] (with points.csv, "
                  f"frontier.csv, kpis.csv, {RUNS_FILE} and figures/).")


def _run_sweep(scenario: Scenario, params: list[Param], folder: Path, replications: int | None,
               seed: int | None, workers: int, dask: str | None) -> SweepResult:
    from omnistaff.sim.sweep import RUNS_FILE, run_sweep

    count = replications or scenario.horizon.replications
    with progress_bar() as bar:
        task = bar.add_task("sweeping", total=None)
        try:
            return run_sweep(scenario, params, folder, count, seed, workers, dask,
                             lambda done, total: bar.update(task, completed=done, total=total))
        except KeyboardInterrupt:
            bar.stop()
            fail(f"interrupted; finished runs are kept in {folder / RUNS_FILE}: run the same "
                 "command again to resume", code=130)


def _frontier_table(result: SweepResult, channel: str, currency: str) -> Table:
    from rich.table import Table

    from omnistaff.ui.report_format import cell

    frontier = result.frontier(channel)
    out = Table(title=f"Frontier: the cheapest point for each service level ({channel})",
                title_justify="left")
    for name in ("point", "total cost", "service level"):
        out.add_column(name, justify="left" if name == "point" else "right")
    cost, level = f"{TOTAL}.total_cost", f"{channel}.service_level"
    for _, row in frontier.iterrows():
        out.add_row(str(row["label"]), cell(row[cost], row[f"{cost}_ci95"], "money", currency),
                    cell(row[level], row[f"{level}_ci95"], "share", currency))
    return out

