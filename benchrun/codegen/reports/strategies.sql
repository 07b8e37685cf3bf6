-- The study's question: how does each prompting strategy do, per functionality and model,
-- and what documentation did it put in the prompt? pass@k for each k of the blocks'
-- `score` (mean over the functionality's tasks, with its 95 % interval clustered by task;
-- empty while a cell is incomplete), with the
-- documentation per sample: estimated tokens, chunks (API objects, or 1 for a whole
-- sheet) and the share of prompts whose documentation was cut to fit the context. Then
-- the history of every tuned(dev = ...) template: each candidate's round, dev pass@1 and
-- whether it became the best (the last kept one is what the tasks were given).

-- table: pass@k by strategy, with the documentation used
-- chart: bar x=strategy y=pass_at series=block,model facet=level,functionality,k error=pass_at_low,pass_at_high
WITH docs AS (
    SELECT block, functionality, model, strategy, level,
           avg(TRY_CAST(json_extract(extra, '$.prompt_tokens') AS DOUBLE)) AS prompt_tokens,
           avg(TRY_CAST(json_extract(extra, '$.docs_tokens') AS DOUBLE)) AS docs_tokens,
           avg(TRY_CAST(json_extract(extra, '$.docs_chunks') AS DOUBLE)) AS docs_chunks,
           avg(CASE WHEN prompt_truncated THEN 1.0 ELSE 0.0 END) AS truncated
    FROM current_samples
    GROUP BY block, functionality, model, strategy, level
)
SELECT p.block, p.functionality, p.model, p.strategy, p.level, p.k, round(p.pass_at, 3) AS pass_at,
       interval_text(p.pass_at_low, p.pass_at_high) AS "95% CI", p.tasks, p.n AS samples,
       round(d.prompt_tokens) AS prompt_tokens, round(d.docs_tokens) AS docs_tokens,
       round(d.docs_chunks, 1) AS docs_chunks, round(d.truncated, 2) AS truncated_share,
       round(p.pass_at_low, 3) AS pass_at_low, round(p.pass_at_high, 3) AS pass_at_high
FROM pass_at_k_by_functionality p
LEFT JOIN docs d USING (block, functionality, model, strategy, level)
ORDER BY p.block, p.functionality, p.model, p.level, p.k, p.strategy;

-- table: prompt tuning history (tuned with dev tasks)
SELECT block, strategy, functionality, round, slot, round(score, 3) AS dev_pass_at_1, n,
       kept, valid, reason,
       json_array_length(failures) AS failures,
       replace(left(template, 100), chr(10), ' ') AS template
FROM prompt_candidates
ORDER BY block, strategy, functionality, round, slot;
