"""`omnistaff fit` and `omnistaff forecast`: from a center's contact log or interval report
to a scenario, each fit shown as a table here and as pictures in an HTML page (the work is in
`fit_run`, imported when a command runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from omnistaff.ui.cli_common import app

#: Weeks a forecast may cover: a scenario's horizon is at most 28 days
#: (`omnistaff.fit.forecast.MAX_FORECAST_WEEKS`, checked equal by a test).
MAX_FORECAST_WEEKS = 4

LogArg = Annotated[Path, typer.Argument(help="A contact log or interval report, CSV (may be "
                                        ".gz) or Parquet.")]
OutOpt = Annotated[Path, typer.Option("--out", help="The scenario YAML to write.")]
MappingOpt = Annotated[Path | None, typer.Option(help="A YAML file naming the columns, "
                                                 "timestamp format, time zone and deferred "
                                                 "channels (docs/fit.md).")]
ColumnOpt = Annotated[list[str] | None, typer.Option(
    "--column", help="ROLE=NAME: the log's name for a column role, e.g. "
    "arrived_at=call_start (repeatable).")]
FormatOpt = Annotated[str | None, typer.Option(help="strftime format of the timestamps, e.g. "
                                               "'%d/%m/%Y %H:%M' (default: ISO 8601).")]
ZoneOpt = Annotated[str | None, typer.Option(help="Time zone for timestamps that carry an "
                                             "offset (default UTC), e.g. Europe/Paris.")]
DeferredOpt = Annotated[list[str] | None, typer.Option(
    "--deferred", help="A channel answered later (email, social), not live; repeatable.")]
IntervalOpt = Annotated[int, typer.Option(help="Minutes per interval of a contact log's "
                                          "scenario: 15 or 30.")]
KindOpt = Annotated[str, typer.Option(help="contacts, intervals, or auto (intervals when "
                                      "the file has an `offered` column).")]
ReportOpt = Annotated[Path | None, typer.Option(help="The HTML page to write (default: beside "
                                                "--out, named <out>-fit.html).")]
CostOpt = Annotated[float | None, typer.Option(min=0, max=100_000, help="Paid cost per "
                                              "agent-hour, in USD (default: 1 agent-h, so "
                                              "costs read as paid agent-hours).")]
HoldoutOpt = Annotated[int, typer.Option(min=0, max=8, help="Weeks held out for the backtest "
                                         "(0: none).")]


ContactLogOpt = Annotated[Path | None, typer.Option(
    help="Also write every replication's contacts as one contact log (CSV, the format "
    "`omnistaff fit` reads), replications one after another in time from Monday "
    "2026-01-05 (re-runs each replication to keep its contacts).")]


@app.command()
def fit(
    log: LogArg, out: OutOpt, mapping: MappingOpt = None, column: ColumnOpt = None,
    timestamp_format: FormatOpt = None, timezone: ZoneOpt = None,
    deferred: DeferredOpt = None, interval: IntervalOpt = 30, kind: KindOpt = "auto",
    report: ReportOpt = None,
    weeks: Annotated[int, typer.Option(min=0, max=MAX_FORECAST_WEEKS, help="Forecast this "
                                       "many weeks ahead instead of the history's mean week "
                                       "(as `omnistaff forecast`).")] = 0,
    holdout: HoldoutOpt = 2, hourly_cost: CostOpt = None,
) -> None:
    """Fit a contact log or interval report and write a scenario that validates."""
    from omnistaff.ui.fit_run import _mapping, _run

    _run(log, out, _mapping(mapping, column, timestamp_format, timezone, deferred), interval,
         kind, report, weeks, holdout, hourly_cost)


@app.command()
def forecast(
    log: LogArg, out: OutOpt,
    weeks: Annotated[int, typer.Option(min=1, max=MAX_FORECAST_WEEKS, help="Weeks to "
                                       "forecast (the scenario's horizon).")] = 1,
    holdout: HoldoutOpt = 2, mapping: MappingOpt = None, column: ColumnOpt = None,
    timestamp_format: FormatOpt = None, timezone: ZoneOpt = None,
    deferred: DeferredOpt = None, interval: IntervalOpt = 30, kind: KindOpt = "auto",
    report: ReportOpt = None, hourly_cost: CostOpt = None,
) -> None:
    """Fit a log, forecast the next weeks (ETS, weekly and daily seasonality), backtest it
    against seasonal naive, and write the forecast as a scenario."""
    from omnistaff.ui.fit_run import _mapping, _run

    _run(log, out, _mapping(mapping, column, timestamp_format, timezone, deferred), interval,
         kind, report, weeks, holdout, hourly_cost)
