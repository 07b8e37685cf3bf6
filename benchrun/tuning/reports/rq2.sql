-- RQ2: what early stopping saves, and what it costs in model quality. Per run and block:
-- steps and CPU-seconds spent against the full epochs budget (a stopped trial's
-- CPU-seconds without stopping are extrapolated from its own rate); stops per rule; then
-- each block with stop rules (or a scheduler) against the trials of the *same
-- configurations* run without any (another block or run of the spec): the steps and
-- CPU-seconds actually saved, and per data set and algorithm the best configuration both
-- ways under the block's own metric and mode. Blocks are never pooled. Last, how much the
-- rules' decisions depend on the machine's load: each bound on a step's wall time replayed
-- with its CPU time (and the other way round), and the wall figures against the load.

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
    SELECT t.run_id, t.unit_id, (SELECT started FROM runs r WHERE r.run_id = t.run_id) AS run_started, t.block, t.dataset, t.algorithm, t.best_value, t.steps_run, t.cpu_time_s,
           -- the configuration trained (an Optuna trial's sampled one), as sorted JSON text
           coalesce(u.summary -> 'config', t.params_config)::VARCHAR AS config,
           u.params ->> 'mode' AS mode, TRY_CAST(u.params ->> 'seed' AS BIGINT) AS seed,
           design_key(u.params) AS design,
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

-- table: savings over seeds (95 % interval)
-- chart: bar x=dataset y=cpu_saved_pct series=algorithm error=cpu_saved_low,cpu_saved_high title="CPU-seconds saved by the stop rules: mean over seeds and its 95 % interval"
-- The same grid and rules run with several seeds (one block per seed, as in
-- specs/lempinen-run.bench): each seed's steps and CPU-seconds saved against the same
-- configurations without rules, then the mean over seeds with a 95 % Student-t interval
-- (mean +- t(0.975, seeds - 1) x sd / sqrt(seeds)). A seed changes the split, the batch
-- order and the machine's load while the trials ran; only designs run with two seeds or
-- more are shown.
WITH ruled AS (SELECT * FROM rq2_trials($run) WHERE ruled),
free AS (
    SELECT * FROM rq2_trials($run) WHERE NOT ruled
    QUALIFY row_number() OVER (PARTITION BY config_key ORDER BY run_started DESC, run_id DESC) = 1
),
per_seed AS (
    SELECT r.design, r.seed, any_value(r.block) AS block, any_value(r.dataset) AS dataset,
           any_value(r.algorithm) AS algorithm, count(*) AS trials,
           100 * (1 - sum(r.steps_run) / sum(f.steps_run)) AS steps_saved_pct,
           100 * (1 - sum(r.cpu_time_s) / nullif(sum(f.cpu_time_s), 0)) AS cpu_saved_pct
    FROM ruled r JOIN free f USING (config_key)
    GROUP BY r.design, r.seed
),
over_seeds AS (
    SELECT design, any_value(dataset) AS dataset, any_value(algorithm) AS algorithm,
           string_agg(block, ', ' ORDER BY seed) AS blocks, count(*) AS seeds, sum(trials) AS trials,
           avg(steps_saved_pct) AS steps_mean, stddev_samp(steps_saved_pct) AS steps_sd,
           avg(cpu_saved_pct) AS cpu_mean, stddev_samp(cpu_saved_pct) AS cpu_sd
    FROM per_seed GROUP BY design HAVING count(*) >= 2
)
SELECT dataset, algorithm, blocks, seeds, trials,
       round(steps_mean, 1) AS steps_saved_pct,
       round(t_interval(steps_mean, steps_sd, seeds).low, 1) AS steps_saved_low,
       round(t_interval(steps_mean, steps_sd, seeds).high, 1) AS steps_saved_high,
       round(cpu_mean, 1) AS cpu_saved_pct,
       round(t_interval(cpu_mean, cpu_sd, seeds).low, 1) AS cpu_saved_low,
       round(t_interval(cpu_mean, cpu_sd, seeds).high, 1) AS cpu_saved_high
FROM over_seeds
ORDER BY dataset, algorithm, blocks;

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

-- Each comparison in a ruled block's stop rule (`step_time_ms > 20` inside `... or ...`),
-- with the figure it reads and whether that figure moves with the machine's load: a wall
-- time (step_time_ms, wall_time_s, train_time_s) stretches when other jobs take the CPUs,
-- and cpu_pct falls; CPU time (cpu_step_ms, cpu_time_s), memory and the model's own
-- metrics do not. Rules written as calls (no_improvement) are listed with their metric.
CREATE OR REPLACE TEMP MACRO rq2_leaves(run) AS TABLE
    WITH rules AS (
        SELECT r.block, any_value(u.params -> 'stop') AS stop
        FROM rq2_trials(run) r JOIN unit_results u ON u.run_id = r.run_id AND u.unit_id = r.unit_id
        WHERE (u.params ->> 'stop') IS NOT NULL
        GROUP BY r.block
    )
    SELECT block, j.value ->> 'rule' AS kind, coalesce(j.value ->> 'metric', '') AS metric,
           j.value ->> 'op' AS op, TRY_CAST(j.value ->> 'value' AS DOUBLE) AS bound,
           CASE WHEN j.value ->> 'rule' = 'compare'
                THEN (j.value ->> 'metric') || ' ' || (j.value ->> 'op') || ' ' || printf('%g', TRY_CAST(j.value ->> 'value' AS DOUBLE))
                ELSE (j.value ->> 'rule') || '(' || coalesce(j.value ->> 'metric', '') || ', ...)' END AS rule,
           CASE WHEN j.value ->> 'metric' IN ('step_time_ms', 'wall_time_s', 'train_time_s', 'cpu_pct') THEN 'wall clock'
                WHEN j.value ->> 'metric' IN ('cpu_step_ms', 'cpu_time_s') THEN 'CPU time'
                WHEN j.value ->> 'metric' IN ('memory_mb', 'worker_memory_mb') THEN 'memory'
                WHEN j.value ->> 'metric' = 'load_avg' THEN 'the load itself'
                ELSE 'the model' END AS reads,
           coalesce(j.value ->> 'metric' IN ('step_time_ms', 'wall_time_s', 'train_time_s', 'cpu_pct', 'load_avg'), false) AS moves_with_load
    FROM rules, json_tree(rules.stop) j
    WHERE j.type = 'OBJECT' AND (j.value ->> 'rule') NOT IN ('any', 'all');

-- table: stop rules and the machine's load
SELECT block, rule, reads, moves_with_load FROM rq2_leaves($run) ORDER BY block, rule;

-- table: step-time bounds replayed with the other figure
-- Every bound on step_time_ms (wall) is replayed on the same evaluations with cpu_step_ms
-- (CPU time of the same steps) in its place, and every bound on cpu_step_ms with
-- step_time_ms: which trials each version stops, at which evaluation, and how many
-- decisions differ. The evaluations are those of the same configuration run without
-- rules when the results file has it (the whole trial), else the ruled trial's own (up to
-- where it stopped). `stretch`: mean wall over CPU time of a step in those evaluations, 1
-- on an idle machine; `load`: the mean 1-minute load average while they ran.
WITH leaves AS (
    SELECT * FROM rq2_leaves($run) WHERE kind = 'compare' AND metric IN ('step_time_ms', 'cpu_step_ms')
),
ruled AS (SELECT * FROM rq2_trials($run) WHERE ruled),
free AS (
    SELECT * FROM rq2_trials($run) WHERE NOT ruled
    QUALIFY row_number() OVER (PARTITION BY config_key ORDER BY run_started DESC, run_id DESC) = 1
),
streams AS (  -- the evaluations each ruled trial's decisions are replayed on
    SELECT r.block, r.run_id, r.unit_id, coalesce(f.run_id, r.run_id) AS stream_run, coalesce(f.unit_id, r.unit_id) AS stream_unit,
           f.unit_id IS NOT NULL AS whole
    FROM ruled r LEFT JOIN free f USING (config_key)
),
evaluations AS (
    SELECT s.block, s.unit_id, s.whole, m.step,
           max(m.value) FILTER (m.name = 'step_time_ms') AS wall,
           max(m.value) FILTER (m.name = 'cpu_step_ms') AS cpu,
           max(m.value) FILTER (m.name = 'load_avg') AS load
    FROM streams s JOIN metrics m ON m.run_id = s.stream_run AND m.unit_id = s.stream_unit
    WHERE m.name IN ('step_time_ms', 'cpu_step_ms', 'load_avg')
    GROUP BY ALL
    HAVING wall IS NOT NULL AND cpu IS NOT NULL
),
fired AS (  -- per leaf and trial: the first evaluation each figure would stop at (NULL: never)
    SELECT l.block, l.rule, l.metric, e.unit_id, any_value(e.whole) AS whole,
           min(e.step) FILTER (CASE l.op WHEN '>' THEN e.wall > l.bound WHEN '>=' THEN e.wall >= l.bound
                                         WHEN '<' THEN e.wall < l.bound WHEN '<=' THEN e.wall <= l.bound END) AS wall_step,
           min(e.step) FILTER (CASE l.op WHEN '>' THEN e.cpu > l.bound WHEN '>=' THEN e.cpu >= l.bound
                                         WHEN '<' THEN e.cpu < l.bound WHEN '<=' THEN e.cpu <= l.bound END) AS cpu_step,
           avg(e.wall / nullif(e.cpu, 0)) AS stretch, avg(e.load) AS load
    FROM leaves l JOIN evaluations e USING (block)
    GROUP BY l.block, l.rule, l.metric, e.unit_id
)
SELECT block, rule, count(*) AS trials, count_if(whole) AS whole_trials,
       count_if(wall_step IS NOT NULL) AS stopped_by_wall, count_if(cpu_step IS NOT NULL) AS stopped_by_cpu,
       count_if(coalesce(wall_step, -1) <> coalesce(cpu_step, -1)) AS decisions_differ,
       round(100.0 * count_if(coalesce(wall_step, -1) <> coalesce(cpu_step, -1)) / count(*), 1) AS differ_pct,
       round(avg(stretch), 2) AS stretch, round(avg(load), 2) AS load
FROM fired
GROUP BY block, rule
ORDER BY block, rule;

-- table: wall and CPU time of a step against the machine's load
-- chart: scatter x=load y=stretch series=block title="Wall over CPU time of a step vs the machine's load (1: the trial had a CPU to itself)"
-- Per block and load band (the 1-minute load average, rounded down): evaluations, and how
-- much longer a step took on the wall clock than on the CPU. CPU time per step stays put
-- as the load grows; wall time does not.
SELECT t.block, floor(m.load) AS load, count(*) AS evaluations,
       round(avg(m.wall / nullif(m.cpu, 0)), 2) AS stretch,
       round(avg(m.wall), 3) AS step_time_ms, round(avg(m.cpu), 3) AS cpu_step_ms
FROM (
    SELECT run_id, unit_id, step,
           max(value) FILTER (name = 'step_time_ms') AS wall,
           max(value) FILTER (name = 'cpu_step_ms') AS cpu,
           max(value) FILTER (name = 'load_avg') AS load
    FROM metrics WHERE name IN ('step_time_ms', 'cpu_step_ms', 'load_avg')
    GROUP BY ALL
) m JOIN trial_summary t USING (run_id, unit_id)
WHERE m.wall IS NOT NULL AND m.cpu IS NOT NULL AND m.load IS NOT NULL
GROUP BY ALL
ORDER BY t.block, load;

-- table: questions an llm stop rule asked its model
-- Per block and rule (current_stop_decisions: the questions of the attempt whose result
-- counts, benchrun.tuning.stopping.llm_judge): questions, the stops the model asked for,
-- answers refused (malformed, unsafe, no answer) and so replaced by the rule's fallback,
-- tokens and time. Set beside the other rules' rows above: what the
-- model's decisions saved and whether the best configuration survived them.
SELECT d.block, d.rule, count(*) AS questions, count(DISTINCT d.unit_id) AS trials_asked,
       count_if(d.valid AND d.decision = 'stop') AS stops, count_if(NOT d.valid) AS refused,
       count_if(d.refused = 'malformed') AS malformed, count_if(d.refused = 'unsafe') AS unsafe,
       count_if(d.refused LIKE 'model_error%' OR d.refused LIKE 'judge_error%') AS no_answer,
       sum(d.tokens_in) AS tokens_in, sum(d.tokens_out) AS tokens_out, round(sum(d.latency_s), 1) AS model_s
FROM current_stop_decisions d
WHERE $run IS NULL OR d.run_id = $run
GROUP BY ALL
ORDER BY d.block, d.rule;
