"""`benchrun models`: lists providers and whether each answers."""
from __future__ import annotations

import socket

from click.testing import CliRunner
from fault_server import FaultServer

from benchrun.cli import cli


def write_spec(tmp_path, models: str):
    (tmp_path / "tasks" / "t1").mkdir(parents=True)
    (tmp_path / "tasks" / "t1" / "task.toml").write_text('id = "t1"\nbrief = "b"\n')
    spec = tmp_path / "m.bench"
    spec.write_text(f'benchmark "b" {{\n  tasks "tasks/*"\n  models [{models}]\n  sandbox local()\n}}\n')
    return str(spec)


def dead_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def test_models_of_a_spec_with_health(tmp_path):
    with FaultServer() as server:
        spec = write_spec(
            tmp_path,
            f'oracle, openai("fault-model", base_url = "{server.url}"), '
            f'openai("gone", base_url = "{dead_url()}")',
        )
        result = CliRunner().invoke(cli, ["models", spec], terminal_width=200)
    out = result.output
    assert result.exit_code == 1, out  # one model does not answer
    assert "openai:fault-model" in out and "openai:gone" in out and "oracle" in out
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 4}
    assert "yes" in lines["openai:fault-model"] and "yes" in lines["oracle"]
    assert "no" in lines["openai:gone"] and "down" in lines["openai:gone"]


def test_all_answering_exits_zero_and_no_check_contacts_nothing(tmp_path):
    spec = write_spec(tmp_path, f'oracle, identity, openai("gone", base_url = "{dead_url()}")')
    result = CliRunner().invoke(cli, ["models", "--no-check", spec], terminal_width=200)
    assert result.exit_code == 0 and "not checked" in result.output
    spec = write_spec(tmp_path / "b", "oracle, identity")
    assert CliRunner().invoke(cli, ["models", spec]).exit_code == 0


def test_builtins_are_listed_without_a_spec():
    result = CliRunner().invoke(cli, ["models", "--no-check"], terminal_width=200)
    assert result.exit_code == 0
    for name in ("local", "oracle", "identity", "openai:gpt-4o-mini", "vllm"):
        assert name in result.output


def test_bad_spec_is_a_clear_error_not_a_traceback(tmp_path):
    spec = tmp_path / "bad.bench"
    spec.write_text('benchmark "b" {\n  models [gpt5]\n}\n')
    result = CliRunner().invoke(cli, ["models", str(spec)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "bad.bench:2" in result.output
