-- RQ2: what early stopping saves, and what it costs in model quality. Per run and block:
-- steps and CPU-seconds spent against the full epochs budget (a stopped trial's
-- CPU-seconds without stopping are extrapolated from its own rate); stops per rule; then
-- each block with stop rules (or a scheduler) against the trials of the *same
-- configurations* run without any (another block or run of the spec): the steps and
-- CPU-seconds actually saved, and per data set and algorithm the best configuration both
-- ways under the block's own metric and mode. Blocks are never pooled.

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
-- chart: bar x=stop_reason y=trials series=block
SELECT t.block, t.stop_reason, count(*) AS trials,
       round(avg(t.stopped_at_step / TRY_CAST(u.summary ->> 'total_steps' AS DOUBLE)), 3) AS mean_budget_fraction,
       round(avg(t.peak_memory_mb), 1) AS peak_memory_mb, round(avg(t.mean_step_time_ms), 3) AS step_time_ms
FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
GROUP BY ALL
ORDER BY t.block, trials DESC;

-- The trials both comparisons below read (a statement with no table of its own).
CREATE OR REPLACE TEMP MACRO rq2_trials(run) AS TABLE
    SELECT t.run_id, (SELECT started FROM runs r WHERE r.run_id = t.run_id) AS run_started, t.block, t.dataset, t.algorithm, t.best_value, t.steps_run, t.cpu_time_s,
           -- the configuration trained (an Optuna trial's sampled one), as sorted JSON text
           coalesce(u.summary -> 'config', t.params_config)::VARCHAR AS config,
           u.params ->> 'mode' AS mode,
           (u.params ->> 'stop') IS NOT NULL OR (u.params ->> '$.search.scheduler') IS NOT NULL AS ruled,
           -- what makes two trials "the same configuration", whatever stopped them
           md5(concat_ws('|', u.params -> 'dataset', u.params ->> 'algorithm',
                         coalesce(u.summary -> 'config', t.params_config)::VARCHAR,
                         u.params ->> 'epochs', u.params ->> 'seed', u.params -> 'split',
                         u.params ->> 'metric', u.params ->> 'mode')) AS config_key
    FROM (SELECT *, config AS params_config FROM trial_summary) t JOIN unit_results u USING (run_id, unit_id)
    WHERE run IS NULL OR t.run_id = run OR ((u.params ->> 'stop') IS NULL AND (u.params ->> '$.search.scheduler') IS NULL);

-- table: with stopping vs the same configurations without
WITH ruled AS (SELECT * FROM rq2_trials($run) WHERE ruled),
free AS (  -- one trial per configuration run without stopping: of the run that started last
    SELECT * FROM rq2_trials($run) WHERE NOT ruled QUALIFY row_number() OVER (PARTITION BY config_key ORDER BY run_started DESC, run_id DESC) = 1
)
SELECT r.block, count(*) AS trials_matched, count_if(r.steps_run < f.steps_run) AS stopped_earlier,
       sum(r.steps_run) AS steps_with, sum(f.steps_run) AS steps_without,
       round(100 * (1 - sum(r.steps_run) / sum(f.steps_run)), 1) AS steps_saved_pct,
       round(sum(r.cpu_time_s), 1) AS cpu_s_with, round(sum(f.cpu_time_s), 1) AS cpu_s_without,
       round(100 * (1 - sum(r.cpu_time_s) / nullif(sum(f.cpu_time_s), 0)), 1) AS cpu_saved_pct
FROM ruled r JOIN free f USING (config_key)
GROUP BY r.block
ORDER BY r.block;

-- table: best configuration with and without stopping
WITH ruled AS (SELECT * FROM rq2_trials($run) WHERE ruled AND best_value IS NOT NULL),
free AS (
    SELECT * FROM rq2_trials($run) WHERE NOT ruled AND best_value IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY config_key ORDER BY run_started DESC, run_id DESC) = 1
),
pairs AS (  -- only configurations tried both ways are compared
    SELECT r.block, r.dataset, r.algorithm, r.mode, r.config_key, r.config,
           r.best_value AS with_value, f.best_value AS without_value,
           CASE WHEN r.mode = 'max' THEN -1 ELSE 1 END AS sign
    FROM ruled r JOIN free f USING (config_key)
),
best AS (
    -- Batch size changes no update of scikit-learn's SGD (see docs/tuning.md), so ties are
    -- common: among configurations tied for best with stopping, the one best without is
    -- taken, and the best "changed" only when none of them is best without stopping.
    SELECT block, dataset, algorithm, any_value(mode) AS mode, any_value(sign) AS sign, count(*) AS trials,
           arg_min(config, [sign * with_value, sign * without_value]) AS best_with,
           min(sign * with_value) * any_value(sign) AS value_with,
           arg_min(sign * without_value, [sign * with_value, sign * without_value]) * any_value(sign) AS chosen_value_without,
           arg_min(config, [sign * without_value, sign * with_value]) AS best_without,
           min(sign * without_value) * any_value(sign) AS value_without
    FROM pairs
    GROUP BY block, dataset, algorithm
)
SELECT block, dataset, algorithm, mode, trials,
       best_with AS best_with_stopping, round(value_with, 5) AS value_with_stopping,
       best_without AS best_without_stopping, round(value_without, 5) AS value_without_stopping,
       sign * (chosen_value_without - value_without) > 1e-12 AS best_changed,
       -- > 0: the best found with stopping is worse than without, in the block's own direction
       round(sign * (value_with - value_without), 5) AS quality_cost
FROM best
ORDER BY block, dataset, algorithm;

-- table: questions an llm stop rule asked its model
-- Per block and rule (stop_decisions, benchrun.tuning.stopping.llm_judge): questions, the
-- stops the model asked for, answers refused (malformed, unsafe, no answer) and so replaced
-- by the rule's fallback, tokens and time. Set beside the other rules' rows above: what the
-- model's decisions saved and whether the best configuration survived them.
SELECT d.block, d.rule, count(*) AS questions, count(DISTINCT d.unit_id) AS trials_asked,
       count_if(d.valid AND d.decision = 'stop') AS stops, count_if(NOT d.valid) AS refused,
       count_if(d.refused = 'malformed') AS malformed, count_if(d.refused = 'unsafe') AS unsafe,
       count_if(d.refused LIKE 'model_error%' OR d.refused LIKE 'judge_error%') AS no_answer,
       sum(d.tokens_in) AS tokens_in, sum(d.tokens_out) AS tokens_out, round(sum(d.latency_s), 1) AS model_s
FROM stop_decisions d
WHERE d.unit_id IN (SELECT unit_id FROM plan_units) AND ($run IS NULL OR d.run_id = $run)
GROUP BY ALL
ORDER BY d.block, d.rule;
