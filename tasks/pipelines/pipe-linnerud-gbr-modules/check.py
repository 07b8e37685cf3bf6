"""pipe-linnerud-gbr-modules: prepare, train and evaluate stages over the helper modules
data.py and model.py (deps of the stages that use them), params in params.yaml, committed
as the baseline; two experiments on that baseline, stumps (train.max_depth = 1) and fast
(train.learning_rate = 0.3), each changing only its own param, and the printed
best_experiment is the one DVC shows with the lower rmse; an `after` experiment with
train.n_estimators = 10 and one with a changed split param show DVC reruns the pipeline
from its params. Metrics are recomputed here from each commit's params with the task's own
modules."""
from data import load_split
from model import build, scores

from benchcheck import (
    assert_same_score, check_experiments, check_probe, dvc_metrics, dvc_repo, fail, program_output,
    require_after_success, require_pipeline, require_success,
)

PROBE = "dvc exp run --set-param train.n_estimators=10 --name probe"
PROBE_SPLIT = "dvc exp run --set-param prepare.seed=3 --name probe-split"
BASELINE = {"prepare.test_size": 0.25, "prepare.seed": 0, "train.n_estimators": 50, "train.learning_rate": 0.1,
            "train.max_depth": 2}
EXPERIMENTS = {"stumps": {"train.max_depth": 1}, "fast": {"train.learning_rate": 0.3}}


def metrics(p):
    """What the original script prints, for the params `p` (dotted keys)."""
    seed = int(p["prepare.seed"])
    X_train, X_test, Y_train, Y_test = load_split(p["prepare.test_size"], seed)
    model = build(int(p["train.n_estimators"]), p["train.learning_rate"], int(p["train.max_depth"]), seed)
    return scores(model.fit(X_train, Y_train), X_test, Y_test)


def printed_best() -> str:
    """The name on the last `best_experiment:` line the program printed."""
    lines = [line for line in program_output().splitlines() if line.strip().startswith("best_experiment:")]
    if not lines:
        fail("no `best_experiment: <name>` line in the output")
    return lines[-1].split(":", 1)[1].strip()


require_success()
assert_same_score("rmse", abs_=1e-4)
assert_same_score("mae", abs_=1e-4)

repo = dvc_repo()
require_pipeline(
    repo,
    {
        "prepare": dict(deps=["train.py", "data.py"], outs=["data/split.npz"],
                        params=["prepare.test_size", "prepare.seed"]),
        "train": dict(deps=["train.py", "model.py", "data/split.npz"], outs=["model.joblib"],
                      params=["train.n_estimators", "train.learning_rate", "train.max_depth", "prepare.seed"]),
        "evaluate": dict(deps=["train.py", "model.py", "data/split.npz", "model.joblib"], metrics=["metrics.json"]),
    },
    chain=["prepare", "train", "evaluate"],
    commands={name: f"python3 train.py {name}" for name in ("prepare", "train", "evaluate")},
    params_file="params.yaml",
)
found = check_experiments(repo, baseline=BASELINE, experiments=EXPERIMENTS, metrics=metrics)
if found["stumps"][0] != found["fast"][0]:
    fail("the experiments stumps and fast are based on different commits: compare them on one baseline")
rmse = {name: dvc_metrics(found[name][1])["rmse"] for name in EXPERIMENTS}
best = min(rmse, key=rmse.get)
if printed_best() != best:
    fail(f"best_experiment: {printed_best()}, but DVC shows rmse {rmse}: the lower is {best}")
require_after_success(PROBE)
check_probe(repo, "probe", {"train.n_estimators": 10}, metrics)
require_after_success(PROBE_SPLIT)
check_probe(repo, "probe-split", {"prepare.seed": 3}, metrics)
print("ok")
