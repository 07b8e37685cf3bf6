"""Task validation tells a discriminating task from one whose check tests nothing, or
whose reference is broken, and says why."""
from __future__ import annotations

from benchrun.codegen.tasks import load_task
from benchrun.codegen.validate import validate_tasks

from task_fixtures import CHECK, REFERENCE_PROGRAM


def test_validation_verdicts_and_reasons(make_task, host_runner):
    good = make_task(name="good")
    lax = make_task(name="lax", check="from benchcheck import require_success\nrequire_success()\n")
    broken = make_task(name="broken", reference={"main.py": REFERENCE_PROGRAM.replace("0.75", "0.5")})
    crashing = make_task(name="crashing", reference={"main.py": "import nonexistent_module\n"})
    seen = []
    outcomes = validate_tasks(
        [load_task(f) for f in (good, lax, broken, crashing)], host_runner, jobs=2, progress=seen.append
    )
    assert sorted(o.task.id for o in seen) == ["suite/broken", "suite/crashing", "suite/good", "suite/lax"]
    by_id = {o.task.id.split("/")[1]: o for o in outcomes}
    assert [o.task.id for o in outcomes] == ["suite/good", "suite/lax", "suite/broken", "suite/crashing"]

    assert by_id["good"].ok and by_id["good"].why == ""
    assert "CHECK FAILED: no result.json" in by_id["good"].baseline.stderr

    assert not by_id["lax"].ok
    assert "unmodified input passes the check" in by_id["lax"].why

    assert not by_id["broken"].ok
    assert "reference fails (nonzero_exit)" in by_id["broken"].why
    assert "score changed: the original program prints 0.75, this one 0.5" in by_id["broken"].why

    assert "ModuleNotFoundError" in by_id["crashing"].why


def test_a_hanging_input_is_not_counted_as_failing_its_check(make_task, host_runner):
    check = "import os\nfrom benchcheck import fail\nos.path.exists('result.json') or fail('no result.json')\n"
    folder = make_task(name="slow", inputs={"main.py": "import time\ntime.sleep(30)\n"}, check=check)
    text = (folder / "task.toml").read_text().replace("timeout = 30", "timeout = 3")
    (folder / "task.toml").write_text(text)
    [outcome] = validate_tasks([load_task(folder)], host_runner)
    assert outcome.reference.ok, outcome.reference
    assert outcome.baseline.category == "timeout" and outcome.baseline.duration_s < 10
    assert not outcome.ok and "hit timeout" in outcome.why
