"""The fit's HTML page: each fit's table and a picture of fitted against observed (daily
volumes and their band, handle-time histogram and densities, Kaplan-Meier against the
exponential, forecast and backtest). One self-contained file (plotly.js embedded)."""

from __future__ import annotations

import html
import math
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.offline
from scipy import stats

from omnistaff.fit.fitting import ChannelFit, LogFit
from omnistaff.fit.forecast import Backtest, DailyForecast
from omnistaff.fit.summary import (
    arrivals_table,
    backtest_table,
    forecast_table,
    handle_table,
    patience_table,
    shared_table,
)

STYLE = """body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;color:#222;
padding:0 1rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}table{border-collapse:collapse;
font-size:.85rem;margin:.5rem 0 1rem}th,td{border:1px solid #ddd;padding:.25rem .5rem;
text-align:right}th{background:#f4f6f8}.note{color:#555;font-size:.9rem}"""


def write_fit_report(fit: LogFit, path: Path, notes: list[str],
                     forecasts: dict[str, DailyForecast] | None = None,
                     tests: list[Backtest] | None = None) -> Path:
    """Write the page to `path` (an .html file the user named)."""
    body = [f"<h1>Fit of {html.escape(fit.source)}</h1>",
            f"<p class='note'>{fit.kind} log, {fit.interval_minutes}-minute intervals.</p>",
            "<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>",
            _section("Arrivals: volume and day-level CV", arrivals_table(fit))]
    shared = shared_table(fit)
    if shared is not None:
        body.append(_section("Correlation of day levels between channels", shared))
    body += [_section("Handle time", handle_table(fit)),
             _section("Patience (live) and expiry (deferred)", patience_table(fit))]
    figures = []
    for channel in fit.channels.values():
        figures += [daily_figure(channel), handle_figure(channel)]
        if channel.patience is not None and not channel.patience.curve.empty:
            figures.append(patience_figure(channel))
    if forecasts:
        body.append(_section("Forecast", forecast_table(forecasts)))
        figures += [forecast_figure(fit.channels[n], f) for n, f in forecasts.items()]
    if tests:
        body.append(_section("Backtest on held-out weeks", backtest_table(tests)))
        figures += [backtest_figure(t) for t in tests]
    divs = "".join(f.to_html(full_html=False, include_plotlyjs=False, default_height="420px",
                             config={"displaylogo": False}) for f in figures)
    page = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>"
            f"{html.escape(fit.source)} fit</title><style>{STYLE}</style><script>"
            f"{plotly.offline.get_plotlyjs()}</script></head><body>{''.join(body)}{divs}"
            "</body></html>")
    path.write_text(page, encoding="utf-8")
    return path


def _section(title: str, frame: pd.DataFrame) -> str:
    return (f"<h2>{html.escape(title)}</h2>"
            + frame.to_html(index=False, float_format=lambda v: f"{v:,.3f}", na_rep="",
                            escape=True))


def daily_figure(channel: ChannelFit) -> go.Figure:
    """Observed contacts per day against the fitted weekday mean and its 95% band (Poisson
    noise and the day-level CV)."""
    a = channel.arrivals
    mean = a.expected_daily
    sd = np.sqrt(mean + (a.day_cv.value * mean) ** 2)
    fig = go.Figure([
        go.Scatter(x=mean.index, y=mean + 1.96 * sd, line={"width": 0}, showlegend=False,
                   mode="lines"),
        go.Scatter(x=mean.index, y=(mean - 1.96 * sd).clip(lower=0), fill="tonexty", mode="lines",
                   line={"width": 0}, name="95% band (fitted)", fillcolor="rgba(76,120,168,.2)"),
        go.Scatter(x=mean.index, y=mean, name="fitted weekday mean", mode="lines"),
        go.Scatter(x=a.daily.index, y=a.daily, name="observed", mode="markers")])
    fig.update_layout(title=f"{channel.name}: contacts per day (day CV {a.day_cv.value:.3f})",
                      yaxis_title="contacts")
    return fig


def handle_figure(channel: ChannelFit) -> go.Figure:
    """Histogram of handle times against the fitted densities."""
    h = channel.handle
    fig = go.Figure()
    if h.values.size == 0:
        fig.update_layout(title=f"{channel.name}: handle time from interval means only "
                          f"(AHT {h.mean:.0f} s, CV {h.cv:.2f})")
        return fig
    top = float(np.quantile(h.values, 0.99))
    x = np.linspace(top / 400, top, 400)
    fig.add_histogram(x=h.values[h.values <= top], histnorm="probability density",
                      name="observed", nbinsx=80, opacity=0.6)
    logs = np.log(h.values)
    shape, _, scale = stats.gamma.fit(h.values, floc=0)
    curves = {"lognormal": stats.lognorm.pdf(x, logs.std(), scale=math.exp(logs.mean())),
              "gamma": stats.gamma.pdf(x, shape, scale=scale),
              "exponential": stats.expon.pdf(x, scale=h.values.mean())}
    for name, y in curves.items():
        fig.add_scatter(x=x, y=y, mode="lines", name=name + (" (chosen)" if name == h.family
                                                              else ""))
    fig.update_layout(title=f"{channel.name}: handle time, chosen {h.family}",
                      xaxis_title="seconds", yaxis_title="density")
    return fig


def patience_figure(channel: ChannelFit) -> go.Figure:
    """Kaplan-Meier survival of patience (with its 95% band) against the exponential fit."""
    p = channel.patience
    assert p is not None
    c = p.curve
    fig = go.Figure([
        go.Scatter(x=c["seconds"], y=c["high"], line={"width": 0, "shape": "hv"},
                   showlegend=False),
        go.Scatter(x=c["seconds"], y=c["low"], fill="tonexty", line={"width": 0, "shape": "hv"},
                   name="Kaplan-Meier 95% band", fillcolor="rgba(76,120,168,.2)"),
        go.Scatter(x=c["seconds"], y=c["survival"], line={"shape": "hv"}, name="Kaplan-Meier"),
        go.Scatter(x=c["seconds"], y=c["exponential"], name=f"exponential, mean {p.mean:.0f} s")])
    fig.update_layout(title=f"{channel.name}: share still waiting (patience), {p.abandoned:,} "
                      f"abandoned, {p.censored:,} censored", xaxis_title="seconds waited",
                      yaxis_title="P(patience > t)")
    return fig


def forecast_figure(channel: ChannelFit, forecast: DailyForecast) -> go.Figure:
    daily = channel.arrivals.daily
    f = forecast.frame
    fig = go.Figure([
        go.Scatter(x=daily.index, y=daily, name="history", mode="lines+markers"),
        go.Scatter(x=f["date"], y=f["high"], line={"width": 0}, showlegend=False, mode="lines"),
        go.Scatter(x=f["date"], y=f["low"], fill="tonexty", line={"width": 0}, mode="lines",
                   name="95% prediction interval", fillcolor="rgba(228,87,86,.2)"),
        go.Scatter(x=f["date"], y=f["mean"], name="forecast", mode="lines+markers")])
    fig.update_layout(title=f"{channel.name}: forecast per day (day CV {forecast.day_cv:.3f})",
                      yaxis_title="contacts")
    return fig


def backtest_figure(test: Backtest) -> go.Figure:
    d = test.days
    fig = go.Figure([go.Scatter(x=d["date"], y=d[c], name=c, mode="lines+markers")
                     for c in ("actual", "forecast", "naive")])
    fig.update_layout(title=f"{test.channel}: backtest, WAPE {test.wape:.1%} (seasonal naive "
                      f"{test.naive_wape:.1%})", yaxis_title="contacts")
    return fig
