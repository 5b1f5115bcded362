"""Writing a simulation's outputs to a folder: summary.json and tidy CSV frames."""

from __future__ import annotations

import json
from pathlib import Path

from omnistaff.sim.experiment import Replications


def write_simulation(runs: Replications, out: Path) -> list[Path]:
    """summary.json plus per-channel, per-group and per-interval CSVs; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "summary.json": None,
        "channels.csv": runs.channel_table(),
        "groups.csv": runs.group_table(),
        "channel_intervals.csv": runs.channel_intervals(),
        "group_intervals.csv": runs.group_intervals(),
    }
    (out / "summary.json").write_text(json.dumps(runs.summary(), indent=2))
    for name, frame in files.items():
        if frame is not None:
            frame.to_csv(out / name, index=name in ("channels.csv", "groups.csv"))
    return [out / name for name in files]
