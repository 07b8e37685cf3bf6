"""Task validation tells a discriminating task from one whose check tests nothing, lets a
plausible mistake pass, rejects a correct solution in another style, or whose reference
is broken, and says why."""
from __future__ import annotations

from task_fixtures import ALTERNATIVES, CHECK, MUTANTS, REFERENCE_PROGRAM

from benchrun.codegen.tasks import load_task
from benchrun.codegen.validate import validate_tasks

LOOSE_CHECK = CHECK.replace(
    'if json.load(open("result.json"))["score"] != value:\n    fail("result.json disagrees with the printed score")\n', "")
STRICT_CHECK = CHECK.replace("require_success()", "require_success()\nassert open('main.py').read().startswith('import json')")


def test_validation_verdicts_and_reasons(make_task, host_runner):
    variants = {"mutants": MUTANTS, "alternatives": ALTERNATIVES}
    good = make_task(name="good", **variants)
    lax = make_task(name="lax", check="from benchcheck import require_success\nrequire_success()\n", **variants)
    broken = make_task(name="broken", reference={"main.py": REFERENCE_PROGRAM.replace("0.75", "0.5")}, **variants)
    crashing = make_task(name="crashing", reference={"main.py": "import nonexistent_module\n"}, **variants)
    loose = make_task(name="loose", check=LOOSE_CHECK, **variants)  # the wrong-score mutant passes
    strict = make_task(name="strict", check=STRICT_CHECK, **variants)  # demands the reference's shape
    bare = make_task(name="bare")  # no mutants, no alternatives
    names = ["good", "lax", "broken", "crashing", "loose", "strict", "bare"]
    seen = []
    outcomes = validate_tasks(
        [load_task(f) for f in (good, lax, broken, crashing, loose, strict, bare)], host_runner, jobs=2,
        progress=seen.append,
    )
    assert sorted(o.task.id for o in seen) == sorted(f"suite/{n}" for n in names)
    by_id = {o.task.id.split("/")[1]: o for o in outcomes}
    assert [o.task.id for o in outcomes] == [f"suite/{n}" for n in names]

    assert by_id["good"].ok and by_id["good"].why == "", by_id["good"].why
    assert "CHECK FAILED: no result.json" in by_id["good"].baseline.check.stderr
    assert all(not j.passed and j.check for j in by_id["good"].mutants.values())
    assert by_id["good"].alternatives["write-text"].passed

    assert not by_id["lax"].ok
    assert "unmodified input passes the check" in by_id["lax"].why

    assert not by_id["broken"].ok
    assert "reference fails" in by_id["broken"].why
    assert "score changed: the original program prints 0.75, this one 0.5" in by_id["broken"].why

    assert "ModuleNotFoundError" in by_id["crashing"].why
    assert by_id["loose"].problems == ["mutant wrong-score passes the check: the check does not test what it should"]
    assert by_id["strict"].problems[0].startswith("alternative write-text fails")
    assert by_id["bare"].problems == ["0 mutants in mutants/ (at least 2)", "0 alternatives in alternatives/ (at least 2)"]


def test_a_hanging_input_is_not_counted_as_failing_its_check(make_task, host_runner):
    check = "import os\nfrom benchcheck import fail\nos.path.exists('result.json') or fail('no result.json')\n"
    folder = make_task(name="slow", inputs={"main.py": "import time\ntime.sleep(30)\n"}, check=check)
    text = (folder / "task.toml").read_text().replace("timeout = 30", "timeout = 3")
    (folder / "task.toml").write_text(text)
    [outcome] = validate_tasks([load_task(folder)], host_runner)
    assert outcome.reference.passed, outcome.reference
    assert outcome.baseline.program.category == "timeout" and outcome.baseline.program.duration_s < 10
    assert not outcome.ok and "unmodified input did not reach the check (timeout)" in outcome.why
