"""Every output written to a folder: a simulation's summary.json and tidy CSV frames; an
optimization's schedule, coverage, rounds, optimized scenario (ready for `omnistaff simulate`)
and summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import yaml

from omnistaff.sim.experiment import SUMMARY_CHANNEL_KPIS, Replications
from omnistaff.sim.plain import plain_dict, plain_value
from omnistaff.sim.pooled import TOTAL, ratio_table, replication_table
from omnistaff.sim.stats import mean_half_width

if TYPE_CHECKING:  # the optimizer (Pyomo) is imported only by the commands that use it
    from omnistaff.optimize.outcome import OptimizationResult


def write_simulation(runs: Replications, out: Path) -> list[Path]:
    """summary.json plus per-channel, per-group, per-interval and per-replication CSVs and
    the ratio estimators; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    ratios = ratio_table(runs.results)
    files = {
        "summary.json": None,
        "channels.csv": runs.channel_table(),
        "groups.csv": runs.group_table(),
        "channel_intervals.csv": runs.channel_intervals(),
        "group_intervals.csv": runs.group_intervals(),
        "replications.csv": replication_table(runs.results),
        "ratios.csv": ratios,
    }
    summary = {**runs.summary(), "total": pooled_summary(runs, ratios)}
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    for name, frame in files.items():
        if frame is not None:
            frame.to_csv(out / name, index=name in ("channels.csv", "groups.csv"))
    return [out / name for name in files]


def pooled_summary(runs: Replications, ratios: pd.DataFrame) -> dict[str, Any]:
    """The channels pooled, per replication then averaged ({"mean", "ci95"} per KPI), and
    each ratio KPI's ratio of means beside it (`ratio_of_means`, `ratio_of_means_ci95`)."""
    table = replication_table(runs.results)
    pooled = table[(table["scope"] == "channel") & (table["name"] == TOTAL)]
    kpis = [k for k in SUMMARY_CHANNEL_KPIS if k in pooled]
    summary: dict[str, Any] = {
        k: {"mean": plain_value(pooled[k].mean()),
            "ci95": plain_value(mean_half_width(pooled[k].to_numpy()))} for k in kpis}
    rows = ratios[(ratios["scope"] == "channel") & (ratios["name"] == TOTAL)]
    for row in rows.itertuples(index=False):
        summary[row.kpi].update(ratio_of_means=plain_value(row.ratio_of_means),
                                ratio_of_means_ci95=plain_value(row.ratio_of_means_ci95))
    return summary


OUTPUT_COLUMNS = ["group", "day", "start", "end", "breaks", "count", "template",
                    "length_hours", "paid_hours", "cost"]


def write_optimization(result: OptimizationResult, out: Path) -> list[Path]:
    """schedule.csv, coverage.csv, iterations.csv, optimized-scenario.yaml and summary.json in
    `out` (created if missing); the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / name for name in ("schedule.csv", "coverage.csv", "iterations.csv",
                                     "optimized-scenario.yaml", "summary.json")]
    result.schedule[OUTPUT_COLUMNS].to_csv(paths[0], index=False)
    result.coverage.to_csv(paths[1], index=False)
    pd.DataFrame([i.row() for i in result.iterations]).to_csv(paths[2], index=False)
    paths[3].write_text(optimized_yaml(result), encoding="utf-8")
    paths[4].write_text(json.dumps(optimization_summary(result), indent=2), encoding="utf-8")
    if result.roster:
        paths += write_roster(result, out)
    return paths


def write_roster(result: OptimizationResult, out: Path) -> list[Path]:
    """roster.csv (one row per person per working day) and headcount.csv (people, FTE and
    cost per group and contract) of a plan in people on tours."""
    from omnistaff.optimize.roster_out import headcount_frame, roster_frame

    roster = list(result.roster)
    paths = [out / "roster.csv", out / "headcount.csv"]
    roster_frame(result.scenario, roster).to_csv(paths[0], index=False)
    headcount_frame(result.scenario, roster).to_csv(paths[1], index=False)
    return paths


def optimized_yaml(result: OptimizationResult) -> str:
    """The optimized scenario as YAML that loads back to the same scenario."""
    data = result.scenario.model_dump(mode="json", exclude_none=True)
    header = (f"# {result.scenario.name}: staffing optimized by omnistaff "
              f"({len(result.iterations) - len(result.trials)} rounds, "
              f"{len(result.trials)} lowering trials). {result.headline()}\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def optimization_summary(result: OptimizationResult) -> dict[str, Any]:
    """Cost, paid hours per group, SLA per channel with confidence half-width, solver status,
    gap and times (JSON-ready)."""
    final = result.final
    channels = result.evaluation.channels
    trim = result.trim
    judging = result.evaluation.judging
    return {
        "headline": result.headline(),
        "scenario": result.scenario.name,
        "converged": result.converged,
        "proven": result.proven,
        "timed_out": any(i.solve.timed_out for i in result.iterations),
        "iterations": len(result.iterations),
        "currency": final.currency,
        "cost": result.cost,
        "cost_before_trim": final.cost,
        "lowering": {"trials": len(result.trials),
                     "kept": sum(i.kept for i in result.trials),
                     "cost_before": next((i.cost for i in reversed(result.iterations)
                                          if i.phase == "raise"), final.cost),
                     "cost_after": final.cost},
        "trim": None if trim is None else {
            "removed_agent_shifts": trim.removed,
            **({} if trim.people_removed is None else {"removed_people": trim.people_removed}),
            "cost_before": trim.cost_before,
            "cost_after": trim.cost_after, "simulations": trim.evaluations,
            "complete": trim.complete, "untried_shift_options": trim.untried,
            "summary": trim.describe(final.currency),
            "refused_on_fresh_replications": trim.refused_afresh,
            "start_missed_on_fresh_replications": list(trim.missed_afresh),
            f"{trim.kept_unit.replace(' ', '_')}_kept_for_them": trim.kept_for_them},
        "judging": {"confidence": judging.confidence, "period": judging.period,
                    "replications": result.evaluation.replications,
                    "first_batch": judging.replications,
                    "max_replications": judging.max_replications},
        "agent_shifts": result.agent_shifts,
        "agent_shifts_before_trim": final.agent_shifts,
        "paid_hours": result.paid_hours,
        "paid_hours_before_trim": final.paid_hours,
        "simulated_paid_hours": plain_dict(result.evaluation.groups["paid_hours"]),
        "sla": {c: {key: plain_value(row[column]) for key, column in _SLA_FIELDS.items()}
                for c, row in channels.iterrows()},
        "solver": {"name": final.solve.solver, "status": final.solve.status,
                   "proven": final.solve.proven, "timed_out": final.solve.timed_out,
                   "gap": final.solve.gap, "mip_gap": final.solve.mip_gap,
                   "objective": final.solve.objective,
                   "bound": final.solve.bound, "options_searched": final.solve.options_searched},
        "roster": _roster_summary(result) if result.roster else None,
        "seconds": {"total": result.seconds, **{
            phase: sum(i.seconds.get(phase, 0.0) for i in result.iterations)
            for phase in ("solve", "simulate")}},
    }


_SLA_FIELDS = {"service_level": "service_level", "ci95": "service_level_ci95",
               "lower_bound": "lower_bound",
               "target": "target", "abandon_rate": "abandon_rate",
               "abandon_rate_ci95": "abandon_rate_ci95", "max_abandon_rate": "max_abandon_rate",
               "met": "met"}


def _roster_summary(result: OptimizationResult) -> dict[str, Any]:
    """People, FTE and cost of a plan in people, and every rule its roster breaks (none when
    the optimizer is right: the roster is checked as it is written)."""
    from omnistaff.optimize.roster_check import roster_violations
    from omnistaff.optimize.roster_out import headcount_frame

    roster = list(result.roster)
    heads = headcount_frame(result.scenario, roster)
    return {"people": int(heads["people"].sum()), "fte": float(heads["fte"].sum()),
            "premium_cost": float(heads["premium_cost"].sum()),
            "overtime_cost": float(heads["overtime_cost"].sum()),
            "rules_broken": roster_violations(result.scenario, roster)}
