-- Events already handled: the persistent dedupe that keeps the bot from answering twice.
CREATE TABLE processed_events (
    event_id TEXT PRIMARY KEY NOT NULL,
    room_id TEXT NOT NULL,
    processed_at BIGINT NOT NULL
);

-- What the bots remember about a person.
CREATE TABLE people (
    user_id TEXT PRIMARY KEY NOT NULL,
    chosen_language TEXT,
    detected_language TEXT,
    updated_at BIGINT NOT NULL
);

-- Actions decided but not yet carried out on the homeserver. Written in the same transaction
-- as the dedupe record, so a crash can delay an answer but never lose or double it.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    txn_id TEXT NOT NULL UNIQUE,
    action TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    done_at BIGINT,
    failed_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE done_at IS NULL AND failed_at IS NULL;
