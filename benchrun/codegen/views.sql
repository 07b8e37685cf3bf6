-- The benchmark block kind's views, re-created whenever a results file is opened
-- (after benchrun/storage/schema.sql's, which they build on).

-- pass@k, the unbiased estimator of Chen et al. (2021) in its numerically stable
-- product form: 1 - prod_{i=n-c+1}^{n} (1 - k/i). Undefined (NULL) when n < k.
CREATE OR REPLACE MACRO pass_at(n, c, k) AS
    CASE WHEN n < k THEN NULL
         WHEN c = 0 THEN 0.0
         WHEN n - c < k THEN 1.0
         ELSE 1.0 - list_product([1.0 - k / i for i in range((n - c + 1)::BIGINT, (n + 1)::BIGINT)])
    END;

-- The plan's samples, with the instruction level their prompt used.
CREATE OR REPLACE VIEW current_samples AS
SELECT s.*, coalesce(p.level, 'detailed') AS level
FROM samples s JOIN unit_results u USING (run_id, unit_id) JOIN plan_units p USING (unit_id);

-- One row per (block, task, model, strategy, instruction level) of the plan and k of the block's score:
-- planned units, n samples, c passed. A cell with units not done (n below the plan) is
-- incomplete and has no pass@k: computing it on fewer samples would flatter a model
-- whose failures did not get recorded.
CREATE OR REPLACE VIEW pass_at_k AS
WITH planned AS (
    SELECT block, task, any_value(functionality) AS functionality, model, strategy,
           coalesce(level, 'detailed') AS level, count(*)::INTEGER AS planned, any_value(scores) AS scores
    FROM plan_units
    WHERE kind = 'codegen'
    GROUP BY block, task, model, strategy, coalesce(level, 'detailed')
), counted AS (
    SELECT p.block, p.task, p.model, p.strategy, coalesce(p.level, 'detailed') AS level,
           count(*)::INTEGER AS n, count_if(s.passed)::INTEGER AS c
    FROM current_samples s JOIN plan_units p USING (unit_id)
    GROUP BY p.block, p.task, p.model, p.strategy, coalesce(p.level, 'detailed')
)
SELECT p.block, p.task, p.functionality, p.model, p.strategy, p.level, k::INTEGER AS k, p.planned,
       coalesce(c.n, 0) AS n, coalesce(c.c, 0) AS c, coalesce(c.n, 0) >= p.planned AS complete,
       CASE WHEN coalesce(c.n, 0) >= p.planned THEN pass_at(c.n, c.c, k) END AS pass_at
FROM planned p
LEFT JOIN counted c USING (block, task, model, strategy, level)
CROSS JOIN unnest(p.scores) AS ks(k);

-- 95 % intervals. A task's samples are not independent (one task is easy, another hard
-- for every sample), so the unit of observation is the task: a cell's pass@k is the mean
-- of its T tasks' pass@k estimates, its standard error sd / sqrt(T) over those estimates
-- (a standard error clustered by task), and its interval mean +- t(0.975, T - 1) * SE.
-- It targets the expected pass@k over the population of tasks the corpus samples from.

-- A cell of tasks' pass@k (an aggregate over its tasks' rows of pass_at_k): the mean and
-- its interval clipped to [0, 1], NULL unless every task's cell is complete. The interval
-- counts the tasks with an estimate (pass@k is undefined for n < k).
CREATE OR REPLACE MACRO pass_at_cell(pass_at, complete) AS {
    'mean': CASE WHEN bool_and(complete) THEN avg(pass_at) END,
    'se': CASE WHEN bool_and(complete) THEN t_interval(avg(pass_at), stddev_samp(pass_at), count(pass_at)).se END,
    'low': CASE WHEN bool_and(complete)
                THEN clip(t_interval(avg(pass_at), stddev_samp(pass_at), count(pass_at)).low, 0.0, 1.0) END,
    'high': CASE WHEN bool_and(complete)
                 THEN clip(t_interval(avg(pass_at), stddev_samp(pass_at), count(pass_at)).high, 0.0, 1.0) END
};

-- Mean over the functionality's tasks, with its 95 % interval; NULL (complete = false)
-- unless every task's cell is complete.
CREATE OR REPLACE VIEW pass_at_k_by_functionality AS
SELECT block, functionality, model, strategy, level, k, tasks, tasks_complete, complete, planned, n,
       cell.mean AS pass_at, cell.low AS pass_at_low, cell.high AS pass_at_high, cell.se AS pass_at_se
FROM (
    SELECT block, functionality, model, strategy, level, k, count(*)::INTEGER AS tasks,
           count_if(complete)::INTEGER AS tasks_complete, bool_and(complete) AS complete,
           sum(planned)::INTEGER AS planned, sum(n)::INTEGER AS n, pass_at_cell(pass_at, complete) AS cell
    FROM pass_at_k
    GROUP BY block, functionality, model, strategy, level, k
);

-- The same over all the block's tasks, per model, strategy, level and k.
CREATE OR REPLACE VIEW pass_at_k_overall AS
SELECT block, model, strategy, level, k, tasks, tasks_complete, complete, planned, n,
       cell.mean AS pass_at, cell.low AS pass_at_low, cell.high AS pass_at_high, cell.se AS pass_at_se
FROM (
    SELECT block, model, strategy, level, k, count(*)::INTEGER AS tasks,
           count_if(complete)::INTEGER AS tasks_complete, bool_and(complete) AS complete,
           sum(planned)::INTEGER AS planned, sum(n)::INTEGER AS n, pass_at_cell(pass_at, complete) AS cell
    FROM pass_at_k
    GROUP BY block, model, strategy, level, k
);

-- Paired comparisons: two cells of one block that differ in exactly one of model,
-- strategy and level (`compares`), task by task. `a` and `b` are their values of that
-- column; the columns held fixed keep theirs, the compared one is NULL. Both orders.
CREATE OR REPLACE VIEW pass_at_k_pairs AS
SELECT a.block, a.task, a.functionality, a.k,
       CASE WHEN a.model <> b.model THEN 'model' WHEN a.strategy <> b.strategy THEN 'strategy' ELSE 'level' END AS compares,
       CASE WHEN a.model <> b.model THEN a.model WHEN a.strategy <> b.strategy THEN a.strategy ELSE a.level END AS a,
       CASE WHEN a.model <> b.model THEN b.model WHEN a.strategy <> b.strategy THEN b.strategy ELSE b.level END AS b,
       CASE WHEN a.model = b.model THEN a.model END AS model,
       CASE WHEN a.strategy = b.strategy THEN a.strategy END AS strategy,
       CASE WHEN a.level = b.level THEN a.level END AS level,
       a.complete AND b.complete AS complete,
       a.pass_at AS pass_at_a, b.pass_at AS pass_at_b, a.pass_at - b.pass_at AS difference
FROM pass_at_k a
JOIN pass_at_k b
  ON a.block = b.block AND a.task = b.task AND a.k = b.k
 AND (a.model <> b.model)::INTEGER + (a.strategy <> b.strategy)::INTEGER + (a.level <> b.level)::INTEGER = 1;

-- The mean per-task difference a - b in pass@k with its paired 95 % interval (t over the
-- per-task differences), per functionality and over all the block's tasks (functionality
-- NULL). NULL unless both cells are complete on every task.
CREATE OR REPLACE VIEW pass_at_k_compare AS
SELECT block, functionality, compares, a, b, model, strategy, level, k, tasks, complete,
       pass_at_a, pass_at_b, difference,
       CASE WHEN complete THEN ci.low END AS difference_low, CASE WHEN complete THEN ci.high END AS difference_high,
       CASE WHEN complete THEN ci.se END AS difference_se
FROM (
    SELECT block, functionality, compares, a, b, model, strategy, level, k,
           count(*)::INTEGER AS tasks, bool_and(complete) AS complete,
           CASE WHEN bool_and(complete) THEN avg(pass_at_a) END AS pass_at_a,
           CASE WHEN bool_and(complete) THEN avg(pass_at_b) END AS pass_at_b,
           CASE WHEN bool_and(complete) THEN avg(difference) END AS difference,
           t_interval(avg(difference), stddev_samp(difference), count(difference)) AS ci
    FROM pass_at_k_pairs
    GROUP BY GROUPING SETS ((block, functionality, compares, a, b, model, strategy, level, k),
                            (block, compares, a, b, model, strategy, level, k))
);

-- The study's published Pass@3 per functionality (Patel et al., "Automating Code
-- Adaptation for MLOps: A Benchmarking Study on LLMs"; their tasks and instructions,
-- not this corpus's), as a reference for `report paper`.
CREATE OR REPLACE VIEW published_pass_at AS
SELECT source, model, functionality, k::INTEGER AS k, pass_at::DOUBLE AS pass_at FROM (VALUES
    ('Patel et al.', 'gpt-3.5-turbo', 'model_optimisation', 3, 0.55),
    ('Patel et al.', 'gpt-3.5-turbo', 'experiment_tracking', 3, 1.00),
    ('Patel et al.', 'gpt-3.5-turbo', 'model_registration', 3, 0.92),
    ('Patel et al.', 'gpt-3.5-turbo', 'hyperparameter_optimisation', 3, 0.83),
    ('Patel et al.', 'WizardCoder-15B', 'model_optimisation', 3, 0.00),
    ('Patel et al.', 'WizardCoder-15B', 'experiment_tracking', 3, 0.625),
    ('Patel et al.', 'WizardCoder-15B', 'model_registration', 3, 0.42),
    ('Patel et al.', 'WizardCoder-15B', 'hyperparameter_optimisation', 3, 0.58)
) AS published(source, model, functionality, k, pass_at);

-- The plan's graded values (sample_measures), with the labels of their samples. A value
-- of a sample whose check failed has check_passed = false: reports keep it apart.
CREATE OR REPLACE VIEW current_measures AS
SELECT s.block, s.task, s.functionality, s.model, s.strategy, s.level, s.sample, s.unit_id, s.run_id,
       m.name, m.value, m.unit, m.check_passed
FROM sample_measures m JOIN current_samples s USING (run_id, unit_id, sample);

-- Per task, model, strategy, level and measure: the mean over the samples whose check
-- passed (n of them), its 95 % t interval (samples as observations; NULL below 2), and how
-- many failed samples also carried the value (not in the mean).
CREATE OR REPLACE VIEW measures_by_task AS
SELECT block, task, functionality, model, strategy, level, name, any_value(unit) AS unit,
       count(*) FILTER (check_passed)::INTEGER AS n,
       avg(value) FILTER (check_passed) AS mean,
       t_interval(avg(value) FILTER (check_passed), stddev_samp(value) FILTER (check_passed),
                  count(*) FILTER (check_passed)).low AS low,
       t_interval(avg(value) FILTER (check_passed), stddev_samp(value) FILTER (check_passed),
                  count(*) FILTER (check_passed)).high AS high,
       count(*) FILTER (NOT check_passed)::INTEGER AS n_failed,
       avg(value) FILTER (NOT check_passed) AS mean_failed
FROM current_measures
GROUP BY block, task, functionality, model, strategy, level, name;
