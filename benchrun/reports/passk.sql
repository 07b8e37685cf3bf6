-- pass@k of generated programs per functionality, model and strategy, then per task.
-- Counts the latest result of each unit; `--run ID` keeps only units that run finished.

-- table: pass@k by functionality (mean over tasks)
-- chart: bar x=functionality y=pass_at_1 series=model
SELECT block, functionality, model, strategy,
       count(*) AS tasks, round(avg(pass_at_1), 3) AS pass_at_1, round(avg(pass_at_3), 3) AS pass_at_3,
       round(avg(pass_at_5), 3) AS pass_at_5
FROM (
    SELECT block, task, any_value(functionality) AS functionality, model, strategy,
           pass_at(count(*), count_if(passed), 1) AS pass_at_1,
           pass_at(count(*), count_if(passed), 3) AS pass_at_3,
           pass_at(count(*), count_if(passed), 5) AS pass_at_5
    FROM current_samples
    WHERE $run IS NULL OR run_id = $run
    GROUP BY block, task, model, strategy
)
GROUP BY ALL
ORDER BY block, functionality, model, strategy;

-- table: pass@k by task
SELECT block, task, model, strategy, n, c,
       round(pass_at_1, 3) AS pass_at_1, round(pass_at_3, 3) AS pass_at_3, round(pass_at_5, 3) AS pass_at_5
FROM pass_at_k
ORDER BY block, task, model, strategy;
