"""A fitted log written as a scenario that validates: one week (or the forecast's weeks)
of expected contacts per interval, the fitted handle time, patience and day-level CV, the
groups the log shows, and staffing from the log or, where it has none, estimated by Erlang."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import yaml

from omnistaff.fit.fitting import ChannelFit, LogFit
from omnistaff.scenarios.loader import scenario_from_dict
from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.units import WEEKDAYS
from omnistaff.sim.erlang import agents_for_target

#: The SLA written when a log cannot say it (a common target): live 80% in 20 s,
#: deferred 90% in 24 h.
LIVE_SLA = {"target": 0.8, "threshold": 20.0}
DEFERRED_SLA = {"target": 0.9, "threshold": 86400.0}


@dataclass(frozen=True)
class Horizon:
    """What the scenario covers: expected contacts per interval of each channel over
    `days` from `start_weekday`, and each channel's day-level CV."""

    start_weekday: str
    days: int
    counts: dict[str, np.ndarray]
    day_cv: dict[str, float]


def history_horizon(fit: LogFit) -> Horizon:
    """One week from Monday: the mean contacts per weekday and interval, the fitted CVs."""
    return Horizon("mon", 7, {n: c.arrivals.weekday_counts.ravel() for n, c in
                              fit.channels.items()},
                   {n: c.arrivals.day_cv.value for n, c in fit.channels.items()})


def scenario_from_fit(fit: LogFit, horizon: Horizon | None = None,
                      name: str | None = None, hourly_cost: float | None = None
                      ) -> tuple[Scenario, list[str]]:
    """The validated scenario and notes on what was assumed (SLA, cost, estimated staffing).
    Without an hourly cost, every agent-hour costs 1 in the currency `agent-h`, so costs
    read as paid agent-hours."""
    horizon = horizon or history_horizon(fit)
    notes = [f"SLA not in the log: live channels {LIVE_SLA['target']:.0%} within "
             f"{LIVE_SLA['threshold']:g} s, deferred {DEFERRED_SLA['target']:.0%} within 24 h; "
             "edit channels.*.sla"]
    if hourly_cost is None:
        notes.append("cost not in the log: 1 per agent-hour (currency agent-h, so costs are "
                     "paid agent-hours); give --hourly-cost or edit groups.*.hourly_cost")
    busyness, own_cv, note = _busyness(fit, horizon.day_cv)
    notes.append(note)
    channels = {n: _channel(c, horizon.counts[n], own_cv[n]) for n, c in
                fit.channels.items()}
    staffing, note = _staffing(fit, horizon)
    notes.append(note)
    data = {
        "name": name or f"Fitted from {fit.source}"[:200],
        "description": (f"Fitted by omnistaff fit from {fit.source} ({fit.kind} log, "
                        f"{fit.interval_minutes}-minute intervals)."),
        "currency": "agent-h" if hourly_cost is None else "USD",
        "horizon": {"start_weekday": horizon.start_weekday, "days": horizon.days,
                    "interval_minutes": fit.interval_minutes, "replications": 5},
        "channels": channels,
        "groups": {g: {"skills": skills, "hourly_cost": 1.0 if hourly_cost is None
                       else hourly_cost} for g, skills in fit.groups.items()},
        "staffing": {"per_interval": staffing},
    }
    if busyness:
        data["busyness"] = busyness
    return scenario_from_dict(data, "fitted scenario"), notes


def _busyness(fit: LogFit, day_cv: dict[str, float]
              ) -> tuple[dict[str, dict], dict[str, float], str]:
    """Shared day-level factors where the log shows them and the scenario format has them
    (`busyness`), each channel's own day_cv then the rest: (1 + c²) = (1 + s²)(1 + own²)."""
    factors = fit.shared.factors if fit.shared is not None else ()
    if not factors:
        return {}, day_cv, "day_cv: each channel's own (no two channels' busy days linked)"
    if "busyness" not in Scenario.model_fields:
        return {}, day_cv, ("day_cv: each channel's own; busy days are shared (see the "
                            "correlation table), which this scenario format cannot state")
    busyness, own = {}, dict(day_cv)
    for i, factor in enumerate(factors):
        busyness["busy_days" if len(factors) == 1 else f"busy_days_{i + 1}"] = {
            "cv": round(min(factor.cv, 1.0), 4), "channels": list(factor.channels)}
        for name in factor.channels:
            rest = (1 + day_cv[name] ** 2) / (1 + factor.cv**2) - 1
            own[name] = math.sqrt(max(rest, 0.0))
    return busyness, own, ("busyness: busy days shared by " + "; ".join(
        ", ".join(f.channels) for f in factors) + ", each channel's day_cv the rest on top")


def _channel(fit: ChannelFit, counts: np.ndarray, day_cv: float) -> dict:
    channel: dict = {
        "mode": fit.mode,
        "arrivals": {"counts": [round(float(c), 3) for c in counts],
                     "day_cv": round(min(day_cv, 1.0), 4)},
        "handle_time": fit.handle.chosen.model_dump(mode="json"),
        "sla": dict(LIVE_SLA if fit.mode == "live" else DEFERRED_SLA),
    }
    if fit.mode == "live" and fit.patience is not None:
        channel["patience"] = {"dist": "exponential", "mean": round(fit.patience.mean, 3)}
    if fit.mode == "deferred" and fit.expiry:
        channel["expiry"] = round(fit.expiry, 3)
    return channel


def _staffing(fit: LogFit, horizon: Horizon) -> tuple[dict[str, list[int]], str]:
    per_day = 1440 // fit.interval_minutes
    days = [WEEKDAYS.index(horizon.start_weekday) + d for d in range(horizon.days)]
    if fit.staffing is not None:
        week = {g: np.rint(a).astype(int) for g, a in fit.staffing.items()}
        return ({g: [int(v) for d in days for v in week[g][d % 7]] for g in week},
                "staffing: mean agents staffed per weekday and interval, from the log")
    required = {g: np.zeros(horizon.days * per_day, dtype=int) for g in fit.groups}
    for name, channel in fit.channels.items():
        group = next(g for g, skills in fit.groups.items() if name in skills)
        required[group] += _required(channel, horizon.counts[name], fit.interval_minutes)
    return ({g: [int(v) for v in a] for g, a in required.items()},
            "staffing estimated (the log has none): per interval, the least agents meeting "
            "each live channel's SLA by Erlang A (C without patience), and the workload of "
            "deferred channels; run `omnistaff optimize` for shifts")


def _required(channel: ChannelFit, counts: np.ndarray, minutes: int) -> np.ndarray:
    aht = channel.handle.chosen.mean
    out = np.zeros(len(counts), dtype=int)
    for i, count in enumerate(counts):
        if count <= 0:
            continue
        rate = count / (minutes * 60)
        if channel.mode == "deferred":
            out[i] = math.ceil(rate * aht)
            continue
        patience = channel.patience.mean if channel.patience else None
        out[i] = agents_for_target(rate, aht, LIVE_SLA["threshold"], LIVE_SLA["target"],
                                   patience, max_agents=5000)
    return out


def scenario_yaml(scenario: Scenario, header: str) -> str:
    """YAML that loads back to the same scenario, short lists on one line."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    data["name"] = scenario.name
    for channel in data["channels"].values():
        channel.setdefault("mode", "live")
    lines = "".join(f"# {line}\n" for line in header.splitlines())
    return lines + yaml.safe_dump(data, sort_keys=False, allow_unicode=True,
                                  default_flow_style=None, width=100)

