-- The benchmark block kind's own tables, made whenever a results file is opened.
-- One row per instruction template a `tuned(dev = ...)` run scored (benchrun.codegen.prompt_tuning):
-- round 0 is the starting template, later rounds the proposer's candidates.
CREATE TABLE IF NOT EXISTS prompt_candidates (
    run_id        VARCHAR NOT NULL,
    block         VARCHAR,
    strategy      VARCHAR NOT NULL,   -- the strategy label, e.g. tuned(dev='../tasks/dev/*', rounds=2)
    functionality VARCHAR NOT NULL,
    study         VARCHAR NOT NULL,   -- what decides the tuning; a resumed run reuses its rounds
    round         INTEGER NOT NULL,
    slot          INTEGER NOT NULL,   -- its place among the round's candidates
    template      VARCHAR,
    valid         BOOLEAN NOT NULL,
    reason        VARCHAR,            -- why not valid (not scored)
    score         DOUBLE,             -- pass@1 on the development tasks
    n             INTEGER,            -- samples scored: dev tasks x models
    kept          BOOLEAN NOT NULL,   -- scored strictly above the best so far; the last kept is used
    failures      JSON,               -- [{task, model, failure, output}] shown to the proposer next round
    created       TIMESTAMP
);
