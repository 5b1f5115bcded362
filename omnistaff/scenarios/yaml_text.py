"""YAML read as untrusted input: bounded in size, depth and alias expansion, duplicate keys
refused, with every problem reported by line and column."""

from __future__ import annotations

from typing import Any

import yaml

#: Largest scenario text read, in bytes: the bundled scenarios are under 20 kB.
MAX_YAML_BYTES = 5_000_000
#: Deepest nesting of mappings and lists: a scenario nests about 8 deep.
MAX_YAML_DEPTH = 64
#: Most values once aliases are expanded: an alias bomb expands a few lines into billions.
MAX_YAML_NODES = 1_000_000

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlProblem(ValueError):
    """YAML that cannot be read: what is wrong, and where."""


class UniqueKeyLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that refuses a key given twice in one mapping (the last would win)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:
                raise YamlProblem(f"{_where(key_node)}a key must be a plain value") from None
            if first is not key_node:
                raise YamlProblem(f"{_where(key_node)}key '{key}' is given twice in one mapping "
                                  f"(first on line {first.start_mark.line + 1}); keep one")
        return super().construct_mapping(node, deep=deep)


def decode(data: bytes) -> str:
    """Bytes as UTF-8 text, or a YamlProblem saying the file is not text."""
    if b"\x00" in data[:8192]:
        raise YamlProblem("the file is binary, not UTF-8 YAML text; give a YAML scenario "
                          "file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlProblem(f"byte {exc.start} is not UTF-8 text; save the file as UTF-8") from None


def load_yaml(text: str) -> Any:
    """Plain data from YAML text within the size, depth and expansion limits."""
    if len(text) > MAX_YAML_BYTES or len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise YamlProblem(f"the text is larger than {MAX_YAML_BYTES / 1e6:g} MB; a scenario is "
                          "far smaller")
    try:
        _check_shape(text)
        return yaml.load(text, Loader=UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise YamlProblem(_yaml_message(exc)) from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer of 5,000 digits
        if isinstance(exc, YamlProblem):
            raise
        raise YamlProblem(f"a value cannot be read ({type(exc).__name__}); write plain "
                          "numbers and text") from None


def _check_shape(text: str) -> None:
    """Refuse deep nesting and large alias expansion from the event stream, before any
    object is built (building is recursive and shares aliased objects)."""
    sizes: dict[str, int] = {}
    open_nodes: list[list[Any]] = [[None, 0]]  # (anchor, values inside so far)
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            open_nodes.append([event.anchor, 0])
            if len(open_nodes) > MAX_YAML_DEPTH + 1:
                raise YamlProblem(f"{_where(event)}nesting deeper than {MAX_YAML_DEPTH} levels;"
                                  " a scenario nests about 8 deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, inside = open_nodes.pop()
            _count(open_nodes, sizes, anchor, inside + 1, event)
        elif isinstance(event, yaml.ScalarEvent):
            _count(open_nodes, sizes, event.anchor, 1, event)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in sizes:
                raise YamlProblem(f"{_where(event)}alias *{event.anchor} refers to an anchor "
                                  "not yet complete; define &anchor before using it")
            _count(open_nodes, sizes, None, sizes[event.anchor], event)


def _count(open_nodes: list[list[Any]], sizes: dict[str, int], anchor: str | None, size: int,
           event: yaml.Event) -> None:
    if anchor is not None:
        sizes[anchor] = size
    open_nodes[-1][1] += size
    if open_nodes[0][1] + sum(n[1] for n in open_nodes[1:]) > MAX_YAML_NODES:
        raise YamlProblem(f"{_where(event)}more than {MAX_YAML_NODES:,} values once aliases are "
                          "expanded; write the scenario out, without nested aliases")


def _where(item: Any) -> str:
    mark = getattr(item, "start_mark", None)
    return f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""


def _yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    what = getattr(exc, "problem", None) or str(exc)
    return (f"{where}not valid YAML ({what}); check the indentation and quote values that "
            "contain ':' or '#'")
