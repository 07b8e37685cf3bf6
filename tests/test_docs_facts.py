"""The figures and commands the docs give a new user, checked against benchrun itself:
every spec of docs/language.md's table of example specs plans to the counts the table
gives, every spec in specs/ is in that table, and every command, subcommand, report and
option README.md's command list names exists."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchrun.cli import cli
from benchrun.cli.specs import spec_plan
from benchrun.engine.plan import summarize

ROOT = Path(__file__).resolve().parents[1]
SPEC_TABLE = ROOT / "docs" / "language.md"
README = ROOT / "README.md"
ROW = re.compile(r"^\| `(specs/[\w.-]+\.bench)` \| (.+) \| (.+) \|\s*$", re.M)
NUMBER = r"(\d[\d,]*)"


def spec_rows() -> list[tuple[str, str, str]]:
    rows = ROW.findall(SPEC_TABLE.read_text())
    assert rows, f"no `| specs/... | what | units |` rows in {SPEC_TABLE}"
    return rows


def claims(what: str, units: str) -> dict[str, int]:
    """What a row says, by the name of the plan's figure it must equal. The units column:
    `432` (work units), `640 trials`, `36 per task`, `1,840 (1,824 trials, 16 held-out)`;
    the what column: `12 tasks`, `2 blocks` (any such phrase, wherever it is)."""
    said: dict[str, int] = {}

    def note(name: str, text: str) -> None:
        value = int(text.replace(",", ""))
        if said.setdefault(name, value) != value:
            pytest.fail(f"the row says two figures for {name}: {said[name]} and {value}")

    lead = re.match(rf"{NUMBER}(?!\d)(?! trials| per task| held-out)", units)
    if lead:
        note("units", lead.group(1))
    for pattern, name in ((rf"{NUMBER} trials", "trials"), (rf"{NUMBER} per task", "units per task"),
                          (rf"{NUMBER} held-out", "held-out evaluations")):
        for found in re.findall(pattern, units):
            note(name, found)
    for pattern, name in ((rf"\b{NUMBER} tasks\b", "tasks"), (rf"\b{NUMBER} blocks\b", "blocks")):
        for found in re.findall(pattern, what):
            note(name, found)
    return said


@functools.cache
def planned(spec: str) -> dict[str, int]:
    """The same counts as `benchrun plan SPEC --json` prints in its summary."""
    summary = summarize(spec_plan(str(ROOT / spec)))
    blocks = summary["blocks"]
    tasks = sum(block.get("tasks", 0) for block in blocks)
    return {
        "units": summary["units"],
        "trials": summary["by_kind"].get("trial", 0),
        "held-out evaluations": summary["by_kind"].get("holdout", 0),
        "tasks": tasks,
        "units per task": summary["units"] // tasks if tasks and summary["units"] % tasks == 0 else -1,
        "blocks": len(blocks),
    }


def test_the_claims_parser_reads_each_form():
    assert claims("12 tasks × 3 models", "432") == {"units": 432, "tasks": 12}
    assert claims("the study's design over 63 tasks", "6,048") == {"units": 6048, "tasks": 63}
    assert claims("51 tasks, 3 models", "36 per task") == {"units per task": 36, "tasks": 51}
    assert claims("2 blocks of 24", "48 trials") == {"trials": 48, "blocks": 2}
    assert claims("", "1,840 (1,824 trials, 16 held-out)") == {"units": 1840, "trials": 1824, "held-out evaluations": 16}


@pytest.mark.parametrize("spec, what, units", spec_rows(), ids=[row[0] for row in spec_rows()])
def test_each_example_spec_plans_to_the_counts_its_row_gives(spec, what, units):
    said = claims(what, units)
    assert {"units", "trials", "units per task"} & set(said), f"{spec}: the row gives no unit count: {units!r}"
    actual = planned(spec)
    wrong = [f"{name}: docs say {value:,}, the plan has {actual[name]:,}"
             for name, value in said.items() if actual[name] != value]
    assert not wrong, f"docs/language.md's row for {spec} is out of date: " + "; ".join(wrong)


def test_every_spec_shipped_is_in_the_table():
    shipped = {f"specs/{p.name}" for p in (ROOT / "specs").glob("*.bench")}
    listed = {row[0] for row in spec_rows()}
    assert not shipped - listed, f"docs/language.md's table of example specs lacks {sorted(shipped - listed)}"
    assert not listed - shipped, f"docs/language.md's table names specs that do not exist: {sorted(listed - shipped)}"


# ---------------------------------------------------------------- the README's commands


def readme_commands() -> list[str]:
    """The lines of the README's `## Commands` block that start with `benchrun `."""
    section = README.read_text().split("## Commands", 1)[1]
    block = section.split("```", 2)[1]
    lines = [line.strip() for line in block.splitlines() if line.strip().startswith("benchrun ")]
    assert len(lines) > 5, "README.md's ## Commands block lists no commands"
    return lines


def help_text(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="benchrun")
    assert result.exit_code == 0, f"benchrun {' '.join(args)} --help failed: {result.output}"
    return result.output


def listed_commands(text: str) -> set[str]:
    """The names a click group's help lists under Commands:."""
    part = text.split("Commands:", 1)[1]
    return {m.group(1) for m in re.finditer(r"^  (\S+)", part, re.M)}


def report_names() -> set[str]:
    result = CliRunner().invoke(cli, ["report", "--list"], prog_name="benchrun")
    assert result.exit_code == 0, result.output
    return {line.split()[0] for line in result.output.splitlines() if line.strip()}


@pytest.mark.parametrize("line", readme_commands())
def test_each_readme_command_and_its_options_exist(line):
    words = line.split()
    command = words[1]
    options = set(re.findall(r"(?<![\w-])(--[a-z][\w-]*)", line))
    if command.isupper():  # `benchrun SPEC`: the same as `benchrun run SPEC`
        command_help = help_text("run")
    else:
        assert command in listed_commands(help_text()), f"README lists `benchrun {command}`; `benchrun --help` does not"
        command_help = help_text(command)
        usage = line.split("  ")[0]  # the usage part, before the description
        choices = re.search(rf"benchrun {command} ([a-z]+(?:\|[a-z]+)+)", usage)
        if choices:  # `sandbox build|status|clean`: each a subcommand of the group
            missing = set(choices.group(1).split("|")) - listed_commands(command_help)
            assert not missing, f"README lists `benchrun {command} {'|'.join(sorted(missing))}`; its help does not"
        if command == "report":  # `report NAME`'s names, and `report compare`
            named = set(re.findall(r"[a-z0-9]+", line.split("  ", 1)[1])) if words[2] == "NAME" else {words[2]}
            unknown = named - report_names()
            assert not unknown, f"README names reports {sorted(unknown)}; `benchrun report --list` has no such report"
    unknown = {option for option in options if not re.search(rf"(?<![\w-]){option}(?![\w-])", command_help)}
    assert not unknown, f"README gives `benchrun {command}` the options {sorted(unknown)}; its --help has none of them"
