"""What the executors hand each trial for the contextual stop rules (`TrialContext`): a
board the block's trials share, and a channel to the judge of `llm(...)` rules, which
runs on the driver (one model server, one writer of the results file).

In the local pool the trials run in worker processes: the board is a manager's dict, and
the judge listens on a Unix socket in a private folder (`multiprocessing.connection`,
with an authentication key), where each worker keeps one connection. Under Ray the rules
run in the driver's stopper already: the board is a plain dict and the judge is called
directly. Nothing is started for a block whose rules need none of it.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from multiprocessing.connection import Client, Listener
from typing import Any

import attrs

from benchrun.tuning.asha import problem_of
from benchrun.tuning.rules import RULES, SYNTAX, TrialContext

log = logging.getLogger(__name__)


def contextual_rules(rule: dict[str, Any] | None) -> set[str]:
    """The names of the contextual call rules in a rule's JSON."""
    if rule is None:
        return set()
    if rule["rule"] in ("all", "any"):
        return set().union(*(contextual_rules(r) for r in rule["rules"]))
    if rule["rule"] in SYNTAX:
        return set()
    return {rule["rule"]} if RULES.get(rule["rule"]).contextual else set()


def trial_context(unit_id: str, params: dict[str, Any], board: Any = None, lock: Any = None, judge: Any = None) -> TrialContext:
    return TrialContext(unit_id=unit_id, problem=problem_of(params), board=board, lock=lock, judge=judge, params=params)


# ---------------------------------------------------------------- local pool


@attrs.frozen
class WorkerServices:
    """What each worker process of the local pool gets (it pickles): the board's proxies
    and the judge's address and key, all None when the rules need none."""

    board: Any = None
    lock: Any = None
    judge_address: str | None = None
    authkey: bytes | None = None

    def context(self, unit_id: str, params: dict[str, Any]) -> TrialContext:
        judge = _JudgeClient(self.judge_address, self.authkey).ask if self.judge_address else None
        return trial_context(unit_id, params, self.board, self.lock, judge)


@contextlib.contextmanager
def local_services(rule: dict[str, Any] | None, block: Any, ctx: Any, manager: Any) -> Iterator[WorkerServices]:
    """The services of a block run in the local pool; `manager` a started multiprocessing
    manager (None when the rules need no board)."""
    needed = contextual_rules(rule)
    if not needed:
        yield WorkerServices()
        return
    board, lock = manager.dict(), manager.Lock()
    if "llm" not in needed:
        yield WorkerServices(board, lock)
        return
    from benchrun.tuning.stopping.llm_judge import LlmJudge

    judge = LlmJudge(block, ctx)
    try:
        with _JudgeServer(judge.decide) as server:
            yield WorkerServices(board, lock, server.address, server.authkey)
    finally:
        judge.close()


class _JudgeServer:
    """Answers each connection's requests with `decide(request)`, one thread per worker."""

    def __init__(self, decide) -> None:
        self.decide = decide
        self.folder = tempfile.mkdtemp(prefix="benchrun-judge-")
        self.authkey = os.urandom(32)
        self.address = os.path.join(self.folder, "judge.sock")
        self.listener = Listener(self.address, family="AF_UNIX", authkey=self.authkey)
        self.closed = threading.Event()
        threading.Thread(target=self._accept, name="benchrun-judge", daemon=True).start()

    def __enter__(self) -> _JudgeServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.closed.set()
        with contextlib.suppress(OSError):
            self.listener.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                connection = self.listener.accept()
            except Exception:  # noqa: BLE001 - closed, or a client that failed authentication
                if self.closed.is_set():
                    return
                continue
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection) -> None:
        with connection:
            while not self.closed.is_set():
                try:
                    request = connection.recv()
                except (EOFError, OSError):
                    return
                connection.send(self.decide(request))


_CONNECTIONS: dict[str, Any] = {}  # per worker process: address -> its connection to the judge


class _JudgeClient:
    def __init__(self, address: str, authkey: bytes | None) -> None:
        self.address, self.authkey = address, authkey

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        connection = _CONNECTIONS.get(self.address)
        if connection is None:
            connection = _CONNECTIONS[self.address] = Client(self.address, family="AF_UNIX", authkey=self.authkey)
        try:
            connection.send(request)
            return connection.recv()
        except (EOFError, OSError):
            _CONNECTIONS.pop(self.address, None)
            raise


# ---------------------------------------------------------------- Ray (the driver's stopper)


class DriverServices:
    """The services of a block whose rules run on the driver (Ray's stopper): `context(unit_id,
    params)` per trial; close it after the run."""

    def __init__(self, rule: dict[str, Any] | None, block: Any, ctx: Any) -> None:
        needed = contextual_rules(rule)
        self.board: dict[str, Any] | None = {} if needed else None
        self.lock = threading.Lock()
        self.judge = None
        if "llm" in needed:
            from benchrun.tuning.stopping.llm_judge import LlmJudge

            self.judge = LlmJudge(block, ctx)

    def context(self, unit_id: str, params: dict[str, Any]) -> TrialContext:
        return trial_context(unit_id, params, self.board, self.lock, self.judge.decide if self.judge else None)

    def close(self) -> None:
        if self.judge is not None:
            self.judge.close()
