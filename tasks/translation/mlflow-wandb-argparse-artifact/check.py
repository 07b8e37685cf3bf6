"""MLflow -> W&B offline (argparse, artifact): same accuracy; config, summary, saved file."""
import os

from benchcheck import assert_same_score, fail, require_success, wandb_offline_run

require_success()
accuracy = assert_same_score("accuracy", rel=1e-3)

run = wandb_offline_run()
if run.get("project") != "wine-knn":
    fail(f"the run's project is {run.get('project')!r}, expected 'wine-knn'")
expected = {"n_neighbors": 7, "weights": "distance", "test_size": 0.3, "seed": 4}
config = {key: run["config"].get(key) for key in expected}
if config != expected:
    fail(f"the run's config has {config}, expected every option: {expected}")
logged = run["summary"].get("accuracy")
if not isinstance(logged, (int, float)) or abs(logged - accuracy) > 1e-3:
    fail(f"the run records accuracy {logged!r}, the program printed {accuracy}")

if "confusion.csv" not in run["files"]:
    fail(f"confusion.csv is not saved with the run (its files: {run['files']})")
saved = os.path.join(run["dir"], "files", "confusion.csv")
with open(saved) as handle:
    matrix = [[int(cell) for cell in line.split(",")] for line in handle.read().split()]
if len(matrix) != 3 or any(len(row) != 3 for row in matrix):
    fail(f"the saved confusion.csv is not a 3x3 matrix: {matrix}")
diagonal, total = sum(matrix[i][i] for i in range(3)), sum(map(sum, matrix))
if abs(diagonal / total - accuracy) > 1e-3:
    fail(f"the saved confusion matrix gives accuracy {diagonal / total:.4f}, the program printed {accuracy}")
if os.path.exists("mlruns"):
    fail("the program still writes an MLflow store (./mlruns); the tracking should move to W&B")
