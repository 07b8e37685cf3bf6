"""A real multi-node Ray cluster on this machine, for tests: a head and worker nodes, each
its own `ray start --block` process in a session of its own, all bound to 127.0.0.1 and
with their own temporary folder. `stop()` kills every process of those sessions (never
`ray stop`, which would end every Ray on the machine) and checks that none is left.

Nodes report themselves dead quickly (health checks every second), so a test that kills a
node does not wait the default half minute for Ray to notice."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

# GCS settings (read from RAY_<name> by the head): a node that stops answering is dead
# after about 3 s instead of 30 s.
FAST_HEALTH = {
    "RAY_health_check_initial_delay_ms": "1000",
    "RAY_health_check_period_ms": "1000",
    "RAY_health_check_timeout_ms": "1000",
    "RAY_health_check_failure_threshold": "3",
}
OBJECT_STORE = str(100 * 1024 * 1024)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ray_env() -> dict[str, str]:
    # No token authentication (Ray's default for `ray start --head`): the cluster listens
    # on 127.0.0.1 only and lives for one test module.
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_DISABLE_DOCKER_CPU_WARNING": "1",
           "RAY_AUTH_MODE": "disabled", **FAST_HEALTH}
    env.pop("RAY_ADDRESS", None)
    return env


class Node:
    def __init__(self, name: str, process: subprocess.Popen, temp_dir: str) -> None:
        self.name, self.process, self.temp_dir = name, process, temp_dir
        self.killed = False

    def processes(self) -> list[psutil.Process]:
        """Every process of the node: its `ray start`, and all it started (same session)."""
        found = []
        for proc in psutil.process_iter(["pid"]):
            try:
                if os.getsid(proc.pid) == self.process.pid:
                    found.append(proc)
            except (ProcessLookupError, PermissionError, psutil.Error):
                continue
        return found

    def raylet(self) -> psutil.Process:
        for proc in self.processes():
            try:
                if "raylet" in proc.name() or any("raylet" in part for part in proc.cmdline()[:1]):
                    return proc
            except psutil.Error:
                continue
        raise AssertionError(f"no raylet in node {self.name}")

    def kill(self) -> None:
        """SIGKILL the node's process group, then any process of its session still there."""
        self.killed = True
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        left = self.processes()
        for proc in left:
            try:
                proc.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(left, timeout=30)
        self.process.wait(timeout=30)


class Cluster:
    """`Cluster(cpus_per_node=1)`; `add_node()`; `address`; `stop()`."""

    def __init__(self, cpus_per_node: int = 1) -> None:
        self.cpus = cpus_per_node
        self.root = tempfile.mkdtemp(prefix="brc-")  # short: Ray's socket paths must stay under 108 bytes
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.nodes: list[Node] = []
        try:
            self._start("head", ["--head", "--port", str(self.port), "--include-dashboard", "false"])
            self.wait_for(1)
        except BaseException:
            self.stop()
            raise

    def _start(self, name: str, args: list[str]) -> Node:
        temp_dir = os.path.join(self.root, name)
        os.makedirs(temp_dir)
        log = open(os.path.join(self.root, f"{name}.log"), "wb")  # noqa: SIM115 - kept for the node's life
        command = [shutil.which("ray") or "ray", "start", "--block", *args, "--num-cpus", str(self.cpus),
                   "--node-ip-address", "127.0.0.1", "--disable-usage-stats", "--temp-dir", temp_dir,
                   "--object-store-memory", OBJECT_STORE]
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=ray_env(),
                                   start_new_session=True, cwd=self.root)
        node = Node(name, process, temp_dir)
        self.nodes.append(node)
        return node

    def add_node(self) -> Node:
        node = self._start(f"node{len(self.nodes)}", ["--address", self.address])
        self.wait_for(len([n for n in self.nodes if not n.killed]))
        return node

    def alive_nodes(self) -> list[str]:
        """Node ids the cluster's GCS counts alive (asked without joining as a driver)."""
        from ray._raylet import GcsClient

        os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # as the cluster's
        try:
            infos = GcsClient(address=self.address).get_all_node_info(timeout=5)
        except Exception:  # noqa: BLE001 - not up yet
            return []
        return [node_id.hex() for node_id, info in infos.items() if info.state == 0]  # 0: ALIVE

    def wait_for(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.alive_nodes()) >= count:
                return
            for node in self.nodes:
                if node.process.poll() is not None and not node.killed:
                    raise RuntimeError(f"ray start of {node.name} ended: {self.log(node)}")
            time.sleep(0.5)
        raise TimeoutError(f"the cluster has not {count} alive nodes after {timeout} s: {self.log(self.nodes[-1])}")

    def log(self, node: Node) -> str:
        path = Path(self.root, f"{node.name}.log")
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        for node in reversed(self.nodes):
            node.kill()
        left = [f"{p.pid} {p.name()}" for node in self.nodes for p in node.processes() if p.status() != psutil.STATUS_ZOMBIE]
        shutil.rmtree(self.root, ignore_errors=True)
        assert not left, f"Ray processes left behind: {left}"


if __name__ == "__main__":  # a manual check: start a two-node cluster, print it, stop it
    cluster = Cluster()
    try:
        cluster.add_node()
        print(cluster.address, cluster.alive_nodes(), [[p.pid for p in n.processes()] for n in cluster.nodes])
        print("raylet of node1:", cluster.nodes[1].raylet().pid)
    finally:
        cluster.stop()
    sys.exit(0)


@contextlib.contextmanager
def two_nodes(cpus_per_node: int = 1):
    """A head and one worker node; on leaving, stopped and checked gone."""
    cluster = Cluster(cpus_per_node=cpus_per_node)
    try:
        cluster.add_node()
        yield cluster
    finally:
        cluster.stop()  # asserts that no process of the cluster is left
