"""Reading an exec's multiplexed stream (the wrapper's, the judge's, a server's ready line)
and its exit code."""
from __future__ import annotations

import struct
import time
from typing import Any

from benchrun.sandboxes.base import OutputTail


def read_frames(raw: Any, deadline: float, cap: int, until: bytes = b"") -> tuple[OutputTail, OutputTail, bool]:
    """Demultiplex the exec stream until EOF (True), the deadline or the output cap (False),
    or (True) a complete stdout line holding `until`."""
    streams = {1: OutputTail(), 2: OutputTail()}
    pending = b""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return streams[1], streams[2], False
        raw.settimeout(remaining)
        try:
            chunk = raw.recv(1 << 16)
        except TimeoutError:
            return streams[1], streams[2], False
        if not chunk:
            return streams[1], streams[2], True
        pending += chunk
        while len(pending) >= 8:
            kind, size = struct.unpack(">BxxxL", pending[:8])
            if len(pending) < 8 + size:
                break
            streams.get(kind, streams[2]).add(pending[8 : 8 + size])
            pending = pending[8 + size :]
        if until and until in streams[1].raw() and streams[1].raw().endswith(b"\n"):
            return streams[1], streams[2], True
        if streams[1].total + streams[2].total > cap + 256:  # room for the status line
            return streams[1], streams[2], False


def exit_code(api: Any, exec_id: str) -> int | None:
    """The exec's exit code; the engine may need a moment after the stream ends."""
    for _ in range(50):
        state = api.exec_inspect(exec_id)
        if not state.get("Running"):
            return state.get("ExitCode")
        time.sleep(0.02)
    return None


def raw_socket(connection: Any) -> Any:
    """The socket under the SDK's exec connection (its wrapper on some transports)."""
    return getattr(connection, "_sock", connection)
