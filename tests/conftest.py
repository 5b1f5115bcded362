"""Builders of small scenarios and the replication statistics the engine tests share.

Scenarios are built as plain dicts (what a YAML file would hold) and validated through
`scenario_from_dict`, so every test scenario is one the loader accepts. Statistical checks
compare a mean over seeded replications with a reference within a tolerance derived from the
replications' own spread (a Student t interval), plus a small stated slack.

It also orders the suite for two test workers (`scripts/test.sh` runs `-n 2 --dist
loadgroup --no-loadscope-reorder`): tests that share a module- or session-scoped fixture of
their own stay together on one worker (the fixture is built once), every other test is
handed out on its own, and the longest work goes first so that both workers stay busy to
the end. Lengths come from tests/durations.json (seconds per test on the 2-core machine,
from `--durations`; ordering only, never a pass or fail).
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

from omnistaff.scenarios import Scenario, scenario_from_dict
from omnistaff.sim import SimResult, simulate

#: Confidence of the intervals the statistical tests use as tolerance: 99.9% two-sided, so a
#: correct engine fails one comparison in a thousand if the seeds are ever changed.
CONFIDENCE = 0.999
DAY = 86400.0
HALF_HOURS = 48


# ------------------------------------------------------------------------------ builders


def live(aht: float = 300.0, per_interval: float | Sequence[float] = 10.0,
         threshold: float = 20.0, patience: float | None = None, dist: str = "exponential",
         **extra: Any) -> dict[str, Any]:
    """A live channel: `per_interval` expected arrivals per half-hour (one value: all day)."""
    channel: dict[str, Any] = {
        "mode": "live",
        "arrivals": {"counts": _counts(per_interval)},
        "handle_time": _distribution(dist, aht),
        "sla": {"target": 0.8, "threshold": threshold},
    }
    if patience is not None:
        channel["patience"] = {"dist": "exponential", "mean": patience}
    return _merge(channel, extra)


def deferred(aht: float = 300.0, per_interval: float | Sequence[float] = 10.0,
             threshold: float = 3600.0, expiry: float | None = None, dist: str = "exponential",
             **extra: Any) -> dict[str, Any]:
    """A deferred channel (email, social): first response within `threshold` seconds."""
    channel: dict[str, Any] = {
        "mode": "deferred",
        "arrivals": {"counts": _counts(per_interval)},
        "handle_time": _distribution(dist, aht),
        "sla": {"target": 0.8, "threshold": threshold},
    }
    if expiry is not None:
        channel["expiry"] = expiry
    return _merge(channel, extra)


def scenario(channels: dict[str, dict[str, Any]], groups: dict[str, Any] | None = None,
             staffing: dict[str, Any] | None = None, days: int = 1, warmup: float = 0.0,
             **extra: Any) -> Scenario:
    """A validated scenario; by default one group `g` skilled in every channel, 10 agents."""
    groups = groups if groups is not None else {"g": {"skills": list(channels)}}
    staffing = staffing if staffing is not None else {
        "per_interval": {name: [10] * HALF_HOURS for name in groups}}
    data: dict[str, Any] = {
        "name": "test",
        "horizon": {"days": days, "warmup": warmup},
        "channels": channels,
        "groups": groups,
        "staffing": staffing,
    }
    return scenario_from_dict(_merge(data, extra))


def single_queue(agents: int, load: float, aht: float, threshold: float,
                 patience: float | None = None, concurrency: dict[str, Any] | None = None,
                 warmup_ahts: float = 30.0) -> Scenario:
    """One live channel at constant Poisson rate load*agents/aht, served by `agents` agents
    all day; a warm-up of `warmup_ahts` handle times lets the queue reach steady state."""
    per_interval = load * agents / aht * 1800.0
    extra = {"concurrency": concurrency} if concurrency else {}
    channel = live(aht, per_interval, threshold, patience, **extra)
    warmup = min(warmup_ahts * aht, 7 * DAY)
    return scenario({"phone": channel}, {"g": {"skills": ["phone"]}},
                    {"per_interval": {"g": [agents] * HALF_HOURS}}, warmup=warmup)


def _counts(per_interval: float | Sequence[float]) -> list[float]:
    if isinstance(per_interval, int | float):
        return [float(per_interval)] * HALF_HOURS
    return [float(v) for v in per_interval]


def _distribution(dist: str, mean: float) -> dict[str, Any]:
    if dist == "fixed":
        return {"dist": "fixed", "value": mean}
    if dist in ("lognormal", "gamma"):
        return {"dist": dist, "mean": mean, "cv": 1.0}
    return {"dist": dist, "mean": mean}


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`base` updated with `extra`, nested mappings merged key by key."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


# --------------------------------------------------------------------------- replications


def seed_for(*case: object) -> int:
    """A fixed seed per test case, so that cases are independent evidence (one shared seed
    would give every case the same arrival stream) yet every run is reproducible."""
    return zlib.crc32(repr(case).encode("utf-8"))


def replicate(scen: Scenario, replications: int, seed: int = 1,
              contacts: bool = False) -> list[SimResult]:
    """Independent replications 0..n-1 of one scenario from one seed."""
    return [simulate(scen, seed, r, contacts=contacts) for r in range(replications)]


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its standard error and degrees of freedom."""

    mean: float
    se: float
    df: int

    def half_width(self, confidence: float = CONFIDENCE) -> float:
        """Half-width of the two-sided Student t interval at `confidence`."""
        return float(stats.t.ppf(0.5 + confidence / 2, self.df)) * self.se

    def agrees(self, reference: float, slack: float, confidence: float = CONFIDENCE) -> bool:
        """Whether `reference` lies within the interval widened by `slack`."""
        return abs(self.mean - reference) <= self.half_width(confidence) + slack

    def describe(self, reference: float, confidence: float = CONFIDENCE) -> str:
        return (f"{self.mean:.5g} ± {self.half_width(confidence):.2g} "
                f"({confidence:.1%} CI, df={self.df}) vs reference {reference:.5g}")


def estimate(values: Sequence[float]) -> Estimate:
    """Plain mean of independent replications' values."""
    data = np.asarray(values, dtype=float)
    return Estimate(float(data.mean()), float(data.std(ddof=1) / math.sqrt(data.size)),
                    data.size - 1)


def paired_estimate(first: Sequence[float], second: Sequence[float]) -> Estimate:
    """Mean of paired differences second - first (common random numbers)."""
    return estimate(np.asarray(second, dtype=float) - np.asarray(first, dtype=float))


# ------------------------------------------------------------------- order on two workers

DURATIONS = Path(__file__).with_name("durations.json")
#: Seconds assumed for a test missing from durations.json, by whether it is marked slow.
UNKNOWN_SLOW, UNKNOWN_QUICK = 5.0, 0.2
#: Tests kept on one worker: per module, the costly module-scoped fixtures whose users run
#: together (built once), or None for a module whose tests pass state on (one browser page).
#: Every other test is handed out on its own; a cheap shared fixture is simply built twice.
KEPT_TOGETHER: dict[str, frozenset[str] | None] = {
    "tests/test_browser.py": None,
    "tests/test_optimize_loop.py": frozenset({"run"}),
    "tests/test_compare.py": frozenset({"comparison"}),
    "tests/test_sweep.py": frozenset({"full_sweep"}),
    "tests/test_costing.py": frozenset({"mixed_run"}),
    "tests/test_fit_cli.py": frozenset({"known_log"}),
    "tests/test_fit_forecast.py": frozenset({"known_log"}),
    "tests/test_fit_roundtrip.py": frozenset({"known_log"}),
}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the tests of a costly shared fixture together, then hand out longest first."""
    seconds = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
    units: dict[str, list[pytest.Item]] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        if module in KEPT_TOGETHER and _kept(item, KEPT_TOGETHER[module]):
            item.add_marker(pytest.mark.xdist_group(module))
            units.setdefault(module, []).append(item)
        else:
            units[item.nodeid] = [item]

    def cost(unit: list[pytest.Item]) -> float:
        return sum(seconds.get(i.nodeid, UNKNOWN_SLOW if i.get_closest_marker("slow")
                               else UNKNOWN_QUICK) for i in unit)

    items[:] = [i for unit in sorted(units.values(), key=cost, reverse=True) for i in unit]


def _kept(item: pytest.Item, fixtures: frozenset[str] | None) -> bool:
    return fixtures is None or bool(fixtures & set(getattr(item, "fixturenames", ())))


# ------------------------------------------------------------- what a failed browser test saw


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Iterator[None]:
    """When a browser test fails, its report carries the page's address and visible text, and
    a screenshot is saved beside the others: a CI log then shows what was on screen."""
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and hasattr(page, "screenshot"):
        try:
            text = page.locator("body").inner_text(timeout=10_000)
            shots = item.funcargs.get("shots")
            if shots is not None:
                page.screenshot(path=shots / f"failed-{item.name}.png", timeout=10_000)
        except Exception as error:  # the page itself may be what broke
            text = f"(the page could not be read: {error})"
        report.sections.append(("page on failure", f"{page.url}\n{text[:6000]}"))
    return report
