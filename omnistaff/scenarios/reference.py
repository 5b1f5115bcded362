"""The scenario-format reference, generated from the JSON Schema so it cannot drift."""

from __future__ import annotations

import json
from typing import Any

from omnistaff.scenarios.scenario import Scenario

INTRO = """# Scenario format reference

Generated from the scenario schema by `omnistaff schema --markdown`; do not edit by hand
(a test checks that this file matches the schema). `omnistaff schema` prints the JSON Schema
itself, for editors that validate YAML.

A scenario is a YAML mapping. Durations are seconds as a number or a string with units
(`20s`, `15min`, `1h30min`, `2d`); times of day are `HH:MM`; weekdays are `mon` .. `sun`, or
the groups `all`, `weekdays`, `weekend`. A distribution is a mapping with `dist`
(`lognormal`, `exponential`, `fixed`, `gamma`, `empirical`) and its parameters; without
`dist` it is lognormal by `mean` and `cv`, and a bare duration is `fixed`. Unknown keys are
errors, so a misspelt key never passes silently. `omnistaff validate FILE` lists every
problem with its field path and the fix.
"""


def scenario_format_markdown() -> str:
    """Markdown documenting every field of every part of a scenario."""
    schema = Scenario.model_json_schema()
    defs = schema.get("$defs", {})
    sections = [INTRO, _section("Scenario", schema, defs)]
    for name in _reachable(schema, defs):
        sections.append(_section(name, defs[name], defs))
    return "\n".join(sections).rstrip() + "\n"


def _reachable(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    """Model names in the order they are first referenced, breadth first from the root."""
    order: list[str] = []
    queue = [schema]
    while queue:
        node = queue.pop(0)
        for ref in _refs(node):
            if ref not in order:
                order.append(ref)
                queue.append(defs[ref])
    return order


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else []
        return found + [r for key, value in node.items() if key != "$defs" for r in _refs(value)]
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []


def _section(name: str, model: dict[str, Any], defs: dict[str, Any]) -> str:
    lines = [f"## {name}", "", model.get("description", "").strip(), ""]
    required = set(model.get("required", []))
    lines += ["| key | type | default | meaning |", "|---|---|---|---|"]
    for key, spec in model.get("properties", {}).items():
        default = "required" if key in required else _default(spec)
        meaning = spec.get("description") or _model_description(spec, defs)
        meaning = meaning.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{key}` | {_type(spec)} | {default} | {meaning} |")
    return "\n".join(lines) + "\n"


def _model_description(spec: dict[str, Any], defs: dict[str, Any]) -> str:
    refs = _refs(spec)
    return defs[refs[0]].get("description", "") if refs else ""


def _default(spec: dict[str, Any]) -> str:
    if "default" not in spec:
        return "its defaults"
    return f"`{json.dumps(spec['default'])}`"


def _type(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in spec or "oneOf" in spec:
        options = [_type(s) for s in spec.get("anyOf", spec.get("oneOf", []))]
        if "number" in options and "string" in options:
            options = [o for o in options if o not in ("number", "string")]
            options.insert(len([o for o in options if o != "null"]), "duration")
        return " or ".join(dict.fromkeys(o for o in options if o != "null")) + (
            " or null" if "null" in options else "")
    if "enum" in spec:
        return " \\| ".join(f"`{v}`" for v in spec["enum"])
    if "const" in spec:
        return f"`{spec['const']}`"
    kind = spec.get("type")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}))}"
    if kind == "object":
        values = spec.get("additionalProperties")
        return f"mapping of name to {_type(values)}" if isinstance(values, dict) else "mapping"
    return _bounds(str(kind or "any"), spec)


def _bounds(kind: str, spec: dict[str, Any]) -> str:
    marks = [f"{sym} {spec[key]}" for key, sym in (
        ("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<"))
        if key in spec]
    return f"{kind} ({', '.join(marks)})" if marks else kind
