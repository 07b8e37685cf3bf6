-- Search methods compared: the blocks that tune the same problem (data set, algorithm,
-- metric and mode) with different searches. Per block: trials, the best feasible objective
-- (feasible: not stopped by a system rule such as memory_mb > 512), the trials and CPU
-- seconds it took to come within 5 % of the grid's best (of all blocks' best when no
-- block is a grid; `SET VARIABLE search_within = 0.1` for 10 %), the trials that broke a
-- constraint, and for an llm search its invalid proposals, tokens and cost predictions.

CREATE OR REPLACE TEMP VIEW search_reference AS
-- A problem's reference: the best feasible objective of its grid blocks, else of all its blocks.
WITH blocks AS (
    SELECT dataset, algorithm, metric, mode, method,
           CASE WHEN mode = 'max' THEN max(best_value) FILTER (feasible) ELSE min(best_value) FILTER (feasible) END AS best
    FROM search_curve GROUP BY dataset, algorithm, metric, mode, method
)
SELECT dataset, algorithm, metric, mode,
       coalesce(CASE WHEN mode = 'max' THEN max(best) FILTER (method = 'grid') ELSE min(best) FILTER (method = 'grid') END,
                CASE WHEN mode = 'max' THEN max(best) ELSE min(best) END) AS reference,
       bool_or(method = 'grid' AND best IS NOT NULL) AS of_grid,
       any_value(CAST(coalesce(getvariable('search_within'), 0.05) AS DOUBLE)) AS within
FROM blocks GROUP BY dataset, algorithm, metric, mode;

-- table: search methods on the same problem
WITH per_block AS (
    SELECT block, method, dataset, algorithm, metric, mode, count(*) AS trials,
           CASE WHEN mode = 'max' THEN max(best_value) FILTER (feasible) ELSE min(best_value) FILTER (feasible) END AS best_feasible,
           count_if(NOT feasible) AS broke_constraint, sum(cpu_time_s) AS cpu_s
    FROM search_curve GROUP BY block, method, dataset, algorithm, metric, mode
), reached AS (  -- the first trial whose best feasible objective so far is within the distance
    SELECT c.block, c.dataset, c.algorithm, min(c.trial) AS trials_to_reach, arg_min(c.cpu_s, c.trial) AS cpu_s_to_reach
    FROM search_curve c JOIN search_reference r USING (dataset, algorithm, metric, mode)
    WHERE CASE WHEN c.mode = 'max' THEN c.best_so_far >= r.reference - r.within * abs(r.reference)
               ELSE c.best_so_far <= r.reference + r.within * abs(r.reference) END
    GROUP BY ALL
), asked AS (  -- the proposals that configured the outcomes that count (llm searches only)
    SELECT t.block, t.dataset, t.algorithm, count(*) AS proposals, count_if(NOT p.valid) AS invalid_proposals,
           sum(p.tokens_in) AS tokens_in, sum(p.tokens_out) AS tokens_out,
           avg(abs(p.predicted_step_time_ms - t.mean_step_time_ms)) AS step_time_mae_ms,
           avg(abs(p.predicted_memory_mb - t.peak_memory_mb)) AS memory_mae_mb
    FROM trial_summary t JOIN proposals p USING (run_id, unit_id)
    GROUP BY ALL
)
SELECT b.dataset, b.algorithm, b.metric, b.mode, b.block, b.method, b.trials, b.best_feasible,
       r.reference, CASE WHEN r.of_grid THEN 'grid' ELSE 'all blocks' END AS reference_of, r.within,
       h.trials_to_reach, h.cpu_s_to_reach, b.cpu_s, b.broke_constraint,
       a.proposals, a.invalid_proposals, a.tokens_in, a.tokens_out, a.step_time_mae_ms, a.memory_mae_mb
FROM per_block b
JOIN search_reference r USING (dataset, algorithm, metric, mode)
LEFT JOIN reached h USING (block, dataset, algorithm)
LEFT JOIN asked a USING (block, dataset, algorithm)
ORDER BY b.dataset, b.algorithm, b.metric, b.block;

-- table: invalid proposals by reason
SELECT t.block, t.dataset, t.algorithm, p.reason, count(*) AS proposals
FROM trial_summary t JOIN proposals p USING (run_id, unit_id)
WHERE NOT p.valid
GROUP BY ALL ORDER BY ALL;

-- table: best feasible objective after n trials
-- chart: line x=trial y=best_so_far series=search plotly
SELECT method || ': ' || block || ', ' || dataset || '/' || algorithm AS search,
       block, method, dataset, algorithm, trial, best_value, feasible, best_so_far, cpu_s
FROM search_curve
ORDER BY dataset, algorithm, block, trial;

-- table: objective and peak memory per trial (Pareto front of each block marked)
-- chart: scatter x=peak_memory_mb y=best_value series=search mark=on_front plotly
SELECT c.method || ': ' || c.block || ', ' || c.dataset || '/' || c.algorithm AS search,
       c.block, c.method, c.dataset, c.algorithm, c.trial, c.metric, c.best_value, t.peak_memory_mb, c.feasible,
       f.unit_id IS NOT NULL AS on_front, coalesce(u.summary -> 'config', t.config)::VARCHAR AS config
FROM search_curve c
JOIN trial_summary t USING (run_id, unit_id)
JOIN unit_results u USING (run_id, unit_id)
LEFT JOIN pareto_front f USING (run_id, unit_id)
ORDER BY c.dataset, c.algorithm, c.block, c.trial;

-- table: cost predictions scored against a baseline from the trials already finished
-- The model's predictions (an llm search with predict_cost = true), made before each trial
-- ran, against what the trial measured (mean step time, peak memory), beside a baseline
-- that sees the same history: the mean of the trials of the same study that had finished
-- when the proposal was made, at the same batch size if any, else at any. MAPE in %
-- (trials measuring 0 left out); rank correlation: Spearman's, over the trials both predicted.
WITH asked AS (
    SELECT t.run_id, t.unit_id, t.block, t.dataset, t.algorithm, t.batch_size, p.created,
           p.predicted_step_time_ms AS llm_step, p.predicted_memory_mb AS llm_memory,
           t.mean_step_time_ms AS step, t.peak_memory_mb AS memory
    FROM trial_summary t JOIN proposals p USING (run_id, unit_id)
), earlier AS (  -- for each asked trial, the trials of its study that had finished before it was proposed
    SELECT a.unit_id, a.block, a.batch_size = f.batch_size AS same_batch, f.mean_step_time_ms AS step, f.peak_memory_mb AS memory
    FROM asked a JOIN trial_summary f ON f.block = a.block AND f.dataset = a.dataset AND f.algorithm = a.algorithm
    JOIN unit_results u ON u.run_id = f.run_id AND u.unit_id = f.unit_id
    WHERE u.finished < a.created
), baseline AS (
    SELECT unit_id, block,
           coalesce(avg(step) FILTER (same_batch), avg(step)) AS base_step,
           coalesce(avg(memory) FILTER (same_batch), avg(memory)) AS base_memory
    FROM earlier GROUP BY unit_id, block
), long AS (
    SELECT a.block, a.dataset, a.algorithm, 'llm' AS predictor, a.llm_step AS p_step, a.llm_memory AS p_memory, a.step, a.memory
    FROM asked a
    UNION ALL
    SELECT a.block, a.dataset, a.algorithm, 'finished trials', b.base_step, b.base_memory, a.step, a.memory
    FROM asked a LEFT JOIN baseline b USING (unit_id, block)
), ranked AS (
    SELECT *,
           CASE WHEN p_step IS NOT NULL THEN rank() OVER (PARTITION BY block, dataset, algorithm, predictor, p_step IS NULL ORDER BY p_step) END AS r_p_step,
           CASE WHEN p_step IS NOT NULL THEN rank() OVER (PARTITION BY block, dataset, algorithm, predictor, p_step IS NULL ORDER BY step) END AS r_step,
           CASE WHEN p_memory IS NOT NULL THEN rank() OVER (PARTITION BY block, dataset, algorithm, predictor, p_memory IS NULL ORDER BY p_memory) END AS r_p_memory,
           CASE WHEN p_memory IS NOT NULL THEN rank() OVER (PARTITION BY block, dataset, algorithm, predictor, p_memory IS NULL ORDER BY memory) END AS r_memory
    FROM long
)
SELECT block, dataset, algorithm, predictor, count(*) AS trials,
       count(p_step) AS step_time_predicted,
       round(100 * avg(abs(p_step - step) / nullif(step, 0)), 1) AS step_time_mape_pct,
       round(corr(r_p_step, r_step), 3) AS step_time_rank_corr,
       count(p_memory) AS memory_predicted,
       round(100 * avg(abs(p_memory - memory) / nullif(memory, 0)), 1) AS memory_mape_pct,
       round(corr(r_p_memory, r_memory), 3) AS memory_rank_corr
FROM ranked
GROUP BY ALL
ORDER BY block, dataset, algorithm, predictor;
