"""benchcheck's feeds, monitoring and validation helpers over recorded `after` runs: which
files a task fed the program, and the verdicts on alarms and refusals."""
from __future__ import annotations

import pytest

from benchrun.codegen.benchcheck import assert_alarms, assert_validation, fed_files, judge, names, printed

CLEAN = "python3 -I feed.py a.csv --seed 1 && python3 train.py --batch a.csv"
SHIFTED = "python3 -I feed.py b.csv --seed 2 --shift hue=1.2 --shift ash=-1 && python3 train.py --batch b.csv"


def run(stdout="", rc=0, stderr=""):
    return {"rc": rc, "stdout": stdout, "stderr": stderr}


@pytest.fixture
def recorded(monkeypatch):
    """Sets the judge's record: the task's after commands and their runs (no measures yet)."""
    monkeypatch.setattr(judge, "_MEASURES", [])

    def record(commands, runs):
        monkeypatch.setitem(judge._JUDGE, "after", list(commands))
        monkeypatch.setitem(judge._JUDGE, "after_runs", list(runs))
    return record


def test_fed_files_reads_the_helper_call_of_each_command(recorded):
    recorded([CLEAN, "mkdir -p r1 && cd r1 && python3 -I ../rows.py x.csv --fault null:ash && python3 ../t.py", SHIFTED],
             [run("a"), run("b", 2), run("c")])
    fed = fed_files("feed.py")
    assert [f.path for f in fed] == ["a.csv", "b.csv"]
    assert fed[0].options == {} and fed[0].given == {"seed": ["1"]}
    assert fed[1].options == {"shift": ["hue=1.2", "ash=-1"]} and fed[1].run["stdout"] == "c"
    rows = fed_files("rows.py")
    assert rows[0].cwd == "r1" and rows[0].options == {"fault": ["null:ash"]} and rows[0].run["rc"] == 2


def test_fed_files_fails_when_no_command_runs_the_helper(recorded):
    recorded([CLEAN], [run()])
    with pytest.raises(SystemExit):
        fed_files("rows.py")


def test_printed_and_names():
    text = "accuracy: 0.9\ndrift: no\nDrift: yes\ndrifted: hue, od280/od315_of_diluted_wines\n"
    assert printed(text, "drift") == "yes" and printed(text, "missing") is None
    assert names(printed(text, "drifted")) == {"hue", "od280/od315_of_diluted_wines"}
    assert names("none") == frozenset() and names("['a', 'b']") == {"a", "b"}


def shifted_features(fed):
    return frozenset(spec.split("=")[0] for spec in fed.options.get("shift", []))


def test_alarms_on_exactly_the_drifted_batches_pass_and_are_counted(recorded, capsys):
    recorded([CLEAN, SHIFTED], [run("drifted: none"), run("drifted: ash, hue")])
    counts = assert_alarms(fed_files(), shifted_features, lambda f: names(printed(f.run["stdout"], "drifted")))
    assert counts == {"detections": 1, "drifted": 1, "false_alarms": 0, "clean": 1}
    assert "detections 1/1, false alarms 0/1" in capsys.readouterr().out
    graded = {m["name"]: (m["value"], m["unit"]) for m in judge._MEASURES}
    assert graded == {"detections": (1.0, "batches"), "false_alarms": (0.0, "batches")}


@pytest.mark.parametrize("clean, shifted", [
    ("drifted: hue", "drifted: ash, hue"),   # always alarms
    ("drifted: none", "drifted: none"),      # never alarms
    ("drifted: none", "drifted: hue"),       # names one of the two features
    ("", "drifted: ash, hue"),               # no answer on the clean batch
])
def test_wrong_alarms_fail_with_the_batch_named(recorded, capsys, clean, shifted):
    recorded([CLEAN, SHIFTED], [run(clean), run(shifted)])
    observed = lambda f: None if printed(f.run["stdout"], "drifted") is None else names(printed(f.run["stdout"], "drifted"))  # noqa: E731
    with pytest.raises(SystemExit):
        assert_alarms(fed_files(), shifted_features, observed)
    assert "CHECK FAILED: the alarms do not match" in capsys.readouterr().err
    assert {m["name"] for m in judge._MEASURES} == {"detections", "false_alarms"}  # measured before the verdict


VALID = "mkdir -p r1 && cd r1 && python3 -I ../rows.py d.csv && python3 ../train.py"
BROKEN = "mkdir -p r2 && cd r2 && python3 -I ../rows.py d.csv --fault null:ash --fault range:hue && python3 ../train.py"


def invalid_lines(fed):
    return frozenset(line.split(":", 1)[1].strip() for line in fed.run["stderr"].splitlines() if line.startswith("invalid:"))


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r1").mkdir()
    (tmp_path / "r2").mkdir()
    (tmp_path / "r1" / "model.joblib").write_bytes(b"x")
    return tmp_path


def test_faulty_files_refused_and_valid_ones_trained_pass(recorded, dirs, capsys):
    recorded([VALID, BROKEN], [run(), run(rc=2, stderr="invalid: ash\ninvalid: hue\n")])
    counts = assert_validation(fed_files("rows.py"), invalid_lines, model="model.joblib", refused_rc=2)
    assert counts == {"refused": 1, "faulty": 1, "accepted": 1, "clean": 1}


@pytest.mark.parametrize("rc, stderr, model_written, why", [
    (1, "invalid: ash\ninvalid: hue", False, "exited 1, not 2"),
    (2, "invalid: ash", False, "named the columns ['ash']"),
    (2, "invalid: ash\ninvalid: hue\ninvalid: id", False, "named the columns"),
    (2, "invalid: ash\ninvalid: hue", True, "wrote model.joblib"),
    (0, "", True, "exited 0"),
])
def test_a_faulty_file_not_refused_as_asked_fails(recorded, dirs, capsys, rc, stderr, model_written, why):
    if model_written:
        (dirs / "r2" / "model.joblib").write_bytes(b"x")
    recorded([VALID, BROKEN], [run(), run(rc=rc, stderr=stderr)])
    with pytest.raises(SystemExit):
        assert_validation(fed_files("rows.py"), invalid_lines, model="model.joblib", refused_rc=2)
    assert why in capsys.readouterr().err


def test_a_valid_file_refused_fails(recorded, dirs, capsys):
    (dirs / "r1" / "model.joblib").unlink()
    recorded([VALID, BROKEN], [run(rc=2, stderr="invalid: ash"), run(rc=2, stderr="invalid: ash\ninvalid: hue")])
    with pytest.raises(SystemExit):
        assert_validation(fed_files("rows.py"), invalid_lines, model="model.joblib", refused_rc=2)
    assert "a valid file, but the program exited 2 and wrote no model.joblib" in capsys.readouterr().err


def test_loose_naming_accepts_extra_columns(recorded, dirs):
    recorded([VALID, BROKEN], [run(), run(rc=1, stderr="invalid: ash\ninvalid: hue\ninvalid: id")])
    assert assert_validation(fed_files("rows.py"), invalid_lines, model="model.joblib", exact=False)["refused"] == 1
