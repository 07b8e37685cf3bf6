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

-- version: 4
-- What model requests cost. With n samples from one request, the request's prompt tokens
-- are on its first sample only (tokens_in 0 on the others), so sums count each prompt
-- once; request_id says which samples shared a request.
ALTER TABLE samples ADD COLUMN request_id VARCHAR;
ALTER TABLE samples ADD COLUMN n_fallback VARCHAR;     -- why the sample had a request of its own although n was asked for
ALTER TABLE samples ADD COLUMN cost_usd DOUBLE;        -- its tokens at the model's price; NULL: no price known
ALTER TABLE completions ADD COLUMN request_id VARCHAR;
ALTER TABLE completions ADD COLUMN n_fallback VARCHAR;

-- version: 5
-- Each distinct prompt as sent, once (a sample names its prompt by prompt_hash), so a
-- sample's page can show what the model was asked.
CREATE TABLE prompts (
    prompt_hash VARCHAR PRIMARY KEY,    -- sha256 of the messages (benchrun.prompts.prompt_hash)
    messages    JSON NOT NULL,          -- [{"role": ..., "content": ...}] as sent to the model
    tokens      INTEGER,                -- estimated prompt tokens
    created     TIMESTAMP NOT NULL
);

-- version: 6
-- The instruction level (brief or detailed) a codegen unit prompted with; units planned
-- before levels existed prompted with the detailed one.
ALTER TABLE planned_units ADD COLUMN level VARCHAR;
UPDATE planned_units SET level = 'detailed' WHERE kind = 'codegen';

-- version: 7
-- Graded values a task's check measured for a sample (benchcheck's `measure`: a size ratio,
-- a latency, an accuracy drop), as the judge's verdict line carried them: never a value
-- the program wrote. They never decide pass/fail; check_passed = false marks those of a
-- sample whose check failed (measured before it failed). Written with their samples.
CREATE TABLE sample_measures (
    run_id       VARCHAR NOT NULL,
    unit_id      VARCHAR NOT NULL,
    sample       INTEGER,                -- the sample's index, as in samples.sample
    name         VARCHAR NOT NULL,       -- e.g. size_ratio, latency_ms, accuracy_drop
    value        DOUBLE NOT NULL,
    unit         VARCHAR,                -- e.g. ms, ratio; '' when the check gave none
    check_passed BOOLEAN NOT NULL,       -- the sample passed its check
    created      TIMESTAMP NOT NULL
);

-- views
-- Views every block kind shares; each kind adds its own (benchrun.blocks: `views`).
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

-- 95 % intervals of a mean, for every block kind's reports (codegen: pass@k clustered by
-- task; tuning: savings and losses over seeds).
-- t(0.975, df), the Student t quantile: DuckDB has none. df 1..30 from scipy
-- (tests/reports/test_intervals.py checks them against scipy.stats.t.ppf); beyond, the
-- Cornish-Fisher expansion about z = 1.959964 (within 1e-4 of the exact quantile).
CREATE OR REPLACE MACRO t_quantile_975(df) AS
    CASE WHEN df IS NULL OR df < 1 THEN NULL
         WHEN df <= 30 THEN [12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004,
                             2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905,
                             2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899,
                             2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272][df::BIGINT]
         ELSE 1.959963984540054 + (1.959963984540054 ^ 3 + 1.959963984540054) / (4 * df)
              + (5 * 1.959963984540054 ^ 5 + 16 * 1.959963984540054 ^ 3 + 3 * 1.959963984540054) / (96 * df ^ 2)
    END;

-- The 95 % t interval of a mean of `observations` values whose sample standard deviation
-- is `sd`, unclipped: {se, low, high}, each NULL below 2 observations (no spread to measure).
CREATE OR REPLACE MACRO t_interval(mean, sd, observations) AS {
    'se': CASE WHEN observations >= 2 THEN sd / sqrt(observations) END,
    'low': CASE WHEN observations >= 2 THEN mean - t_quantile_975(observations - 1) * sd / sqrt(observations) END,
    'high': CASE WHEN observations >= 2 THEN mean + t_quantile_975(observations - 1) * sd / sqrt(observations) END
};

-- An interval as text for the reports: [0.42, 0.71]; empty without one.
CREATE OR REPLACE MACRO interval_text(low, high) AS
    CASE WHEN low IS NOT NULL AND high IS NOT NULL THEN printf('[%.2f, %.2f]', low, high) ELSE '' END;

-- A value clipped to [lo, hi]; NULL stays NULL (DuckDB's greatest and least skip NULLs).
CREATE OR REPLACE MACRO clip(x, lo, hi) AS CASE WHEN x IS NOT NULL THEN least(hi, greatest(lo, x)) END;
