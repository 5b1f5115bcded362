"""Data files a scenario names (`{csv: file}`), read only from inside the folder it was
handed, size-limited, and never echoed back in an error."""

from __future__ import annotations

import csv
from pathlib import Path, PurePosixPath, PureWindowsPath

from omnistaff.scenarios.profiles import slices_from_rows

#: Largest data file a scenario may name: 28 days of 15-minute counts is under 50 kB.
MAX_DATA_FILE_BYTES = 2_000_000


class FileProblem(ValueError):
    """A named data file that cannot be used, and what to do about it."""


def inside(folder: Path, name: str) -> Path:
    """The file `name` resolved inside `folder`; refuses absolute paths, `..` and links
    that lead outside it."""
    if not name or "\x00" in name:
        raise FileProblem("give the name of a CSV file beside the scenario")
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or PureWindowsPath(name).drive or ".." in pure.parts:
        raise FileProblem(f"'{name}' leaves the scenario's folder; give a file name relative "
                          "to the scenario, without '..' or a leading '/'")
    root = folder.resolve()
    target = (root / pure).resolve()
    if not target.is_relative_to(root):
        raise FileProblem(f"'{name}' is a link leading outside the scenario's folder; copy "
                          "the file beside the scenario")
    if not target.is_file():
        raise FileProblem(f"no such file '{name}' beside the scenario; paths are relative to "
                          "the scenario file")
    if target.stat().st_size > MAX_DATA_FILE_BYTES:
        raise FileProblem(f"'{name}' is larger than {MAX_DATA_FILE_BYTES / 1e6:g} MB; a counts "
                          "or shape file is far smaller")
    return target


def csv_rows(file: Path, name: str) -> list[dict[str, str]]:
    """The rows of a CSV file with a header line, as text."""
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(f"'{name}' is not UTF-8 text; save it as CSV (UTF-8)") from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows:
        raise FileProblem(f"'{name}' has no rows below its header line")
    return rows


def counts_from_rows(rows: list[dict[str, str]], name: str) -> list[float]:
    """The `count` column as numbers; refused, listing the columns there are, without it."""
    columns = [c for c in rows[0] if c is not None]
    if "count" not in columns:
        listed = ", ".join(f"'{c.strip()[:40]}'" for c in columns[:20]) or "none"
        raise FileProblem(f"'{name}' has no column 'count' (its columns: {listed}); name the "
                          "column of expected contacts per interval 'count'")
    return [_number(row.get("count"), i, "count", name) for i, row in enumerate(rows, start=2)]


def shares_from_rows(rows: list[dict[str, str]], name: str) -> list[float]:
    """Intraday weights from `start` (HH:MM) and `share` columns."""
    columns = [c for c in rows[0] if c is not None]
    if "start" not in columns or not {"share", "weight"} & set(columns):
        listed = ", ".join(f"'{c.strip()[:40]}'" for c in columns[:20]) or "none"
        raise FileProblem(f"'{name}' needs columns 'start' (HH:MM) and 'share' (its columns: "
                          f"{listed})")
    for line, row in enumerate(rows, start=2):
        start = row.get("start") or ""
        if len(start) < 5 or not (start[:2].isdigit() and start[3:5].isdigit()):
            raise FileProblem(f"'{name}' line {line}: column 'start' is not a time HH:MM")
        _number(row.get("share") or row.get("weight") or "0", line, "share", name)
    try:
        return slices_from_rows(rows)
    except (ValueError, KeyError, IndexError):
        raise FileProblem(f"'{name}': start times must be evenly spaced by a divisor of a day "
                          "(e.g. every 30 min), each within 00:00-23:59") from None


def _number(text: str | None, line: int, column: str, name: str) -> float:
    """A finite, non-negative number from a cell; the error names the line, not the value."""
    try:
        value = float(text or "")
    except ValueError:
        raise FileProblem(f"'{name}' line {line}: column '{column}' is not a number") from None
    if not 0 <= value < float("inf"):
        raise FileProblem(f"'{name}' line {line}: column '{column}' must be a finite number "
                          "of 0 or more")
    return value


def number(text: str | None, line: int, column: str, name: str) -> float:
    """A finite, non-negative number from a cell; the error names the line, not the value."""
    return _number(text, line, column, name)
