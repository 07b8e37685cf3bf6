"""Keys of the completion cache (the cache itself is a table in the results store).

A key covers everything that decides a completion: the provider's description (kind,
model, where it is served), the generation parameters, the exact messages and the sample
index. The sample index keeps n samples of one prompt n distinct entries, and a re-run
of the same benchmark finds every one of them.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

import attrs

from benchrun.models.base import GenerationParams, Messages


def cache_key(description: dict[str, Any], params: GenerationParams, messages: Messages, sample_index: int) -> str:
    payload = {
        "provider": description,
        "params": attrs.asdict(params),
        "messages": messages,
        "sample": sample_index,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=list)
    return hashlib.sha256(text.encode()).hexdigest()
