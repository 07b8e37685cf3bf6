"""Canonical JSON: the one text form of a value that ids and cache keys hash."""
from __future__ import annotations

import json
from typing import Any

import attrs


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_jsonable)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    if attrs.has(type(value)):
        return attrs.asdict(value, recurse=True)
    raise TypeError(f"not JSON-serialisable: {value!r}")
