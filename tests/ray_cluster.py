"""A real multi-node Ray cluster on this machine, for tests: a head and worker nodes, each
its own `ray start --block` process in a session of its own, all bound to 127.0.0.1 and
with their own temporary folder. `stop()` kills every process of those sessions (never
`ray stop`, which would end every Ray on the machine) and checks that none is left.

Nodes report themselves dead quickly (health checks every second), so a test that kills a
node does not wait the default half minute for Ray to notice.

Loopback only. Ray 2.60 rewrites "127.0.0.1" into "this machine's reachable address" (the
source address Ray reads off a UDP socket it points at a public resolver, here eth0's)
wherever it is given on Linux: `ray start --node-ip-address 127.0.0.1` and `--address 127.0.0.1:PORT`
(scripts.py start: `services.resolve_ip_for_localhost`), `ray.init(address=...)` and
`ray.init(_node_ip_address=...)` (worker.py init, services.canonicalize_bootstrap_address).
The one switch that stops it is RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 (ray_constants.py
ENABLE_RAY_CLUSTER, read at import): `services.get_node_ip_address` then answers
127.0.0.1 without any probe. With it, `ray start` refuses worker nodes ("Multi-node Ray
clusters are not supported", scripts.py start), so a worker node here is started the way
Ray's own test cluster (ray.cluster_utils.Cluster.add_node) starts one: a
`ray._private.node.Node(RayParams(node_ip_address="127.0.0.1", gcs_address=...))`, in a
process of its own (`python ray_cluster.py worker-node ...`) that then watches its
processes as `ray start --block` does. `ray_env()` carries the switch to every node and
to the drivers a test starts; tests/conftest.py sets it for the test process.
`alive_nodes()` asserts that every node registered 127.0.0.1 and that no process of a
node listens on anything but loopback."""
from __future__ import annotations

import contextlib
import ipaddress
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
LOOPBACK = "127.0.0.1"
# Ray's "one machine" mode (ray/_private/ray_constants.py ENABLE_RAY_CLUSTER): every
# address Ray picks for this machine is 127.0.0.1 (services.get_node_ip_address).
LOOPBACK_ONLY = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_loopback(ip: str) -> bool:
    """127.0.0.0/8, ::1, or an IPv4-mapped 127.x (::ffff:127.0.0.1, how Ray's gRPC servers
    show up); never 0.0.0.0 or ::, which listen on every interface."""
    address = ipaddress.ip_address(ip.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def ray_env() -> dict[str, str]:
    # No token authentication (Ray's default for `ray start --head`): the cluster listens
    # on 127.0.0.1 only and lives for one test module.
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_DISABLE_DOCKER_CPU_WARNING": "1",
           "RAY_AUTH_MODE": "disabled", **FAST_HEALTH, **LOOPBACK_ONLY}
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

    def sockets(self) -> tuple[list[str], list[str]]:
        """("name pid ip:port" of every socket a process of the node listens on: TCP in
        LISTEN, UDP bound without a peer; "name pid -> ip:port" of every peer one is
        connected to)."""
        listening, peers = [], []
        for proc in self.processes():
            try:
                connections = proc.net_connections(kind="inet")
                name = proc.name()
            except psutil.Error:  # gone meanwhile
                continue
            for conn in connections:
                if conn.raddr:
                    peers.append(f"{name} {proc.pid} -> {conn.raddr.ip}:{conn.raddr.port}")
                elif conn.status == psutil.CONN_LISTEN or conn.type == socket.SOCK_DGRAM:
                    listening.append(f"{name} {proc.pid} {conn.laddr.ip}:{conn.laddr.port}")
        return listening, peers

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
    """`Cluster(cpus_per_node=1)`; `add_node()`; `address`; `worker`; `stop()`."""

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

    def _start(self, name: str, args: list[str] | None = None) -> Node:
        """The head (`args`: `ray start --head` flags) or, without args, a worker node."""
        temp_dir = os.path.join(self.root, name)
        os.makedirs(temp_dir)
        log = open(os.path.join(self.root, f"{name}.log"), "wb")  # noqa: SIM115 - kept for the node's life
        if args is None:  # see the module's doc: `ray start --address` cannot stay on loopback
            command = [sys.executable, os.path.abspath(__file__), "worker-node", self.address, str(self.cpus),
                       temp_dir]
        else:
            command = [shutil.which("ray") or "ray", "start", "--block", *args, "--num-cpus", str(self.cpus),
                       "--node-ip-address", LOOPBACK, "--disable-usage-stats", "--temp-dir", temp_dir,
                       "--object-store-memory", OBJECT_STORE]
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=ray_env(),
                                   start_new_session=True, cwd=self.root)
        node = Node(name, process, temp_dir)
        self.nodes.append(node)
        return node

    def add_node(self) -> Node:
        node = self._start(f"node{len(self.nodes)}")
        self.wait_for(len([n for n in self.nodes if not n.killed]))
        return node

    @property
    def worker(self) -> Node:
        """The worker node added last and not killed."""
        return [node for node in self.nodes[1:] if not node.killed][-1]

    def alive_nodes(self) -> list[str]:
        """Node ids the cluster's GCS counts alive (asked without joining as a driver).
        Asserts that each registered 127.0.0.1 and that no process of a node started
        here listens on anything but loopback."""
        from ray._raylet import GcsClient

        os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # as the cluster's
        try:
            infos = GcsClient(address=self.address).get_all_node_info(timeout=5)
        except Exception:  # noqa: BLE001 - not up yet
            return []
        alive = {node_id.hex(): info for node_id, info in infos.items() if info.state == 0}  # 0: ALIVE
        elsewhere = {node_id: info.node_manager_address for node_id, info in alive.items()
                     if info.node_manager_address != LOOPBACK}
        assert not elsewhere, f"Ray nodes registered at a non-loopback address: {elsewhere}"
        self.assert_loopback_listeners()
        return list(alive)

    def assert_loopback_listeners(self) -> list[str]:
        """Every listening socket of the nodes' processes (returned), each on loopback; and
        every connection of theirs to a loopback peer."""
        listening, peers = [], []
        for node in self.nodes:
            if not node.killed:
                node_listening, node_peers = node.sockets()
                listening += node_listening
                peers += node_peers
        outside = [entry for entry in listening if not is_loopback(entry.split()[-1].rsplit(":", 1)[0])]
        assert not outside, f"Ray processes listen beyond loopback: {outside}"
        outside = [entry for entry in peers if not is_loopback(entry.split()[-1].rsplit(":", 1)[0])]
        assert not outside, f"Ray processes connected beyond loopback: {outside}"
        return listening

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


@contextlib.contextmanager
def two_nodes(cpus_per_node: int = 1):
    """A head and one worker node; on leaving, stopped and checked gone."""
    cluster = Cluster(cpus_per_node=cpus_per_node)
    try:
        cluster.add_node()
        yield cluster
    finally:
        cluster.stop()  # asserts that no process of the cluster is left


def run_worker_node(gcs_address: str, cpus: int, temp_dir: str) -> None:
    """A worker node on 127.0.0.1 joined to `gcs_address`, kept until killed: what
    `ray start --block --address` does, with ray.cluster_utils.Cluster.add_node's
    `Node(RayParams(...), head=False)` (no address rewriting, no multi-node refusal)."""
    assert os.environ.get("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER") == "0", "run through Cluster (ray_env())"
    from ray._private.node import Node
    from ray._private.parameter import RayParams

    params = RayParams(node_ip_address=LOOPBACK, node_name=LOOPBACK, gcs_address=gcs_address, num_cpus=cpus,
                       object_store_memory=int(OBJECT_STORE), temp_dir=temp_dir, dashboard_agent_listen_port=None)
    node = Node(params, head=False, shutdown_at_exit=True, spawn_reaper=True)
    print(f"worker node {node.node_id} at {node.node_ip_address} joined {gcs_address}", flush=True)
    expected = {0, signal.SIGTERM, -signal.SIGTERM, 128 + signal.SIGTERM}
    while True:  # as `ray start --block`: a process of the node dying ends the node
        time.sleep(1)
        died = [(kind, proc.returncode) for kind, proc in node.dead_processes() if proc.returncode not in expected]
        if died:
            print(f"processes of the node died: {died}; killing the rest", flush=True)
            node.kill_all_processes(check_alive=False, allow_graceful=False)
            os._exit(1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker-node"]:  # started by Cluster._start
        run_worker_node(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    # a manual check: start a two-node cluster, print it, stop it
    cluster = Cluster()
    try:
        cluster.add_node()
        print(cluster.address, cluster.alive_nodes(), [[p.pid for p in n.processes()] for n in cluster.nodes])
        print("raylet of node1:", cluster.nodes[1].raylet().pid)
        print("listening:", cluster.assert_loopback_listeners())
    finally:
        cluster.stop()
    sys.exit(0)
