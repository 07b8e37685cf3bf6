"""The sandbox interface and the Docker pool's life cycle, against the real engine."""
from __future__ import annotations

import json
import threading

import attrs
import pytest

from benchrun.grammar.spec import SandboxSpec
from benchrun.sandboxes import (
    NONZERO_EXIT,
    OK,
    ExecResult,
    Limits,
    LocalSandbox,
    Sandbox,
    SandboxUnavailable,
    open_sandbox,
)
from benchrun.sandboxes.base import TAIL_BYTES, OutputTail, categorize, check_relative
from benchrun.sandboxes.image import debian_mirror, host_pip_config


def test_categories_name_the_cause():
    assert categorize(0) == OK
    assert categorize(1) == NONZERO_EXIT
    assert categorize(137, timed_out=True, oom_killed=True) == "memory"
    assert categorize(137, timed_out=True) == "timeout"
    assert categorize(0, output_truncated=True) == "output_limit"
    assert categorize(None) == "sandbox_error"


def test_file_paths_must_stay_inside_the_work_dir():
    assert check_relative("./a//b.py") == "a/b.py"
    for bad in ("/etc/passwd", "../x", "a/../../x", ""):
        with pytest.raises(ValueError):
            check_relative(bad)


def test_output_tail_counts_everything_keeps_the_end():
    tail = OutputTail()
    for i in range(100):
        tail.add(f"{i:04d}".encode() * 1000)
    assert tail.total == 400_000
    assert len(tail.text()) == TAIL_BYTES and tail.text().endswith("0099")


def test_debian_mirror_is_read_from_apt_sources(tmp_path):
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / "sources.list.d" / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.invalid/debian\nSuites: bookworm bookworm-updates\nComponents: main\n"
    )
    assert debian_mirror(tmp_path) == "http://mirror.invalid/debian"
    (tmp_path / "sources.list.d" / "debian.sources").unlink()
    (tmp_path / "sources.list").write_text("deb [arch=amd64] http://other.invalid/debian bookworm main\n")
    assert debian_mirror(tmp_path) == "http://other.invalid/debian"
    (tmp_path / "sources.list").write_text("# nothing\n")
    with pytest.raises(SandboxUnavailable, match="mirror"):
        debian_mirror(tmp_path)


def test_pip_index_settings_pass_through_without_local_paths(monkeypatch):
    monkeypatch.setenv("PIP_INDEX_URL", "https://index.invalid/simple")
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "file:///opt/local/simple https://extra.invalid/simple")
    config = host_pip_config()
    assert "index-url = https://index.invalid/simple" in config
    assert "extra-index-url = https://extra.invalid/simple" in config and "file:" not in config


def test_local_backend_is_a_sandbox(limits):
    sandbox = open_sandbox(SandboxSpec(backend="local"), parallelism=2)
    assert isinstance(sandbox, LocalSandbox) and isinstance(sandbox, Sandbox)


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(SandboxUnavailable, match="unknown sandbox backend"):
        open_sandbox(SandboxSpec(backend="podman"), parallelism=1)


def test_no_engine_says_how_to_start_one(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(SandboxUnavailable, match="Docker engine not running.*sandbox-engine.sh"):
        open_sandbox(SandboxSpec(backend="docker"), parallelism=1)


@pytest.mark.docker
def test_missing_image_says_how_to_build_it(docker_client):
    from benchrun.sandboxes import DockerSandbox

    with pytest.raises(SandboxUnavailable, match="benchrun sandbox build"):
        DockerSandbox(image="benchrun-sandbox:no-such-version", client=docker_client)


@pytest.mark.docker
@pytest.mark.parametrize("warm", [False, True])
def test_spec_opens_a_warm_docker_pool(docker_client, warm):
    spec = SandboxSpec(backend="docker", timeout_s=5, memory_bytes=300 << 20, pids=50,
                       warm_judge=warm, warm_program=warm)
    with open_sandbox(spec, parallelism=1) as sandbox:
        limits = Limits.from_spec(spec)
        files = {"main.py": "print(open('/sys/fs/cgroup/memory/memory.limit_in_bytes').read().strip(),"
                            "open('/sys/fs/cgroup/pids/pids.max').read().strip(), open('in/x.bin','rb').read())",
                 "in/x.bin": b"\xff\x00"}
        result = sandbox.run(files, ["python", "main.py"], limits)
        assert isinstance(result, ExecResult) and result.category == OK, result.stderr
        live = sandbox.container_ids()  # the pool's one container (started in the background when it opened)
        assert len(live) == 1
        memory, pids = result.stdout.split()[:2]
        assert pids == "50" and "\\xff\\x00" in result.stdout
        # Cold: the container's limit is the spec's. Warm (the default): plus what the idle
        # servers hold, measured (test_warm_memory shows a sample still gets exactly its own).
        assert int(memory) == 300 << 20 if not warm else 300 << 20 < int(memory) < (300 + 1024) << 20
    assert sandbox.container_ids() == []
    remaining = {c.id for c in docker_client.containers.list(all=True, filters={"label": "benchrun.sandbox"})}
    assert not remaining & set(live)  # closing removed the pool's container


@pytest.mark.docker
def test_failures_are_reported_with_exit_code_and_traceback(pool, limits):
    result = pool.run({"main.py": "import sys\nprint('partial')\nraise ValueError('boom')"}, ["python", "main.py"], limits)
    assert result.category == NONZERO_EXIT and result.exit_code == 1
    assert result.stdout == "partial\n" and "ValueError: boom" in result.stderr


@pytest.mark.docker
def test_parallel_workers_share_the_pool(pool, limits):
    results = []

    def worker(n):
        for i in range(3):
            out = pool.run({"main.py": f"import socket\nprint({n * 10 + i}, socket.gethostname())"},
                           ["python", "main.py"], limits)
            results.append(out)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.category for r in results] == [OK] * 6
    assert sorted(int(r.stdout.split()[0]) for r in results) == [0, 1, 2, 10, 11, 12]
    assert len({r.stdout.split()[1] for r in results}) == 2  # both containers served


@pytest.mark.docker
def test_containers_are_recycled_after_n_samples_and_on_new_limits(docker_client, limits):
    from benchrun.sandboxes import DockerSandbox

    with DockerSandbox(parallelism=1, limits=limits, recycle_after=2, client=docker_client) as sandbox:
        hosts = [sandbox.run({"m.py": "import socket; print(socket.gethostname())"}, ["python", "m.py"], limits).stdout
                 for _ in range(4)]
        assert hosts[0] == hosts[1] != hosts[2] == hosts[3]
        bigger = attrs.evolve(limits, memory_bytes=400 << 20)
        result = sandbox.run({"m.py": "print(open('/sys/fs/cgroup/memory/memory.limit_in_bytes').read())"},
                             ["python", "m.py"], bigger)
        assert result.stdout.strip() == str(400 << 20)


@pytest.mark.docker
def test_command_and_environment_reach_the_program_exactly(pool, limits):
    # They travel to the waiting wrapper as one quoted shell line: quotes, `$`, newlines,
    # names a shell cannot export and names the wrapper uses itself must arrive unchanged.
    tricky = "it's \"$HOME\" `id`;\nsecond line\\n $(x)"
    env = {"TRICKY": tricky, "EMPTY": "", "odd-name.x": "ok\nyes", "-u": "1", "d": "/nowhere", "t": "0", "mem": "m"}
    program = "import json, os, sys\nprint(json.dumps([sys.argv[1:], {k: os.environ.get(k) for k in sys.argv[1:]}]))"
    result = pool.run({"main.py": program}, ["python", "main.py", *env, tricky], limits, env=env)
    assert result.category == OK, result.stderr
    args, seen = json.loads(result.stdout)
    assert args == [*env, tricky]
    assert seen == {**env, tricky: None}


@pytest.mark.docker
def test_a_warm_pool_opens_before_its_containers_are_up_and_samples_wait_for_them(docker_client):
    """The containers (and their warm servers) start in the background, so a run's first
    model requests go out while they start; the first samples take a slot once it is up."""
    from benchrun.sandboxes.docker.pool import DockerSandbox

    limits = Limits(timeout_s=10, memory_bytes=300 << 20)
    with DockerSandbox(parallelism=2, limits=limits, client=docker_client, warm_judge=True, warm_program=True) as pool:
        assert pool._idle.qsize() == 0  # open, and no slot is ready: creating a container takes far longer
        results = []
        threads = [threading.Thread(target=lambda: results.append(pool.run({"m.py": "print(6 * 7)"}, ["python", "m.py"],
                                                                           limits))) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [(r.category, r.stdout.strip()) for r in results] == [(OK, "42")] * 2
        assert len(pool.container_ids()) == 2
    assert pool.container_ids() == []
