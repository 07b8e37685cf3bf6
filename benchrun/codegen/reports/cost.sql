-- What the plan's samples cost in model tokens and dollars, per model, strategy and level, then
-- per task. A request's prompt tokens count once however many samples it returned (they
-- are on its first sample); cached samples are shown at what they cost when asked for.
-- usd is empty for a model with no price (give the model a `price` option).

-- table: cost by model, strategy and instruction level
-- chart: bar x=strategy y=usd series=model facet=level
SELECT model, strategy, level, count(*) AS samples, count(DISTINCT request_id) AS requests,
       count_if(cached) AS cached, sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out,
       round(sum(cost_usd), 6) AS usd, round(sum(cost_usd) / count(*), 6) AS usd_per_sample,
       any_value(n_fallback) AS n_fallback
FROM current_samples
GROUP BY model, strategy, level
ORDER BY model, strategy, level;

-- table: cost by task
SELECT task, model, strategy, level, count(*) AS samples, count(DISTINCT request_id) AS requests,
       sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out, round(sum(cost_usd), 6) AS usd
FROM current_samples
GROUP BY task, model, strategy, level
ORDER BY task, model, strategy, level;
