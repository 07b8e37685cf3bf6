-- Paired comparisons on the same tasks: two models (same strategy and level), two
-- strategies (same model and level) or two instruction levels (same model and strategy).
-- For each pair, the mean per-task difference a - b in pass@k with its paired 95 %
-- interval (t over the per-task differences; docs/results.md), per functionality and over
-- all the block's tasks. `--a X --b Y` chooses the pair (either alone keeps that side);
-- without them every pair is shown once. `held` names what the two cells share.

-- table: paired difference in pass@k (a - b), per functionality and overall
-- chart: bar x=functionality y=difference series=pair,held facet=block,k error=difference_low,difference_high
SELECT block, coalesce(functionality, 'all tasks') AS functionality, compares, a, b,
       concat_ws(', ', model, strategy, level) AS held, k, tasks,
       round(pass_at_a, 3) AS pass_at_a, round(pass_at_b, 3) AS pass_at_b, round(difference, 3) AS difference,
       interval_text(difference_low, difference_high) AS "95% CI",
       CASE WHEN NOT complete THEN 'incomplete'
            WHEN difference_low > 0 THEN a || ' higher'
            WHEN difference_high < 0 THEN b || ' higher'
            ELSE '' END AS note,
       a || ' - ' || b AS pair, round(difference_low, 3) AS difference_low, round(difference_high, 3) AS difference_high
FROM pass_at_k_compare
WHERE CASE WHEN $a IS NULL AND $b IS NULL THEN a < b
           ELSE ($a IS NULL OR a = $a) AND ($b IS NULL OR b = $b) END
ORDER BY block, compares, a, b, held, k, pass_at_k_compare.functionality NULLS LAST;
