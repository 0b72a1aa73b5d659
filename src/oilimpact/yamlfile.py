"""The project's YAML data files (data/assumptions.yaml, data/scenarios.yaml) read with line numbers,
so an error names the file and the line of the entry at fault. PyYAML only: cheap to import.

The loader refuses aliases (``*name``, and the ``<<: *name`` merge key built on them): a hand-written
data file never needs one, and expanding them is how a few lines of YAML become gigabytes ("billion
laughs") or a loop. Every node's line is kept by its key path (:class:`Lines`), so a schema error deep
inside an entry names the line of the value at fault, not only the entry's.
"""

from __future__ import annotations

from typing import Any

import yaml

from oilimpact.errors import OilImpactError

MAX_YAML_BYTES = 2_000_000
"""A data file bigger than this is refused before it is parsed (ours are 10–40 kB)."""


class _AliasError(yaml.YAMLError):
    def __init__(self, mark: yaml.Mark, anchor: str):
        super().__init__()
        self.problem_mark, self.problem = mark, f"alias *{anchor} is not allowed; write the value out"


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader that stops at the first alias instead of expanding it."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _AliasError(event.start_mark, str(event.anchor))
        return super().compose_node(parent, index)


class Lines(dict[str, int]):
    """The 1-based line of each top-level key (a dict, as callers index it), plus :meth:`at` for the
    line of any nested value by its key path."""

    def __init__(self, top: dict[str, int], nested: dict[tuple[Any, ...], int]):
        super().__init__(top)
        self.nested = nested

    def at(self, *path: Any) -> int | None:
        """The line of the value at ``path`` (keys and list indices), or of its nearest parent."""
        keys = tuple(str(part) if not isinstance(part, int) else part for part in path)
        while keys:
            if keys in self.nested:
                return self.nested[keys]
            keys = keys[:-1]
        return None


def load_yaml(text: str, shown: str) -> tuple[Any, yaml.Node | None]:
    """The document of ``text`` and its node tree; a syntax error, an alias, or nesting too deep is an
    :class:`OilImpactError` naming ``shown`` and the line."""
    if len(text) > MAX_YAML_BYTES:
        raise OilImpactError(f"is {len(text) / 1e6:.1f} MB, over the {MAX_YAML_BYTES / 1e6:.0f} MB limit "
                             "for a data file", where=shown)
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        raw = loader.construct_document(node) if node is not None else None
    except RecursionError:
        raise OilImpactError("not valid YAML: nested too deeply", where=shown) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise OilImpactError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            where=shown,
            line=mark.line + 1 if mark else None,
        ) from None
    finally:
        loader.dispose()
    return raw, node


def read_yaml_mapping(text: str, shown: str, what: str) -> tuple[dict, Lines]:
    """A YAML file's top-level mapping and the 1-based line of each key (nested ones through
    :meth:`Lines.at`); ``what`` says what the mapping holds, for the error when it is not one
    (``shown`` names the file in errors)."""
    raw, node = load_yaml(text, shown)
    if not isinstance(raw, dict) or not raw:
        raise OilImpactError(f"must be a mapping of {what}", where=shown)
    nested = _no_duplicate_keys(node, shown)
    keys = node.value if isinstance(node, yaml.MappingNode) else []
    return raw, Lines({k.value: k.start_mark.line + 1 for k, _ in keys}, nested)


def _no_duplicate_keys(node: yaml.Node | None, shown: str) -> dict[tuple[Any, ...], int]:
    """PyYAML keeps the last of two equal keys silently; a hand-edited file must not lose one.
    Returns the line of every value by its key path."""
    lines: dict[tuple[Any, ...], int] = {}
    stack: list[tuple[tuple[Any, ...], yaml.Node]] = [((), node)] if node is not None else []
    while stack:
        path, current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                name = str(key.value)
                if name in seen:
                    raise OilImpactError(
                        f"key {name!r} appears twice (first on line {seen[name]}); keep one",
                        where=shown, line=key.start_mark.line + 1,
                    )
                seen[name] = key.start_mark.line + 1
                lines[(*path, name)] = key.start_mark.line + 1
                stack.append(((*path, name), value))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                lines[(*path, index)] = item.start_mark.line + 1
                stack.append(((*path, index), item))
    return lines
