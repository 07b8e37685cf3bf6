-- Graded values the checks measured (benchcheck's `measure`): how much smaller, faster or
-- less accurate an optimised model is, how long a served prediction takes. Where pass/fail
-- hides the result: two passing quantisations may differ by a factor in size. Per task,
-- model, strategy and instruction level: the mean over the samples whose check passed,
-- with its 95 % t interval (samples as observations), and apart from it the samples whose
-- check failed but measured the value first. The raw values are in `sample_measures`
-- (one row per sample and measure; `current_measures` has the plan's with their labels).

-- table: graded measures per task (mean over passed samples)
-- chart: bar x=strategy y=mean series=block,model facet=level,task,name error=low,high
SELECT block, functionality, task, name, unit, model, strategy, level, n,
       round(mean, 4) AS mean, interval_text(low, high) AS "95% CI",
       n_failed, round(mean_failed, 4) AS mean_failed, round(low, 4) AS low, round(high, 4) AS high
FROM measures_by_task
ORDER BY block, functionality, task, name, model, strategy, level;
