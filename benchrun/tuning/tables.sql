-- The tune block kind's own tables, made whenever a results file is opened.
-- One row per configuration an `llm(...)` search proposed (benchrun.tuning.search.llm).
CREATE TABLE IF NOT EXISTS proposals (
    run_id       VARCHAR NOT NULL,
    unit_id      VARCHAR NOT NULL,   -- the trial unit this proposal configures
    block        VARCHAR,
    study        VARCHAR NOT NULL,   -- which (block, data set, algorithm, search) study
    round        INTEGER NOT NULL,   -- the model request that proposed it
    slot         INTEGER NOT NULL,   -- its place in the round's batch
    prompt_hash  VARCHAR,
    completion   VARCHAR,            -- the model's whole answer (on every slot of the round)
    proposed     JSON,               -- what the model proposed for this slot; NULL: nothing
    config       JSON,               -- what the trial trains: the proposal, or a random replacement
    valid        BOOLEAN NOT NULL,
    reason       VARCHAR,            -- why not valid: malformed | outside_space | duplicate | missing
    predicted_step_time_ms DOUBLE,   -- the model's cost prediction, when asked for
    predicted_memory_mb    DOUBLE,
    tokens_in    INTEGER,            -- of the round's request, on slot 0 only
    tokens_out   INTEGER,
    latency_s    DOUBLE,
    created      TIMESTAMP
);

-- One row per question an `llm(model, every = N)` stop rule asked its model
-- (benchrun.tuning.stopping.llm_judge): the request, the answer and what the rule did.
CREATE TABLE IF NOT EXISTS stop_decisions (
    run_id       VARCHAR NOT NULL,
    unit_id      VARCHAR,            -- the trial the question was about
    block        VARCHAR,
    rule         VARCHAR,            -- the rule as written, e.g. llm(local(), every = 5)
    model        VARCHAR,
    evaluation   INTEGER,            -- the trial's evaluation it was asked at (from 1)
    step         BIGINT,
    total_steps  BIGINT,
    prompt       JSON,               -- the chat messages sent
    completion   VARCHAR,            -- the model's whole answer; NULL: none came
    proposed     VARCHAR,            -- the decision as the model wrote it
    decision     VARCHAR NOT NULL,   -- what the rule did: continue | stop (the fallback when not valid)
    valid        BOOLEAN NOT NULL,
    refused      VARCHAR,            -- why not valid: malformed | unsafe | model_error: ... | judge_error: ...
    reason       VARCHAR,            -- the model's reason
    tokens_in    INTEGER,
    tokens_out   INTEGER,
    latency_s    DOUBLE,
    created      TIMESTAMP
);
