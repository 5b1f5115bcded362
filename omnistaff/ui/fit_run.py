"""What `omnistaff fit` and `omnistaff forecast` do: read a log, fit it, forecast, write the
scenario and its HTML page, and show each fit as a table (imported when a command runs, so
the command line starts without pandas or the forecasting library)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from rich.table import Table

from omnistaff.fit import (
    LogError,
    LogFit,
    LogMapping,
    fit_contact_log,
    fit_interval_report,
    read_contact_log,
    read_interval_report,
    read_mapping,
)
from omnistaff.fit.forecast import MODEL, backtest, forecast_horizon
from omnistaff.fit.readers import column_names
from omnistaff.fit.report import write_fit_report
from omnistaff.fit.summary import (
    arrivals_table,
    backtest_notes,
    backtest_table,
    forecast_table,
    handle_table,
    patience_table,
)
from omnistaff.fit.writer import scenario_from_fit, scenario_yaml
from omnistaff.scenarios import Scenario, ScenarioError
from omnistaff.sim.contact_log import contact_log, log_start
from omnistaff.sim.run import simulate
from omnistaff.ui.cli_common import console, errors, fail


def write_contact_log(scenario: Scenario, replications: int, seed: int, path: Path) -> None:
    """The contact log of replications 0..n-1, each placed after the one before."""
    if path.is_dir() or not path.parent.is_dir():
        fail(f"--contact-log: '{path}' is not a file in an existing folder; give a file path")
    start = log_start(scenario.horizon.start_weekday)
    days = pd.Timedelta(days=scenario.horizon.days)
    logs = [contact_log(simulate(scenario, seed, r, contacts=True), start + r * days)
            for r in range(replications)]
    frame = pd.concat(logs, ignore_index=True)
    frame.to_csv(path, index=False)
    console.print(f"Contact log of {len(frame):,} contacts written to [bold]{path}[/bold].")


def _mapping(path: Path | None, columns: list[str] | None, timestamp_format: str | None,
             timezone: str | None, deferred: list[str] | None) -> LogMapping:
    try:
        base = read_mapping(path) if path else LogMapping()
        return base.with_options(columns or [], timestamp_format, timezone, deferred or [])
    except LogError as exc:
        fail(f"{'--mapping' if path else 'option'}: {exc}")


def _run(log: Path, out: Path, mapping: LogMapping, interval: int, kind: str,
         report: Path | None, weeks: int, holdout: int, hourly_cost: float | None) -> None:
    page = report or out.with_name(f"{out.stem}-fit.html")
    for path, option in ((out, "--out"), (page, "--report")):
        if path.is_dir() or not path.parent.is_dir():
            fail(f"{option}: '{path}' is not a file in an existing folder; give a file path")
    try:
        fitted = _fit(log, mapping, interval, kind)
        horizon = forecasts = None
        tests = []
        if weeks:
            horizon, forecasts = forecast_horizon(fitted, weeks)
            if holdout:
                tests = [backtest(c.arrivals, holdout) for c in fitted.channels.values()]
        scenario, notes = scenario_from_fit(fitted, horizon, hourly_cost=hourly_cost)
    except LogError as exc:
        fail(f"{log.name}: {exc}")
    except ScenarioError as exc:
        fail(f"the fitted scenario does not validate: {exc}")
    notes = [*fitted.notes, *notes, *backtest_notes(tests, MODEL)]
    _print_fit(fitted)
    if forecasts:
        console.print(_table(forecast_table(forecasts), f"Forecast, {MODEL} on daily totals "
                             "(day_cv from the 95% prediction interval)"))
    if tests:
        console.print(_table(backtest_table(tests), f"Backtest on the last {holdout} week(s), "
                             "against seasonal naive (last week repeated)"))
    for note in notes:
        console.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    header = (f"{scenario.name}: written by omnistaff {'forecast' if weeks else 'fit'} "
              f"from {log.name}.\n" + "\n".join(notes))
    out.write_text(scenario_yaml(scenario, header), encoding="utf-8")
    write_fit_report(fitted, page, notes, forecasts, tests)
    console.print(f"Scenario written to [bold]{out}[/bold] ({scenario.horizon.days} days); "
                  f"figures in [bold]{page}[/bold].")


def _fit(log: Path, mapping: LogMapping, interval: int, kind: str) -> LogFit:
    if kind not in ("auto", "contacts", "intervals"):
        raise LogError(f"--kind {kind[:40]}: use contacts, intervals or auto")
    if kind == "auto":
        offered = mapping.interval_columns()["offered"]
        kind = "intervals" if offered in column_names(log) else "contacts"
    what = "contact log" if kind == "contacts" else "interval report"
    errors.print(f"reading {log.name} as a {what}", highlight=False)
    if kind == "intervals":
        return fit_interval_report(read_interval_report(log, mapping), mapping.deferred)
    return fit_contact_log(read_contact_log(log, mapping), interval, mapping.deferred)


def _print_fit(fitted: LogFit) -> None:
    a = arrivals_table(fitted)
    arrivals = pd.DataFrame({
        "channel": a["channel"], "mode": a["mode"], "days": a["days"],
        "weekly volume": [f"{v:,.0f} ± {h:,.0f}" for v, h in zip(a["weekly_volume"],
                                                                 a["volume_ci95"], strict=True)],
        "day CV [95%]": [_range(v, lo, hi) for v, lo, hi in
                         zip(a["day_cv"], a["day_cv_low"], a["day_cv_high"], strict=True)],
        "answered": a["answered"], "abandoned": a["abandoned"]})
    arrivals["days: observed / fitted"] = [
        _spark(c.arrivals.daily.to_numpy(), c.arrivals.expected_daily.to_numpy())
        for c in fitted.channels.values()]
    console.print(_table(arrivals, f"Arrivals from {fitted.source}: weekly volume and "
                         "day-level CV, 95% intervals"))
    if fitted.shared is not None:
        shared = fitted.shared
        link = ("busy days are shared (correlation's 95% interval above 0): " + "; ".join(
            f"{', '.join(f.channels)} with a shared day CV of {f.cv:.3f} [{f.low:.3f}, "
            f"{f.high:.3f}]" for f in shared.factors) if shared.factors
            else "no two channels' busy days are significantly correlated")
        corr = shared.correlation.round(3).reset_index(names="channel")
        console.print(_table(corr, "Day levels: correlation between channels, each pair "
                             f"over the days both are open ({shared.days} days all are)"))
        console.print(f"  {link}.", highlight=False)
    h = handle_table(fitted)
    handle = pd.DataFrame({
        "channel": h["channel"], "contacts": h["contacts"],
        "mean s": [f"{m:,.1f} ± {c:,.1f}" for m, c in zip(h["mean_seconds"], h["mean_ci95"],
                                                         strict=True)],
        "CV [95%]": [_range(v, lo, hi) for v, lo, hi in zip(h["cv"], h["cv_low"], h["cv_high"],
                                                            strict=True)],
        "chosen": h["chosen"]})
    if "p50_observed" in h:
        handle["median s: seen / fit"] = [
            f"{o:.0f} / {f:.0f}" for o, f in zip(h["p50_observed"], h["p50_fitted"], strict=True)]
        handle["p90 s: seen / fit"] = [
            f"{o:.0f} / {f:.0f}" for o, f in zip(h["p90_observed"], h["p90_fitted"], strict=True)]
    console.print(_table(handle, "Handle time: mean with its 95% interval, CV, the family "
                         "chosen; quantiles observed against fitted"))
    if h.get("aic_lognormal", pd.Series(dtype=float)).notna().any():
        console.print(_table(_candidates(fitted), "Handle-time candidates: the lowest AIC is "
                             "chosen unless its KS distance exceeds 0.05 (then empirical)"))
    console.print(_table(_patience_view(patience_table(fitted)), "Patience from censored "
                         "waits (answered waits are censored): exponential MLE, 95% "
                         "interval; share still waiting, exponential / Kaplan-Meier"))


def _candidates(fitted: LogFit) -> pd.DataFrame:
    rows = []
    for name, channel in fitted.channels.items():
        for _, c in channel.handle.candidates.iterrows():
            rows.append({"channel": name, "family": c["family"], "AIC": c["aic"],
                         "KS distance": c["ks_distance"],
                         "chosen": "yes" if c["family"] == channel.handle.family else ""})
    return pd.DataFrame(rows)


def _patience_view(p: pd.DataFrame) -> pd.DataFrame:
    view = p[["channel", "fitted"]].copy()
    if "mean_seconds" not in p:
        return view
    fitted = p["mean_seconds"].notna()
    view["abandoned / censored"] = [f"{a:,.0f} / {c:,.0f}" if f else "" for a, c, f in
                                    zip(p["abandoned"], p["censored"], fitted, strict=True)]
    view["mean s [95%]"] = [f"{m:.0f} [{lo:.0f}, {hi:.0f}]" if f else "" for m, lo, hi, f in
                            zip(p["mean_seconds"], p["mean_low"], p["mean_high"], fitted,
                                strict=True)]
    view["median s"] = [f"{e:.0f} / {k:.0f}" if f else "" for e, k, f in
                                  zip(p["exp_median"], p["km_median"], fitted, strict=True)]
    for t in (60, 180):
        if f"waiting_{t}s_km" in p:
            view[f"at {t} s"] = [
                f"{e:.3f} / {k:.3f}" if pd.notna(k) else "" for e, k in
                zip(p[f"waiting_{t}s_exp"], p[f"waiting_{t}s_km"], strict=True)]
    return view


def _range(value: float, low: float, high: float) -> str:
    if not math.isfinite(high):
        return "n/a (one week per weekday)"
    return f"{value:.3f} [{low:.3f}, {high:.3f}]"


def _spark(observed: np.ndarray, fitted: np.ndarray) -> str:
    """Each day's observed volume over its fitted mean as a bar (▄ = as fitted)."""
    bars = "▁▂▃▄▅▆▇█"
    ratio = np.divide(observed, fitted, out=np.full(len(observed), np.nan), where=fitted > 0)
    shown = ratio[np.isfinite(ratio)][-28:]
    return "".join(bars[int(np.clip(round(3 + (r - 1) * 10), 0, 7))] for r in shown)


def _table(frame: pd.DataFrame, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(str(column).replace("_", " "), justify="right" if numeric else "left",
                         no_wrap=not numeric and column != "fitted")
    for _, row in frame.iterrows():
        table.add_row(*(_cell(v) for v in row))
    return table


def _cell(value: object) -> str:
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            return "" if math.isnan(value) else "∞"
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}" if abs(value) >= 1 \
            else f"{value:.3f}"
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else str(value)
