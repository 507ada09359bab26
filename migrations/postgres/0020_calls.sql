-- Video calls: one Janus VideoRoom per call, opened by szpon and destroyed by szpon (Janus never
-- destroys a room itself). The PIN and the secret stay here and in Janus: browsers reach the
-- room only through szpon's relay. `janus_closed_at` is set once the Janus room is gone, so that
-- a room whose destruction failed (Janus down) is destroyed later, and never leaked.
CREATE TABLE calls (
    id TEXT PRIMARY KEY NOT NULL,
    room_id TEXT NOT NULL,
    janus_room BIGINT NOT NULL,
    pin TEXT NOT NULL,
    secret TEXT NOT NULL,
    lang TEXT NOT NULL,
    started_by TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    last_occupied_at BIGINT NOT NULL,
    ended_at BIGINT,
    ended_by TEXT,
    janus_closed_at BIGINT
);
-- One call at a time in a room.
CREATE UNIQUE INDEX calls_one_per_room ON calls (room_id) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX calls_janus_room ON calls (janus_room);

-- A person's single-use link to a call, sent to their private chat; only its hash is kept.
CREATE TABLE call_tickets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    call_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX call_tickets_call ON call_tickets (call_id);
