-- What the bot remembers of a person's conversation for a handover (JSON): last messages, topic.
ALTER TABLE people ADD COLUMN helpdesk TEXT;
-- How fast the person has been writing (JSON), so that a flood is slowed down across restarts.
ALTER TABLE people ADD COLUMN pace TEXT;

-- Helpdesk tickets. Times are milliseconds since the epoch, in UTC; the summary is a JSON array.
CREATE TABLE tickets (
    id BIGINT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    citizen TEXT NOT NULL,
    room_id TEXT NOT NULL,
    topic TEXT,
    summary TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    waiting_since BIGINT NOT NULL,
    assignee TEXT,
    first_response_at BIGINT,
    resolved_at BIGINT,
    first_response_due BIGINT,
    resolution_due BIGINT,
    -- For a callback request: the number (+48…) and the time asked for, in words.
    phone TEXT,
    callback_when TEXT,
    -- The citizen's rating after closing, 1 to 5, from the satisfaction poll.
    satisfaction INTEGER,
    rated_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX tickets_state ON tickets (state, waiting_since);
CREATE INDEX tickets_citizen ON tickets (citizen, created_at);
-- A conversation has at most one ticket waiting or being handled, whoever writes at once.
CREATE UNIQUE INDEX tickets_one_active_per_room ON tickets (room_id) WHERE state IN ('pending', 'open');

-- The support team's canned replies (`!szablon nazwa`), managed by its leads.
CREATE TABLE canned_replies (
    name TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
