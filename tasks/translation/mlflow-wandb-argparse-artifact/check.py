"""MLflow -> W&B offline (argparse, artifact): same accuracy; config, summary, and
confusion.csv kept with the run, either saved among the run's files or in a W&B artifact
the run logged, its content consistent with the printed accuracy."""
import base64
import hashlib
import os

from benchcheck import assert_same_score, fail, require_success, wandb_offline_artifacts, wandb_offline_run

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


def kept_confusion() -> bytes:
    """The bytes of confusion.csv as the run keeps them: the copy saved in the run's files,
    else the file of a logged artifact (known by its digest: an offline run does not keep
    the artifact's files where the judge can read them, so it must be ./confusion.csv)."""
    if "confusion.csv" in run["files"]:
        with open(os.path.join(run["dir"], "files", "confusion.csv"), "rb") as handle:
            return handle.read()
    in_artifacts = [digest for artifact in wandb_offline_artifacts(run)
                    for path, digest in artifact["files"].items() if os.path.basename(path) == "confusion.csv"]
    if not in_artifacts:
        fail(f"confusion.csv is neither saved with the run (its files: {run['files']}) nor in an "
             f"artifact it logged (artifacts: {wandb_offline_artifacts(run)})")
    if not os.path.isfile("confusion.csv"):
        fail("the program no longer writes confusion.csv")
    with open("confusion.csv", "rb") as handle:
        data = handle.read()
    if base64.b64encode(hashlib.md5(data).digest()).decode() not in in_artifacts:
        fail("the artifact's confusion.csv is not the confusion.csv the program wrote")
    return data


try:
    matrix = [[int(cell) for cell in line.split(",")] for line in kept_confusion().decode().split()]
except ValueError as error:
    fail(f"the run's confusion.csv is not a matrix of integers: {error}")
if len(matrix) != 3 or any(len(row) != 3 for row in matrix):
    fail(f"the run's confusion.csv is not a 3x3 matrix: {matrix}")
diagonal, total = sum(matrix[i][i] for i in range(3)), sum(map(sum, matrix))
if abs(diagonal / total - accuracy) > 1e-3:
    fail(f"the run's confusion matrix gives accuracy {diagonal / total:.4f}, the program printed {accuracy}")
if os.path.exists("mlruns"):
    fail("the program still writes an MLflow store (./mlruns); the tracking should move to W&B")
