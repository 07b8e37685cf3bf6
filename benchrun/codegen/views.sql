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

-- Mean over the functionality's tasks; NULL (complete = false) unless every task's cell
-- is complete.
CREATE OR REPLACE VIEW pass_at_k_by_functionality AS
SELECT block, functionality, model, strategy, level, k, count(*)::INTEGER AS tasks,
       count_if(complete)::INTEGER AS tasks_complete, bool_and(complete) AS complete,
       sum(planned)::INTEGER AS planned, sum(n)::INTEGER AS n,
       CASE WHEN bool_and(complete) THEN avg(pass_at) END AS pass_at
FROM pass_at_k
GROUP BY block, functionality, model, strategy, level, k;
