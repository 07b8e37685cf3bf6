"""wandb-track-boosting-stages: one offline W&B run of project 'diabetes-boosting' whose
config is the boosting params, whose history has the test MSE of every stage (checked
against a re-fit of the original model), and whose summary holds best_stage and r2."""
import math

from benchcheck import (
    assert_same_score, fail, original_output, program_output, require_success, wandb_offline_run,
)


def close(a, b, tolerance):
    return isinstance(a, (int, float)) and math.isclose(a, b, abs_tol=tolerance)


require_success()
printed_r2 = assert_same_score("r2")
best_stage = assert_same_score("best_stage")
lines = [l for l in original_output().splitlines() if l.startswith("stage ")]
if [l for l in program_output().splitlines() if l.startswith("stage ")] != lines:
    fail("the per-stage lines differ from the original program's")

from train import BoostingStudy  # the unmodified program, re-fitted for the expected errors

study = BoostingStudy()
study.model.fit(study.X_train, study.y_train)
errors = study.stage_errors()

run = wandb_offline_run()
config, summary, history = run["config"], run["summary"], run["history"]
if run["project"] != "diabetes-boosting":
    fail(f"the run's project is {run['project']!r}, expected 'diabetes-boosting'")
if run["exit_code"] is None:
    fail("the run was not finished (no exit record): call run.finish()")
if config != BoostingStudy.params:
    fail(f"config is {config}, expected exactly {BoostingStudy.params}")

if len(history) != len(errors):
    fail(f"expected {len(errors)} history rows (one per stage), found {len(history)}")
for stage, (row, error) in enumerate(zip(history, errors), start=1):
    if row.get("stage") != stage or not close(row.get("test_mse"), error, 1e-6 * error):
        fail(f"history row {row.get('_step')} is stage={row.get('stage')} test_mse={row.get('test_mse')}, "
             f"expected stage={stage} test_mse={error}")

if summary.get("best_stage") != int(best_stage):
    fail(f"summary best_stage is {summary.get('best_stage')}, the program printed {int(best_stage)}")
if not close(summary.get("r2"), printed_r2, 6e-5):
    fail(f"summary r2 is {summary.get('r2')}, the program printed {printed_r2}")
print("ok")
