"""The metrics a trial reports, each declared once: its name, unit and direction.

Everything that names a metric checks it against `METRICS`: the grammar (`stop when`
comparisons, `no_improvement(...)`, the block's `metric`), the stop rules at run time
and the docs' table (tests/tuning/test_tuning_registries.py). A unit lets a spec compare
a metric with a literal of its kind: `memory_mb > 1GiB` is 1024, `step_time_ms > 2s` is
2000. `higher_is_better` decides which way a rule or an objective counts as improving
(`metric accuracy` maximises unless told).

The trial reports these (benchrun.tuning.trainable); a metric added by a plugin
(entry-point group `benchrun.metrics`) can be named only if the trial reports it.
"""
from __future__ import annotations

import attrs

from benchrun.registry import Entry, Registry

UNITS = ("MiB", "ms", "%", "s", "")


@attrs.frozen(kw_only=True)
class Metric(Entry):
    """`unit`: MiB, ms, %, s or "" (a plain number); a duration or size compared with the
    metric is converted to it. `higher_is_better`: larger values are better. `system`: a
    figure of the process or the machine, not of what the model learned (MLflow's export
    logs it as system/<name>)."""

    unit: str = ""
    higher_is_better: bool = False
    system: bool = False

    def __attrs_post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"metric {self.name}: unit must be one of {UNITS}, got {self.unit!r}")


# ---------------------------------------------------------------- system metrics (every evaluation)

MEMORY_MB = Metric(name="memory_mb", system=True, unit="MiB",
                   doc="the trial's own memory: RSS minus shared of its process, less that figure when the trial began")
WORKER_MEMORY_MB = Metric(name="worker_memory_mb", system=True, unit="MiB",
                          doc="RSS minus shared of the process running the trial, whole (the thesis's figure: "
                              "interpreter, libraries and data loaded included)")
STEP_TIME_MS = Metric(name="step_time_ms", system=True, unit="ms",
                      doc="mean wall time of a training step since the previous evaluation")
CPU_STEP_MS = Metric(name="cpu_step_ms", system=True, unit="ms",
                     doc="mean CPU time of the trial's process per training step since the previous evaluation "
                         "(the same steps step_time_ms times; unlike it, not lengthened by other jobs on the machine)")
CPU_PCT = Metric(name="cpu_pct", system=True, unit="%",
                 doc="CPU time over wall time of the trial's process since the previous evaluation")
CPU_TIME_S = Metric(name="cpu_time_s", system=True, unit="s", doc="CPU seconds of the trial's process since the trial began")
WALL_TIME_S = Metric(name="wall_time_s", system=True, unit="s", doc="time since the trial began")
TRAIN_TIME_S = Metric(name="train_time_s", system=True, unit="s", doc="training time so far (the timed steps only)")
LOAD_AVG = Metric(name="load_avg", system=True,
                  doc="the machine's 1-minute load average when the evaluation was sampled (its context, "
                      "not the trial's cost: what makes wall-clock figures vary)")

# ---------------------------------------------------------------- what the model learned

TRAIN_LOSS = Metric(name="train_loss", doc="the algorithm's loss on the step's batch, after its update (every step)")
VAL_LOSS = Metric(name="val_loss", doc="the algorithm's loss on the validation set (fold mean with cv)")
ACCURACY = Metric(name="accuracy", higher_is_better=True, doc="share of validation rows classified right (classifiers)")
RMSE = Metric(name="rmse", doc="root mean squared error on the validation set (regressors)")

# ---------------------------------------------------------------- progress

STEP = Metric(name="step", doc="training steps so far")
EPOCH = Metric(name="epoch", doc="the epoch the step is in, from 1")

METRICS: Registry[Metric] = Registry("metrics", "metric", Metric, {
    name: f"benchrun.tuning.metrics:{name.upper()}"
    for name in ("memory_mb", "worker_memory_mb", "step_time_ms", "cpu_step_ms", "cpu_pct", "cpu_time_s", "wall_time_s",
                 "train_time_s", "load_avg",
                 "train_loss", "val_loss", "accuracy", "rmse", "step", "epoch")
})
