"""A day-level busyness factor shared by several channels: in real centers a busy day is busy
on every channel (ContactCenters' shared "busyness"), so the channels' day levels move
together rather than independently."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from omnistaff.scenarios.base import Frozen
from omnistaff.scenarios.limits import MAX_CHANNELS, MAX_NAME

if TYPE_CHECKING:
    from omnistaff.scenarios.scenario import Scenario


class Busyness(Frozen):
    """One random multiplier per simulated day (mean 1, gamma), shared by its channels."""

    cv: float = Field(
        ge=0, le=1, description="CV of the shared day-level multiplier (mean 1, gamma), "
        "e.g. 0.1; each channel's own `arrivals.day_cv` is noise on top, independent by "
        "channel (the two multiply: total CV^2 = (1 + cv^2)(1 + day_cv^2) - 1)."
    )
    channels: tuple[str, ...] = Field(
        min_length=1, max_length=MAX_CHANNELS, description="Names of the channels it "
        "multiplies; a channel belongs to at most one busyness factor."
    )


def busyness_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """Every channel a factor names exists, and belongs to one factor only."""
    problems, owner = [], {}
    for name, factor in scenario.busyness.items():
        for i, channel in enumerate(factor.channels):
            path = f"busyness.{name[:MAX_NAME]}.channels.{i}"
            if channel not in scenario.channels:
                problems.append((path, f"no channel '{channel[:MAX_NAME]}'; name one of "
                                 f"{', '.join(scenario.channels)}"))
            elif channel in owner:
                problems.append((path, f"channel '{channel}' is already in busyness factor "
                                 f"'{owner[channel]}'; put each channel in one factor"))
            else:
                owner[channel] = name
    return problems
