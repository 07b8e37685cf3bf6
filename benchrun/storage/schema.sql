-- The benchrun results store.
--
-- The file is a list of versions. `Store` applies, in order, every `-- version: N`
-- section above the version recorded in `schema_version`, each in one transaction, so
-- a file written by an older benchrun is upgraded in place when a run opens it.
-- Never edit a released section: add a new one. The `-- views` section is re-created
-- every time a run opens the file, so views always match the code that writes.
--
-- Append-only tables carry no primary keys or indexes: batches are inserted from Arrow
-- at millions of rows per second, and uniqueness comes from the run loop (one outcome
-- row per unit and run).

-- version: 1
CREATE TABLE schema_version (version INTEGER NOT NULL, applied TIMESTAMP NOT NULL);

CREATE TABLE runs (
    run_id           VARCHAR NOT NULL,   -- e.g. r-20250101-120000-1a2b
    spec_path        VARCHAR,
    spec_hash        VARCHAR,            -- sha256 of the spec text
    started          TIMESTAMP NOT NULL,
    finished         TIMESTAMP,
    status           VARCHAR NOT NULL,   -- running, finished, interrupted, failed
    benchrun_version VARCHAR,
    host             VARCHAR,
    pid              INTEGER,
    units_planned    INTEGER,            -- units in the plan
    units_skipped    INTEGER,            -- already done in this file (resume)
    error            VARCHAR             -- why a failed run failed
);

CREATE TABLE units (
    run_id   VARCHAR NOT NULL,
    unit_id  VARCHAR NOT NULL,           -- stable: a hash of what decides the result
    kind     VARCHAR NOT NULL,           -- codegen or trial
    block    VARCHAR NOT NULL,           -- benchmark / tune block name
    params   JSON,
    status   VARCHAR NOT NULL,           -- done or failed
    attempts INTEGER NOT NULL,           -- 1 + earlier outcomes of this unit id
    error    VARCHAR,
    finished TIMESTAMP NOT NULL,
    summary  JSON                        -- trial: steps, stop_reason, stopped_at_step, best_value...
);

CREATE TABLE samples (
    run_id           VARCHAR NOT NULL,
    unit_id          VARCHAR NOT NULL,
    block            VARCHAR,
    task             VARCHAR,
    functionality    VARCHAR,            -- e.g. experiment_tracking, translation
    model            VARCHAR,
    strategy         VARCHAR,
    sample           INTEGER,            -- sample index within task x model x strategy
    prompt_hash      VARCHAR,
    prompt_truncated BOOLEAN,
    completion       VARCHAR,            -- the model's raw answer
    code             VARCHAR,            -- the program extracted from it
    extraction       VARCHAR,            -- how code was extracted, or why not
    tokens_in        INTEGER,
    tokens_out       INTEGER,
    latency_s        DOUBLE,             -- model latency
    cached           BOOLEAN,            -- the completion came from the cache
    exit_code        INTEGER,
    duration_s       DOUBLE,             -- sandbox run time
    timed_out        BOOLEAN,
    oom              BOOLEAN,
    failure          VARCHAR,            -- NULL when passed; else no_code, syntax_error, ...
    stdout_tail      VARCHAR,
    stderr_tail      VARCHAR,
    passed           BOOLEAN NOT NULL,
    extra            JSON,               -- any further fields a workload reported
    created          TIMESTAMP NOT NULL
);

CREATE TABLE metrics (
    run_id    VARCHAR NOT NULL,
    unit_id   VARCHAR NOT NULL,
    step      BIGINT,
    name      VARCHAR NOT NULL,          -- train_loss, val_loss, memory_mb, step_time_ms, cpu_pct...
    value     DOUBLE,
    wall_time TIMESTAMP NOT NULL
);

-- version: 2
-- Completions cached by request, so a re-run asks no model twice.
CREATE TABLE completions (
    key           VARCHAR PRIMARY KEY,   -- hash of provider, model, prompt, temperature, seed...
    provider      VARCHAR,
    model         VARCHAR,
    text          VARCHAR,
    tokens_in     INTEGER,
    tokens_out    INTEGER,
    latency_s     DOUBLE,
    finish_reason VARCHAR,
    created       TIMESTAMP NOT NULL
);

-- version: 3
-- The units each run planned, those already done included: every figure answers for
-- exactly one plan (see benchrun/storage/plans.py).
CREATE TABLE planned_units (
    run_id        VARCHAR NOT NULL,
    unit_id       VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,      -- codegen or trial
    block         VARCHAR NOT NULL,
    task          VARCHAR,               -- codegen: how reports group the unit
    functionality VARCHAR,
    model         VARCHAR,
    strategy      VARCHAR,
    sample        INTEGER,
    scores        INTEGER[],             -- the k of the block's `score [pass@k, ...]`
    params        JSON
);

-- views
-- Trials report a summary JSON (keys used here: steps, stop_reason - "completed" when
-- no rule fired -, stopped_at_step, best_value, peak_memory_mb, train_time_s,
-- cpu_time_s) and metrics named memory_mb, step_time_ms, cpu_pct, and their objective.
-- pass@k, the unbiased estimator of Chen et al. (2021) in its numerically stable
-- product form: 1 - prod_{i=n-c+1}^{n} (1 - k/i). Undefined (NULL) when n < k.
CREATE OR REPLACE MACRO pass_at(n, c, k) AS
    CASE WHEN n < k THEN NULL
         WHEN c = 0 THEN 0.0
         WHEN n - c < k THEN 1.0
         ELSE 1.0 - list_product([1.0 - k / i for i in range((n - c + 1)::BIGINT, (n + 1)::BIGINT)])
    END;

-- The plan the views answer for: the run chosen with `SET VARIABLE plan_run = 'r-...'`,
-- else the newest run that recorded a plan. `benchrun report NAME SPEC` shadows this
-- view with a temporary one holding the spec's plan as it stands now.
CREATE OR REPLACE VIEW plan_units AS
SELECT * EXCLUDE (run_id) FROM planned_units
WHERE run_id = coalesce(
    getvariable('plan_run'),
    (SELECT r.run_id FROM runs r WHERE EXISTS (SELECT 1 FROM planned_units p WHERE p.run_id = r.run_id)
     ORDER BY r.started DESC LIMIT 1));

-- The outcome that counts for each unit of the plan: its newest "done" row, whichever
-- run wrote it (a resumed run's units are spread over several runs; `--fresh`
-- supersedes). Outcomes of units outside the plan are in `units`, not here.
CREATE OR REPLACE VIEW unit_results AS
SELECT * FROM units
WHERE status = 'done' AND unit_id IN (SELECT unit_id FROM plan_units)
QUALIFY row_number() OVER (PARTITION BY unit_id ORDER BY finished DESC) = 1;

CREATE OR REPLACE VIEW current_samples AS
SELECT s.* FROM samples s JOIN unit_results u USING (run_id, unit_id);

-- One row per (block, task, model, strategy) of the plan and k of the block's score:
-- planned units, n samples, c passed. A cell with units not done (n below the plan) is
-- incomplete and has no pass@k: computing it on fewer samples would flatter a model
-- whose failures did not get recorded.
CREATE OR REPLACE VIEW pass_at_k AS
WITH planned AS (
    SELECT block, task, any_value(functionality) AS functionality, model, strategy,
           count(*)::INTEGER AS planned, any_value(scores) AS scores
    FROM plan_units
    WHERE kind = 'codegen'
    GROUP BY block, task, model, strategy
), counted AS (
    SELECT p.block, p.task, p.model, p.strategy,
           count(*)::INTEGER AS n, count_if(s.passed)::INTEGER AS c
    FROM current_samples s JOIN plan_units p USING (unit_id)
    GROUP BY p.block, p.task, p.model, p.strategy
)
SELECT p.block, p.task, p.functionality, p.model, p.strategy, k::INTEGER AS k, p.planned,
       coalesce(c.n, 0) AS n, coalesce(c.c, 0) AS c, coalesce(c.n, 0) >= p.planned AS complete,
       CASE WHEN coalesce(c.n, 0) >= p.planned THEN pass_at(c.n, c.c, k) END AS pass_at
FROM planned p
LEFT JOIN counted c USING (block, task, model, strategy)
CROSS JOIN unnest(p.scores) AS ks(k);

-- Mean over the functionality's tasks; NULL (complete = false) unless every task's cell
-- is complete.
CREATE OR REPLACE VIEW pass_at_k_by_functionality AS
SELECT block, functionality, model, strategy, k, count(*)::INTEGER AS tasks,
       count_if(complete)::INTEGER AS tasks_complete, bool_and(complete) AS complete,
       sum(planned)::INTEGER AS planned, sum(n)::INTEGER AS n,
       CASE WHEN bool_and(complete) THEN avg(pass_at) END AS pass_at
FROM pass_at_k
GROUP BY block, functionality, model, strategy, k;

CREATE OR REPLACE VIEW trial_summary AS
WITH trials AS (
    SELECT * FROM unit_results WHERE kind = 'trial'
), system AS (
    SELECT m.run_id, m.unit_id,
           max(m.step) AS last_step,
           max(m.value) FILTER (m.name = 'memory_mb') AS peak_memory_mb,
           avg(m.value) FILTER (m.name = 'step_time_ms') AS mean_step_time_ms,
           avg(m.value) FILTER (m.name = 'cpu_pct') AS mean_cpu_pct
    FROM metrics m JOIN trials t USING (run_id, unit_id)
    GROUP BY m.run_id, m.unit_id
), best AS (
    SELECT t.run_id, t.unit_id,
           CASE WHEN t.params ->> 'mode' = 'max' THEN max(m.value) ELSE min(m.value) END AS best_value
    FROM trials t JOIN metrics m
      ON m.run_id = t.run_id AND m.unit_id = t.unit_id AND m.name = t.params ->> 'metric'
    GROUP BY t.run_id, t.unit_id, t.params ->> 'mode'
)
SELECT t.run_id, t.unit_id, t.block,
       t.params ->> '$.dataset.name' AS dataset,
       t.params ->> 'algorithm' AS algorithm,
       t.params -> 'config' AS config,
       TRY_CAST(t.params ->> '$.config.batch_size' AS DOUBLE) AS batch_size,
       TRY_CAST(t.params ->> '$.config.learning_rate' AS DOUBLE) AS learning_rate,
       TRY_CAST(t.params ->> '$.config.alpha' AS DOUBLE) AS alpha,
       t.params ->> 'metric' AS metric,
       coalesce(TRY_CAST(t.summary ->> 'best_value' AS DOUBLE), b.best_value) AS best_value,
       coalesce(TRY_CAST(t.summary ->> 'steps' AS BIGINT), s.last_step) AS steps_run,
       coalesce(t.summary ->> 'stop_reason', 'completed') NOT IN ('completed', 'finished') AS stopped_early,
       t.summary ->> 'stop_reason' AS stop_reason,
       TRY_CAST(t.summary ->> 'stopped_at_step' AS BIGINT) AS stopped_at_step,
       coalesce(TRY_CAST(t.summary ->> 'peak_memory_mb' AS DOUBLE), s.peak_memory_mb) AS peak_memory_mb,
       s.mean_step_time_ms, s.mean_cpu_pct,
       TRY_CAST(t.summary ->> 'train_time_s' AS DOUBLE) AS train_time_s,
       TRY_CAST(t.summary ->> 'cpu_time_s' AS DOUBLE) AS cpu_time_s
FROM trials t
LEFT JOIN system s USING (run_id, unit_id)
LEFT JOIN best b USING (run_id, unit_id);
