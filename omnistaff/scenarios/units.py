"""Durations, clock times and weekdays as planners write them ("20s", "1h", "08:30", "mon")."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from omnistaff.scenarios.limits import MAX_DURATION

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_GROUPS: dict[str, tuple[str, ...]] = {
    "all": WEEKDAYS,
    "weekdays": WEEKDAYS[:5],
    "weekend": WEEKDAYS[5:],
}
_UNIT_SECONDS = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hr": 3600, "d": 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(sec|min|hr|s|m|h|d)")
_DURATION = re.compile(r"^(?:\s*\d+(?:\.\d+)?\s*(?:sec|min|hr|s|m|h|d))+\s*$")


def parse_duration(value: Any) -> Any:
    """Seconds from a number or a string with units ("90", "20s", "15min", "1h30min", "2d")."""
    if isinstance(value, str):
        text = value.strip().lower()
        if _DURATION.match(text):
            return sum(float(n) * _UNIT_SECONDS[u] for n, u in _PART.findall(text))
        try:
            return float(text)
        except ValueError:
            raise ValueError(
                f"'{value}' is not a duration; write seconds as a number or use a unit, "
                "e.g. 20s, 15min, 1h30min, 2d"
            ) from None
    return value


Seconds = Annotated[
    float,
    BeforeValidator(parse_duration, json_schema_input_type=float | str),
    Field(ge=0, le=MAX_DURATION, description="A duration: seconds as a number, or a string "
          "with a unit (s, min, h, d), e.g. 20s, 15min, 1h; at most 366 days, longer than "
          "anything a contact center plans."),
]

ClockTime = Annotated[
    str,
    Field(
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        description="A time of day, HH:MM in 24-hour form, e.g. 08:00.",
    ),
]


def clock_seconds(clock: str) -> int:
    """Seconds after midnight of an HH:MM clock time."""
    hours, minutes = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60


_FULL_NAMES = {f"{day}{rest}": day for day, rest in zip(
    WEEKDAYS, ("day", "sday", "nesday", "rsday", "day", "urday", "day"), strict=True)}


def weekday_name(value: Any) -> Any:
    """A weekday as `mon` .. `sun` from its short or full name in any case ("Monday");
    anything else is left for validation to refuse ("monkey" is not Monday)."""
    if not isinstance(value, str):
        return value
    key = value.strip().lower()
    return _FULL_NAMES.get(key, key)


Weekday = Annotated[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                    BeforeValidator(weekday_name)]


def parse_days(value: Any) -> Any:
    """A list of weekdays from a list or a group name (all, weekdays, weekend)."""
    if isinstance(value, str):
        key = value.strip().lower()
        if key in DAY_GROUPS:
            return list(DAY_GROUPS[key])
        return [weekday_name(key)]
    if isinstance(value, list | tuple):
        return list(dict.fromkeys(weekday_name(v) for v in value if isinstance(v, str))) + [
            v for v in value if not isinstance(v, str)]  # non-text entries are refused later
    return value


Days = Annotated[
    tuple[Weekday, ...],
    BeforeValidator(parse_days, json_schema_input_type=list[Weekday] | str),
    Field(
        min_length=1,
        description="Weekdays: a list such as [mon, tue] or one of all, weekdays, weekend.",
    ),
]
