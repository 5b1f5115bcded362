"""Plain Python values for JSON summaries, from numpy and pandas ones."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def plain_value(value: Any) -> Any:
    """A JSON-ready scalar: numpy numbers as Python ones, NaN and infinities as None."""
    if isinstance(value, bool) or value is None:
        return value
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def plain_dict(values: Mapping[Any, Any]) -> dict[str, Any]:
    """A mapping (or a pandas Series) as a JSON-ready dict: keys as text, plain values."""
    return {str(k): plain_value(v) for k, v in values.items()}
