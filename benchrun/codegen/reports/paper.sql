-- The code-adaptation study's table (after Patel et al.): pass@k for each k of the
-- blocks' `score`, per functionality, model, prompting strategy and instruction level
-- (brief or detailed; mean over the
-- functionality's tasks), then the overall figures and why samples failed. Answers for
-- one plan: the spec's as it stands (`report paper SPEC`), a run's (`--run ID`), or
-- the newest run's. A cell with units not done is marked incomplete, without a value.

-- table: pass@k by functionality, model and strategy
-- chart: bar x=functionality y=pass_at series=model,strategy facet=level,k
SELECT functionality, model, strategy, level, k, tasks,
       round(pass_at, 3) AS pass_at, n AS samples, planned,
       CASE WHEN complete THEN '' ELSE 'incomplete' END AS note
FROM pass_at_k_by_functionality
ORDER BY functionality, model, strategy, level, k;

-- table: overall pass@k per model and strategy
-- chart: bar x=strategy y=pass_at series=model facet=level,k
SELECT model, strategy, level, k, count(*) AS tasks,
       CASE WHEN bool_and(complete) THEN round(avg(pass_at), 3) END AS pass_at,
       sum(n) AS samples, sum(planned) AS planned,
       CASE WHEN bool_and(complete) THEN '' ELSE 'incomplete' END AS note
FROM pass_at_k
GROUP BY model, strategy, level, k
ORDER BY model, strategy, level, k;

-- table: failure categories per model (share of that model's samples)
-- chart: bar x=failure y=share series=model
SELECT model, failure, samples, round(samples / sum(samples) OVER (PARTITION BY model), 3) AS share
FROM (
    SELECT model, coalesce(failure, 'passed') AS failure, count(*) AS samples
    FROM current_samples
    GROUP BY model, failure
)
ORDER BY model, samples DESC;
