"""`benchrun tasks list|validate` from the command line."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from task_fixtures import ALTERNATIVES, MUTANTS, REFERENCE_PROGRAM, TOML

from benchrun.cli import cli


def test_list_shows_every_task(make_task, tmp_path):
    make_task(name="alpha")
    make_task(name="beta", suite="other")
    result = CliRunner().invoke(cli, ["tasks", "list", str(tmp_path / "tasks")])
    assert result.exit_code == 0, result.output
    assert "2 tasks" in result.output
    assert "suite/alpha" in result.output and "other/beta" in result.output
    assert "experiment_tracking" in result.output


def test_list_reports_a_broken_task_without_a_traceback(make_task):
    folder = make_task()
    (folder / "check.py").unlink()
    result = CliRunner().invoke(cli, ["tasks", "list", str(folder)])
    assert result.exit_code == 1
    assert "missing check.py" in result.output and "Traceback" not in result.output


def test_validate_locally_passes_and_fails(make_task, tmp_path):
    good = make_task(name="good", mutants=MUTANTS, alternatives=ALTERNATIVES)
    result = CliRunner().invoke(cli, ["tasks", "validate", "--sandbox", "local", str(good)])
    assert result.exit_code == 0, result.output
    assert "all 1 tasks discriminate" in result.output
    assert result.output.count("2/2") == 2  # mutants failed, alternatives passed

    # `json.dump` is what the reference adds; a brief that writes it as code leaks it all.
    leaky = make_task(name="leaky", toml=TOML.replace('brief = "The score is also in result.json."',
                                                        'brief = "Call `json.dump` on the score."'),
                      mutants=MUTANTS, alternatives=ALTERNATIVES)
    result = CliRunner().invoke(cli, ["tasks", "validate", "--sandbox", "local", str(leaky)])
    assert result.exit_code == 1 and "all 1 tasks discriminate" in result.output
    assert "1 tasks give too much away: suite/leaky's brief names dump" in result.output

    bad = make_task(name="bad", reference={"main.py": REFERENCE_PROGRAM.replace("result.json", "other.json")},
                    mutants=MUTANTS, alternatives=ALTERNATIVES)
    result = CliRunner().invoke(cli, ["tasks", "validate", "--sandbox", "local", "-j", "2", str(good), str(bad)])
    assert result.exit_code == 1
    assert "1 of 2 tasks do not discriminate" in result.output
    assert "reference fails" in result.output and "no result.json" in result.output


def test_validate_rejects_a_path_without_tasks(tmp_path):
    result = CliRunner().invoke(cli, ["tasks", "validate", "--sandbox", "local", str(tmp_path)])
    assert result.exit_code == 1
    assert "no task folders" in result.output


def test_validate_warm_runs_in_the_docker_sandbox_only(make_task):
    good = make_task(name="good", mutants=MUTANTS, alternatives=ALTERNATIVES)
    result = CliRunner().invoke(cli, ["tasks", "validate", "--sandbox", "local", "--warm", str(good)])
    assert result.exit_code == 2 and "--warm needs --sandbox docker" in result.output


@pytest.mark.docker
def test_validate_warm_gives_the_same_verdicts(make_task):
    """The four ways of a task with programs and judges in forks of preloaded interpreters."""
    good = make_task(name="good", mutants=MUTANTS, alternatives=ALTERNATIVES)
    result = CliRunner().invoke(cli, ["tasks", "validate", "--warm", str(good)])
    assert result.exit_code == 0, result.output
    assert "docker sandbox (warm)" in result.output and "all 1 tasks discriminate" in result.output
    assert "2/2" in result.output and "1/1" in result.output


def test_check_shows_each_problem_of_a_task_toml_as_an_error_of_the_spec(make_task, tmp_path):
    """`benchrun check` (and run, plan) on a spec whose task folder has a bad task.toml:
    one compiler-style error per problem, each naming the file and the key."""
    folder = make_task()
    toml = folder / "task.toml"
    toml.write_text(TOML.replace('kind = "inline"', 'kind = "rewrite"').replace("timeout = 30", "timout = 30"))
    spec = tmp_path / "x.bench"
    spec.write_text(f'benchmark "b" {{\n  tasks ["{folder}"]\n  models [identity]\n  samples 1\n'
                    f'  score [pass@1]\n  sandbox local()\n}}\n')
    result = CliRunner().invoke(cli, ["check", str(spec)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors == [f"{spec}:1:1: error: task {toml.resolve()}: timout: unknown key (did you mean 'timeout'?); "
                      "allowed: after, brief, components, entry, functionality, id, instruction, kind, timeout",
                      f"{spec}:1:1: error: task {toml.resolve()}: kind: must be one of inline, translate "
                      "(got 'rewrite')"]
    assert f"{spec}: 2 errors" in result.output
