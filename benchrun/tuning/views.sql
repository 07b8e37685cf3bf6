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
           avg(m.value) FILTER (m.name = 'cpu_pct') AS mean_cpu_pct,
           avg(m.value) FILTER (m.name = 'cpu_step_ms') AS mean_cpu_step_ms,
           max(m.value) FILTER (m.name = 'worker_memory_mb') AS peak_worker_memory_mb,
           avg(m.value) FILTER (m.name = 'load_avg') AS mean_load_avg
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
       -- the configuration trained: an adaptive search's proposal is in the summary (its
       -- unit's params hold only the trial index)
       coalesce(t.summary -> 'config', t.params -> 'config') AS config,
       TRY_CAST(coalesce(t.summary ->> '$.config.batch_size', t.params ->> '$.config.batch_size') AS DOUBLE) AS batch_size,
       TRY_CAST(coalesce(t.summary ->> '$.config.learning_rate', t.params ->> '$.config.learning_rate') AS DOUBLE) AS learning_rate,
       TRY_CAST(coalesce(t.summary ->> '$.config.alpha', t.params ->> '$.config.alpha') AS DOUBLE) AS alpha,
       t.params ->> 'metric' AS metric,
       coalesce(TRY_CAST(t.summary ->> 'best_value' AS DOUBLE), b.best_value) AS best_value,
       coalesce(TRY_CAST(t.summary ->> 'steps' AS BIGINT), s.last_step) AS steps_run,
       coalesce(t.summary ->> 'stop_reason', 'completed') NOT IN ('completed', 'finished') AS stopped_early,
       t.summary ->> 'stop_reason' AS stop_reason,
       TRY_CAST(t.summary ->> 'stopped_at_step' AS BIGINT) AS stopped_at_step,
       coalesce(TRY_CAST(t.summary ->> 'peak_memory_mb' AS DOUBLE), s.peak_memory_mb) AS peak_memory_mb,
       s.mean_step_time_ms, s.mean_cpu_pct,
       TRY_CAST(t.summary ->> 'train_time_s' AS DOUBLE) AS train_time_s,
       TRY_CAST(t.summary ->> 'cpu_time_s' AS DOUBLE) AS cpu_time_s,
       -- beside the wall-clock figures above: CPU time per step, the worker's whole RSS - shared
       -- (the thesis's memory figure; peak_memory_mb is the trial's own increment), the load
       s.mean_cpu_step_ms,
       coalesce(TRY_CAST(t.summary ->> 'peak_worker_memory_mb' AS DOUBLE), s.peak_worker_memory_mb) AS peak_worker_memory_mb,
       s.mean_load_avg,
       TRY_CAST(t.summary ->> 'cpus' AS INTEGER) AS cpus
FROM trials t
LEFT JOIN system s USING (run_id, unit_id)
LEFT JOIN best b USING (run_id, unit_id);

-- A stop reason that names a system metric: the trial broke a constraint (infeasible).
-- Rule texts read as written in the spec (rules.rule_text), e.g. `memory_mb > 512` or
-- `(step_time_ms > 20 and ...)`; ML rules, `asha` and `diverged: ...` do not match.
CREATE OR REPLACE MACRO system_stop(reason) AS
    coalesce(regexp_matches(reason, '\b(memory_mb|worker_memory_mb|step_time_ms|cpu_step_ms|cpu_pct|cpu_time_s|wall_time_s|train_time_s)\b'), false);

-- Each trial's value of each of its block's objectives, long form; `score` is the value
-- turned so that lower is better (negated for max). Position 0 is the search's objective
-- (`best_value`); then the extra ones of `metric a min, b min`, or, for a block with one
-- objective, peak memory_mb (min) as the default second objective, so every block has a
-- cost-quality front. A trial's figure for a metric is the one trial_summary gives:
-- memory_mb its peak, step_time_ms and cpu_pct their mean over evaluations; a running
-- total (cpu_time_s, wall_time_s, train_time_s, step, epoch) its last value; any other
-- metric (val_loss, accuracy, ...) its best in the objective's mode.
CREATE OR REPLACE VIEW trial_objectives AS
WITH trials AS (
    SELECT t.*, u.params ->> 'mode' AS mode, u.params -> 'objectives' AS extra
    FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
), listed AS (
    SELECT run_id, unit_id, generate_subscripts(l, 1) AS position, unnest(l) AS pair
    FROM (SELECT run_id, unit_id,
                 coalesce(from_json(extra, '[["VARCHAR"]]'),
                          CASE WHEN metric <> 'memory_mb' THEN [['memory_mb', 'min']] END) AS l
          FROM trials)
), extra AS (
    SELECT run_id, unit_id, position, pair[1] AS objective, pair[2] AS mode FROM listed
), totals AS (
    SELECT m.run_id, m.unit_id, m.name, min(m.value) AS low, max(m.value) AS high, arg_max(m.value, m.step) AS last
    FROM metrics m JOIN extra e ON e.run_id = m.run_id AND e.unit_id = m.unit_id AND e.objective = m.name
    GROUP BY ALL
), valued AS (
    SELECT run_id, unit_id, 0 AS position, metric AS objective, mode, best_value AS value FROM trials
    UNION ALL
    SELECT e.run_id, e.unit_id, e.position, e.objective, e.mode,
           CASE e.objective
               WHEN 'memory_mb' THEN t.peak_memory_mb
               WHEN 'worker_memory_mb' THEN t.peak_worker_memory_mb
               WHEN 'cpu_step_ms' THEN t.mean_cpu_step_ms
               WHEN 'step_time_ms' THEN t.mean_step_time_ms
               WHEN 'cpu_pct' THEN t.mean_cpu_pct
               ELSE CASE WHEN e.objective IN ('cpu_time_s', 'wall_time_s', 'train_time_s', 'step', 'epoch') THEN m.last
                         WHEN e.mode = 'max' THEN m.high ELSE m.low END
           END
    FROM extra e JOIN trials t USING (run_id, unit_id)
    LEFT JOIN totals m ON m.run_id = e.run_id AND m.unit_id = e.unit_id AND m.name = e.objective
)
SELECT v.run_id, v.unit_id, t.block, t.dataset, t.algorithm, v.position, v.objective, v.mode, v.value,
       CASE WHEN v.mode = 'max' THEN -v.value ELSE v.value END AS score
FROM valued v JOIN trials t USING (run_id, unit_id);

-- The Pareto front of each block, data set and algorithm over trial_objectives: the trials
-- that no other trial of the same study dominates (at least as good on every objective,
-- better on one). Equal trials do not dominate each other, so both stay. A trial missing
-- a value (no evaluation before it stopped) has no place on the front and dominates none.
-- Per study of the plan, as every view here: a resumed study's trials are one study
-- whichever runs wrote them.
CREATE OR REPLACE VIEW pareto_front AS
WITH complete AS (
    SELECT run_id, unit_id, block, dataset, algorithm,
           string_agg(objective || ' ' || mode, ', ' ORDER BY position) AS objectives,
           list(value ORDER BY position) AS objective_values
    FROM trial_objectives GROUP BY ALL HAVING count(value) = count(*)
), scored AS (
    SELECT o.* FROM trial_objectives o JOIN complete USING (run_id, unit_id)
), dominated AS (
    SELECT DISTINCT a.run_id, a.unit_id
    FROM scored a JOIN scored b
      ON b.block = a.block AND b.dataset = a.dataset AND b.algorithm = a.algorithm
     AND b.position = a.position AND b.unit_id <> a.unit_id
    GROUP BY a.run_id, a.unit_id, b.run_id, b.unit_id
    HAVING bool_and(b.score <= a.score) AND bool_or(b.score < a.score)
)
SELECT c.run_id, c.unit_id, c.block, c.dataset, c.algorithm, t.config, c.objectives, c.objective_values,
       t.best_value, t.peak_memory_mb, t.mean_step_time_ms, t.stop_reason
FROM complete c JOIN trial_summary t USING (run_id, unit_id)
WHERE (c.run_id, c.unit_id) NOT IN (SELECT (run_id, unit_id) FROM dominated);

-- The best feasible objective after n trials, per block (a search method), data set and
-- algorithm. Trial order: the search's own index where it has one (an adaptive search's
-- `<method>_trial`, the order it proposed in; random's `draw`), else (a grid) the order the
-- trials finished in, which is about the order they started in (plan order). Feasible: not
-- stopped by a system rule (system_stop). cpu_s: CPU seconds of trials 1..n.
CREATE OR REPLACE VIEW search_curve AS
WITH t AS (
    SELECT s.*, u.params ->> '$.search.method' AS method, u.params ->> 'mode' AS mode,
           coalesce(TRY_CAST(u.params -> 'config' ->> ((u.params ->> '$.search.method') || '_trial') AS BIGINT),
                    TRY_CAST(u.params ->> 'draw' AS BIGINT)) AS search_index,
           u.finished, NOT system_stop(s.stop_reason) AS feasible
    FROM trial_summary s JOIN unit_results u USING (run_id, unit_id)
)
SELECT block, method, dataset, algorithm, metric, mode,
       row_number() OVER w AS trial, run_id, unit_id, best_value, feasible, stop_reason, cpu_time_s,
       sum(coalesce(cpu_time_s, 0)) OVER w AS cpu_s,
       CASE WHEN mode = 'max' THEN max(CASE WHEN feasible THEN best_value END) OVER w
            ELSE min(CASE WHEN feasible THEN best_value END) OVER w END AS best_so_far
FROM t
WINDOW w AS (PARTITION BY block, dataset, algorithm ORDER BY search_index NULLS LAST, finished, unit_id
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

-- The questions behind each trial's counted result: an llm stop rule's rows of the attempt
-- that finished the trial (the run of its unit_results row and, within it, the rows since
-- the evaluations last started over: a trial retried in the same run asks again from its
-- first evaluation). Rows of interrupted or retried attempts stay in stop_decisions but
-- are not counted twice.
CREATE OR REPLACE VIEW current_stop_decisions AS
WITH finishing AS (
    SELECT d.*, coalesce(d.evaluation <= lag(d.evaluation) OVER (PARTITION BY d.unit_id ORDER BY d.created, d.evaluation),
                         false) AS restarted
    FROM stop_decisions d JOIN unit_results u ON u.run_id = d.run_id AND u.unit_id = d.unit_id
), attempts AS (
    SELECT *, sum(restarted::INTEGER) OVER (PARTITION BY unit_id ORDER BY created, evaluation
                                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS attempt
    FROM finishing
)
SELECT * EXCLUDE (restarted, attempt) FROM attempts
QUALIFY attempt = max(attempt) OVER (PARTITION BY unit_id);

-- A trial's design without its seed (and its own configuration): trials of blocks that
-- differ only in seed share it, so reports can put an interval over the seeds.
CREATE OR REPLACE MACRO design_key(params) AS
    md5(json_merge_patch(params, '{"config": null, "draw": null, "seed": null}')::VARCHAR);
