"""The project's YAML data files (data/assumptions.yaml, data/scenarios.yaml) read with line numbers,
so an error names the file and the line of the entry at fault. PyYAML only: cheap to import."""

from __future__ import annotations

import yaml

from oilimpact.errors import OilImpactError


def read_yaml_mapping(text: str, shown: str, what: str) -> tuple[dict, dict[str, int]]:
    """A YAML file's top-level mapping and the 1-based line of each key; ``what`` says what the
    mapping holds, for the error when it is not one (``shown`` names the file in errors)."""
    try:
        raw = yaml.safe_load(text)
        node = yaml.compose(text)
    except RecursionError:
        raise OilImpactError("not valid YAML: nested too deeply", where=shown) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise OilImpactError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            where=shown,
            line=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(raw, dict) or not raw:
        raise OilImpactError(f"must be a mapping of {what}", where=shown)
    _no_duplicate_keys(node, shown)
    keys = node.value if isinstance(node, yaml.MappingNode) else []
    return raw, {k.value: k.start_mark.line + 1 for k, _ in keys}


def _no_duplicate_keys(node: yaml.Node | None, shown: str) -> None:
    """PyYAML keeps the last of two equal keys silently; a hand-edited file must not lose one."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
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
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
