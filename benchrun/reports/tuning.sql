-- Tuning trials: the best configurations, what system resources they cost, and the
-- training curves. Uses the latest result of each trial; `--run ID` or a spec picks the plan.

-- table: best trials per data set and algorithm
SELECT dataset, algorithm, metric, batch_size, learning_rate, alpha,
       round(best_value, 4) AS best_value, steps_run, stop_reason,
       round(peak_memory_mb, 1) AS peak_memory_mb, round(mean_step_time_ms, 3) AS step_time_ms
FROM trial_summary
QUALIFY row_number() OVER (PARTITION BY dataset, algorithm ORDER BY best_value) = 1
ORDER BY dataset, algorithm;

-- table: memory and step time by batch size
-- chart: line x=batch_size y=peak_memory_mb series=dataset logx
SELECT dataset, batch_size, count(*) AS trials,
       round(max(peak_memory_mb), 1) AS peak_memory_mb, round(avg(mean_step_time_ms), 3) AS step_time_ms,
       round(avg(mean_cpu_pct), 1) AS cpu_pct, count_if(stopped_early) AS stopped_early
FROM trial_summary
GROUP BY ALL
ORDER BY dataset, batch_size;

-- table: training loss curves (first 12 trials)
-- chart: line x=step y=train_loss series=trial
SELECT printf('%s/%s bs=%g lr=%g', t.dataset, t.algorithm, t.batch_size, t.learning_rate) AS trial,
       m.step, avg(m.value) AS train_loss
FROM trial_summary t
JOIN metrics m USING (run_id, unit_id)
WHERE m.name = 'train_loss'
  AND t.unit_id IN (SELECT unit_id FROM trial_summary ORDER BY dataset, algorithm, unit_id LIMIT 12)
GROUP BY ALL
ORDER BY trial, m.step;
