-- Why generated programs fail: failure categories per model and strategy, and the
-- units that could not run at all (model down, sandbox missing, ...).

-- table: failure categories
-- chart: bar x=failure y=samples series=model
SELECT model, strategy, coalesce(failure, 'passed') AS failure, count(*) AS samples,
       round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY model, strategy), 1) AS pct
FROM current_samples
WHERE $run IS NULL OR run_id = $run
GROUP BY 1, 2, 3
ORDER BY model, strategy, samples DESC;

-- table: units that failed to run (latest attempt)
SELECT u.block, u.kind, u.unit_id, u.attempts, u.run_id, left(u.error, 200) AS error
FROM units u
WHERE u.status = 'failed'
  AND ($run IS NULL OR u.run_id = $run)
  AND u.unit_id NOT IN (SELECT unit_id FROM unit_results)
QUALIFY row_number() OVER (PARTITION BY u.unit_id ORDER BY u.finished DESC) = 1
ORDER BY u.block, u.unit_id;
