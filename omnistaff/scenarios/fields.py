"""Finding which model sits at an error's location, to list the keys allowed there."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel


def model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class whose fields apply at `loc` below `root`, or None."""
    candidates: list[Any] = [root]
    for part in loc:
        candidates = [nxt for c in candidates for nxt in _step(c, part)]
        if not candidates:
            return None
    models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
    return models[0] if models else None


def _step(annotation: Any, part: Any) -> list[Any]:
    """The annotations reached by one step of a location from `annotation`."""
    options = _flatten(annotation)
    found: list[Any] = []
    for option in options:
        if isinstance(option, type) and issubclass(option, BaseModel):
            if isinstance(part, str) and part in option.model_fields:
                found.append(option.model_fields[part].annotation)
            elif isinstance(part, str) and part == _tag(option):
                found.append(option)
        elif typing.get_origin(option) is dict:
            found.append(typing.get_args(option)[1])
        elif typing.get_origin(option) in (tuple, list) and isinstance(part, int):
            found.append(typing.get_args(option)[0])
    return found


def _flatten(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _flatten(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in _flatten(arg)]
    return [annotation]


def _tag(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("dist")
    return field.default if field is not None else None


def unknown_key_message(root: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """'unknown key' with the closest allowed key and the full list of allowed keys."""
    key = str(loc[-1])
    model = model_at(root, loc[:-1])
    if model is None:
        return f"unknown key '{key}'; remove it or check the spelling"
    allowed = sorted(model.model_fields)
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown key '{key}': {hint}allowed keys here are {', '.join(allowed)}"
