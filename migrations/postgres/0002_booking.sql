-- Where a person's booking conversation stands (JSON), so that it survives restarts.
ALTER TABLE people ADD COLUMN dialogue TEXT;

-- Booked visits. Times are milliseconds since the epoch, in UTC.
CREATE TABLE visits (
    code TEXT PRIMARY KEY NOT NULL,
    citizen TEXT NOT NULL,
    room_id TEXT NOT NULL,
    service TEXT NOT NULL,
    clerk TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    held_from BIGINT NOT NULL,
    held_until BIGINT NOT NULL,
    status TEXT NOT NULL,
    lang TEXT NOT NULL,
    checked_in_at BIGINT,
    called_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX visits_citizen ON visits (citizen, start_at);
CREATE INDEX visits_start ON visits (start_at);

-- The clerk's time an active visit holds, in five-minute blocks. The primary key is what makes
-- a double booking impossible, whichever process or thread books.
CREATE TABLE visit_holds (
    clerk TEXT NOT NULL,
    block BIGINT NOT NULL,
    code TEXT NOT NULL REFERENCES visits (code),
    PRIMARY KEY (clerk, block)
);
CREATE INDEX visit_holds_code ON visit_holds (code);

-- Work that falls due later (reminders, dialogue timeouts). A job is marked done in the same
-- transaction that stores what it decided, so it runs exactly once.
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    job_key TEXT NOT NULL UNIQUE,
    job TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    done_at BIGINT
);
CREATE INDEX jobs_due ON jobs (due_at) WHERE done_at IS NULL;

-- Leave and hours clerks set in chat, on top of the office file's exceptions (JSON).
CREATE TABLE clerk_exceptions (
    id BIGSERIAL PRIMARY KEY,
    clerk TEXT NOT NULL,
    exception TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Secret addresses of the clerks' and departments' calendar feeds.
CREATE TABLE feed_tokens (
    token TEXT PRIMARY KEY NOT NULL,
    owner_kind TEXT NOT NULL,
    owner TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX feed_tokens_owner ON feed_tokens (owner_kind, owner);

-- Rooms the bot created for departments the office file gives no room.
CREATE TABLE department_rooms (
    department TEXT PRIMARY KEY NOT NULL,
    room_id TEXT NOT NULL
);
