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
