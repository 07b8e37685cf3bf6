-- RQ2: what early stopping saves, and what it costs in model quality. Steps and
-- CPU-seconds that trials spent, against their full epochs budget (a stopped trial's
-- CPU-seconds without stopping are extrapolated from its rate); then, per data set and
-- algorithm, the best configuration among trials run with stop rules against the best
-- among the same configurations run without (a block or run with no `stop when`).

-- table: compute spent with stopping vs the full budget
SELECT t.run_id, t.block, count(*) AS trials, count_if(t.stopped_early) AS stopped,
       sum(t.steps_run) AS steps_run,
       sum(coalesce(TRY_CAST(u.summary ->> 'total_steps' AS BIGINT), t.steps_run)) AS steps_budget,
       round(100 * (1 - sum(t.steps_run) / sum(coalesce(TRY_CAST(u.summary ->> 'total_steps' AS BIGINT), t.steps_run))), 1)
           AS steps_saved_pct,
       round(sum(t.cpu_time_s), 2) AS cpu_s,
       round(sum(t.cpu_time_s * coalesce(TRY_CAST(u.summary ->> 'total_steps' AS DOUBLE), t.steps_run)
                 / greatest(t.steps_run, 1)), 2) AS cpu_s_without_stopping,
       round(100 * (1 - sum(t.cpu_time_s) / nullif(sum(t.cpu_time_s * coalesce(TRY_CAST(u.summary ->> 'total_steps' AS DOUBLE), t.steps_run)
                 / greatest(t.steps_run, 1)), 0)), 1) AS cpu_saved_pct
FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
GROUP BY ALL
ORDER BY t.run_id, t.block;

-- table: stops by rule
-- chart: bar x=stop_reason y=trials
SELECT t.block, t.stop_reason, count(*) AS trials,
       round(avg(t.stopped_at_step / TRY_CAST(u.summary ->> 'total_steps' AS DOUBLE)), 3) AS mean_budget_fraction,
       round(avg(t.peak_memory_mb), 1) AS peak_memory_mb, round(avg(t.mean_step_time_ms), 3) AS step_time_ms
FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
GROUP BY ALL
ORDER BY t.block, trials DESC;

-- table: best configuration with and without stopping
WITH trials AS (
    SELECT t.dataset, t.algorithm, coalesce(u.summary -> 'config', t.config) AS config, t.best_value,
           u.params ->> 'mode' AS mode,
           (u.params ->> 'stop') IS NOT NULL AS ruled,  -- JSON null: no stop rule
           -- what makes two trials "the same configuration", whatever their stop rule
           md5(concat_ws('|', u.params -> 'dataset', u.params ->> 'algorithm', u.params -> 'config',
                         u.params ->> 'epochs', u.params ->> 'seed', u.params -> 'split')) AS config_key
    FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
    WHERE t.best_value IS NOT NULL
), best AS (
    SELECT dataset, algorithm, ruled,
           arg_min(config, CASE WHEN mode = 'max' THEN -best_value ELSE best_value END) AS best_config,
           arg_min(config_key, CASE WHEN mode = 'max' THEN -best_value ELSE best_value END) AS best_key,
           CASE WHEN any_value(mode) = 'max' THEN max(best_value) ELSE min(best_value) END AS best_value,
           count(*) AS trials
    FROM trials
    -- only configurations tried both ways are compared
    WHERE config_key IN (SELECT config_key FROM trials WHERE ruled)
      AND config_key IN (SELECT config_key FROM trials WHERE NOT ruled)
    GROUP BY dataset, algorithm, ruled
)
SELECT w.dataset, w.algorithm, w.trials,
       w.best_config::VARCHAR AS best_with_stopping, round(w.best_value, 5) AS value_with_stopping,
       o.best_config::VARCHAR AS best_without_stopping, round(o.best_value, 5) AS value_without_stopping,
       w.best_key <> o.best_key AS best_changed,
       round(w.best_value - o.best_value, 5) AS quality_cost
FROM best w JOIN best o ON w.dataset = o.dataset AND w.algorithm = o.algorithm AND w.ruled AND NOT o.ruled
ORDER BY w.dataset, w.algorithm;
