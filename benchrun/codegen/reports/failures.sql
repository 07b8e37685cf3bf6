-- Why generated programs fail: failure categories per model and strategy, and the
-- units of the plan that could not run (model down, sandbox engine lost, ...): their
-- cells are incomplete until a resumed run completes them.

-- table: failure categories
-- chart: bar x=failure y=samples series=model,strategy facet=level
SELECT model, strategy, level, coalesce(failure, 'passed') AS failure, count(*) AS samples,
       round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY model, strategy, level), 1) AS pct
FROM current_samples
GROUP BY 1, 2, 3, 4
ORDER BY model, strategy, level, samples DESC;

-- table: units of the plan not done (latest attempt)
SELECT p.block, p.kind, p.unit_id, p.task, p.model, p.strategy, p.level, u.attempts, u.run_id,
       coalesce(left(u.error, 200), 'not run yet') AS error
FROM plan_units p
LEFT JOIN units u ON u.unit_id = p.unit_id
WHERE p.unit_id NOT IN (SELECT unit_id FROM unit_results)
QUALIFY row_number() OVER (PARTITION BY p.unit_id ORDER BY u.finished DESC NULLS LAST) = 1
ORDER BY p.block, p.unit_id;
