"""Regenerate the golden summaries of the bundled scenarios (run from the repository root):

    python tests/golden/update.py [scenario ...]

Run it only when a change to the engine or to a scenario is meant to change results, and
say so in the commit: `tests/test_library.py` holds every run to these files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from omnistaff.scenarios import bundled_scenarios, load_scenario
from omnistaff.sim.compare import compare_scenarios
from omnistaff.sim.plain import plain_value

FOLDER = Path(__file__).parent
SCENARIOS = ("weekend_social", "cost_per_channel", "omni_vs_single")
CHANNEL_KPIS = ("offered", "handled", "service_level", "abandon_rate", "asa_seconds",
                "backlog_end", "total_cost", "cost_per_handled", "cost_per_resolved",
                "idle_share")
GROUP_KPIS = ("paid_hours", "occupancy", "labour_cost")
TOLERANCE = ("|mean - golden mean| <= 2 x golden ci95 + 1e-6 x |golden mean| + 1e-9: a "
             "rerun with the same seed matches exactly; an engine change that redraws the "
             "random numbers moves a KPI by about 0.5 ci95 (sd of a difference of two "
             "independent means), so a 2 ci95 bound flags a real shift, not noise")


def summary(name: str) -> dict[str, Any]:
    """The base scenario's KPI means and 95% half-widths at its default replications."""
    scenario = load_scenario(bundled_scenarios()[name])
    table = compare_scenarios({"base": scenario}).kpi_table()
    wanted = {"channel": CHANNEL_KPIS, "group": GROUP_KPIS}
    kpis: dict[str, Any] = {}
    for row in table.itertuples(index=False):
        if row.kpi in wanted[row.scope]:
            entry = kpis.setdefault(row.scope, {}).setdefault(row.name, {})
            entry[row.kpi] = {"mean": plain_value(row.mean), "ci95": plain_value(row.ci95)}
    return {"scenario": name, "replications": scenario.horizon.replications,
            "seed": scenario.horizon.seed, "tolerance": TOLERANCE, "kpis": kpis}


def main(names: list[str]) -> None:
    for name in names or SCENARIOS:
        path = FOLDER / f"{name}.json"
        path.write_text(json.dumps(summary(name), indent=1) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
