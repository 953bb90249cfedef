"""JSON merge patch (RFC 7396): members present replace, null removes, objects merge."""

from typing import Any


def merge_patch(target: Any, patch: Any) -> Any:
    """The RFC 7396 result of applying `patch` to `target` (neither is modified)."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = merge_patch(result.get(name), value)
    return result
