"""Write the bundled synthetic contact log, examples/fit/sample_contacts.csv.gz: eight weeks of
a small bank-like center (phone Mon-Sat, chat Mon-Fri, email every day), simulated by
omnistaff itself so that waits, abandonments and censoring come from a real queue.

Its shape: the weekday phone profile of a bank's 2003 call log (omnistaff's built-in
`business_hours`, Weinberg, Brown & Stroud 2007), lighter on Fridays and Saturdays; a busy-day
factor shared by every channel (gamma, CV 0.10) with channel noise on top (CV 0.04), and 1%
growth a week; lognormal handle times; exponential patience; staffing sized for the average
day, so busy days abandon more. Reproducible: the same seed gives the same file.

    python scripts/make_sample_log.py [--weeks 8] [--seed 2026] [--out FILE]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from omnistaff.scenarios.loader import scenario_from_dict
from omnistaff.scenarios.profiles import intraday_weights
from omnistaff.sim.contact_log import contact_log, log_start
from omnistaff.sim.erlang import agents_for_target
from omnistaff.sim.run import simulate

SAMPLE = Path(__file__).parent.parent / "examples/fit/sample_contacts.csv.gz"
BLOCK_DAYS = 28  # a scenario's longest horizon
WEEKLY = {  # contacts a week, and day-of-week weights Mon..Sun
    "phone": (3500, (1.25, 1.05, 1.0, 1.0, 0.9, 0.45, 0.0)),
    "chat": (1200, (1.2, 1.1, 1.0, 1.0, 0.9, 0.0, 0.0)),
    "email": (600, (1.3, 1.1, 1.0, 1.0, 0.9, 0.4, 0.3)),
}
HANDLE = {"phone": {"mean": 230, "cv": 1.1}, "chat": {"mean": 480, "cv": 0.8},
          "email": {"mean": 300, "cv": 0.9}}
PATIENCE = {"phone": 240.0, "chat": 420.0}
SHARED_CV, CHANNEL_CV, GROWTH = 0.10, 0.04, 0.01


def week_counts(channel: str) -> np.ndarray:
    """Expected contacts per half hour over one week, Monday first."""
    volume, weekly = WEEKLY[channel]
    day = intraday_weights("business_hours")  # 48 half hours, 07:00-21:00
    day = day / day.sum()
    weights = np.asarray(weekly) / sum(weekly)
    return (volume * weights[:, None] * day[None, :]).ravel()


def block_scenario(block: int, factors: np.ndarray) -> dict:
    """One 28-day stretch: the week's counts times growth and the shared day factors."""
    days = np.arange(BLOCK_DAYS) + block * BLOCK_DAYS
    level = (1 + GROWTH) ** (days / 7) * factors[days]
    channels = {}
    for name in WEEKLY:
        base = np.tile(week_counts(name), BLOCK_DAYS // 7)
        counts = base * np.repeat(level, 48)
        channel = {"mode": "deferred" if name == "email" else "live",
                   "arrivals": {"counts": [round(float(c), 4) for c in counts],
                                "day_cv": CHANNEL_CV},
                   "handle_time": HANDLE[name],
                   "sla": {"target": 0.8, "threshold": 20 if name == "phone" else 60}}
        if name in PATIENCE:
            channel["patience"] = {"dist": "exponential", "mean": PATIENCE[name]}
        else:
            channel.update(expiry="72h", sla={"target": 0.9, "threshold": "24h"})
        if name == "chat":
            channel["concurrency"] = {"max": 2, "efficiency": "linear"}
        channels[name] = channel
    return {"name": f"sample block {block}",
            "horizon": {"days": BLOCK_DAYS, "interval_minutes": 30},
            "channels": channels,
            "groups": {"phone_team": {"skills": ["phone"]},
                       "digital_team": {"skills": ["chat", "email"]}},
            "staffing": {"per_interval": staffing()}}


def staffing() -> dict[str, list[int]]:
    """Agents per half hour of a week for the average day: Erlang A at 75% in 20 s (phone),
    60 s (chat, two at a time), plus email's workload."""
    groups = {"phone_team": np.zeros(336, dtype=int), "digital_team": np.zeros(336, dtype=int)}
    for name, group, threshold, slots in (("phone", "phone_team", 20, 1),
                                          ("chat", "digital_team", 60, 2)):
        for i, count in enumerate(week_counts(name)):
            if count > 0.05:
                rate = count / 1800 / slots
                groups[group][i] += agents_for_target(rate, HANDLE[name]["mean"], threshold,
                                                      0.75, PATIENCE[name])
    email = week_counts("email") * HANDLE["email"]["mean"] / 1800
    groups["digital_team"] += np.ceil(email).astype(int)
    return {g: [int(v) for v in np.tile(a, BLOCK_DAYS // 7)] for g, a in groups.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=8, help="weeks of log (a multiple of 4)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=SAMPLE)
    args = parser.parse_args()
    blocks = max(1, args.weeks // 4)
    rng = np.random.default_rng(args.seed)
    shape = 1 / SHARED_CV**2
    factors = rng.gamma(shape, 1 / shape, blocks * BLOCK_DAYS)
    start = log_start("mon")
    logs = []
    for block in range(blocks):
        scenario = scenario_from_dict(block_scenario(block, factors))
        result = simulate(scenario, args.seed + block, contacts=True)
        logs.append(contact_log(result, start + pd.Timedelta(days=block * BLOCK_DAYS)))
    log = pd.concat(logs, ignore_index=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    log.to_csv(args.out, index=False, compression={"method": "gzip", "mtime": 0})
    print(f"{len(log):,} contacts over {blocks * BLOCK_DAYS} days written to {args.out}")


if __name__ == "__main__":
    main()
