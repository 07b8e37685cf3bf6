-- RQ1: how hyperparameters drive a trial's system cost. Per block (never pooled) and
-- hyperparameter value: mean wall and CPU time of a step, memory, CPU, over the latest
-- result of each trial; `--run ID` or a spec picks the plan. Two memory figures, both RSS
-- - shared (docs/tuning.md, "How memory is measured"): `peak_memory_mb` is the trial's
-- own increment over its worker's figure when it began (benchrun's), and
-- `peak_worker_memory_mb` the worker's whole figure (the thesis's: the interpreter,
-- libraries, Ray's runtime and the data set included). `step_time_ms` is wall time, which
-- other jobs on the machine stretch; `cpu_step_ms` is the CPU time of the same steps, and
-- `load` the machine's mean 1-minute load average while the trials ran. The batch size
-- is the one used (clamped to the training rows); the other values are those the trial
-- trained with (an Optuna trial's sampled configuration).

-- table: system cost per hyperparameter value
SELECT block, dataset, algorithm, hyperparameter, value, count(*) AS trials,
       round(avg(mean_step_time_ms), 3) AS step_time_ms,
       round(avg(mean_cpu_step_ms), 3) AS cpu_step_ms,
       round(max(peak_memory_mb), 1) AS peak_memory_mb,
       round(avg(peak_memory_mb), 1) AS mean_peak_memory_mb,
       round(max(peak_worker_memory_mb), 1) AS peak_worker_memory_mb,
       round(avg(mean_cpu_pct), 1) AS cpu_pct,
       round(avg(cpu_time_s), 2) AS cpu_time_s,
       round(avg(mean_load_avg), 2) AS load
FROM (
    UNPIVOT (
        SELECT t.block, t.dataset, t.algorithm, t.mean_step_time_ms, t.mean_cpu_step_ms, t.peak_memory_mb,
               t.peak_worker_memory_mb, t.mean_cpu_pct, t.cpu_time_s, t.mean_load_avg,
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
-- peak_memory_mb: the trial's own (benchrun's); peak_worker_memory_mb: its worker's whole RSS - shared (the thesis's)
-- chart: line x=batch_size y=peak_memory_mb series=dataset logx title="Peak memory of the trial itself (RSS - shared over its worker's baseline) vs batch size"
SELECT t.block, t.dataset, coalesce(TRY_CAST(u.summary ->> 'batch_size' AS DOUBLE), t.batch_size) AS batch_size,
       count(*) AS trials, round(max(t.peak_memory_mb), 2) AS peak_memory_mb,
       round(max(t.peak_worker_memory_mb), 1) AS peak_worker_memory_mb,
       round(min(t.peak_worker_memory_mb), 1) AS min_peak_worker_memory_mb,
       round(avg(t.mean_cpu_pct), 1) AS cpu_pct
FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
GROUP BY ALL
ORDER BY t.block, t.dataset, batch_size;

-- table: worker memory (the thesis's RSS - shared) by batch size
-- chart: line x=batch_size y=peak_worker_memory_mb series=dataset logx title="Peak RSS - shared of the worker process (the thesis's figure) vs batch size"
SELECT t.block, t.dataset, coalesce(TRY_CAST(u.summary ->> 'batch_size' AS DOUBLE), t.batch_size) AS batch_size,
       count(*) AS trials, round(max(t.peak_worker_memory_mb), 1) AS peak_worker_memory_mb
FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
WHERE t.peak_worker_memory_mb IS NOT NULL
GROUP BY ALL
ORDER BY t.block, t.dataset, batch_size;

-- table: step time by batch size
-- step_time_ms: wall time of a step; cpu_step_ms: CPU time of the same steps
-- chart: line x=batch_size y=step_time_ms series=dataset logx logy title="Mean wall time of a step vs batch size"
SELECT block, dataset, batch_size, count(*) AS trials, round(avg(mean_step_time_ms), 4) AS step_time_ms,
       round(avg(mean_cpu_step_ms), 4) AS cpu_step_ms,
       round(1000 * avg(mean_step_time_ms) / batch_size, 3) AS us_per_row,
       round(1000 * avg(mean_cpu_step_ms) / batch_size, 3) AS cpu_us_per_row,
       round(avg(mean_load_avg), 2) AS load
FROM (
    SELECT t.block, t.dataset, t.mean_step_time_ms, t.mean_cpu_step_ms, t.mean_load_avg,
           coalesce(TRY_CAST(u.summary ->> 'batch_size' AS DOUBLE), t.batch_size) AS batch_size
    FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
)
GROUP BY block, dataset, batch_size
ORDER BY block, dataset, batch_size;

-- table: CPU time of a step by batch size
-- chart: line x=batch_size y=cpu_step_ms series=dataset logx logy title="Mean CPU time of a step vs batch size (not stretched by the machine's load)"
SELECT block, dataset, batch_size, count(*) AS trials, round(avg(mean_cpu_step_ms), 4) AS cpu_step_ms
FROM (
    SELECT t.block, t.dataset, t.mean_cpu_step_ms,
           coalesce(TRY_CAST(u.summary ->> 'batch_size' AS DOUBLE), t.batch_size) AS batch_size
    FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
    WHERE t.mean_cpu_step_ms IS NOT NULL
)
GROUP BY block, dataset, batch_size
ORDER BY block, dataset, batch_size;

-- table: final loss by batch size
-- chart: line x=batch_size y=best_value series=dataset,algorithm logx title="Best objective (the block's metric) vs batch size"
SELECT t.block, t.dataset, t.algorithm, t.metric,
       coalesce(TRY_CAST(u.summary ->> 'batch_size' AS DOUBLE), t.batch_size) AS batch_size, count(*) AS trials,
       round(CASE WHEN any_value(u.params ->> 'mode') = 'max' THEN max(t.best_value) ELSE min(t.best_value) END, 5) AS best_value,
       round(avg(t.best_value), 5) AS mean_best_value,
       round(stddev_samp(t.best_value), 5) AS sd_best_value
FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
WHERE t.best_value IS NOT NULL
GROUP BY ALL
ORDER BY t.block, t.dataset, t.algorithm, batch_size;

-- table: loss and CPU time of a step by batch size over seeds (95 % interval)
-- The same grid run with several seeds, without stop rules (one block per seed, as in
-- specs/lempinen-run.bench): per seed and batch size the best objective over the other
-- hyperparameters and the mean CPU time of a step; then their mean over seeds with a 95 %
-- Student-t interval (mean +- t(0.975, seeds - 1) x sd / sqrt(seeds)). A seed changes
-- the split and the batch order. Only designs run with two seeds or more are shown.
-- chart: line x=batch_size y=best_value series=dataset,algorithm logx error=best_value_low,best_value_high title="Best objective vs batch size: mean over seeds and its 95 % interval"
WITH trials AS (
    SELECT t.dataset, t.algorithm, t.metric, t.best_value, t.mean_cpu_step_ms,
           coalesce(TRY_CAST(u.summary ->> 'batch_size' AS DOUBLE), t.batch_size) AS batch_size,
           TRY_CAST(u.params ->> 'seed' AS BIGINT) AS seed, t.block,
           CASE WHEN u.params ->> 'mode' = 'max' THEN -1 ELSE 1 END AS sign,
           design_key(u.params) AS design
    FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
    WHERE (u.params ->> 'stop') IS NULL AND (u.params ->> '$.search.scheduler') IS NULL AND t.best_value IS NOT NULL
),
per_seed AS (
    SELECT design, batch_size, seed, any_value(block) AS block, any_value(dataset) AS dataset,
           any_value(algorithm) AS algorithm, any_value(metric) AS metric,
           min(sign * best_value) * any_value(sign) AS best_value, avg(mean_cpu_step_ms) AS cpu_step_ms
    FROM trials GROUP BY design, batch_size, seed
),
over_seeds AS (
    SELECT design, batch_size, any_value(dataset) AS dataset, any_value(algorithm) AS algorithm,
           any_value(metric) AS metric, string_agg(block, ', ' ORDER BY seed) AS blocks, count(*) AS seeds,
           avg(best_value) AS best_mean, stddev_samp(best_value) AS best_sd,
           avg(cpu_step_ms) AS cpu_mean, stddev_samp(cpu_step_ms) AS cpu_sd
    FROM per_seed GROUP BY design, batch_size HAVING count(*) >= 2
)
SELECT dataset, algorithm, metric, batch_size, seeds,
       round(best_mean, 5) AS best_value,
       round(t_interval(best_mean, best_sd, seeds).low, 5) AS best_value_low,
       round(t_interval(best_mean, best_sd, seeds).high, 5) AS best_value_high,
       round(cpu_mean, 4) AS cpu_step_ms,
       round(t_interval(cpu_mean, cpu_sd, seeds).low, 4) AS cpu_step_ms_low,
       round(t_interval(cpu_mean, cpu_sd, seeds).high, 4) AS cpu_step_ms_high,
       blocks
FROM over_seeds
ORDER BY dataset, algorithm, batch_size;
