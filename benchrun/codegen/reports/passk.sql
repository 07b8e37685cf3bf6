-- pass@k of generated programs for each k of the blocks' `score`, per functionality,
-- model, strategy and instruction level, with its 95 % interval (clustered by task;
-- docs/results.md), then per task. Answers for one plan (a spec, `--run ID`, or the
-- newest run); a cell whose units are not all done is incomplete and has no value.

-- table: pass@k by functionality (mean over tasks)
-- chart: bar x=functionality y=pass_at series=model,strategy facet=block,level,k error=pass_at_low,pass_at_high
SELECT block, functionality, model, strategy, level, k, tasks, tasks_complete,
       round(pass_at, 3) AS pass_at, interval_text(pass_at_low, pass_at_high) AS "95% CI", n AS samples, planned,
       round(pass_at_low, 3) AS pass_at_low, round(pass_at_high, 3) AS pass_at_high
FROM pass_at_k_by_functionality
ORDER BY block, functionality, model, strategy, level, k;

-- table: pass@k by task
SELECT block, task, model, strategy, level, k, planned, n, c, round(pass_at, 3) AS pass_at,
       CASE WHEN complete THEN '' ELSE 'incomplete' END AS note
FROM pass_at_k
ORDER BY block, task, model, strategy, level, k;
