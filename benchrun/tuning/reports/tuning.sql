-- Tuning trials: the best configurations, what system resources they cost, and the
-- training curves. Per block (blocks are never pooled), using the latest result of each
-- trial; `--run ID` or a spec picks the plan. "Best" follows each block's own metric and mode.

-- table: best trial per block, data set and algorithm
SELECT t.block, t.dataset, t.algorithm, t.metric, u.params ->> 'mode' AS mode,
       coalesce(u.summary -> 'config', t.config)::VARCHAR AS config,
       round(t.best_value, 4) AS best_value, t.steps_run, t.stop_reason,
       round(t.peak_memory_mb, 1) AS peak_memory_mb, round(t.mean_step_time_ms, 3) AS step_time_ms
FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
WHERE t.best_value IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY t.block, t.dataset, t.algorithm
    ORDER BY CASE WHEN u.params ->> 'mode' = 'max' THEN -t.best_value ELSE t.best_value END, t.unit_id) = 1
ORDER BY t.block, t.dataset, t.algorithm;

-- table: memory and step time by batch size
-- chart: line x=batch_size y=peak_memory_mb series=dataset logx
SELECT t.block, t.dataset, coalesce(TRY_CAST(u.summary ->> 'batch_size' AS DOUBLE), t.batch_size) AS batch_size,
       count(*) AS trials,
       round(max(t.peak_memory_mb), 1) AS peak_memory_mb, round(avg(t.mean_step_time_ms), 3) AS step_time_ms,
       round(avg(t.mean_cpu_pct), 1) AS cpu_pct, count_if(t.stopped_early) AS stopped_early
FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
GROUP BY ALL
ORDER BY t.block, t.dataset, batch_size;

-- table: training loss curves (first 12 trials)
-- chart: line x=step y=train_loss series=trial
SELECT printf('%s %s/%s bs=%g lr=%g', t.block, t.dataset, t.algorithm, t.batch_size, t.learning_rate) AS trial,
       m.step, avg(m.value) AS train_loss
FROM trial_summary t
JOIN metrics m USING (run_id, unit_id)
WHERE m.name = 'train_loss'
  AND t.unit_id IN (SELECT unit_id FROM trial_summary ORDER BY block, dataset, algorithm, unit_id LIMIT 12)
GROUP BY ALL
ORDER BY trial, m.step;

-- table: held-out test of the chosen configuration (blocks with cross-validation)
SELECT u.block, u.params ->> '$.dataset.name' AS dataset, u.params ->> 'algorithm' AS algorithm,
       (u.summary -> 'config')::VARCHAR AS config, u.params ->> 'metric' AS metric,
       round(TRY_CAST(u.summary ->> ('cv_' || (u.params ->> 'metric')) AS DOUBLE), 4) AS cv_value,
       round(TRY_CAST(u.summary ->> 'test_loss' AS DOUBLE), 4) AS test_loss,
       round(TRY_CAST(u.summary ->> 'test_accuracy' AS DOUBLE), 4) AS test_accuracy,
       round(TRY_CAST(u.summary ->> 'test_rmse' AS DOUBLE), 4) AS test_rmse
FROM unit_results u
WHERE u.kind = 'holdout'
ORDER BY u.block, dataset, algorithm;
