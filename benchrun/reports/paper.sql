-- The code-adaptation study's table (after Patel et al.): pass@1 and pass@3 per
-- functionality, model and prompting strategy (mean over the functionality's tasks),
-- then the overall figures and why samples failed. `--run ID` keeps one run's units.

-- table: pass@k by functionality, model and strategy
-- chart: bar x=functionality y=pass_at_1 series=model
SELECT functionality, model, strategy,
       count(*) AS tasks,
       round(avg(pass_at_1), 3) AS pass_at_1,
       round(avg(pass_at_3), 3) AS pass_at_3,
       sum(n) AS samples
FROM (
    SELECT task, any_value(functionality) AS functionality, model, strategy, count(*) AS n,
           pass_at(count(*), count_if(passed), 1) AS pass_at_1,
           pass_at(count(*), count_if(passed), 3) AS pass_at_3
    FROM current_samples
    WHERE $run IS NULL OR run_id = $run
    GROUP BY task, model, strategy
)
GROUP BY ALL
ORDER BY functionality, model, strategy;

-- table: overall pass@k per model and strategy
-- chart: bar x=strategy y=pass_at_1 series=model
SELECT model, strategy, count(*) AS tasks,
       round(avg(pass_at_1), 3) AS pass_at_1, round(avg(pass_at_3), 3) AS pass_at_3
FROM (
    SELECT task, model, strategy,
           pass_at(count(*), count_if(passed), 1) AS pass_at_1,
           pass_at(count(*), count_if(passed), 3) AS pass_at_3
    FROM current_samples
    WHERE $run IS NULL OR run_id = $run
    GROUP BY task, model, strategy
)
GROUP BY ALL
ORDER BY model, strategy;

-- table: failure categories per model (share of that model's samples)
-- chart: bar x=failure y=share series=model
SELECT model, failure, samples, round(samples / sum(samples) OVER (PARTITION BY model), 3) AS share
FROM (
    SELECT model, coalesce(failure, 'passed') AS failure, count(*) AS samples
    FROM current_samples
    WHERE $run IS NULL OR run_id = $run
    GROUP BY model, failure
)
ORDER BY model, samples DESC;
