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
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise OilImpactError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            where=shown,
            line=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(raw, dict) or not raw:
        raise OilImpactError(f"must be a mapping of {what}", where=shown)
    keys = node.value if isinstance(node, yaml.MappingNode) else []
    return raw, {k.value: k.start_mark.line + 1 for k, _ in keys}
