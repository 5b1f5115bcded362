"""omnistaff: workforce and staffing simulation for multichannel contact centers.

The public API, in the order a study uses it (see docs/api.md):

- scenarios: `load_scenario(path)`, `scenario_from_dict(data)`, `bundled_scenarios()`, a
  `Scenario` and its `variant(name)`; bad input raises `ScenarioError` listing every problem;
- one replication: `simulate(scenario, seed)` -> `SimResult` (tidy frames);
- many: `run_replications(scenario, replications)` (means and 95% intervals) and
  `compare_variants(scenario)` (paired differences with common random numbers), each run
  as a `RunSettings` says (replications, seed, workers, Dask address, progress);
- the optimizer: `omnistaff.optimize.optimize(scenario)`, imported from its own package
  because it brings in Pyomo.
"""

from omnistaff.scenarios import (
    Scenario,
    ScenarioError,
    bundled_scenarios,
    load_scenario,
    scenario_from_dict,
)
from omnistaff.sim import SimResult, simulate
from omnistaff.sim.compare import Comparison, compare_variants
from omnistaff.sim.experiment import Replications, RunSettings, run_replications

__version__ = "0.1.0"
__all__ = [
    "Comparison",
    "Replications",
    "RunSettings",
    "Scenario",
    "ScenarioError",
    "SimResult",
    "bundled_scenarios",
    "compare_variants",
    "load_scenario",
    "run_replications",
    "scenario_from_dict",
    "simulate",
]
