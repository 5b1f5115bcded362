"""Per-interval values (counts, agents) from a CSV file a scenario names, by a named column,
keyed by interval start time, with gaps meaning zero; refused, with the fix, wherever the
file could be read two ways.

`{csv: file, column: offered, start: interval_start, where: {channel: phone}}`:

- `column`: the values (default `count` for arrivals, `agents` for staffing);
- `start`: the column of interval start times (default `start`); without such a column the
  rows are the intervals in order, as before;
- `where`: keep only rows whose columns hold these values (one channel of a report).

A start time is a time of day `HH:MM` (one day of intervals, repeated every day) or a date
and time `YYYY-MM-DD HH:MM` (the first date in the file is day 0 of the horizon, whose
weekday must be the horizon's `start_weekday`). Errors name lines and columns, never a
cell's content.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from omnistaff.scenarios.files import FileProblem, number
from omnistaff.scenarios.units import WEEKDAYS

OPTIONS = ("csv", "column", "start", "where")
MAX_SHOWN = 40


class Grid:
    """The horizon's intervals as the raw scenario states them (defaults where unset)."""

    def __init__(self, horizon: Any) -> None:
        horizon = horizon if isinstance(horizon, dict) else {}
        minutes = horizon.get("interval_minutes", 30)
        days = horizon.get("days", 7)
        weekday = str(horizon.get("start_weekday", "mon"))[:3].lower()
        self.minutes = minutes if minutes in (15, 30) else 30
        self.days = days if isinstance(days, int) and 1 <= days <= 28 else 7
        self.start_weekday = weekday if weekday in WEEKDAYS else "mon"

    @property
    def per_day(self) -> int:
        return 1440 // self.minutes


def check_options(ref: dict[str, Any]) -> None:
    """Refuse unknown options and options of the wrong type."""
    unknown = [str(k)[:MAX_SHOWN] for k in ref if k not in OPTIONS]
    if unknown:
        raise FileProblem(f"unknown option '{unknown[0]}'; use {', '.join(OPTIONS)}")
    for key in ("column", "start"):
        if key in ref and not isinstance(ref[key], str):
            raise FileProblem(f"give {key} as the name of a column, e.g. {key}: offered")
    where = ref.get("where", {})
    if not isinstance(where, dict) or not all(isinstance(k, str) for k in where):
        raise FileProblem("give where as column: value pairs, e.g. where: {channel: phone}")


def keyed_values(rows: list[dict[str, str]], name: str, ref: dict[str, Any], grid: Grid,
                 default_column: str) -> list[float]:
    """The values of `ref`'s column, filtered by `where`, placed by start time (gaps are 0)
    or, without a start column, in row order."""
    columns = [c for c in rows[0] if c is not None]
    column = ref.get("column", default_column)
    where = {str(k): str(v) for k, v in ref.get("where", {}).items()}
    for wanted in (column, *where):
        if wanted not in columns:
            listed = ", ".join(f"'{c.strip()[:MAX_SHOWN]}'" for c in columns[:20]) or "none"
            raise FileProblem(f"'{name}' has no column '{wanted[:MAX_SHOWN]}' (its columns: "
                              f"{listed}); name the column with `column:` (or `where:`)")
    lines = [(line, row) for line, row in enumerate(rows, start=2)
             if all((row.get(k) or "").strip() == v for k, v in where.items())]
    if not lines:
        raise FileProblem(f"'{name}': no row matches where {where}; check the values")
    start = ref.get("start", "start")
    if start not in columns:
        if "start" in ref:
            raise FileProblem(f"'{name}' has no column '{start[:MAX_SHOWN]}' of interval "
                              "start times; name it with `start:`")
        return [number(row.get(column), line, column, name) for line, row in lines]
    return _by_start(lines, name, column, start, grid)


def _by_start(lines: list[tuple[int, dict[str, str]]], name: str, column: str, start: str,
              grid: Grid) -> list[float]:
    stamps = [(line, _stamp(row.get(start), line, start, name)) for line, row in lines]
    forms = {isinstance(stamp, dt.datetime) for _, stamp in stamps}
    if len(forms) > 1:
        raise FileProblem(f"'{name}': column '{start}' mixes times of day (HH:MM) and dates "
                          "with times; use one form throughout")
    slots = _slots(stamps, name, grid)
    dated = forms == {True}  # dates: the whole horizon; times of day: one day, repeated
    values = [0.0] * (grid.days * grid.per_day if dated else grid.per_day)
    seen: dict[int, int] = {}
    for (line, row), slot in zip(lines, slots, strict=True):
        if slot in seen:
            raise FileProblem(
                f"'{name}' lines {seen[slot]} and {line} start the same interval: ambiguous; "
                "keep one channel or group with `where:` (e.g. where: {channel: phone}) or "
                "add them up first")
        if slot >= len(values):
            raise FileProblem(f"'{name}' line {line} falls after the {grid.days}-day horizon; "
                              "raise horizon.days or trim the file")
        seen[slot] = line
        values[slot] = number(row.get(column), line, column, name)
    return values


def _slots(stamps: list[tuple[int, dt.time | dt.datetime]], name: str,
           grid: Grid) -> list[int]:
    """Each stamp's interval index: of the day (times of day) or of the horizon (dates)."""
    first = min((s.date() for _, s in stamps if isinstance(s, dt.datetime)), default=None)
    if first is not None and WEEKDAYS[first.weekday()] != grid.start_weekday:
        raise FileProblem(f"'{name}' starts on a {WEEKDAYS[first.weekday()]} but the "
                          f"horizon starts on {grid.start_weekday}; set horizon.start_weekday: "
                          f"{WEEKDAYS[first.weekday()]}")
    slots = []
    for line, stamp in stamps:
        clock = stamp.time() if isinstance(stamp, dt.datetime) else stamp
        minutes = clock.hour * 60 + clock.minute
        if minutes % grid.minutes or clock.second:
            raise FileProblem(f"'{name}' line {line}: the start is not on a "
                              f"{grid.minutes}-minute interval boundary; give interval starts")
        day = (stamp.date() - first).days if isinstance(stamp, dt.datetime) and first else 0
        slots.append(day * grid.per_day + minutes // grid.minutes)
    return slots


def _stamp(text: str | None, line: int, column: str, name: str) -> dt.time | dt.datetime:
    """A time of day `HH:MM[:SS]` or an ISO date and time."""
    value = (text or "").strip()
    try:
        if len(value) <= 8:
            return dt.time.fromisoformat(value)
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FileProblem(f"'{name}' line {line}: column '{column}' is not a time HH:MM or a "
                          "date and time YYYY-MM-DD HH:MM") from None
    return stamp.replace(tzinfo=None)
