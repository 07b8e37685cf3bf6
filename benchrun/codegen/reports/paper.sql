-- The code-adaptation study's table (after Patel et al.): pass@k for each k of the
-- blocks' `score`, per functionality, model, prompting strategy and instruction level
-- (brief or detailed; mean over the
-- functionality's tasks), then the overall figures and why samples failed. Answers for
-- one plan: the spec's as it stands (`report paper SPEC`), a run's (`--run ID`), or
-- the newest run's. A cell with units not done is marked incomplete, without a value.
-- Each cell has its 95 % interval (clustered by task; docs/results.md), and the study's
-- published Pass@3 is shown beside this plan's pass@3 as a reference.

-- table: pass@k by functionality, model and strategy
-- chart: bar x=functionality y=pass_at series=model,strategy facet=level,k error=pass_at_low,pass_at_high
SELECT functionality, model, strategy, level, k, tasks,
       round(pass_at, 3) AS pass_at, interval_text(pass_at_low, pass_at_high) AS "95% CI", n AS samples, planned,
       CASE WHEN complete THEN '' ELSE 'incomplete' END AS note,
       round(pass_at_low, 3) AS pass_at_low, round(pass_at_high, 3) AS pass_at_high
FROM pass_at_k_by_functionality
ORDER BY functionality, model, strategy, level, k;

-- table: overall pass@k per model and strategy
-- chart: bar x=strategy y=pass_at series=model facet=level,k error=pass_at_low,pass_at_high
SELECT model, strategy, level, k, tasks,
       round(pass_at, 3) AS pass_at, interval_text(pass_at_low, pass_at_high) AS "95% CI", n AS samples, planned,
       CASE WHEN complete THEN '' ELSE 'incomplete' END AS note,
       round(pass_at_low, 3) AS pass_at_low, round(pass_at_high, 3) AS pass_at_high
FROM pass_at_k_overall
ORDER BY model, strategy, level, k;

-- table: Pass@3 beside the published figures (Patel et al.)
-- The study's published Pass@3 (their tasks and instructions, not this corpus's: a reference,
-- not a replication), beside this plan's pass@3 cells of the same functionality.
WITH published AS (
    SELECT functionality,
           max(pass_at) FILTER (model = 'gpt-3.5-turbo') AS gpt35,
           max(pass_at) FILTER (model = 'WizardCoder-15B') AS wizardcoder
    FROM published_pass_at WHERE k = 3
    GROUP BY functionality
), cells AS (
    SELECT * FROM pass_at_k_by_functionality WHERE k = 3
)
SELECT coalesce(c.functionality, p.functionality) AS functionality, c.model, c.strategy, c.level,
       round(c.pass_at, 3) AS pass_at_3, interval_text(c.pass_at_low, c.pass_at_high) AS "95% CI",
       p.gpt35 AS "published gpt-3.5-turbo (Patel et al.)", p.wizardcoder AS "published WizardCoder-15B (Patel et al.)"
FROM cells c
FULL JOIN published p USING (functionality)
ORDER BY 1, 2, 3, 4;

-- table: failure categories per model (share of that model's samples)
-- chart: bar x=failure y=share series=model
SELECT model, failure, samples, round(samples / sum(samples) OVER (PARTITION BY model), 3) AS share
FROM (
    SELECT model, coalesce(failure, 'passed') AS failure, count(*) AS samples
    FROM current_samples
    GROUP BY model, failure
)
ORDER BY model, samples DESC;
