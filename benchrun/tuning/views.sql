-- The tune block kind's views, re-created whenever a results file is opened (after
-- benchrun/storage/schema.sql's, which they build on).
-- Trials report a summary JSON (keys used here: steps, stop_reason - "completed" when
-- no rule fired -, stopped_at_step, best_value, peak_memory_mb, train_time_s,
-- cpu_time_s) and metrics named memory_mb, step_time_ms, cpu_pct, and their objective.
CREATE OR REPLACE VIEW trial_summary AS
WITH trials AS (
    SELECT * FROM unit_results WHERE kind = 'trial'
), system AS (
    SELECT m.run_id, m.unit_id,
           max(m.step) AS last_step,
           max(m.value) FILTER (m.name = 'memory_mb') AS peak_memory_mb,
           avg(m.value) FILTER (m.name = 'step_time_ms') AS mean_step_time_ms,
           avg(m.value) FILTER (m.name = 'cpu_pct') AS mean_cpu_pct
    FROM metrics m JOIN trials t USING (run_id, unit_id)
    GROUP BY m.run_id, m.unit_id
), best AS (
    SELECT t.run_id, t.unit_id,
           CASE WHEN t.params ->> 'mode' = 'max' THEN max(m.value) ELSE min(m.value) END AS best_value
    FROM trials t JOIN metrics m
      ON m.run_id = t.run_id AND m.unit_id = t.unit_id AND m.name = t.params ->> 'metric'
    GROUP BY t.run_id, t.unit_id, t.params ->> 'mode'
)
SELECT t.run_id, t.unit_id, t.block,
       t.params ->> '$.dataset.name' AS dataset,
       t.params ->> 'algorithm' AS algorithm,
       t.params -> 'config' AS config,
       TRY_CAST(t.params ->> '$.config.batch_size' AS DOUBLE) AS batch_size,
       TRY_CAST(t.params ->> '$.config.learning_rate' AS DOUBLE) AS learning_rate,
       TRY_CAST(t.params ->> '$.config.alpha' AS DOUBLE) AS alpha,
       t.params ->> 'metric' AS metric,
       coalesce(TRY_CAST(t.summary ->> 'best_value' AS DOUBLE), b.best_value) AS best_value,
       coalesce(TRY_CAST(t.summary ->> 'steps' AS BIGINT), s.last_step) AS steps_run,
       coalesce(t.summary ->> 'stop_reason', 'completed') NOT IN ('completed', 'finished') AS stopped_early,
       t.summary ->> 'stop_reason' AS stop_reason,
       TRY_CAST(t.summary ->> 'stopped_at_step' AS BIGINT) AS stopped_at_step,
       coalesce(TRY_CAST(t.summary ->> 'peak_memory_mb' AS DOUBLE), s.peak_memory_mb) AS peak_memory_mb,
       s.mean_step_time_ms, s.mean_cpu_pct,
       TRY_CAST(t.summary ->> 'train_time_s' AS DOUBLE) AS train_time_s,
       TRY_CAST(t.summary ->> 'cpu_time_s' AS DOUBLE) AS cpu_time_s
FROM trials t
LEFT JOIN system s USING (run_id, unit_id)
LEFT JOIN best b USING (run_id, unit_id);
