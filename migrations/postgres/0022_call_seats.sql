-- A person's seat in a call once their link is spent: a cookie in their browser brings them back
-- after a reload, while the call lasts and the seat has not expired. Only its hash is kept.
CREATE TABLE call_seats (
    token_hash TEXT PRIMARY KEY NOT NULL,
    call_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX call_seats_call ON call_seats (call_id);
