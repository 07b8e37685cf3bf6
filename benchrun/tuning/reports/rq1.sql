-- RQ1: how hyperparameters drive a trial's system cost. Per block (never pooled) and
-- hyperparameter value: mean step time, peak memory (the trial's own RSS - shared, see
-- docs/tuning.md) and mean CPU, over the latest result of each trial; `--run ID` or a spec picks
-- the plan. The batch size is the one used (clamped to the training rows); the other
-- values are those the trial trained with (an Optuna trial's sampled configuration).

-- table: system cost per hyperparameter value
SELECT block, dataset, algorithm, hyperparameter, value, count(*) AS trials,
       round(avg(mean_step_time_ms), 3) AS step_time_ms,
       round(max(peak_memory_mb), 1) AS peak_memory_mb,
       round(avg(peak_memory_mb), 1) AS mean_peak_memory_mb,
       round(avg(mean_cpu_pct), 1) AS cpu_pct,
       round(avg(cpu_time_s), 2) AS cpu_time_s
FROM (
    UNPIVOT (
        SELECT t.block, t.dataset, t.algorithm, t.mean_step_time_ms, t.peak_memory_mb, t.mean_cpu_pct, t.cpu_time_s,
               coalesce(TRY_CAST(u.summary ->> 'batch_size' AS DOUBLE), t.batch_size) AS batch_size,
               coalesce(TRY_CAST(u.summary ->> '$.config.learning_rate' AS DOUBLE), t.learning_rate) AS learning_rate,
               coalesce(TRY_CAST(u.summary ->> '$.config.alpha' AS DOUBLE), t.alpha) AS alpha
        FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
    )
    ON batch_size, learning_rate, alpha INTO NAME hyperparameter VALUE value
)
GROUP BY ALL
ORDER BY block, dataset, algorithm, hyperparameter, value;

-- table: memory by batch size
-- chart: line x=batch_size y=peak_memory_mb series=dataset logx title="Peak memory (the trial's RSS - shared) vs batch size"
SELECT t.block, t.dataset, coalesce(TRY_CAST(u.summary ->> 'batch_size' AS DOUBLE), t.batch_size) AS batch_size,
       count(*) AS trials, round(max(t.peak_memory_mb), 1) AS peak_memory_mb, round(avg(t.mean_cpu_pct), 1) AS cpu_pct
FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
GROUP BY ALL
ORDER BY t.block, t.dataset, batch_size;

-- table: step time by batch size
-- chart: line x=batch_size y=step_time_ms series=dataset logx logy title="Mean step time vs batch size"
SELECT block, dataset, batch_size, count(*) AS trials, round(avg(mean_step_time_ms), 4) AS step_time_ms,
       round(1000 * avg(mean_step_time_ms) / batch_size, 3) AS us_per_row
FROM (
    SELECT t.block, t.dataset, t.mean_step_time_ms,
           coalesce(TRY_CAST(u.summary ->> 'batch_size' AS DOUBLE), t.batch_size) AS batch_size
    FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
)
GROUP BY block, dataset, batch_size
ORDER BY block, dataset, batch_size;
