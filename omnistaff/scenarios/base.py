"""The frozen base model every scenario part derives from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """An immutable, strictly keyed part of a scenario."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
